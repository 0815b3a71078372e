import { adagradStep_, full, type Tensor } from '@backprop/tensor';
import { checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { FusedOptimizer } from './fused-optimizer.js';

/** Options of `Adagrad`. */
export interface AdagradOptions {
  lr?: number;
  lrDecay?: number;
  weightDecay?: number;
  initialAccumulatorValue?: number;
  eps?: number;
  maximize?: boolean;
}

/** A parameter group's resolved `Adagrad` options. */
export type AdagradGroupOptions = Required<AdagradOptions>;

/** `Adagrad`'s per-parameter state: step count and the running sum of squared gradients. */
export interface AdagradState {
  step: number;
  sum: Tensor;
}

/**
 * Adagrad (Duchi et al., 2011): PyTorch 1.13's `torch.optim.Adagrad`. For each parameter θ with gradient
 * g, at step t (from 1):
 *
 * ```
 * if maximize: g ← −g
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * lrₜ ← lr / (1 + (t − 1)·lrDecay)
 * s ← s + g²                            (s starts at initialAccumulatorValue)
 * θ ← θ − lrₜ · g / (√s + eps)
 * ```
 *
 * Defaults: `lr` 1e-2, `lrDecay` 0, `weightDecay` 0, `initialAccumulatorValue` 0, `eps` 1e-10,
 * `maximize` false. As in PyTorch, the state of every parameter is created by the constructor. One
 * deliberate difference: a group's own `initialAccumulatorValue` is honoured, where PyTorch 1.13 fills
 * every group's accumulator from the constructor's value.
 *
 * @example
 * const opt = new Adagrad(model.parameters(), { lr: 0.1, lrDecay: 1e-3 });
 */
export class Adagrad extends FusedOptimizer<AdagradGroupOptions, AdagradState> {
  constructor(params: Params<AdagradGroupOptions>, options: AdagradOptions = {}) {
    super('Adagrad', params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
    for (const group of this.paramGroups) for (const p of group.params) this.state.set(p, this.initState(p, group));
  }

  protected checkGroup(group: ParamGroup<AdagradGroupOptions>, where: string): void {
    const nonNegative = ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'];
    checkOptions('Adagrad', group, { nonNegative, flags: ['maximize'] }, where);
  }

  protected initState(param: Tensor, group: ParamGroup<AdagradGroupOptions>): AdagradState {
    return { step: 0, sum: full(param.shape, group.initialAccumulatorValue, { dtype: param.dtype }) };
  }

  protected update(param: Tensor, grad: Tensor, state: AdagradState, group: ParamGroup<AdagradGroupOptions>): void {
    const { lr, lrDecay, weightDecay, eps, maximize } = group;
    state.step += 1;
    const clr = lr / (1 + (state.step - 1) * lrDecay);
    adagradStep_(param, grad, state.sum, { clr, weightDecay, eps, maximize });
  }
}
