// The whole-sequence LSTM and GRU split by batch rows over threads (threads/row-tasks.ts): the results,
// forward and backward, are bit-identical to one thread's, with batches that split evenly, unevenly, and
// too small to split.
import { grad } from '@backprop/autograd';
import { Generator, gruSequence, lstmSequence, randn, setBackend, type Tensor } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';

afterAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

function runs(): Tensor[] {
  const out: Tensor[] = [];
  for (const [T, N, H] of [[6, 32, 64], [5, 9, 7], [4, 7, 5]]) {
    for (const reverse of [false, true]) {
      const g = new Generator(T * 100 + N * 10 + H);
      const r = (shape: number[]) => randn(shape, { generator: g }).mul(0.5);
      const [xw, h0, c0, w, wOut] = [r([T, N, 4 * H]), r([N, H]), r([N, H]), r([4 * H, H]), r([T, N, H])];
      out.push(...lstmSequence(xw, h0, c0, w, { reverse }));
      out.push(...grad((a: Tensor, b: Tensor, c: Tensor, d: Tensor) => lstmSequence(a, b, c, d, { reverse })[0].mul(wOut).sum())(xw, h0, c0, w));
      const [gx, gw, gb] = [r([T, N, 3 * H]), r([3 * H, H]), r([3 * H])];
      out.push(...gruSequence(gx, h0, gw, gb, { reverse }));
      out.push(...grad((a: Tensor, b: Tensor, c: Tensor, d: Tensor) => gruSequence(a, b, c, d, { reverse })[0].mul(wOut).sum())(gx, h0, gw, gb));
    }
  }
  return out;
}

describe('recurrent sequences on threads', () => {
  it('give bit-identical values and gradients to one thread', async () => {
    expect(await useWasmBackend({ threads: 1 })).toBe(1);
    const single = runs();
    expect(await useWasmBackend({ threads: 2 })).toBe(2);
    const threaded = runs();
    setBackend('cpu');
    for (let i = 0; i < single.length; i++) {
      expect(threaded[i].shape).toEqual(single[i].shape);
      expect(Array.from(threaded[i].dataSync())).toEqual(Array.from(single[i].dataSync()));
    }
  });
});
