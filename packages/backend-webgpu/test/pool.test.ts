import { describe, expect, it } from 'vitest';
import { BufferPool, bucketBytes } from '../src/pool.js';

/** A device whose buffers are plain objects, so the pool's bookkeeping can be watched exactly. */
function fakeDevice(): { device: GPUDevice; destroyed: number[] } {
  const destroyed: number[] = [];
  let id = 0;
  const device = {
    createBuffer: ({ size }: { size: number }) => {
      const n = id++;
      return { size, id: n, destroy: () => destroyed.push(n) };
    },
  } as unknown as GPUDevice;
  return { device, destroyed };
}

describe('BufferPool', () => {
  it('rounds sizes up to 16 bytes', () => {
    expect([0, 1, 16, 17, 100].map(bucketBytes)).toEqual([16, 16, 16, 32, 112]);
  });

  it('hands released buffers out again by size, so a repeating loop creates nothing after its first pass', () => {
    const { device } = fakeDevice();
    const pool = new BufferPool(device, 0, 1 << 20);
    const sizes = [400, 4, 400, 128];
    const first = sizes.map((s) => pool.acquire(s));
    first.forEach((b) => pool.release(b));
    for (let step = 0; step < 100; step++) {
      const held = sizes.map((s) => pool.acquire(s));
      expect(new Set(held.map((b) => b.size))).toEqual(new Set(first.map((b) => b.size)));
      held.forEach((b) => pool.release(b));
    }
    expect(pool.stats()).toEqual({ created: 4, inUse: 0, pooled: 4, pooledBytes: 400 + 400 + 16 + 128 });
  });

  it('destroys a buffer it did not create (one of an earlier device) instead of pooling it', () => {
    const pool = new BufferPool(fakeDevice().device, 0, 1 << 20);
    const earlier = fakeDevice();
    const other = new BufferPool(earlier.device, 0, 1 << 20).acquire(64);
    pool.release(other);
    expect(earlier.destroyed).toEqual([0]);
    expect(pool.stats()).toEqual({ created: 0, inUse: 0, pooled: 0, pooledBytes: 0 });
  });

  it('destroys what is released past its cap', () => {
    const { device, destroyed } = fakeDevice();
    const pool = new BufferPool(device, 0, 64);
    const held = [pool.acquire(32), pool.acquire(32), pool.acquire(32)];
    held.forEach((b) => pool.release(b));
    expect(destroyed).toEqual([2]);
    expect(pool.stats()).toEqual({ created: 3, inUse: 0, pooled: 2, pooledBytes: 64 });
    pool.clear();
    expect(destroyed.sort()).toEqual([0, 1, 2]);
  });
});
