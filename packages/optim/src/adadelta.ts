import type { Tensor } from '@backprop/tensor';
import { checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { PerParameterOptimizer, zerosLike } from './per-parameter-optimizer.js';
import type { FloatArray } from './state-dict.js';

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
  squareAvg: FloatArray;
  accDelta: FloatArray;
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
export class Adadelta extends PerParameterOptimizer<AdadeltaGroupOptions, AdadeltaState> {
  constructor(params: Params<AdadeltaGroupOptions>, options: AdadeltaOptions = {}) {
    super('Adadelta', params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }

  protected checkGroup(group: ParamGroup<AdadeltaGroupOptions>, where: string): void {
    const spec = { nonNegative: ['lr', 'eps', 'weightDecay'], ranges: { rho: { min: 0, max: 1 } }, flags: ['maximize'] };
    checkOptions('Adadelta', group, spec, where);
  }

  protected initState(param: Tensor): AdadeltaState {
    const data = param.data as FloatArray;
    return { step: 0, squareAvg: zerosLike(data), accDelta: zerosLike(data) };
  }

  protected update(param: FloatArray, grad: FloatArray, state: AdadeltaState, group: ParamGroup<AdadeltaGroupOptions>): void {
    const { lr, rho, eps, weightDecay, maximize } = group;
    state.step += 1;
    const v = state.squareAvg;
    const u = state.accDelta;
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (weightDecay !== 0) g += weightDecay * param[i];
      v[i] = v[i] * rho + (1 - rho) * g * g;
      const delta = (Math.sqrt(u[i] + eps) / Math.sqrt(v[i] + eps)) * g;
      u[i] = u[i] * rho + (1 - rho) * delta * delta;
      param[i] += -lr * delta;
    }
  }
}
