import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { LevenbergMarquardt } from '../src/index.js';
import { choleskySolve } from '../src/cholesky.js';
import { expectClose, sineFit } from './helpers.js';

const cost = (r: { data: ArrayLike<number> }) => 0.5 * Array.from(r.data).reduce((s, v) => s + v * v, 0);

describe('LevenbergMarquardt', () => {
  it.each([1, 2, 3])('fits a 1-8-1 tanh network to a sine to a low residual in a few dozen iterations (seed %i)', (seed) => {
    const { params, residuals } = sineFit(8, 24, seed);
    const lm = new LevenbergMarquardt(params);
    expect(cost(residuals())).toBeGreaterThan(1e-2);
    let steps = 0;
    while (steps < 40 && cost(residuals()) > 1e-5) {
      lm.step(residuals);
      steps++;
    }
    // ½‖r‖² < 1e-5 over 24 points: an RMS error below 1e-3 on a function of amplitude 1.
    expect(cost(residuals())).toBeLessThan(1e-5);
  });

  it('also converges with Marquardt scaling', () => {
    const { params, residuals } = sineFit(8, 24, 3);
    const lm = new LevenbergMarquardt(params, { damping: 'marquardt' });
    for (let i = 0; i < 30; i++) lm.step(residuals);
    expect(cost(residuals())).toBeLessThan(1e-5);
  });

  it('never increases the cost, and raises λ when a trial fails', () => {
    const { params, residuals } = sineFit(4, 16, 3);
    const lm = new LevenbergMarquardt(params, { lambda: 1e-6 });
    let previous = cost(residuals());
    let raised = false;
    for (let i = 0; i < 15; i++) {
      const before = lm.state.get(params[0])?.lambda ?? 1e-6;
      expect(lm.step(residuals)).toBeCloseTo(previous, 12);
      const now = cost(residuals());
      expect(now).toBeLessThanOrEqual(previous);
      previous = now;
      // An accepted step multiplies λ by at least 1/3; anything above that means a trial was rejected.
      raised ||= lm.state.get(params[0])!.lambda > before;
    }
    expect(lm.state.get(params[0])!.cost).toBeCloseTo(previous, 12);
    expect(raised).toBe(true);
  });

  it('solves a linear least-squares problem in one step (λ small): the normal equations', () => {
    // r(θ) = Aθ − b; the minimizer is (AᵀA)⁻¹Aᵀb = [1, 2] for this consistent system.
    const theta = tensor([0, 0], 'float64').requiresGrad_();
    const a = tensor([[1, 0], [0, 1], [1, 1]], 'float64');
    const b = tensor([1, 2, 3], 'float64');
    const lm = new LevenbergMarquardt([theta], { lambda: 1e-12 });
    lm.step(() => a.matmul(theta.reshape([2, 1])).reshape([3]).sub(b));
    expectClose(theta.dataSync(), [1, 2], 1e-9, 1e-9, 'θ');
  });

  it('checks its options and arguments', () => {
    const p = tensor([1], 'float64').requiresGrad_();
    expect(() => new LevenbergMarquardt([p], { lambda: -1 })).toThrow(/LevenbergMarquardt: lambda must be a number > 0, got -1/);
    expect(() => new LevenbergMarquardt([p], { maxTries: 0 })).toThrow(/maxTries must be an integer >= 1, got 0/);
    expect(() => new LevenbergMarquardt([p], { damping: 'x' as never })).toThrow(/damping must be one of "levenberg", "marquardt", got "x"/);
    expect(() => new LevenbergMarquardt([p]).step()).toThrow(/LevenbergMarquardt: step needs the residual function/);
    const frozen = tensor([1], 'float64');
    expect(() => new LevenbergMarquardt([frozen]).step(() => frozen.mul(2))).toThrow(/parameter 0 does not require a gradient/);
  });
});

describe('choleskySolve', () => {
  it('solves a symmetric positive-definite system and rejects an indefinite one', () => {
    const a = Float64Array.from([4, 2, 2, 3]);
    const x = choleskySolve(a, Float64Array.from([2, 1]), 2)!;
    expectClose([4 * x[0] + 2 * x[1], 2 * x[0] + 3 * x[1]], [2, 1], 1e-14, 1e-15, 'A·x');
    expect(choleskySolve(Float64Array.from([1, 2, 2, 1]), Float64Array.from([1, 1]), 2)).toBeNull();
  });
});
