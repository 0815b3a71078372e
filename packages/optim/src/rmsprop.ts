import { rmspropStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { FusedOptimizer } from './fused-optimizer.js';

/** Options of `RMSprop`. */
export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weightDecay?: number;
  momentum?: number;
  centered?: boolean;
  maximize?: boolean;
}

/** A parameter group's resolved `RMSprop` options. */
export type RMSpropGroupOptions = Required<RMSpropOptions>;

/** `RMSprop`'s per-parameter state (`momentumBuffer` when momentum > 0, `gradAvg` when centered). */
export interface RMSpropState {
  step: number;
  squareAvg: Tensor;
  momentumBuffer?: Tensor;
  gradAvg?: Tensor;
}

/**
 * RMSprop (Hinton's lecture 6e; the centered form is Graves, 2013): PyTorch 1.13's `torch.optim.RMSprop`.
 * For each parameter θ with gradient g:
 *
 * ```
 * if maximize: g ← −g
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * v ← α·v + (1 − α)·g²
 * if centered: ḡ ← α·ḡ + (1 − α)·g;  s ← √(v − ḡ²) + eps   else s ← √v + eps
 * if momentum > 0: b ← momentum·b + g/s;  θ ← θ − lr·b
 * else: θ ← θ − lr·g/s
 * ```
 *
 * Defaults: `lr` 1e-2, `alpha` 0.99, `eps` 1e-8, `weightDecay` 0, `momentum` 0, `centered` false,
 * `maximize` false. Note that eps is added outside the square root, as in PyTorch (TensorFlow adds it inside).
 *
 * @example
 * const opt = new RMSprop(model.parameters(), { lr: 1e-3, centered: true });
 */
export class RMSprop extends FusedOptimizer<RMSpropGroupOptions, RMSpropState> {
  constructor(params: Params<RMSpropGroupOptions>, options: RMSpropOptions = {}) {
    super('RMSprop', params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }

  protected checkGroup(group: ParamGroup<RMSpropGroupOptions>, where: string): void {
    const nonNegative = ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'];
    checkOptions('RMSprop', group, { nonNegative, flags: ['centered', 'maximize'] }, where);
  }

  protected initState(param: Tensor, group: ParamGroup<RMSpropGroupOptions>): RMSpropState {
    const state: RMSpropState = { step: 0, squareAvg: zerosLike(param) };
    if (group.momentum > 0) state.momentumBuffer = zerosLike(param);
    if (group.centered) state.gradAvg = zerosLike(param);
    return state;
  }

  protected update(param: Tensor, grad: Tensor, state: RMSpropState, group: ParamGroup<RMSpropGroupOptions>): void {
    const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
    state.step += 1;
    const sq = state.squareAvg;
    const avg = centered ? (state.gradAvg ??= zerosLike(param)) : sq;
    const buf = momentum > 0 ? (state.momentumBuffer ??= zerosLike(param)) : sq;
    rmspropStep_(param, grad, sq, avg, buf, { lr, alpha, eps, weightDecay, momentum, centered, maximize });
  }
}
