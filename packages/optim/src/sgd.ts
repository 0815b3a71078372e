import { ValueError, sgdStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { FusedOptimizer } from './fused-optimizer.js';

/** Options of `SGD`. `lr` has no default: give it here or in every parameter group. */
export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weightDecay?: number;
  nesterov?: boolean;
  maximize?: boolean;
}

/** A parameter group's resolved `SGD` options. */
export type SGDGroupOptions = Required<SGDOptions>;

/** `SGD`'s per-parameter state: the momentum buffer, created at the first step when `momentum` ≠ 0. */
export interface SGDState {
  momentumBuffer: Tensor | null;
}

/**
 * Stochastic gradient descent, optionally with momentum and Nesterov momentum: PyTorch 1.13's
 * `torch.optim.SGD`. For each parameter θ with gradient g, at step t:
 *
 * ```
 * if maximize: g ← −g
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * if momentum ≠ 0:
 *   b ← g                                  (t = 1)
 *   b ← momentum·b + (1 − dampening)·g     (t > 1)
 *   g ← nesterov ? g + momentum·b : b
 * θ ← θ − lr·g
 * ```
 *
 * Defaults: `lr` required, `momentum` 0, `dampening` 0, `weightDecay` 0, `nesterov` false, `maximize`
 * false. Nesterov needs `momentum` > 0 and `dampening` 0. The momentum form is Sutskever et al.'s (the
 * learning rate multiplies the buffer), as in PyTorch.
 *
 * @example
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true });
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 */
export class SGD extends FusedOptimizer<SGDGroupOptions, SGDState> {
  constructor(params: Params<SGDGroupOptions>, options: SGDOptions = {}) {
    // lr has no default, but is listed so that it counts as an option.
    super('SGD', params, { lr: undefined, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false }, options);
  }

  protected checkGroup(group: ParamGroup<SGDGroupOptions>, where: string): void {
    if (group.lr === undefined) {
      throw new ValueError('SGD', `lr is required: pass { lr } in the options or in every parameter group${where}`);
    }
    const spec = { nonNegative: ['lr', 'momentum', 'weightDecay'], ranges: { dampening: {} }, flags: ['nesterov', 'maximize'] };
    checkOptions('SGD', group, spec, where);
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      throw new ValueError(
        'SGD',
        `nesterov needs momentum > 0 and dampening 0${where}, got momentum ${group.momentum} and dampening ${group.dampening}`,
      );
    }
  }

  protected initState(): SGDState {
    return { momentumBuffer: null };
  }

  protected update(param: Tensor, grad: Tensor, state: SGDState, group: ParamGroup<SGDGroupOptions>): void {
    const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
    const first = momentum !== 0 && state.momentumBuffer === null;
    if (first) state.momentumBuffer = zerosLike(param);
    sgdStep_(param, grad, state.momentumBuffer ?? param, { lr, momentum, dampening, weightDecay, nesterov, maximize, first });
  }
}
