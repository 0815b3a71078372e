import { nadamStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkAdamLikeGroup } from './adam-family.js';
import { FusedOptimizer } from './fused-optimizer.js';
import type { ParamGroup, Params } from './optimizer.js';

/** Options of `NAdam`. */
export interface NAdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  momentumDecay?: number;
}

/** A parameter group's resolved `NAdam` options. */
export type NAdamGroupOptions = Required<NAdamOptions>;

/** `NAdam`'s per-parameter state: step count, the running product of the momentum coefficients, moments. */
export interface NAdamState {
  step: number;
  muProduct: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * NAdam, Adam with Nesterov momentum (Dozat, 2016): PyTorch 1.13's `torch.optim.NAdam`. For each
 * parameter θ with gradient g, at step t (from 1), with ψ = `momentumDecay`:
 *
 * ```
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * μₜ ← β₁·(1 − ½·0.96^(t·ψ)),  μₜ₊₁ ← β₁·(1 − ½·0.96^((t+1)·ψ))
 * Π ← Π·μₜ                                   (Π starts at 1)
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * d ← √(v / (1 − β₂ᵗ)) + eps
 * θ ← θ − lr·(1 − μₜ)/(1 − Π) · g/d − lr·μₜ₊₁/(1 − Π·μₜ·μₜ₊₁) · m/d
 * ```
 *
 * The last denominator is PyTorch 1.13's, which multiplies μₜ into Π a second time (the paper has
 * 1 − Π·μₜ₊₁); it is kept so that trajectories match PyTorch's. Defaults: `lr` 2e-3, `betas` [0.9, 0.999],
 * `eps` 1e-8, `weightDecay` 0, `momentumDecay` 4e-3.
 *
 * @example
 * const opt = new NAdam(model.parameters(), { lr: 2e-3 });
 * opt.zeroGrad(); loss.backward(); opt.step();
 */
export class NAdam extends FusedOptimizer<NAdamGroupOptions, NAdamState> {
  constructor(params: Params<NAdamGroupOptions>, options: NAdamOptions = {}) {
    super('NAdam', params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3 }, options);
  }

  protected checkGroup(group: ParamGroup<NAdamGroupOptions>, where: string): void {
    checkAdamLikeGroup('NAdam', group, where, ['lr', 'eps', 'weightDecay', 'momentumDecay']);
  }

  protected initState(param: Tensor): NAdamState {
    return { step: 0, muProduct: 1, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: NAdamState, group: ParamGroup<NAdamGroupOptions>): void {
    const { lr, eps, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = group.betas;
    const t = (state.step += 1);
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
    state.muProduct *= mu;
    nadamStep_(param, grad, state.expAvg, state.expAvgSq, {
      beta1, beta2, eps, weightDecay, bias2: 1 - beta2 ** t,
      gradStep: (-lr * (1 - mu)) / (1 - state.muProduct),
      momentumStep: (-lr * muNext) / (1 - state.muProduct * mu * muNext),
    });
  }
}
