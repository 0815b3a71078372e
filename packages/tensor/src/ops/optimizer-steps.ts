import type { Tensor } from '../tensor.js';
import { checkSameLayout, runInPlace } from './in-place.js';

// The fused update of each optimizer of @backprop/optim, one kernel call per parameter. The optimizers
// document the formulas; scalars that depend only on the step count (bias corrections) arrive computed.

/** Options of `sgdStep_`: PyTorch's SGD options, plus whether this is the momentum buffer's first step. */
export interface SgdStepOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** The first step with momentum: the buffer is set to the gradient rather than blended. */
  first: boolean;
}

/**
 * One SGD step on `param` from `grad`, updating the momentum buffer `buffer` (any tensor when
 * `momentum` is 0: it is not touched). In place; returns `param`.
 *
 * @example
 * sgdStep_(w, w.grad, buf, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, first });
 */
export function sgdStep_(param: Tensor, grad: Tensor, buffer: Tensor, options: SgdStepOptions): Tensor {
  const buf = options.momentum !== 0 ? buffer : param;
  checkSameLayout('sgdStep_', param, { grad, buffer: buf });
  return runInPlace('sgdStep_', 'sgdStep', [param, buf], [grad], { ...options });
}

/** Options of `adamStep_`: Adam's, and the step's `stepSize` = lr/(1−β₁ᵗ), `bias2Sqrt` = √(1−β₂ᵗ), `shrink` = 1 − lr·weightDecay. */
export interface AdamStepOptions {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** AdamW's decoupled weight decay instead of Adam's L2 term. */
  decoupled: boolean;
  stepSize: number;
  bias2Sqrt: number;
  shrink: number;
}

/**
 * One Adam/AdamW step: updates `param`, the moments `expAvg` and `expAvgSq`, and with amsgrad
 * `maxExpAvgSq` (pass `expAvgSq` again without it). In place; returns `param`.
 *
 * @example
 * adamStep_(w, w.grad, m, v, v, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false, stepSize, bias2Sqrt, shrink: 1 });
 */
export function adamStep_(param: Tensor, grad: Tensor, expAvg: Tensor, expAvgSq: Tensor, maxExpAvgSq: Tensor, options: AdamStepOptions): Tensor {
  checkSameLayout('adamStep_', param, { grad, expAvg, expAvgSq, maxExpAvgSq });
  return runInPlace('adamStep_', 'adamStep', [param, expAvg, expAvgSq, maxExpAvgSq], [grad], { ...options });
}

/** Options of `rmspropStep_`: PyTorch's RMSprop options. */
export interface RmspropStepOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

/**
 * One RMSprop step: updates `param`, `squareAvg`, and (when used) `gradAvg` (centered) and
 * `momentumBuffer` (momentum > 0); pass `squareAvg` in place of an unused buffer. In place; returns `param`.
 *
 * @example
 * rmspropStep_(w, w.grad, sq, sq, sq, { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false });
 */
export function rmspropStep_(
  param: Tensor, grad: Tensor, squareAvg: Tensor, gradAvg: Tensor, momentumBuffer: Tensor, options: RmspropStepOptions,
): Tensor {
  checkSameLayout('rmspropStep_', param, { grad, squareAvg, gradAvg, momentumBuffer });
  return runInPlace('rmspropStep_', 'rmspropStep', [param, squareAvg, gradAvg, momentumBuffer], [grad], { ...options });
}

/** Options of `adagradStep_`: `clr` is the step's decayed learning rate lr/(1 + (t−1)·lrDecay). */
export interface AdagradStepOptions {
  clr: number;
  weightDecay: number;
  eps: number;
  maximize: boolean;
}

/**
 * One Adagrad step: updates `param` and the squared-gradient sum `sum`. In place; returns `param`.
 *
 * @example
 * adagradStep_(w, w.grad, sum, { clr: 0.01, weightDecay: 0, eps: 1e-10, maximize: false });
 */
export function adagradStep_(param: Tensor, grad: Tensor, sum: Tensor, options: AdagradStepOptions): Tensor {
  checkSameLayout('adagradStep_', param, { grad, sum });
  return runInPlace('adagradStep_', 'adagradStep', [param, sum], [grad], { ...options });
}

/** Options of `adadeltaStep_`: PyTorch's Adadelta options. */
export interface AdadeltaStepOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

/**
 * One Adadelta step: updates `param`, `squareAvg` and `accDelta`. In place; returns `param`.
 *
 * @example
 * adadeltaStep_(w, w.grad, v, u, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false });
 */
export function adadeltaStep_(param: Tensor, grad: Tensor, squareAvg: Tensor, accDelta: Tensor, options: AdadeltaStepOptions): Tensor {
  checkSameLayout('adadeltaStep_', param, { grad, squareAvg, accDelta });
  return runInPlace('adadeltaStep_', 'adadeltaStep', [param, squareAvg, accDelta], [grad], { ...options });
}
