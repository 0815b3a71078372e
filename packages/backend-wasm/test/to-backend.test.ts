// toBackend_ and Module.to on wasm: a tensor's values move into the heap in place (the same tensor
// object, values unchanged, readable), products then read them there, a declined upload (float64) leaves
// them on the host, and moving back to cpu brings them out again.
import { Linear, ReLU, Sequential } from '@backprop/layers';
import { Generator, matmul, randn, setBackend, toBackend_ } from '@backprop/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';

beforeAll(async () => {
  await useWasmBackend();
});
afterAll(() => setBackend('cpu'));

describe('toBackend_ and Module.to on wasm', () => {
  it('moves a float32 tensor into the heap and back, keeping the object and its values', () => {
    setBackend('wasm');
    const t = randn([64, 32], { generator: new Generator(1) });
    const values = Array.from(t.dataSync());
    expect(t.device).toBe('cpu');
    expect(toBackend_(t)).toBe(t);
    expect(t.device).toBe('wasm');
    expect(Array.from(t.dataSync())).toEqual(values);
    const x = randn([8, 64], { generator: new Generator(2) });
    const onHost = matmul(x, randn([64, 32], { generator: new Generator(1) }));
    expect(Array.from(matmul(x, t).dataSync())).toEqual(Array.from(onHost.dataSync()));
    toBackend_(t, 'cpu');
    expect(t.device).toBe('cpu');
    expect(Array.from(t.dataSync())).toEqual(values);
    // float64 is not kept in the heap: the upload is declined and the values stay on the host.
    const d = randn([4], { generator: new Generator(3), dtype: 'float64' });
    expect(toBackend_(d).device).toBe('cpu');
  });

  it('moves a model\'s parameters, whose outputs stay the same', () => {
    setBackend('wasm');
    const g = new Generator(4);
    const model = new Sequential(new Linear(20, 16, { generator: g }), new ReLU(), new Linear(16, 3, { generator: g })).eval();
    const x = randn([10, 20], { generator: new Generator(5) });
    const before = Array.from(model.call(x).dataSync());
    expect(model.to()).toBe(model);
    expect(model.parameters().every((p) => p.device === 'wasm')).toBe(true);
    expect(Array.from(model.call(x).dataSync())).toEqual(before);
    model.to('cpu');
    expect(model.parameters().every((p) => p.device === 'cpu')).toBe(true);
  });
});
