import { Tensor, ValueError } from '@backprop/tensor';
import { enableGrad, gradients, noGrad } from '@backprop/autograd';
import { choleskySolve } from './cholesky.js';
import { addToParams, gatherFlatParams, numel, setParams } from './flat-params.js';
import { checkChoice, checkInteger, checkNumber } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { VectorOptimizer } from './vector-optimizer.js';

/** Options of `LevenbergMarquardt`. */
export interface LevenbergMarquardtOptions {
  /** The initial damping λ. Default 1e-3. */
  lambda?: number;
  /**
   * The damping matrix D: I (`'levenberg'`, the default) or diag(JᵀJ) (`'marquardt'`, invariant to the
   * parameters' scales). On tanh networks identity damping was the more robust of the two in our tests:
   * Marquardt's scaling barely damps parameters whose Jacobian column is near zero (saturated units).
   */
  damping?: 'marquardt' | 'levenberg';
  /** Trial steps per `step()` before giving up with the parameters unchanged. Default 10. */
  maxTries?: number;
}

/** The resolved `LevenbergMarquardt` options. */
export type LevenbergMarquardtGroupOptions = Required<LevenbergMarquardtOptions>;

/**
 * `LevenbergMarquardt`'s state: steps taken, the current damping λ, the growth factor ν of the next
 * increase, and the cost after the last step.
 */
export interface LevenbergMarquardtState {
  step: number;
  lambda: number;
  nu: number;
  cost: number;
}

/** Returns the residuals r(θ) at the current parameters, as a tensor of any shape. */
export type ResidualFn = () => Tensor;

// Keeps Marquardt's scaling solvable when a parameter does not (yet) move any residual: diag(JᵀJ) = 0 there.
const MIN_DIAGONAL = 1e-12;

/**
 * Levenberg–Marquardt for least-squares fits of small networks: minimizes the cost ½‖r(θ)‖² over all
 * parameters θ (as one vector), given a function returning the residuals r. Each `step(residuals)`:
 *
 * 1. evaluates r and its Jacobian J = ∂r/∂θ (m × n) with autograd, one backward pass per residual;
 * 2. forms A = JᵀJ and g = Jᵀr in float64;
 * 3. solves (A + λ·D)·δ = −g by Cholesky, with D = I (`'levenberg'`) or diag(A) (`'marquardt'`);
 * 4. measures the gain ratio ρ = (cost(θ) − cost(θ + δ)) / (½·δᵀ(λ·D·δ − Jᵀr)), the actual decrease over
 *    the decrease the local quadratic model predicted. If ρ > 0 it accepts θ + δ and decreases the damping,
 *    λ ← λ·max(1/3, 1 − (2ρ − 1)³), ν ← 2 (closer to Gauss–Newton); otherwise it restores θ and increases
 *    it, λ ← λ·ν, ν ← 2ν (closer to short gradient-descent steps), and tries again, up to `maxTries` times.
 *    A matrix Cholesky cannot factor counts as a rejected trial.
 *
 * The λ update is Nielsen's (Madsen, Nielsen & Tingleff, "Methods for non-linear least squares
 * problems", 2004, §3.2): smoother than multiplying by fixed factors, it avoids the oscillation of λ
 * between two values that slows the classic rule down on neural networks.
 *
 * Meant for problems with up to a few hundred parameters and residuals: J has m·n entries and costs m
 * backward passes. Defaults: `lambda` 1e-3, `damping` 'levenberg', `maxTries` 10. `step` returns the cost before the step; `state` holds λ and the cost after it.
 * No PyTorch counterpart; the names follow Nocedal & Wright, ch. 10.
 *
 * @example
 * const lm = new LevenbergMarquardt([w1, b1, w2, b2]);
 * const residuals = () => net(x).sub(y).flatten();
 * for (let i = 0; i < 30; i++) lm.step(residuals);
 */
export class LevenbergMarquardt extends VectorOptimizer<LevenbergMarquardtGroupOptions, LevenbergMarquardtState> {
  constructor(params: Params<LevenbergMarquardtGroupOptions>, options: LevenbergMarquardtOptions = {}) {
    super('LevenbergMarquardt', params, { lambda: 1e-3, damping: 'levenberg', maxTries: 10 }, options);
  }

