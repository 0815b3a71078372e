import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import {
  Storage, Tensor, add, exp, fill_, liveDeviceMemory, registerDeviceKernel, registerDeviceMemory, setBackend, sum, tensor,
  type DeviceTensorData, type TypedArray,
} from './helpers.js';

// A device backend as a GPU looks to the tensor package: values behind opaque handles, read back only
// asynchronously, freed explicitly. Its "memory" is a map of host arrays, so the test can watch it.
const heap = new Map<number, TypedArray>();
let nextHandle = 1;
const released: number[] = [];
registerDeviceMemory<number>('testdevice', {
  upload(data) {
    heap.set(nextHandle, data.slice());
    return nextHandle++;
  },
  async read(handle) {
    await Promise.resolve();
    return heap.get(handle)!.slice();
  },
  release(handle) {
    released.push(handle);
    heap.delete(handle);
  },
});
const memory = {
  upload: (data: TypedArray, dtype: DeviceTensorData['dtype']) => {
    heap.set(nextHandle, data);
    return Storage.device('testdevice', nextHandle++, dtype, data.length);
  },
  values: (t: DeviceTensorData) => heap.get(t.storage.handle as number)!,
};
registerDeviceKernel('testdevice', 'add', ([a, b], attrs) => {
  const [x, y] = [memory.values(a), memory.values(b)];
  if (x.length !== y.length) throw new Error('testdevice add: no broadcasting in this test backend');
  const out = new Float32Array(x.length).map((_, i) => x[i] + y[i]);
  return { storage: memory.upload(out, 'float32'), shape: attrs.shape as number[], dtype: 'float32' };
});

registerDeviceKernel('testdevice', 'fillInPlace', ([t], attrs) => {
  memory.values(t).fill(attrs.value as number);
  return t;
});

async function collectGarbage(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  // Finalizers run in tasks after a collection: give them a few turns.
  for (let i = 0; i < 5; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

describe('device storage', () => {
  afterEach(() => setBackend('cpu'));

  it('keeps a device kernel’s result on the device, readable with await read()', async () => {
    setBackend('testdevice');
    const y = add(tensor([1, 2, 3]), tensor([10, 20, 30]));
    expect(y.device).toBe('testdevice');
    expect(y.storage.isHost).toBe(false);
    expect([...(await y.read())]).toEqual([11, 22, 33]);
  });

  it('says how to read a tensor that cannot be read synchronously', () => {
    setBackend('testdevice');
    const y = add(tensor([1, 2]), tensor([3, 4]));
    expect(() => y.dataSync()).toThrow(/lives on 'testdevice'.*await tensor\.read\(\)/);
    expect(() => y.toArray()).toThrow(/testdevice/);
  });

  it('names the kernel whose cpu fallback would need a synchronous read', () => {
    setBackend('testdevice');
    const y = add(tensor([1, 2]), tensor([3, 4]));
    expect(() => exp(y)).toThrow(/^exp: .*testdevice/);
  });

  it('uploads host inputs once per kernel and shares storage between views', async () => {
    setBackend('testdevice');
    const y = add(tensor([[1, 2], [3, 4]]), tensor([[1, 1], [1, 1]]));
    const flat = y.reshape([4]);
    expect(flat.storage).toBe(y.storage);
    expect([...(await flat.read())]).toEqual([2, 3, 4, 5]);
    expect(y.detach().storage).toBe(y.storage);
  });

  it('moves the target of an in-place update onto the device, where it stays', async () => {
    const param = tensor([1, 2, 3]);
    setBackend('testdevice');
    fill_(param, 5);
    const storage = param.storage;
    expect(param.device).toBe('testdevice');
    fill_(param, 6);
    expect(param.storage).toBe(storage);
    expect([...(await param.read())]).toEqual([6, 6, 6]);
  });

  it('writes an in-place update where its kernel runs: a device without the kernel gets the values back', async () => {
    // A device that can read synchronously but has no in-place kernels: fill_ runs on cpu, so the target
    // must come to the host first (otherwise the cpu kernel would fill a temporary copy).
    registerDeviceMemory<TypedArray>('syncdevice', {
      upload: (data) => data.slice(),
      read: async (data) => data.slice(),
      // A read-back is a copy, as from any device: writing into it changes nothing on the device.
      readSync: (data) => data.slice(),
      release: () => undefined,
    });
    registerDeviceKernel('syncdevice', 'cast', ([x]) => x);
    setBackend('syncdevice');
    const t = new Tensor(Storage.device('syncdevice', Float32Array.from([1, 2, 3]), 'float32', 3), [3], 'float32');
    fill_(t, 7);
    expect(t.device).toBe('cpu');
    expect([...(await t.read())]).toEqual([7, 7, 7]);
  });

  it('leaves cpu tensors on the host', () => {
    const y = sum(tensor([1, 2, 3]));
    expect(y.device).toBe('cpu');
    expect(y.storage.isHost).toBe(true);
    expect(y.item()).toBe(6);
  });

  it('releases device memory when tensors are collected: live bytes stay flat over many steps', async () => {
    setBackend('testdevice');
    const w = add(tensor(new Float32Array(256)), tensor(new Float32Array(256)));
    await collectGarbage();
    const before = liveDeviceMemory('testdevice');
    for (let step = 0; step < 2000; step++) {
      let acc = w;
      for (let k = 0; k < 5; k++) acc = add(acc, w);
      if (step % 100 === 0) await acc.read(); // the asynchronous point every GPU loop has
    }
    await collectGarbage();
    const after = liveDeviceMemory('testdevice');
    expect(released.length).toBeGreaterThan(10_000);
    // Bounded: what is left is the last few steps' garbage at most, not 2000 steps of it.
    expect(after.allocations - before.allocations).toBeLessThan(200);
    expect(heap.size).toBeLessThan(before.allocations + 200);
  });
});
