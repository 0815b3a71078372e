import { afterEach, describe, expect, it } from 'vitest';
import {
  Storage, Tensor, add, addInPlace_, fill_, registerDeviceMemory, registerKernel, runKernel, setBackend, tensor,
  type KernelInput, type TensorData, type TypedArray,
} from './helpers.js';

// A backend as a wasm heap looks to the tensor package: its kernels read host arrays and its own
// storage alike (uploadsInputs: false), it adopts only the targets of some in-place kernels, and it
// declines uploads once its budget is spent.
const heap = new Map<number, Float32Array>();
let nextHandle = 1;
let budget = Infinity;
const seen: Storage[][] = [];
registerDeviceMemory<number>('heapdevice', {
  uploadsInputs: false,
  adopts: (kernel) => kernel === 'fillInPlace',
  upload(data) {
    if (heap.size >= budget) return null;
    heap.set(nextHandle, Float32Array.from(data));
    return nextHandle++;
  },
  read: async (handle) => heap.get(handle)!.slice(),
  readSync: (handle) => heap.get(handle)!.slice(),
  release: (handle) => heap.delete(handle),
});
const values = (t: KernelInput): TypedArray => (t.storage && !t.storage.isHost ? heap.get(t.storage.handle as number)! : t.data);
registerKernel('heapdevice', 'add', (inputs, attrs) => {
  seen.push(inputs.map((t) => (t as KernelInput).storage!));
  const [x, y] = inputs.map((t) => values(t));
  return { data: Float32Array.from(x, (v, i) => v + y[i]), shape: attrs.shape as number[], dtype: 'float32' };
});
registerKernel('heapdevice', 'fillInPlace', ([t], attrs) => {
  values(t).fill(attrs.value as number);
  return t;
});
registerKernel('heapdevice', 'addInPlace', ([t, src]) => {
  const a = values(t);
  const b = values(src);
  for (let i = 0; i < a.length; i++) a[i] += b[i];
  return t as TensorData;
});

describe('a device memory whose kernels read host inputs (uploadsInputs: false)', () => {
  afterEach(() => {
    setBackend('cpu');
    budget = Infinity;
  });

  it('passes inputs as they are and keeps ordinary results on the host', () => {
    setBackend('heapdevice');
    const resident = fill_(tensor([0, 0]), 3);
    const host = tensor([1, 2]);
    const y = add(resident, host);
    expect(seen.at(-1)!.map((s) => s.backend)).toEqual(['heapdevice', 'cpu']);
    expect(y.device).toBe('cpu');
    expect([...y.dataSync()]).toEqual([4, 5]);
  });

  it('moves in only the targets of the kernels it adopts; a resident target stays resident', () => {
    setBackend('heapdevice');
    const scratch = addInPlace_(tensor([1, 1]), tensor([2, 3]));
    expect(scratch.device).toBe('cpu');
    expect([...scratch.dataSync()]).toEqual([3, 4]);
    const state = fill_(tensor([0, 0]), 1);
    expect(state.device).toBe('heapdevice');
    addInPlace_(state, tensor([2, 3]));
    expect(state.device).toBe('heapdevice');
    expect([...state.dataSync()]).toEqual([3, 4]);
  });

  it('leaves a target on the host when the upload is declined', () => {
    setBackend('heapdevice');
    budget = heap.size;
    const t = fill_(tensor([5, 5]), 2);
    expect(t.device).toBe('cpu');
    expect([...t.dataSync()]).toEqual([2, 2]);
  });

  it('runKernel refuses a declined upload for a backend whose kernels read only device memory', () => {
    registerDeviceMemory<number>('strictdevice', {
      upload: () => null,
      read: async () => new Float32Array(0),
      release: () => {},
    });
    registerKernel('strictdevice', 'add', () => {
      throw new Error('not reached');
    });
    setBackend('strictdevice');
    const x = new Tensor(new Float32Array([1]), [1], 'float32');
    expect(() => runKernel('add', [x, x], { shape: [1], dtype: 'float32' })).toThrow(/declined to upload an input/);
  });
});
