import { Storage, type DeviceMemory, type DType, type KernelInput, type TensorData, type TypedArray } from '@backprop/tensor';
import type { Arena, ResultHolder } from './arena.js';

/** The name the backend is registered under: `setBackend(WASM_BACKEND)` switches back to it. */
export const WASM_BACKEND = 'wasm';

/** The default of `WasmBackendOptions.maxResidentBytes`: 512 MiB. */
export const DEFAULT_MAX_RESIDENT_BYTES = 512 * 1024 * 1024;

/**
 * One resident tensor's block in the heap: the handle its `Storage` holds. `ptr` changes only when the
 * kernels are reloaded (new thread count or build), which moves every live block into the new memory.
 */
export interface ResidentBlock {
  ptr: number;
  /** float32 values in the block. */
  readonly size: number;
}

// The in-place kernels whose host targets move into the heap: the optimizer steps (their targets are
// parameters and optimizer state, which live for the whole training) and fill_ (zeroGrad without
// setToNone, initializers). Gradient accumulation, BPTT slice sums and copy_ also run on per-step
// temporaries, which a synchronous loop would leave in the heap until the garbage collector's finalizers
// run between tasks; they write into a resident target in place but leave a host one on the host.
const ADOPTING = new Set([
  'sgdStep', 'adamStep', 'rmspropStep', 'adagradStep', 'adadeltaStep', 'nadamStep', 'radamStep', 'adamaxStep',
  'sparseAdamStep', 'fillInPlace',
]);

/**
 * The `DeviceMemory` of the wasm backend: float32 tensors kept resident in the kernels' WebAssembly heap
 * (see DeviceMemory.uploadsInputs: kernels read host inputs as they are, so only in-place targets move in).
 * Uploads past `maxBytes` of live resident blocks, of other dtypes, or that the memory cannot grow for are
 * declined, and the tensor stays on the host.
 */
export class ResidentMemory implements DeviceMemory<ResidentBlock> {
  readonly uploadsInputs = false;
  private readonly blocks = new Set<ResidentBlock>();
  private bytes = 0;

  constructor(
    private arena: Arena,
    /** The budget for live resident blocks, in bytes. */
    public maxBytes = DEFAULT_MAX_RESIDENT_BYTES,
  ) {}

  adopts(kernel: string): boolean {
    return ADOPTING.has(kernel);
  }

  upload(data: TypedArray, dtype: DType): ResidentBlock | null {
    if (dtype !== 'float32' || !(data instanceof Float32Array)) return null;
    const block = this.allocate(data.length);
    if (block) this.arena.f32().set(data, block.ptr >> 2);
    return block;
  }

  readSync(block: ResidentBlock): Float32Array {
    // A copy: a view would be detached when the memory grows, and would change with the next step.
    return this.view(block).slice();
  }

  read(block: ResidentBlock): Promise<Float32Array> {
    return Promise.resolve(this.readSync(block));
  }

  /**
   * Runs `run` with the kernels' float32 results kept in the heap as device storage (see
   * DeviceMemory.holdResults): each kernel reserves its output block (`Arena.output`), writes its result
   * there and hands it over as the result's storage. Results past the budget or that the memory cannot grow
   * for stay on the host; a block reserved by a call that failed midway goes back when `run` ends.
   */
  holdResults<T>(run: () => T): T {
    const arena = this.arena;
    const previous = arena.holder;
    const reserved = new Map<number, ResidentBlock>();
    const holder: ResultHolder = {
      reserve: (count) => {
        const block = this.allocate(count);
        if (block) reserved.set(block.ptr, block);
        return block ? block.ptr : null;
      },
      keep: (ptr) => {
        const block = reserved.get(ptr);
        if (!block) return null;
        reserved.delete(ptr);
        return Storage.owned(WASM_BACKEND, block, 'float32', block.size);
      },
    };
    arena.holder = holder;
    try {
      return run();
    } finally {
      for (const block of reserved.values()) this.release(block);
      arena.holder = previous;
    }
  }

  /** A new block for `count` float32 values within the budget, or null (over budget, or the memory cannot grow). */
  private allocate(count: number): ResidentBlock | null {
    if (count === 0 || this.bytes + count * 4 > this.maxBytes) return null;
    let ptr: number;
    try {
      ptr = this.arena.heap.alloc(count * 4);
    } catch (err) {
      if (err instanceof RangeError) return null;
      throw err;
    }
    const block = { ptr, size: count };
    this.blocks.add(block);
    this.bytes += this.arena.heap.sizeOf(ptr);
    return block;
  }

  release(block: ResidentBlock): void {
    if (!this.blocks.delete(block)) return;
    this.bytes -= this.arena.heap.sizeOf(block.ptr);
    this.arena.heap.release(block.ptr);
  }

  /** Bytes of live resident blocks. */
  get residentBytes(): number {
    return this.bytes;
  }

  /** The heap's current buffer (replaced when the memory grows, unless it is shared). */
  get buffer(): ArrayBufferLike {
    return this.arena.f32().buffer;
  }

  /** A float32 view of `block` in the current memory: valid until the memory next grows. */
  view(block: ResidentBlock): Float32Array {
    return this.arena.f32().subarray(block.ptr >> 2, (block.ptr >> 2) + block.size);
  }

  /**
   * Moves every live block into `arena`'s heap (the kernels were reloaded over a new memory), so tensors
   * resident in the old one keep their values.
   */
  moveTo(arena: Arena): void {
    const old = this.arena;
    this.arena = arena;
    this.bytes = 0;
    for (const block of this.blocks) {
      const values = old.f32().subarray(block.ptr >> 2, (block.ptr >> 2) + block.size);
      block.ptr = arena.heap.alloc(block.size * 4);
      arena.f32().set(values, block.ptr >> 2);
      this.bytes += arena.heap.sizeOf(block.ptr);
    }
  }
}

/** The heap block of `t` when it is resident in the wasm heap, else null. */
export function residentBlock(t: TensorData): ResidentBlock | null {
  const storage = (t as KernelInput).storage;
  return storage !== undefined && storage.backend === WASM_BACKEND && !storage.isHost ? (storage.handle as ResidentBlock) : null;
}

/** Whether `t` is float32 in a form the kernels read: resident, or a host Float32Array (checked without a read-back). */
export function isFloat32(t: TensorData): boolean {
  if (t.dtype !== 'float32') return false;
  const storage = (t as KernelInput).storage;
  if (storage === undefined) return t.data instanceof Float32Array;
  return storage.isHost ? storage.hostData instanceof Float32Array : storage.backend === WASM_BACKEND;
}

/** The number of elements of `t`, without reading its values. */
export function elementsOf(t: TensorData): number {
  let n = 1;
  for (const d of t.shape) n *= d;
  return n;
}
