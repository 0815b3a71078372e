import { describe, expect, it } from 'vitest';
import { indexSelect, matmul, tensor } from '@backprop/tensor';
import '@backprop/autograd';
import { Adam, SparseAdam } from '../src/index.js';
import { expectClose, fixture } from './helpers.js';

interface SparseFixture {
  table: number[][];
  direction: number[];
  lookups: number[][];
  targets: number[][];
  cases: { name: string; options: Record<string, unknown>; losses: number[]; trajectory: number[][] }[];
}
const problem = fixture<SparseFixture>('sparse-adam.json');

function lookupLoss(weight: ReturnType<typeof tensor>, step: number) {
  const rows = indexSelect(weight, 0, tensor(problem.lookups[step], 'int32'));
  return matmul(rows, tensor([problem.direction], 'float64').transpose()).flatten().sub(tensor(problem.targets[step], 'float64')).square().mean();
}

describe('SparseAdam', () => {
  it.each(problem.cases.map((c) => [c.name, c] as const))('matches torch.optim.SparseAdam 1.13 on embedding lookups: %s', (_name, c) => {
    const weight = tensor(problem.table, 'float64').requiresGrad_();
    const opt = new SparseAdam([weight], c.options);
    problem.lookups.forEach((_ids, step) => {
      opt.zeroGrad();
      const loss = lookupLoss(weight, step);
      loss.backward();
      opt.step();
      expectClose([loss.item()], [c.losses[step]], 1e-10, 0, `loss at step ${step + 1}`);
      expectClose(weight.dataSync(), c.trajectory[step], 1e-10, 1e-14, `table after step ${step + 1}`);
    });
  });

  it('leaves rows that were not looked up, and their moments, exactly as they were (Adam would move them)', () => {
    const sparseWeight = tensor(problem.table, 'float64').requiresGrad_();
    const denseWeight = tensor(problem.table, 'float64').requiresGrad_();
    const sparse = new SparseAdam([sparseWeight], { lr: 0.1 });
    const dense = new Adam([denseWeight], { lr: 0.1 });
    for (const [weight, opt] of [[sparseWeight, sparse], [denseWeight, dense]] as const) {
      for (const step of [0, 1]) {
        opt.zeroGrad();
        lookupLoss(weight, step).backward();
        opt.step();
      }
    }
    // Steps 0 and 1 look up rows 0, 1, 2 and 5: rows 3 and 4 are untouched.
    const state = sparse.state.get(sparseWeight);
    for (const row of [3, 4]) {
      expect(Array.from(sparseWeight.dataSync().slice(row * 3, row * 3 + 3))).toEqual(problem.table[row]);
      expect(Array.from(state?.expAvg.dataSync().slice(row * 3, row * 3 + 3) ?? [])).toEqual([0, 0, 0]);
    }
    // Row 0 was looked up at step 0 only: Adam keeps moving it at step 1 on momentum, SparseAdam does not.
    const afterFirst = tensor(problem.table, 'float64').requiresGrad_();
    const once = new SparseAdam([afterFirst], { lr: 0.1 });
    once.zeroGrad();
    lookupLoss(afterFirst, 0).backward();
    once.step();
    expect(Array.from(sparseWeight.dataSync().slice(0, 3))).toEqual(Array.from(afterFirst.dataSync().slice(0, 3)));
    expect(Array.from(denseWeight.dataSync().slice(0, 3))).not.toEqual(Array.from(afterFirst.dataSync().slice(0, 3)));
    expect(state?.step).toBe(2);
  });

  it('rejects weight decay and non-positive lr or eps, as PyTorch', () => {
    const w = tensor([[1, 2]]).requiresGrad_();
    expect(() => new SparseAdam([w], { weightDecay: 0.1 } as never)).toThrow(/SparseAdam: unknown option "weightDecay"/);
    expect(() => new SparseAdam([w], { lr: 0 })).toThrow(/SparseAdam: lr must be a number > 0/);
    expect(() => new SparseAdam([w], { eps: 0 })).toThrow(/SparseAdam: eps must be a number > 0/);
  });
});
