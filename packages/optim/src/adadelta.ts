import { adadeltaStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { FusedOptimizer } from './fused-optimizer.js';

/** Options of `Adadelta`. */
export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/** A parameter group's resolved `Adadelta` options. */
export type AdadeltaGroupOptions = Required<AdadeltaOptions>;

/** `Adadelta`'s per-parameter state: running averages of squared gradients and squared updates. */
export interface AdadeltaState {
  step: number;
  squareAvg: Tensor;
  accDelta: Tensor;
}

/**
 * Adadelta (Zeiler, 2012): PyTorch 1.13's `torch.optim.Adadelta`. For each parameter θ with gradient g:
 *
 * ```
 * if maximize: g ← −g
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * v ← ρ·v + (1 − ρ)·g²
 * Δ ← √(u + eps) / √(v + eps) · g
 * u ← ρ·u + (1 − ρ)·Δ²
 * θ ← θ − lr·Δ
 * ```
 *
 * Defaults: `lr` 1, `rho` 0.9, `eps` 1e-6, `weightDecay` 0, `maximize` false.
 *
 * @example
 * const opt = new Adadelta(model.parameters()); // lr = 1 scales Zeiler's step, as in PyTorch
 */
export class Adadelta extends FusedOptimizer<AdadeltaGroupOptions, AdadeltaState> {
  constructor(params: Params<AdadeltaGroupOptions>, options: AdadeltaOptions = {}) {
    super('Adadelta', params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }

  protected checkGroup(group: ParamGroup<AdadeltaGroupOptions>, where: string): void {
    const spec = { nonNegative: ['lr', 'eps', 'weightDecay'], ranges: { rho: { min: 0, max: 1 } }, flags: ['maximize'] };
    checkOptions('Adadelta', group, spec, where);
  }

  protected initState(param: Tensor): AdadeltaState {
    return { step: 0, squareAvg: zerosLike(param), accDelta: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: AdadeltaState, group: ParamGroup<AdadeltaGroupOptions>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    state.step += 1;
    adadeltaStep_(param, grad, state.squareAvg, state.accDelta, { lr, rho, eps, weightDecay, maximize });
  }
}
