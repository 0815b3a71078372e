import { sparseAdamStep_, zerosLike, type Tensor } from '@backprop/tensor';
import { checkAdamLikeGroup } from './adam-family.js';
import { checkNumber } from './options.js';
import { FusedOptimizer } from './fused-optimizer.js';
import type { ParamGroup, Params } from './optimizer.js';

/** Options of `SparseAdam`. */
export interface SparseAdamOptions {
  lr?: number;
  betas?: readonly [number, number];
  eps?: number;
  maximize?: boolean;
}

/** A parameter group's resolved `SparseAdam` options. */
export type SparseAdamGroupOptions = Required<SparseAdamOptions>;

/** `SparseAdam`'s per-parameter state: step count, moment estimates, and the row length of the parameter. */
export interface SparseAdamState {
  step: number;
  expAvg: Tensor;
  expAvgSq: Tensor;
  /** Elements per row (a row is a slice along the first axis: one embedding). */
  rowSize: number;
}

/**
 * Lazy Adam for embeddings, as PyTorch 1.13's `torch.optim.SparseAdam`: only the rows (slices along the
 * first axis, e.g. the embeddings looked up in this batch) whose gradient is not all zero have their
 * moments and values updated; the other rows keep their moments, instead of decaying them as `Adam` would.
 * For a touched row with gradient g, at the parameter's step t (from 1, counted at every step):
 *
 * ```
 * if maximize: g ← −g
 * m ← m + (1 − β₁)·(g − m)
 * v ← v + (1 − β₂)·(g² − v)
 * θ ← θ − lr·√(1 − β₂ᵗ)/(1 − β₁ᵗ) · m/(√v + eps)
 * ```
 *
 * Gradients are dense here: a row counts as touched when any of its gradient elements is non-zero, where
 * PyTorch's sparse gradient lists every looked-up row (so a looked-up row with an exactly zero gradient
 * is updated there and skipped here). Defaults: `lr` 1e-3 (> 0), `betas` [0.9, 0.999], `eps` 1e-8 (> 0),
 * `maximize` false; no weight decay, as PyTorch.
 *
 * @example
 * const embedding = new Embedding(10000, 64);
 * const opt = new SparseAdam(embedding.parameters(), { lr: 1e-2 });
 */
export class SparseAdam extends FusedOptimizer<SparseAdamGroupOptions, SparseAdamState> {
  constructor(params: Params<SparseAdamGroupOptions>, options: SparseAdamOptions = {}) {
    super('SparseAdam', params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, maximize: false }, options);
  }

  protected checkGroup(group: ParamGroup<SparseAdamGroupOptions>, where: string): void {
    checkAdamLikeGroup('SparseAdam', group, where, [], ['maximize']);
    checkNumber('SparseAdam', 'lr', group.lr, { min: 0, minOpen: true }, where);
    checkNumber('SparseAdam', 'eps', group.eps, { min: 0, minOpen: true }, where);
  }

  protected initState(param: Tensor): SparseAdamState {
    const rowSize = param.rank === 0 || param.shape[0] === 0 ? param.size : param.size / param.shape[0];
    return { step: 0, expAvg: zerosLike(param), expAvgSq: zerosLike(param), rowSize };
  }

  protected update(param: Tensor, grad: Tensor, state: SparseAdamState, group: ParamGroup<SparseAdamGroupOptions>): void {
    const { lr, eps, maximize } = group;
    const [beta1, beta2] = group.betas;
    const t = (state.step += 1);
    const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    sparseAdamStep_(param, grad, state.expAvg, state.expAvgSq, { beta1, beta2, eps, maximize, stepSize, rowSize: state.rowSize });
  }
}
