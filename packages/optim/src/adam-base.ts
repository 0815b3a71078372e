import { ValueError, type Tensor } from '@backprop/tensor';
import { checkNumber, checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { PerParameterOptimizer, zerosLike } from './per-parameter-optimizer.js';
import type { FloatArray } from './state-dict.js';

/** Options of `Adam` and `AdamW`. */
export interface AdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  weightDecay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

/** A parameter group's resolved `Adam`/`AdamW` options. */
export type AdamGroupOptions = Required<AdamOptions>;

/** Per-parameter state of `Adam`/`AdamW`: step count and moment estimates (`maxExpAvgSq` with amsgrad). */
export interface AdamState {
  step: number;
  expAvg: FloatArray;
  expAvgSq: FloatArray;
  maxExpAvgSq?: FloatArray;
}

/**
 * The shared machinery of `Adam` and `AdamW`, which differ only in how weight decay enters: added to the
 * gradient (L2 regularization) or applied to the parameter directly (decoupled).
 */
export abstract class AdamBase extends PerParameterOptimizer<AdamGroupOptions, AdamState> {
  private readonly decoupled: boolean;

  protected constructor(
    name: string,
    params: Params<AdamGroupOptions>,
    defaults: AdamGroupOptions,
    options: AdamOptions,
    decoupled: boolean,
  ) {
    super(name, params, defaults, options);
    this.decoupled = decoupled;
  }

  protected checkGroup(group: ParamGroup<AdamGroupOptions>, where: string): void {
    if (!Array.isArray(group.betas) || group.betas.length !== 2) {
      throw new ValueError(this.name, `betas must be a pair [beta1, beta2]${where}, got ${JSON.stringify(group.betas)}`);
    }
    checkNumber(this.name, 'betas[0]', group.betas[0], { min: 0, max: 1, maxOpen: true }, where);
    checkNumber(this.name, 'betas[1]', group.betas[1], { min: 0, max: 1, maxOpen: true }, where);
    checkOptions(this.name, group, { nonNegative: ['lr', 'eps', 'weightDecay'], flags: ['amsgrad', 'maximize'] }, where);
  }

  protected initState(param: Tensor, group: ParamGroup<AdamGroupOptions>): AdamState {
    const data = param.data as FloatArray;
    const state: AdamState = { step: 0, expAvg: zerosLike(data), expAvgSq: zerosLike(data) };
    if (group.amsgrad) state.maxExpAvgSq = zerosLike(data);
    return state;
  }

  protected update(param: FloatArray, grad: FloatArray, state: AdamState, group: ParamGroup<AdamGroupOptions>): void {
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    state.step += 1;
    const stepSize = lr / (1 - beta1 ** state.step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** state.step);
    const m = state.expAvg;
    const v = state.expAvgSq;
    const vMax = amsgrad ? (state.maxExpAvgSq ??= zerosLike(param)) : v;
    const shrink = 1 - lr * weightDecay;
    for (let i = 0; i < param.length; i++) {
      let g = maximize ? -grad[i] : grad[i];
      if (this.decoupled) param[i] *= shrink;
      else if (weightDecay !== 0) g += weightDecay * param[i];
      m[i] = m[i] * beta1 + (1 - beta1) * g;
      v[i] = v[i] * beta2 + (1 - beta2) * g * g;
      if (amsgrad) vMax[i] = Math.max(vMax[i], v[i]);
      // Same association as PyTorch: (√v / √(1 − β₂ᵗ)) + ε, then θ − (lr / (1 − β₁ᵗ))·m / denom.
      const denom = Math.sqrt(vMax[i]) / bias2Sqrt + eps;
      param[i] += -stepSize * (m[i] / denom);
    }
  }
}
