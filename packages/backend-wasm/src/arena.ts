import { Tensor, type Storage, type TensorData } from '@backprop/tensor';
import { Heap } from './heap.js';
import { residentBlock } from './resident.js';
import { PAGE_BYTES, type KernelModule } from './wasm-module.js';

/**
 * What turns kernel results into device storage while results are held (ResidentMemory.holdResults):
 * blocks of the heap that outlive the call, instead of arena space copied out to the host.
 */
export interface ResultHolder {
  /** A block for `count` float32 values that outlives the call (a result written in place), or null to decline. */
  reserve(count: number): number | null;
  /** The device storage of the block `reserve` gave at `ptr`, or null for arena space (a declined reserve). */
  keep(ptr: number): Storage | null;
}

/** Bytes of the control block each GEMM worker thread gets (32 int32 slots). */
export const CONTROL_BYTES = 128;

/**
 * The scratch arena in WebAssembly memory that kernels copy their host inputs into and their results out
 * of. It is one block of the heap (`Heap`, shared with the tensors kept resident), bump-allocated and
 * reset at the start of every kernel call. A call that needs more takes extra blocks from the heap; the
 * next reset returns them and replaces the arena's block with one as large as that call's need, so the
 * arena grows to the largest single call's need (its high-water mark) and is reused from then on: it never
 * grows with the number of calls, and it is resized only between calls, when no kernel holds a pointer.
 * (WebAssembly memory cannot shrink, so one huge call keeps its pages; later calls reuse them.)
 *
 * Below the heap sit fixed regions: one GEMM packing scratch per thread and one control block per worker
 * thread.
 */
export class Arena {
  /** Byte offsets of the GEMM packing scratch of each thread (16-byte aligned); [0] is the main thread's. */
  readonly gemmScratch: number[];
  /** Byte offset of the worker control blocks (CONTROL_BYTES each). */
  readonly control: number;
  /** The allocator of everything above the fixed regions: the arena's block and the resident tensors. */
  readonly heap: Heap;
  private block = 0;
  private capacity = 0;
  private top = 0;
  private limit = 0;
  /** Blocks taken from the heap because the current call outgrew the arena's own. */
  private overflow: number[] = [];
  /** Bytes the current call has reserved. */
  private used = 0;
  private view: Float32Array;
  /** Set while kernel results are held in the heap (see ResultHolder). */
  holder: ResultHolder | null = null;

  constructor(private readonly module: KernelModule, threads = 1) {
    const scratchBytes = align16(module.exports.gemmScratchBytes());
    const first = align16(module.exports.heapBase());
    this.gemmScratch = Array.from({ length: threads }, (_, t) => first + t * scratchBytes);
    this.control = first + threads * scratchBytes;
    const start = this.control + threads * CONTROL_BYTES;
    // The fixed regions must exist before anyone (a worker thread) touches them.
    const have = module.memory.buffer.byteLength;
    if (start > have) module.memory.grow(Math.ceil((start - have) / PAGE_BYTES));
    this.heap = new Heap(module.memory, start);
    this.view = new Float32Array(module.memory.buffer);
    this.reset();
  }

  /** Frees every allocation: call at the start of each kernel. */
  reset(): void {
    if (this.overflow.length > 0) {
      const need = this.used;
      for (const ptr of this.overflow) this.heap.release(ptr);
      this.overflow = [];
      if (this.capacity > 0) this.heap.release(this.block);
      this.block = 0;
      this.capacity = 0;
      // If this throws (the memory cannot grow), the arena is left empty and the next call overflows again.
      this.block = this.heap.alloc(need);
      this.capacity = need;
    }
    this.top = this.block;
    this.limit = this.block + this.capacity;
    this.used = 0;
  }

  /**
   * Reserves `count` float32 values (16-byte aligned, so vector loads stay aligned) and returns their byte
   * offset, growing the memory if needed. Growing replaces the buffer: take views with `f32()` afterwards.
   * Throws a RangeError if the memory cannot grow that far.
   */
  alloc(count: number): number {
    const bytes = align16(count * 4);
    if (this.top + bytes > this.limit) {
      const chunk = this.heap.alloc(bytes);
      this.overflow.push(chunk);
      this.top = chunk;
      this.limit = chunk + this.heap.sizeOf(chunk);
    }
    const ptr = this.top;
    this.top += bytes;
    this.used += bytes;
    return ptr;
  }

  /**
   * The byte offset of `t`'s float32 values for a kernel: a resident tensor's own block (no copy), or a
   * copy of a host array in this call's arena.
   */
  input(t: TensorData): number {
    const block = residentBlock(t);
    return block ? block.ptr : this.put(t.data as Float32Array);
  }

  /** A float32 view of the whole memory (refreshed when growth replaced the buffer). */
  f32(): Float32Array {
    const buffer = this.module.memory.buffer;
    if (this.view.buffer !== buffer || this.view.length * 4 !== buffer.byteLength) this.view = new Float32Array(buffer);
    return this.view;
  }

  /** Copies `data` into a fresh allocation and returns its byte offset. */
  put(data: Float32Array): number {
    const ptr = this.alloc(data.length);
    this.f32().set(data, ptr >> 2);
    return ptr;
  }

  /**
   * Reserves the block a kernel writes its float32 result into: arena space, or, while results are held, a
   * heap block that becomes the result's device storage without a copy (see `result`).
   */
  output(count: number): number {
    return this.holder?.reserve(count) ?? this.alloc(count);
  }

  /**
   * The float32 result of `count` values at `ptr` (from `output`) with `shape`: device storage in the heap
   * where `output` reserved a held block, else a copy in a new host array.
   */
  result(ptr: number, count: number, shape: readonly number[]): TensorData {
    const storage = this.holder?.keep(ptr) ?? null;
    if (storage) return new Tensor(storage, shape, 'float32');
    return { data: this.take(ptr, count), shape, dtype: 'float32' };
  }

  /** A new JS Float32Array holding a copy of `count` values at `ptr` (the result handed to the tensor). */
  take(ptr: number, count: number): Float32Array {
    return this.f32().slice(ptr >> 2, (ptr >> 2) + count);
  }

  /** Like `take`, for int32 results (index kernels): a copy, in an ordinary (never shared) buffer. */
  takeInt32(ptr: number, count: number): Int32Array {
    return new Int32Array(this.module.memory.buffer, ptr, count).slice();
  }

  /** Current size of the WebAssembly memory in bytes. */
  get memoryBytes(): number {
    return this.module.memory.buffer.byteLength;
  }
}

function align16(n: number): number {
  return (n + 15) & ~15;
}
