import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '@backprop/backend-wasm';
import { setBackend, tensor } from '@backprop/tensor';
import { accuracy, confusionMatrix, f1, precision, r2, recall, resolveMetric, topKAccuracy, mae, mse, type Metric } from '../src/index.js';

const logits = tensor([
  [2, 1, 0], // predicts 0
  [0, 3, 1], // predicts 1
  [1, 0, 2], // predicts 2
  [3, 0, 1], // predicts 0
  [0, 1, 0.5], // predicts 1
]);
const labels = tensor([0, 1, 1, 2, 1], 'int32');

afterAll(() => setBackend('cpu'));

function score(m: Metric, pred = logits, target = labels): number {
  m.reset();
  // Two updates, to check that metrics accumulate across batches; on host tensors they finish at once.
  const n = pred.shape[0];
  const half = Math.floor(n / 2);
  expect(m.update(pred.slice(0, 0, half), target.slice(0, 0, half))).toBeUndefined();
  expect(m.update(pred.slice(0, half), target.slice(0, half))).toBeUndefined();
  return m.result();
}

describe('metrics', () => {
  it('confusion matrix, accuracy, macro precision, recall and F1 match hand computation', () => {
    expect(confusionMatrix(logits, labels)).toEqual([[1, 0, 0], [0, 2, 1], [1, 0, 0]]);
    expect(score(accuracy())).toBeCloseTo(3 / 5, 12);
    // Per class precision: 1/2, 2/2, 0/1 → mean 0.5; recall: 1/1, 2/3, 0/1 → mean 5/9.
    expect(score(precision())).toBeCloseTo(0.5, 12);
    expect(score(recall())).toBeCloseTo(5 / 9, 12);
    // F1 per class: 2/3, 4/5, 0 → mean 22/45.
    expect(score(f1())).toBeCloseTo(22 / 45, 12);
  });
  it('top-k accuracy', () => {
    expect(score(topKAccuracy(1))).toBeCloseTo(0.6, 12);
    expect(score(topKAccuracy(2))).toBeCloseTo(0.8, 12);
    expect(resolveMetric('top2Accuracy').name).toBe('top2Accuracy');
  });
  it('binary classification from a single logit column', () => {
    expect(score(accuracy(), tensor([[2], [-1], [0.5], [-3]]), tensor([1, 0, 0, 0], 'int32'))).toBeCloseTo(0.75, 12);
  });
  it('regression metrics: mse, mae, r2', () => {
    const p = tensor([[1], [2], [3], [4]]);
    const t = tensor([[1], [2], [2], [5]]);
    expect(score(mse(), p, t)).toBeCloseTo(0.5, 12);
    expect(score(mae(), p, t)).toBeCloseTo(0.5, 12);
    // SS_res = 2, SS_tot = 9 → 1 − 2/9.
    expect(score(r2(), p, t)).toBeCloseTo(7 / 9, 12);
  });
  it('r2 merges batches without the cancellation of Σy² − (Σy)²/n (targets far from 0, float32)', () => {
    // Targets 10,000 + {0, 1, 2, 3}: SS_tot = 5; float32 sums of squares near 4·10⁸ would lose it entirely.
    const t = tensor([[10_000], [10_001], [10_002], [10_003]]);
    const p = tensor([[10_000], [10_001], [10_002], [10_002]]);
    expect(score(r2(), p, t)).toBeCloseTo(1 - 1 / 5, 6);
  });
  it('give the same numbers, synchronously, on wasm', async () => {
    const names = ['accuracy', 'precision', 'recall', 'f1', 'top2Accuracy'];
    const onCpu = names.map((name) => score(resolveMetric(name)));
    await useWasmBackend();
    expect(names.map((name) => score(resolveMetric(name)))).toEqual(onCpu);
    expect(confusionMatrix(logits, labels)).toEqual([[1, 0, 0], [0, 2, 1], [1, 0, 0]]);
    setBackend('cpu');
  });
  it('names an unknown metric and lists the known ones', () => {
    expect(() => resolveMetric('accurcy')).toThrow(/unknown metric 'accurcy'; known metrics: accuracy/);
  });
});
