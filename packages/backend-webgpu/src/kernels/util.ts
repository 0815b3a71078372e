import { sizeOf, Storage, type DType, type DeviceTensorData } from '@backprop/tensor';
import type { WebGpuRuntime } from '../runtime.js';

/** The name the backend is registered under: `setBackend(WEBGPU_BACKEND)` switches back to it. */
export const WEBGPU_BACKEND = 'webgpu';

/** The GPU buffer behind a tensor on this backend. */
export function bufferOf(t: DeviceTensorData): GPUBuffer {
  return t.storage.handle as GPUBuffer;
}

/** A new result tensor of `shape` and `dtype` and the buffer its kernel writes. */
export function output(rt: WebGpuRuntime, shape: readonly number[], dtype: DType): [GPUBuffer, DeviceTensorData] {
  const size = sizeOf(shape);
  const buffer = rt.alloc(size);
  return [buffer, { storage: Storage.device(WEBGPU_BACKEND, buffer, dtype, size), shape: [...shape], dtype }];
}

/** Declarations of storage bindings, in order; the last is read-write when `writeLast`. */
export function bindings(types: readonly [name: string, type: string][], writeLast = true): string {
  return types
    .map(([name, type], i) => {
      const mode = writeLast && i === types.length - 1 ? 'read_write' : 'read';
      return `@group(0) @binding(${i}) var<storage, ${mode}> ${name}: array<${type}>;`;
    })
    .join('\n');
}

/** The meta binding that follows `count` buffers. */
export function metaBinding(count: number): string {
  return `@group(0) @binding(${count}) var<storage, read> m: array<u32>;`;
}

/** Entry point of a one-thread-per-element shader: `i` is the element, `m[0]` the element count. */
export const ELEMENT_MAIN = `@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {
  let i = flat(gid, nwg);
  if (i >= m[0]) { return; }`;

/**
 * WGSL that decomposes the element index `i` over a row-major shape at m[SHAPE..] (rank m[1]) and sums
 * the coordinates times each operand's strides, stored after the shape (i32, so they may be negative).
 * Declares `off0`, `off1`, … initialised to the offsets at m[2], m[3], … when `withOffsets`.
 */
export function walk(operands: number, shapeAt: number, offsetsAt: number | null): string {
  const decl = Array.from({ length: operands }, (_, k) => `var off${k}: i32 = ${offsetsAt === null ? '0' : `bitcast<i32>(m[${offsetsAt + k}u])`};`).join('\n  ');
  const sums = Array.from({ length: operands }, (_, k) => `off${k} += c * bitcast<i32>(m[${shapeAt}u + ${k + 1}u * rank + d]);`).join('\n    ');
  return `
  let rank = m[1];
  ${decl}
  var rem = i;
  for (var k = 0u; k < rank; k++) {
    let d = rank - 1u - k;
    let extent = m[${shapeAt}u + d];
    let c = i32(rem % extent);
    rem = rem / extent;
    ${sums}
  }`;
}
