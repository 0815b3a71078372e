import { afterEach, describe, expect, it } from 'vitest';
import {
  Storage, add, awaitUnscoped, beginDeviceScope, endDeviceScope, exp, fill_, liveDeviceMemory, registerDeviceKernel, registerDeviceMemory, setBackend,
  tensor, withDeviceScope, type DeviceTensorData, type TypedArray,
} from './helpers.js';

// A GPU-like device as in device-storage.test.ts: values behind handles, freed explicitly, so the test sees
// exactly which allocations a scope gives back.
const heap = new Map<number, TypedArray>();
let nextHandle = 1;
const released: number[] = [];
registerDeviceMemory<number>('scopedevice', {
  upload(data) {
    heap.set(nextHandle, data.slice());
    return nextHandle++;
  },
  async read(handle) {
    return heap.get(handle)!.slice();
  },
  release(handle) {
    released.push(handle);
    heap.delete(handle);
  },
});
const values = (t: DeviceTensorData): TypedArray => heap.get(t.storage.handle as number)!;
registerDeviceKernel('scopedevice', 'add', ([a, b], attrs) => {
  const [x, y] = [values(a), values(b)];
  heap.set(nextHandle, new Float32Array(x.length).map((_, i) => x[i] + y[i]));
  return { storage: Storage.device('scopedevice', nextHandle++, 'float32', x.length), shape: attrs.shape as number[], dtype: 'float32' };
});
registerDeviceKernel('scopedevice', 'fillInPlace', ([t], attrs) => {
  values(t).fill(attrs.value as number);
  return t;
});

// A wasm-like memory: kernels read host arrays and its own blocks alike, so scopes leave it alone.
registerDeviceMemory<TypedArray>('heapdevice', {
  upload: (data) => data.slice(),
  read: async (data) => data.slice(),
  readSync: (data) => data,
  release: () => undefined,
  uploadsInputs: false,
});

const handleOf = (t: { storage: Storage }): number => t.storage.handle as number;

