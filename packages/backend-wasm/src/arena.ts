import { PAGE_BYTES, type KernelModule } from './wasm-module.js';

/** Bytes of the control block each GEMM worker thread gets (16 int32 slots). */
export const CONTROL_BYTES = 64;

/**
 * The scratch arena in WebAssembly memory that kernels copy their inputs into and their results out of.
 * Tensors stay garbage-collected JS typed arrays; only the arena lives in wasm memory. It is a bump
 * allocator reset at the start of every kernel call, so the memory grows to the largest single call's
 * need (its high-water mark) and is reused from then on: it never grows with the number of calls.
 * (WebAssembly memory cannot shrink, so one huge call keeps its pages; later calls reuse them.)
 *
 * Below the bump area sit fixed regions: one GEMM packing scratch per thread and one control block per
 * worker thread.
 */
export class Arena {
  /** Byte offsets of the GEMM packing scratch of each thread (16-byte aligned); [0] is the main thread's. */
  readonly gemmScratch: number[];
  /** Byte offset of the worker control blocks (CONTROL_BYTES each). */
  readonly control: number;
  private readonly start: number;
  private top = 0;
  private view: Float32Array;

  constructor(private readonly module: KernelModule, threads = 1) {
    const scratchBytes = align16(module.exports.gemmScratchBytes());
    const first = align16(module.exports.heapBase());
    this.gemmScratch = Array.from({ length: threads }, (_, t) => first + t * scratchBytes);
    this.control = first + threads * scratchBytes;
    this.start = this.control + threads * CONTROL_BYTES;
    this.view = new Float32Array(module.memory.buffer);
    this.reset();
    this.alloc(0);
  }

  /** Frees every allocation: call at the start of each kernel. */
  reset(): void {
    this.top = this.start;
  }

  /**
   * Reserves `count` float32 values (16-byte aligned, so vector loads stay aligned) and returns their byte
   * offset, growing the memory if needed. Growing replaces the buffer: take views with `f32()` afterwards.
   * Throws a RangeError if the memory cannot grow that far.
   */
  alloc(count: number): number {
    const ptr = this.top;
    this.top = align16(ptr + count * 4);
    const have = this.module.memory.buffer.byteLength;
    if (this.top > have) this.module.memory.grow(Math.ceil((this.top - have) / PAGE_BYTES));
    return ptr;
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
