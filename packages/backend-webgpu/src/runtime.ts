import { DTypeError, TensorError, type DType, type TypedArray } from '@backprop/tensor';
import { BufferPool, READBACK_USAGE, STORAGE_USAGE, type PoolStats } from './pool.js';

/** The WGSL element type a dtype is stored as: bool takes a 32-bit word, as WGSL has no byte arrays. */
export function wgslType(dtype: DType): 'f32' | 'i32' | 'u32' {
  if (dtype === 'float32') return 'f32';
  if (dtype === 'int32') return 'i32';
  if (dtype === 'bool') return 'u32';
  throw new DTypeError('webgpu', `WGSL has no ${dtype}: webgpu keeps float32, int32 and bool tensors (run float64 work, such as gradCheck, with setBackend('cpu'))`);
}

/** A zeroed host array of `dtype`. */
export function allocHost(dtype: DType, size: number): TypedArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  return new Float64Array(size);
}

/** Threads per workgroup of the one-thread-per-element kernels. */
export const WG = 64;
/** The most workgroups one dispatch dimension may have (the spec's default limit). */
const MAX_GROUPS = 65535;

/** WGSL shared by every shader: the flat index of a thread in a 2-d grid of 64-wide workgroups. */
export const PRELUDE = /* wgsl */ `
fn flat(g: vec3u, n: vec3u) -> u32 { return g.x + g.y * n.x * ${WG}u; }
`;

/** Workgroup counts covering `threads` threads of `WG` each, folded into y past the x limit. */
export function grid(threads: number, perGroup = WG): [number, number] {
  const groups = Math.max(1, Math.ceil(threads / perGroup));
  const x = Math.min(groups, MAX_GROUPS);
  return [x, Math.ceil(groups / x)];
}

const f32View = new Float32Array(1);
const u32View = new Uint32Array(f32View.buffer);

/** The bits of `v` as a float32, for float parameters passed through the u32 meta buffer. */
export function f32Bits(v: number): number {
  f32View[0] = v;
  return u32View[0];
}

/** The 32 bits one element of `dtype` holding `v` is stored as. */
export function valueBits(v: number, dtype: DType): number {
  if (dtype === 'float32') return f32Bits(v);
  if (dtype === 'bool') return v ? 1 : 0;
  return v | 0;
}

/**
 * One WebGPU device with its buffer pools and compiled pipelines. Every kernel is one compute pass in its
 * own submission: the queue runs them in order, which is also what makes reusing a released buffer safe
 * (whatever read it was submitted before whatever writes it next).
 */
export class WebGpuRuntime {
  readonly pool: BufferPool;
  private readonly readPool: BufferPool;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private error: string | null = null;
  lost = false;

  constructor(
    readonly device: GPUDevice,
    poolBytes: number,
  ) {
    this.pool = new BufferPool(device, STORAGE_USAGE, poolBytes);
    this.readPool = new BufferPool(device, READBACK_USAGE, Math.min(poolBytes, 64 * 1024 * 1024));
    device.addEventListener('uncapturederror', (event) => {
      const message = (event as GPUUncapturedErrorEvent).error.message;
      this.error ??= message;
    });
  }

  /** Throws (once) the first validation or out-of-memory error the device reported since the last check. */
  checkErrors(op: string): void {
    if (this.lost) throw new TensorError(op, 'the WebGPU device was lost: call useWebGpuBackend() again');
    const error = this.error;
    if (error !== null) {
      this.error = null;
      throw new TensorError(op, `the WebGPU device reported an error: ${error}`);
    }
  }

  /** A buffer for `size` elements (4 bytes each). */
  alloc(size: number): GPUBuffer {
    const limit = Math.min(this.device.limits.maxStorageBufferBindingSize, this.device.limits.maxBufferSize);
    if (size * 4 > limit) {
      throw new TensorError('webgpu', `a tensor of ${size} elements (${size * 4} bytes) exceeds this GPU's largest buffer binding of ${limit} bytes`);
    }
    return this.pool.acquire(size * 4);
  }

  release(buffer: GPUBuffer): void {
    if (this.lost) return;
    this.pool.release(buffer);
  }

  upload(data: TypedArray, dtype: DType): GPUBuffer {
    wgslType(dtype);
    const buffer = this.alloc(data.length);
    if (data.length > 0) {
      const words = dtype === 'bool' ? Uint32Array.from(data) : data;
      this.device.queue.writeBuffer(buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    }
    return buffer;
  }

  async read(buffer: GPUBuffer, dtype: DType, size: number): Promise<TypedArray> {
    this.checkErrors('read');
    const out = allocHost(dtype, size);
    if (size === 0) return out;
    const bytes = size * 4;
    const staging = this.readPool.acquire(bytes);
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.device.queue.submit([encoder.finish()]);
    await staging.mapAsync(1 /* GPUMapMode.READ */, 0, bytes);
    const words = staging.getMappedRange(0, bytes).slice(0);
    staging.unmap();
    this.readPool.release(staging);
    this.checkErrors('read');
    if (dtype === 'bool') (out as Uint8Array).set(new Uint32Array(words));
    else if (dtype === 'int32') (out as Int32Array).set(new Int32Array(words));
    else (out as Float32Array).set(new Float32Array(words));
    return out;
  }

  /** The compiled pipeline for `key`, building it from `code()` the first time. */
  private pipeline(key: string, code: () => string): GPUComputePipeline {
    let pipeline = this.pipelines.get(key);
    if (!pipeline) {
      const module = this.device.createShaderModule({ code: PRELUDE + code() });
      pipeline = this.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.pipelines.set(key, pipeline);
    }
    return pipeline;
  }

  /**
   * Runs the shader `key` once: `buffers` are bound at 0, 1, … and the u32 words of `meta` (sizes, strides,
   * float parameters as bits) at the next binding. Every shader must use every binding it declares.
   */
  dispatch(key: string, code: () => string, buffers: readonly GPUBuffer[], meta: readonly number[], groups: readonly number[]): void {
    const pipeline = this.pipeline(key, code);
    const metaBuffer = this.alloc(Math.max(1, meta.length));
    this.device.queue.writeBuffer(metaBuffer, 0, Uint32Array.from(meta, (v) => v >>> 0));
    const entries = [...buffers, metaBuffer].map((buffer, binding) => ({ binding, resource: { buffer } }));
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(groups[0], groups[1] ?? 1, groups[2] ?? 1);
    pass.end();
    this.device.queue.submit([encoder.finish()]);
    this.release(metaBuffer);
  }

  /** Copies `size` elements from `src` to `dst` on the queue. */
  copy(src: GPUBuffer, dst: GPUBuffer, size: number): void {
    if (size === 0) return;
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(src, 0, dst, 0, size * 4);
    this.device.queue.submit([encoder.finish()]);
  }

  stats(): PoolStats {
    return this.pool.stats();
  }

  destroy(): void {
    this.pool.clear();
    this.readPool.clear();
    this.pipelines.clear();
  }
}
