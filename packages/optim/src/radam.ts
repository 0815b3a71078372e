import { radamStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkAdamLikeGroup } from './adam-family.js';
import { FusedOptimizer } from './fused-optimizer.js';
import type { ParamGroup, Params } from './optimizer.js';

/** Options of `RAdam`. */
export interface RAdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
}

/** A parameter group's resolved `RAdam` options. */
export type RAdamGroupOptions = Required<RAdamOptions>;

/** `RAdam`'s per-parameter state: step count and moment estimates. */
export interface RAdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
}

/**
 * RAdam, Adam with the variance of its adaptive learning rate rectified (Liu et al., 2020): PyTorch 1.13's
 * `torch.optim.RAdam`. For each parameter θ with gradient g, at step t (from 1):
 *
 * ```
 * if weightDecay ≠ 0: g ← g + weightDecay·θ
 * m ← β₁·m + (1 − β₁)·g
 * v ← β₂·v + (1 − β₂)·g²
 * m̂ ← m / (1 − β₁ᵗ)
 * ρ∞ ← 2/(1 − β₂) − 1,  ρₜ ← ρ∞ − 2t·β₂ᵗ/(1 − β₂ᵗ)
 * if ρₜ > 5: r ← √((ρₜ − 4)(ρₜ − 2)ρ∞ / ((ρ∞ − 4)(ρ∞ − 2)ρₜ)),  θ ← θ − lr·m̂·r·√(1 − β₂ᵗ)/(√v + eps)
 * else:      θ ← θ − lr·m̂                      (SGD with momentum while the variance is intractable)
 * ```
 *
 * Defaults: `lr` 1e-3, `betas` [0.9, 0.999], `eps` 1e-8, `weightDecay` 0.
 *
 * @example
 * const opt = new RAdam(model.parameters(), { lr: 1e-3 }); // no warm-up schedule needed
 */
export class RAdam extends FusedOptimizer<RAdamGroupOptions, RAdamState> {
  constructor(params: Params<RAdamGroupOptions>, options: RAdamOptions = {}) {
    super('RAdam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 }, options);
  }

  protected checkGroup(group: ParamGroup<RAdamGroupOptions>, where: string): void {
    checkAdamLikeGroup('RAdam', group, where, ['lr', 'eps', 'weightDecay']);
  }

  protected initState(param: Tensor): RAdamState {
    return { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
  }

  protected update(param: Tensor, grad: Tensor, state: RAdamState, group: ParamGroup<RAdamGroupOptions>): void {
    const { lr, eps, weightDecay } = group;
    const [beta1, beta2] = group.betas;
    const t = (state.step += 1);
    const bias1 = 1 - beta1 ** t;
    const bias2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rho = rhoInf - (2 * t * beta2 ** t) / bias2;
    // rect 0 tells the kernel the variance is not tractable yet (ρₜ ≤ 5): a plain momentum step.
    const rect = rho > 5 ? Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
    radamStep_(param, grad, state.expAvg, state.expAvgSq, { lr, beta1, beta2, eps, weightDecay, bias1, bias2, rect });
  }
}
