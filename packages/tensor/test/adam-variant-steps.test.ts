import { describe, expect, it } from 'vitest';
import { ShapeError, adamaxStep_, nadamStep_, radamStep_, sparseAdamStep_, tensor, zeros } from '../src/index.js';

const expectClose = (got: ArrayLike<number>, want: number[]) => want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 14));

// The trajectories are checked against PyTorch by @backprop/optim's golden tests; these check the kernels' contracts.
describe('NAdam, RAdam, Adamax and SparseAdam step kernels', () => {
  it('update the parameter and its buffers in place and return the parameter', () => {
    const grad = tensor([0.5, -1], 'float64');
    const p = tensor([1, 2], 'float64');
    const [m, v] = [zeros([2], { dtype: 'float64' }), zeros([2], { dtype: 'float64' })];
    expect(radamStep_(p, grad, m, v, { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, bias1: 0.1, bias2: 0.001, rect: 0 })).toBe(p);
    // Not rectified: θ − lr·m̂ with m̂ = g.
    expectClose(p.dataSync(), [1 - 0.1 * 0.5, 2 + 0.1]);
    expectClose(m.dataSync(), [0.1 * 0.5, -0.1]);
    const q = tensor([1, 2], 'float64');
    const [m2, u] = [zeros([2], { dtype: 'float64' }), zeros([2], { dtype: 'float64' })];
    adamaxStep_(q, grad, m2, u, { beta1: 0.9, beta2: 0.999, eps: 0, weightDecay: 0, maximize: false, clr: 1 });
    expectClose(u.dataSync(), [0.5, 1]);
    expectClose(q.dataSync(), [1 - 0.1, 2 + 0.1]);
  });

  it('SparseAdam leaves rows whose gradient is all zero, and their moments, untouched', () => {
    const table = tensor([[1, 2], [3, 4], [5, 6]], 'float64');
    const m = tensor([[0.1, 0.1], [0.2, 0.2], [0.3, 0.3]], 'float64');
    const v = tensor([[1, 1], [1, 1], [1, 1]], 'float64');
    const grad = tensor([[0, 0], [1, 0], [0, 0]], 'float64');
    sparseAdamStep_(table, grad, m, v, { beta1: 0.5, beta2: 0.5, eps: 0, maximize: false, stepSize: 1, rowSize: 2 });
    expectClose(table.dataSync(), [1, 2, 3 - 0.6, 4 - 0.1 / Math.sqrt(0.5), 5, 6]);
    expectClose(m.dataSync(), [0.1, 0.1, 0.6, 0.1, 0.3, 0.3]);
    expectClose(v.dataSync(), [1, 1, 1, 0.5, 1, 1]);
    // Untouched rows are bit-for-bit what they were.
    expect(Array.from(table.dataSync().slice(0, 2))).toEqual([1, 2]);
  });

  it('name the op and the buffer of the wrong shape', () => {
    const p = zeros([3]);
    expect(() => nadamStep_(p, zeros([3]), zeros([2]), zeros([3]), {
      beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, bias2: 1, gradStep: 0, momentumStep: 0,
    })).toThrow(ShapeError);
    expect(() => sparseAdamStep_(p, zeros([3]), zeros([3]), zeros([4]), { beta1: 0.9, beta2: 0.9, eps: 1e-8, maximize: false, stepSize: 1, rowSize: 1 }))
      .toThrow(/sparseAdamStep_: expAvgSq has shape \[4\] but the target has \[3\]/);
  });
});