  protected checkGroup(group: ParamGroup<LevenbergMarquardtGroupOptions>, where: string): void {
    checkNumber(this.name, 'lambda', group.lambda, { min: 0, minOpen: true }, where);
    checkChoice(this.name, 'damping', group.damping, ['levenberg', 'marquardt'], where);
    checkInteger(this.name, 'maxTries', group.maxTries, 1, where);
  }

  /** One damped Gauss–Newton step on ½‖r(θ)‖²; returns the cost before it. */
  step(residuals?: ResidualFn): number {
    if (typeof residuals !== 'function') {
      throw new ValueError(this.name, 'step needs the residual function: () => tensor of residuals r(θ) at the current parameters');
    }
    const { damping, maxTries } = this.paramGroups[0];
    const state = this.vectorState(() => ({ step: 0, lambda: this.paramGroups[0].lambda, nu: 2, cost: Number.NaN }));
    const params = this.params;
    const n = numel(params);

    const r = enableGrad(residuals);
    const jac = this.jacobian(r, n);
    const m = r.size;
    const rv = r.dataSync();
    const cost0 = halfSquaredNorm(rv);
    const a = new Float64Array(n * n);
    const g = new Float64Array(n);
    for (let k = 0; k < m; k++) {
      const row = k * n;
      for (let i = 0; i < n; i++) {
        const jki = jac[row + i];
        if (jki === 0) continue;
        g[i] -= jki * rv[k];
        for (let j = 0; j <= i; j++) a[i * n + j] += jki * jac[row + j];
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j];

    const x0 = gatherFlatParams(params);
    const damped = new Float64Array(n * n);
    let cost = cost0;
    for (let attempt = 0; attempt < maxTries; attempt++) {
      damped.set(a);
      const d = (i: number) => (damping === 'marquardt' ? Math.max(a[i * n + i], MIN_DIAGONAL) : 1);
      for (let i = 0; i < n; i++) damped[i * n + i] += state.lambda * d(i);
      const delta = choleskySolve(damped, g, n);
      if (delta) {
        addToParams(params, 1, delta);
        const trial = halfSquaredNorm(noGrad(residuals).dataSync());
        let predicted = 0; // ½·δᵀ(λDδ + (−Jᵀr)): the decrease the quadratic model promises, > 0
        for (let i = 0; i < n; i++) predicted += 0.5 * delta[i] * (state.lambda * d(i) * delta[i] + g[i]);
        const rho = (cost0 - trial) / predicted;
        if (rho > 0) {
          cost = trial;
          state.lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
          state.nu = 2;
          break;
        }
        setParams(params, x0);
      }
      state.lambda *= state.nu;
      state.nu *= 2;
    }
    state.step += 1;
    state.cost = cost;
    return cost0;
  }

  /** ∂r/∂θ as an m × n row-major float64 matrix: row k is the gradient of rₖ, by one backward pass. */
  private jacobian(r: Tensor, n: number): Float64Array {
    const params = this.params;
    params.forEach((p, i) => {
      if (!p.requiresGrad) throw new ValueError(this.name, `parameter ${i} does not require a gradient: call requiresGrad_() on it`);
    });
    if (!(r instanceof Tensor) || (r.dtype !== 'float32' && r.dtype !== 'float64')) {
      throw new ValueError(this.name, `the residual function must return a float tensor, got ${r instanceof Tensor ? r.dtype : typeof r}`);
    }
    const m = r.size;
    const jac = new Float64Array(m * n);
    if (!r.requiresGrad) return jac;
    for (let k = 0; k < m; k++) {
      // One row of the Jacobian per reverse pass, seeded with the k-th basis vector.
      const values = r.dtype === 'float64' ? new Float64Array(m) : new Float32Array(m);
      values[k] = 1;
      const grads = gradients(r, params, { gradOutput: new Tensor(values, r.shape, r.dtype), retainGraph: k < m - 1 });
      let offset = k * n;
      for (const gp of grads) {
        jac.set(gp.dataSync() as Float64Array, offset);
        offset += gp.size;
      }
    }
    return jac;
  }
}

function halfSquaredNorm(r: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < r.length; i++) s += r[i] * r[i];
  return 0.5 * s;
}
