import { describe, expect, it } from 'vitest';
import { Heap } from '../src/heap.js';

const PAGE = 65536;

function heapOf(pages: number, maximum = 8, start = 100): { heap: Heap; memory: WebAssembly.Memory } {
  const memory = new WebAssembly.Memory({ initial: pages, maximum });
  return { heap: new Heap(memory, start), memory };
}

describe('the wasm heap allocator', () => {
  it('hands out 16-byte aligned, disjoint blocks above its start', () => {
    const { heap } = heapOf(1);
    const a = heap.alloc(1);
    const b = heap.alloc(33);
    const c = heap.alloc(16);
    expect([a, b, c]).toEqual([112, 128, 176]);
    expect([heap.sizeOf(a), heap.sizeOf(b), heap.sizeOf(c)]).toEqual([16, 48, 16]);
    expect(heap.bytesInUse).toBe(80);
  });

  it('reuses freed blocks first-fit and coalesces free neighbours on both sides', () => {
    const { heap } = heapOf(1, 8, 0);
    const [a, b, c, d] = [heap.alloc(64), heap.alloc(64), heap.alloc(64), heap.alloc(64)];
    heap.release(a);
    heap.release(c);
    expect(heap.freeSpans()).toEqual([{ ptr: a, size: 64 }, { ptr: c, size: 64 }, { ptr: d + 64, size: PAGE - d - 64 }]);
    // b between two free spans: all three merge into one.
    heap.release(b);
    expect(heap.freeSpans()).toEqual([{ ptr: a, size: 192 }, { ptr: d + 64, size: PAGE - d - 64 }]);
    expect(heap.alloc(128)).toBe(a);
    // Freeing d joins the span before it and the tail span after it.
    heap.release(d);
    expect(heap.freeSpans()).toEqual([{ ptr: a + 128, size: PAGE - a - 128 }]);
    expect(heap.bytesInUse).toBe(128);
  });

  it('grows the memory when nothing fits, extending the free span at its end', () => {
    const { heap, memory } = heapOf(1, 8, 0);
    const a = heap.alloc(PAGE - 1024);
    const b = heap.alloc(4096);
    // The 1024 free bytes at the end were extended by one page rather than left behind.
    expect(b).toBe(a + PAGE - 1024);
    expect(memory.buffer.byteLength).toBe(2 * PAGE);
    expect(heap.freeSpans()).toEqual([{ ptr: b + 4096, size: 2 * PAGE - b - 4096 }]);
    const big = heap.alloc(3 * PAGE);
    expect(memory.buffer.byteLength).toBe(5 * PAGE);
    heap.release(big);
    heap.release(a);
    heap.release(b);
    expect(heap.freeSpans()).toEqual([{ ptr: 0, size: 5 * PAGE }]);
    expect(heap.bytesInUse).toBe(0);
  });

  it('throws the RangeError of a memory that cannot grow, and is unchanged after it', () => {
    const { heap, memory } = heapOf(1, 2, 0);
    const a = heap.alloc(1000);
    expect(() => heap.alloc(4 * PAGE)).toThrow(RangeError);
    expect(memory.buffer.byteLength).toBe(PAGE);
    expect(heap.freeSpans()).toEqual([{ ptr: a + 1008, size: PAGE - 1008 }]);
    expect(heap.alloc(16)).toBe(a + 1008);
  });

  it('refuses to release a block it did not hand out', () => {
    const { heap } = heapOf(1);
    expect(() => heap.release(4096)).toThrow(/no block at 4096/);
  });

  it('stays bounded under a churn of mixed sizes: freeing everything leaves one span', () => {
    const { heap, memory } = heapOf(1, 64, 0);
    const live: number[] = [];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    for (let i = 0; i < 2000; i++) {
      if (live.length > 20 || (live.length > 0 && next() % 3 === 0)) heap.release(live.splice(next() % live.length, 1)[0]);
      else live.push(heap.alloc(16 + (next() % 8192)));
    }
    for (const p of live) heap.release(p);
    expect(heap.freeSpans()).toEqual([{ ptr: 0, size: memory.buffer.byteLength }]);
    // 21 blocks of under 8 KiB never need more than a few pages, however they fragment.
    expect(memory.buffer.byteLength).toBeLessThanOrEqual(8 * PAGE);
  });
});
