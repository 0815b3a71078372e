import { ValueError, adamStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkNumber, checkOptions } from './options.js';
import type { ParamGroup, Params } from './optimizer.js';
import { FusedOptimizer } from './fused-optimizer.js';

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
  expAvg: Tensor;
  expAvgSq: Tensor;
  maxExpAvgSq?: Tensor;
}

/**
 * The shared machinery of `Adam` and `AdamW`, which differ only in how weight decay enters: added to the
 * gradient (L2 regularization) or applied to the parameter directly (decoupled).
 */
export abstract class AdamBase extends FusedOptimizer<AdamGroupOptions, AdamState> {
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
    const state: AdamState = { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param) };
    if (group.amsgrad) state.maxExpAvgSq = zerosLike(param);
    return state;
  }

  protected update(param: Tensor, grad: Tensor, state: AdamState, group: ParamGroup<AdamGroupOptions>): void {
    const { lr, eps, weightDecay, amsgrad, maximize } = group;
    const [beta1, beta2] = group.betas;
    state.step += 1;
    const stepSize = lr / (1 - beta1 ** state.step);
    const bias2Sqrt = Math.sqrt(1 - beta2 ** state.step);
    const vMax = amsgrad ? (state.maxExpAvgSq ??= zerosLike(param)) : state.expAvgSq;
    const shrink = 1 - lr * weightDecay;
    adamStep_(param, grad, state.expAvg, state.expAvgSq, vMax, {
      beta1, beta2, eps, weightDecay, amsgrad, maximize, decoupled: this.decoupled, stepSize, bias2Sqrt, shrink,
    });
  }
}