describe('device scopes', () => {
  afterEach(() => setBackend('cpu'));

  it('call a keep function only when the scope recorded an allocation, and keep what it returns', () => {
    let calls = 0;
    const hostScope = beginDeviceScope();
    add(tensor([1, 2]), tensor([3, 4])); // on cpu: nothing is recorded
    expect(endDeviceScope(hostScope, () => void calls++)).toEqual({ released: 0, kept: [] });
    expect(calls).toBe(0);
    setBackend('scopedevice');
    const scope = beginDeviceScope();
    const a = add(tensor([1, 2]), tensor([3, 4]));
    const end = endDeviceScope(scope, () => {
      calls++;
      return [a];
    });
    expect(calls).toBe(1);
    // a's two uploaded inputs go back; a is kept.
    expect(end).toEqual({ released: 2, kept: [a.storage] });
    expect(a.storage.released).toBe(false);
  });

  it('release what the scope made at its end, and keep what the caller keeps (views included)', async () => {
    setBackend('scopedevice');
    const before = liveDeviceMemory('scopedevice');
    const scope = beginDeviceScope();
    const a = add(tensor([1, 2, 3, 4]), tensor([1, 1, 1, 1]));
    const b = add(a, a);
    const c = add(b, a);
    const view = c.reshape([2, 2]);
    // a's two uploaded inputs, a, b and c: all but c's go back.
    expect(endDeviceScope(scope, [view])).toEqual({ released: 4, kept: [c.storage] });
    expect(a.storage.released).toBe(true);
    expect(b.storage.released).toBe(true);
    expect(c.storage.released).toBe(false);
    expect(liveDeviceMemory('scopedevice').allocations - before.allocations).toBe(1);
    expect(heap.has(handleOf(a))).toBe(false);
    expect([...(await c.read())]).toEqual([6, 9, 12, 15]);
    expect([...(await view.read())]).toEqual([6, 9, 12, 15]);
  });

  it('leaves alone what existed before the scope, and never releases twice', () => {
    setBackend('scopedevice');
    const w = add(tensor([1, 2]), tensor([3, 4]));
    const scope = beginDeviceScope();
    add(w, w);
    const count = released.length;
    expect(endDeviceScope(scope).released).toBe(1);
    expect(released.length).toBe(count + 1);
    expect(w.storage.released).toBe(false);
    expect(heap.has(handleOf(w))).toBe(true);
  });

  it('says, naming the op, that a released tensor cannot be used: read, kernel input, in-place target, cpu fallback', async () => {
    setBackend('scopedevice');
    const scope = beginDeviceScope('my step');
    const y = add(tensor([1, 2]), tensor([3, 4]));
    endDeviceScope(scope);
    await expect(y.read()).rejects.toThrow(/^read: the tensor's device memory on 'scopedevice' was released at the end of the scope that created it \(my step\).*keep/);
    expect(() => add(y, y)).toThrow(/^add: .*released at the end of the scope/);
    expect(() => fill_(y, 0)).toThrow(/^fill_: .*released/);
    expect(() => exp(y)).toThrow(/^exp: .*released/);
    expect(() => y.dataSync()).toThrow(/^dataSync: .*released/);
  });

  it('nest: an inner scope releases first, and what it keeps belongs to the outer scope', () => {
    setBackend('scopedevice');
    const outer = beginDeviceScope('outer');
    const x = add(tensor([1]), tensor([2]));
    const inner = beginDeviceScope('inner');
    const t = add(x, x);
    const kept = add(t, x);
    expect(() => endDeviceScope(outer)).toThrow(/^endDeviceScope: the scope 'outer' has the scope 'inner' open inside it/);
    endDeviceScope(inner, [kept]);
    expect(t.storage.released).toBe(true);
    expect(kept.storage.released).toBe(false);
    expect(x.storage.released).toBe(false);
    endDeviceScope(outer, [x]);
    expect(kept.storage.released).toBe(true);
    expect(x.storage.released).toBe(false);
    expect(() => add(kept, x)).toThrow(/released at the end of the scope that created it \(outer\)/);
    expect(() => endDeviceScope(outer)).toThrow(/^endDeviceScope: the scope 'outer' is not open/);
  });

  it('release what a later scope was handed as carried and does not keep again: state a loop step dropped', () => {
    setBackend('scopedevice');
    const first = beginDeviceScope('step 1');
    const w = add(tensor([1, 2]), tensor([3, 4]));
    let grad = add(w, w);
    const { kept } = endDeviceScope(first, [w, grad]);
    expect(kept).toEqual([w.storage, grad.storage]);
    const old = grad;
    const second = beginDeviceScope('step 2', kept);
    grad = add(w, old);
    const end = endDeviceScope(second, [w, grad]);
    expect(old.storage.released).toBe(true);
    expect(end.kept).toEqual([w.storage, grad.storage]);
    expect(w.storage.released).toBe(false);
  });

  it('record nothing while a scope awaits with awaitUnscoped: what another task makes meanwhile survives', async () => {
    setBackend('scopedevice');
    const x = add(tensor([1, 2]), tensor([0, 0]));
    const scope = beginDeviceScope();
    const own = add(x, x);
    let other = x;
    const elsewhere = new Promise<void>((resolve) => setTimeout(() => {
      other = add(x, x);
      resolve();
    }, 0));
    expect([...(await awaitUnscoped(own.read()))]).toEqual([2, 4]);
    await awaitUnscoped(elsewhere);
    const after = add(own, x);
    endDeviceScope(scope);
    expect([own, after].map((t) => t.storage.released)).toEqual([true, true]);
    expect(other.storage.released).toBe(false);
  });

  it('keep tensors nested in arrays, maps and objects, and an in-place target moved onto the device in the scope', () => {
    const param = tensor([1, 2, 3]);
    setBackend('scopedevice');
    const scope = beginDeviceScope();
    fill_(param, 5);
    const m = add(param, param);
    const o = add(m, param);
    endDeviceScope(scope, [new Map([['w', param]]), { state: [{ m }] }]);
    expect(param.device).toBe('scopedevice');
    expect([param, m].map((t) => t.storage.released)).toEqual([false, false]);
    expect(o.storage.released).toBe(true);
  });

  it('withDeviceScope keeps the result by default, a function of it when given, and closes on a throw', async () => {
    setBackend('scopedevice');
    const x = add(tensor([1, 2]), tensor([0, 0]));
    let inside = x;
    const y = withDeviceScope(() => add((inside = add(x, x)), x));
    expect(inside.storage.released).toBe(true);
    expect([...(await y.read())]).toEqual([3, 6]);
    const z = await withDeviceScope(async () => add(x, x), (r) => [r]);
    expect([...(await z.read())]).toEqual([2, 4]);
    expect(() => withDeviceScope(() => {
      inside = add(x, x);
      throw new Error('boom');
    })).toThrow('boom');
    expect(inside.storage.released).toBe(true);
    // Closed: a new allocation is not recorded by any scope.
    const after = add(x, x);
    withDeviceScope(() => undefined);
    expect(after.storage.released).toBe(false);
  });

  it('leave host tensors and a memory that reads host arrays (a wasm heap) alone', () => {
    const host = tensor([1, 2]);
    const scope = beginDeviceScope();
    const resident = Storage.device('heapdevice', Float32Array.from([1, 2]), 'float32', 2);
    const sum = host.add(host);
    endDeviceScope(scope);
    expect(resident.released).toBe(false);
    expect(sum.storage.released).toBe(false);
    expect(host.storage.released).toBe(false);
  });
});
