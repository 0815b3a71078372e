import { afterEach, describe, expect, it } from 'vitest';
import {
  Storage, add, compile, exp, liveDeviceMemory, mul, randn, registerDeviceMemory, registerKernel, runCpuKernel, setBackend, sum,
  Generator, type Tensor, type TensorData, type TypedArray,
} from './helpers.js';

// A wasm-like memory (kernels read host arrays and its blocks alike) that can hold kernel results: while
// `holdResults` runs, its kernels return device storage instead of host arrays. The test watches which
// results a compiled replay holds, that each is released, and that what it returns stays on the host.
const blocks = new Map<number, TypedArray>();
let nextHandle = 1;
let holding = 0;
let peak = 0;
/** Makes the device's `add` kernel throw, as a kernel that runs out of memory midway would. */
let failAdd = false;
registerDeviceMemory<number>('holddevice', {
  upload(data) {
    blocks.set(nextHandle, data.slice());
    return nextHandle++;
  },
  read: async (handle) => blocks.get(handle)!.slice(),
  readSync: (handle) => blocks.get(handle)!,
  release(handle) {
    if (!blocks.delete(handle)) throw new Error(`released ${handle} twice`);
  },
  uploadsInputs: false,
  holdResults<T>(run: () => T): T {
    holding++;
    try {
      return run();
    } finally {
      holding--;
    }
  },
});
const hostOf = (t: TensorData & { storage?: Storage }): TensorData =>
  t.storage && !t.storage.isHost ? { data: blocks.get(t.storage.handle as number)!, shape: t.shape, dtype: t.dtype } : t;
for (const name of ['mul', 'exp', 'add']) {
  registerKernel('holddevice', name, (inputs, attrs) => {
    if (failAdd && name === 'add') throw new RangeError('holddevice: out of memory');
    const result = runCpuKernel(name, inputs.map(hostOf), attrs);
    if (holding === 0) return result;
    blocks.set(nextHandle, result.data);
    peak = Math.max(peak, blocks.size);
    return { storage: Storage.owned('holddevice', nextHandle++, result.dtype, result.data.length), shape: result.shape, dtype: result.dtype } as unknown as TensorData;
  });
}

// a and b are used only inside; c is returned; e is read in part (a chunk), so it is never held.
function fn(x: Tensor): Tensor[] {
  const a = mul(x, x);
  const b = exp(a);
  const c = add(b, x);
  const e = add(a, a);
  const [half] = e.chunk(2);
  return [c, sum(half)];
}

describe('compile: results held in device memory', () => {
  afterEach(() => setBackend('cpu'));

  it('holds the intermediates used only inside, releases each by the end of the replay, and returns host values', () => {
    setBackend('holddevice');
    const f = compile(fn);
    for (let i = 0; i < 3; i++) {
      const x = randn([4, 3], { generator: new Generator(i) });
      const before = liveDeviceMemory('holddevice');
      peak = 0;
      const got = f(x);
      expect(liveDeviceMemory('holddevice')).toEqual(before);
      const want = fn(x);
      got.forEach((t, k) => {
        expect(t.storage.isHost).toBe(true);
        expect(t.dataSync()).toEqual(want[k].dataSync());
      });
      if (i > 0) {
        expect(f.lastCall).toBe('replayed');
        // a and b at most, at once: exp's input is gone only after a's last use (e = a + a).
        expect(peak).toBe(2);
      }
    }
    expect(f.plan!.heldResults).toBe(2);
  });

  it('gives back what it holds when a kernel throws midway', () => {
    setBackend('holddevice');
    const f = compile(fn);
    const x = randn([4, 3], { generator: new Generator(4) });
    f(x);
    const before = liveDeviceMemory('holddevice');
    peak = 0;
    failAdd = true;
    try {
      expect(() => f(x)).toThrow(/out of memory/);
    } finally {
      failAdd = false;
    }
    // a and b were held when c = b + x threw.
    expect(peak).toBe(2);
    expect(liveDeviceMemory('holddevice')).toEqual(before);
    expect(f(x)[0].dataSync()).toEqual(fn(x)[0].dataSync());
  });

  it('holds nothing on a backend whose memory cannot hold results', () => {
    const f = compile(fn);
    const x = randn([4, 3], { generator: new Generator(5) });
    f(x);
    expect(f(x)[0].dataSync()).toEqual(fn(x)[0].dataSync());
    expect(f.plan!.heldResults).toBe(0);
  });
});
