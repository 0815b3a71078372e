import '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import { Generator, logSoftmax, matmul, randint, randn, setBackend, type Tensor } from '@backprop/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';

beforeAll(async () => {
  await useWasmBackend();
});

afterEach(() => setBackend('cpu'));

/**
 * Trains a 2-layer MLP (20 → 32 → 5, relu/tanh, log-softmax cross-entropy) with plain SGD from a fixed
 * seed and returns the loss of every step. Backward runs matmul with transposed operands, the
 * elementwise kernels and the reductions, so every wasm kernel meets its cpu counterpart here.
 */
function trainLosses(backend: string, steps: number): number[] {
  setBackend(backend);
  const g = new Generator(123);
  const x = randn([64, 20], { generator: g });
  const labels = randint(0, 5, [64], { generator: g });
  const oneHot = randn([64, 5], { generator: g }).mul(0);
  for (let i = 0; i < 64; i++) oneHot.data[i * 5 + labels.data[i]] = 1;
  const params: Tensor[] = [
    randn([20, 32], { generator: g }).mul(0.3),
    randn([32], { generator: g }).mul(0.1),
    randn([32, 5], { generator: g }).mul(0.3),
    randn([5], { generator: g }).mul(0.1),
  ].map((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params;
  const losses: number[] = [];
  for (let step = 0; step < steps; step++) {
    const h = matmul(x, w1).add(b1).relu();
    const logits = matmul(h.tanh(), w2).add(b2);
    const loss = logSoftmax(logits, -1).mul(oneHot).sum().neg().div(64);
    losses.push(loss.item());
    for (const p of params) p.grad = null;
    loss.backward();
    noGrad(() => {
      for (const p of params) for (let i = 0; i < p.data.length; i++) p.data[i] -= 0.5 * p.grad!.data[i];
    });
  }
  return losses;
}

describe('a small MLP trains identically on wasm and cpu', () => {
  it('gives the same losses, step by step, within float32 tolerance', () => {
    const cpu = trainLosses('cpu', 8);
    const wasm = trainLosses('wasm', 8);
    expect(cpu[cpu.length - 1]).toBeLessThan(cpu[0]);
    for (let i = 0; i < cpu.length; i++) expect(Math.abs(wasm[i] - cpu[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu[i])));
  });
});
