import { adamaxStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkAdamLikeGroup } from './adam-family.js';
import { FusedOptimizer } from './fused-optimizer.js';
import type { ParamGroup, Params } from './optimizer.js';

/** Options of `Adamax`. */
export interface AdamaxOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  maximize?: boolean;
}

/** A parameter group's resolved `Adamax` options. */
export type AdamaxGroupOptions = Required<AdamaxOptions>;

/** `Adamax`'s per-parameter state: step count, first moment and the exponentially weighted infinity norm. */
export interface AdamaxState {
  step: number;
  expAvg: Tensor;
  expInf: Tensor;
}

/**
 * Adamax, Adam with the infinity norm (Kingma & Ba, 2015, §7.1): PyTorch 1.13's `torch.optim.Adamax`. For
 * each parameter θ with gradient g, at step t (from 1):
 *
 * ```
 * if maximize: g ← −g
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * m ← β₁·m + (1 − β₁)·g
 * u ← max(β₂·u, |g| + eps)
 * θ ← θ − lr/(1 − β₁ᵗ) · m/u
 * ```
 *
 * Defaults: `lr` 2e-3, `betas` [0.9, 0.999], `eps` 1e-8, `weightDecay` 0, `maximize` false.
 *
 * @example
 * const opt = new Adamax(model.parameters(), { lr: 2e-3 });
 */
export class Adamax extends FusedOptimizer<AdamaxGroupOptions, AdamaxState> {
  constructor(params: Params<AdamaxGroupOptions>, options: AdamaxOptions = {}) {
    super('Adamax', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }

  protected checkGroup(group: ParamGroup<AdamaxGroupOptions>, where: string): void {
    checkAdamLikeGroup('Adamax', group, where, ['lr', 'eps', 'weightDecay'], ['maximize']);
  }

  protected initState(param: Tensor): AdamaxState {
    return { step: 0, expAvg: zerosLike(param), expInf: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: AdamaxState, group: ParamGroup<AdamaxGroupOptions>): void {
    const { lr, eps, weightDecay, maximize } = group;
    const [beta1, beta2] = group.betas;
    state.step += 1;
    adamaxStep_(param, grad, state.expAvg, state.expInf, { beta1, beta2, eps, weightDecay, maximize, clr: lr / (1 - beta1 ** state.step) });
  }
}
