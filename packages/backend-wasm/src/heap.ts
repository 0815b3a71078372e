import { PAGE_BYTES } from './wasm-module.js';

/** What the heap needs of a WebAssembly memory: its buffer and `grow` (pages of 64 KiB). */
export interface GrowableMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

/** One free span: `size` bytes from byte offset `ptr`. */
interface Span {
  ptr: number;
  size: number;
}

const ALIGN = 16;

function align16(n: number): number {
  return (n + ALIGN - 1) & ~(ALIGN - 1);
}

/**
 * A first-fit allocator over the part of a WebAssembly memory from `start` to its end: a free list kept
 * sorted by address, neighbours coalesced on free, and the memory grown when no free span fits (the last
 * span, if it reaches the end, grows with it). Blocks are 16-byte aligned, so SIMD loads stay aligned. The
 * bookkeeping lives in JavaScript (a sorted array and a map), not in the memory, so a kernel writing past
 * its block cannot corrupt the allocator and worker threads sharing the memory never see it.
 *
 * The tensors kept resident (parameters, optimizer state) and the scratch arena of each kernel call both
 * take their blocks from here.
 */
export class Heap {
  private readonly free: Span[] = [];
  private readonly used = new Map<number, number>();
  private end: number;
  private inUse = 0;

  constructor(private readonly memory: GrowableMemory, start: number) {
    const first = align16(start);
    this.end = memory.buffer.byteLength;
    if (this.end > first) this.free.push({ ptr: first, size: this.end - first });
    else this.end = first;
  }

  /**
   * Reserves `bytes` (rounded up to 16) and returns the block's byte offset. Grows the memory when no free
   * span fits; throws the RangeError of `WebAssembly.Memory.grow` when it cannot grow that far (the heap is
   * left as it was).
   */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, align16(bytes));
    for (let i = 0; i < this.free.length; i++) {
      const span = this.free[i];
      if (span.size < size) continue;
      const ptr = span.ptr;
      if (span.size === size) this.free.splice(i, 1);
      else {
        span.ptr += size;
        span.size -= size;
      }
      return this.take(ptr, size);
    }
    // Nothing fits: grow, extending the last span when it reaches the end of the memory.
    const last = this.free.at(-1);
    const tail = last && last.ptr + last.size === this.end ? last : null;
    const ptr = tail ? tail.ptr : this.end;
    const need = ptr + size - this.end;
    const pages = Math.ceil(need / PAGE_BYTES);
    this.memory.grow(pages);
    const grownEnd = this.end + pages * PAGE_BYTES;
    if (tail) this.free.pop();
    if (grownEnd > ptr + size) this.free.push({ ptr: ptr + size, size: grownEnd - ptr - size });
    this.end = grownEnd;
    return this.take(ptr, size);
  }

  /** Returns the block at `ptr` (from `alloc`) to the free list, merged with free neighbours. */
  release(ptr: number): void {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`backend-wasm heap: no block at ${ptr} to release`);
    this.used.delete(ptr);
    this.inUse -= size;
    // Binary search for the first free span after the block.
    let lo = 0;
    let hi = this.free.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.free[mid].ptr < ptr) lo = mid + 1;
      else hi = mid;
    }
    const before = lo > 0 ? this.free[lo - 1] : null;
    const after = lo < this.free.length ? this.free[lo] : null;
    const joinsBefore = before !== null && before.ptr + before.size === ptr;
    const joinsAfter = after !== null && ptr + size === after.ptr;
    if (joinsBefore && joinsAfter) {
      before.size += size + after.size;
      this.free.splice(lo, 1);
    } else if (joinsBefore) before.size += size;
    else if (joinsAfter) {
      after.ptr = ptr;
      after.size += size;
    } else this.free.splice(lo, 0, { ptr, size });
  }

  /** The size in bytes of the block at `ptr` (its request rounded up to 16). */
  sizeOf(ptr: number): number {
    const size = this.used.get(ptr);
    if (size === undefined) throw new Error(`backend-wasm heap: no block at ${ptr}`);
    return size;
  }

  /** Bytes in blocks that are allocated now. */
  get bytesInUse(): number {
    return this.inUse;
  }

  /** The free spans, lowest address first (for tests and diagnostics). */
  freeSpans(): Span[] {
    return this.free.map((s) => ({ ...s }));
  }

  private take(ptr: number, size: number): number {
    this.used.set(ptr, size);
    this.inUse += size;
    return ptr;
  }
}
