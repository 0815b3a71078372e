import { registerAdamVariantStepKernels } from '../cpu/adam-variant-steps.js';
import type { Tensor } from '../tensor.js';
import { checkSameLayout, runInPlace } from './in-place.js';

// The fused updates of @backprop/optim's NAdam, RAdam, Adamax and SparseAdam, one kernel call per
// parameter. The optimizers document the formulas; scalars that depend only on the step count arrive
// computed. Their cpu kernels register at the first call rather than with the backend, so a bundle that
// never uses these optimizers leaves them out (the size budget of @backprop/tensor).
let registered = false;

function run(op: string, kernel: string, written: readonly Tensor[], read: readonly Tensor[], attrs: object): Tensor {
  if (!registered) {
    registerAdamVariantStepKernels();
    registered = true;
  }
  return runInPlace(op, kernel, written, read, { ...attrs });
}

/** Options of `nadamStep_`: `gradStep` = −lr(1 − μₜ)/(1 − Π), `momentumStep` = −lr·μₜ₊₁/(1 − Π·μₜ·μₜ₊₁), `bias2` = 1 − β₂ᵗ. */
export interface NadamStepOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  bias2: number;
  gradStep: number;
  momentumStep: number;
}

/**
 * One NAdam step: updates `param` and the moments `expAvg` and `expAvgSq`. In place; returns `param`.
 *
 * @example
 * nadamStep_(w, w.grad, m, v, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, bias2, gradStep, momentumStep });
 */
export function nadamStep_(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, options: NadamStepOptions): Tensor {
  checkSameLayout('nadamStep_', param, { grad, expAvg, expAvgSq });
  return run('nadamStep_', 'nadamStep', [param, expAvg, expAvgSq], [grad], options);
}

/** Options of `radamStep_`: `bias1` = 1 − β₁ᵗ, `bias2` = 1 − β₂ᵗ, and the rectification `rect` (0: not rectified this step). */
export interface RadamStepOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  bias1: number;
  bias2: number;
  rect: number;
}

/**
 * One RAdam step: updates `param` and the moments `expAvg` and `expAvgSq`. In place; returns `param`.
 *
 * @example
 * radamStep_(w, w.grad, m, v, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, bias1, bias2, rect });
 */
export function radamStep_(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, options: RadamStepOptions): Tensor {
  checkSameLayout('radamStep_', param, { grad, expAvg, expAvgSq });
  return run('radamStep_', 'radamStep', [param, expAvg, expAvgSq], [grad], options);
}

/** Options of `adamaxStep_`: `clr` = lr/(1 − β₁ᵗ). */
export interface AdamaxStepOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
  clr: number;
}

/**
 * One Adamax step: updates `param`, the first moment `expAvg` and the infinity norm `expInf`. In place;
 * returns `param`.
 *
 * @example
 * adamaxStep_(w, w.grad, m, u, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, maximize: false, clr });
 */
export function adamaxStep_(param: Tensor, grad: Tensor, expAvg: Tensor, expInf: Tensor, options: AdamaxStepOptions): Tensor {
  checkSameLayout('adamaxStep_', param, { grad, expAvg, expInf });
  return run('adamaxStep_', 'adamaxStep', [param, expAvg, expInf], [grad], options);
}

/** Options of `sparseAdamStep_`: `stepSize` = lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ); a row is `rowSize` consecutive elements. */
export interface SparseAdamStepOptions {
  beta1: number;
  beta2: number;
  eps: number;
  maximize: boolean;
  stepSize: number;
  rowSize: number;
}

/**
 * One SparseAdam step: updates the rows of `param`, `expAvg` and `expAvgSq` whose gradient row is not all
 * zero, and leaves the others exactly as they are. In place; returns `param`.
 *
 * @example
 * sparseAdamStep_(table, table.grad, m, v, { beta1: 0.9, beta2: 0.999, eps: 1e-8, maximize: false, stepSize, rowSize: 64 });
 */
export function sparseAdamStep_(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, options: SparseAdamStepOptions): Tensor {
  checkSameLayout('sparseAdamStep_', param, { grad, expAvg, expAvgSq });
  return run('sparseAdamStep_', 'sparseAdamStep', [param, expAvg, expAvgSq], [grad], options);
}
