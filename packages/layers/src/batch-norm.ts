import { ShapeError, ValueError, addInPlace_, cast, copy_, fill_, fmtShape, mul, ones, reciprocal, scalar, sub, zeros, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { checkBoolean, checkDtype, checkInt, checkNumber, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';

/** Options of `BatchNorm1d` and `BatchNorm2d`, with PyTorch's defaults. */
export interface BatchNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); `null` for a cumulative average. */
  momentum?: number | null;
  /** Learn a per-channel scale `weight` (ones) and shift `bias` (zeros) (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them batch statistics are used always. */
  trackRunningStats?: boolean;
  /** Parameter and statistics dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * Batch normalization over channel dimension 1, shared by `BatchNorm1d` and `BatchNorm2d` (PyTorch's
 * `_BatchNorm`). State, in PyTorch's `state_dict` order: `weight [C]`, `bias [C]` (with `affine`),
 * buffers `running_mean [C]` (zeros), `running_var [C]` (ones) and `num_batches_tracked` (int32 scalar;
 * int64 in PyTorch) with `trackRunningStats`.
 *
 * @example
 * model.modules().filter((m) => m instanceof BatchNorm).forEach((bn) => bn.resetRunningStats());
 */
export abstract class BatchNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly dtype: ParamDType;

  protected constructor(private readonly layer: 'BatchNorm1d' | 'BatchNorm2d', numFeatures: number, options: BatchNormOptions) {
    super();
    this.numFeatures = checkInt(layer, 'numFeatures', numFeatures);
    this.eps = checkNumber(layer, 'eps', options.eps ?? 1e-5, 0);
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.momentum = momentum === null ? null : checkNumber(layer, 'momentum', momentum, 0);
    this.affine = checkBoolean(layer, 'affine', options.affine ?? true);
    this.trackRunningStats = checkBoolean(layer, 'trackRunningStats', options.trackRunningStats ?? true);
    this.dtype = checkDtype(layer, options.dtype);
    const c = [this.numFeatures];
    this.registerParameter('weight', this.affine ? ones(c, { dtype: this.dtype }).requiresGrad_() : null);
    this.registerParameter('bias', this.affine ? zeros(c, { dtype: this.dtype }).requiresGrad_() : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros(c, { dtype: this.dtype }) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones(c, { dtype: this.dtype }) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? zeros([], { dtype: 'int32' }) : null);
  }

  /** Per-channel scale γ `[C]` (ones at first), or `null` without `affine`. */
  get weight(): Tensor | null {
    return this.getParameter('weight') ?? null;
  }

  /** Per-channel shift β `[C]` (zeros at first), or `null` without `affine`. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  /** Running mean `[C]`, or `null` without `trackRunningStats`. */
  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean') ?? null;
  }

  /** Running (unbiased) variance `[C]`, or `null` without `trackRunningStats`. */
  get runningVar(): Tensor | null {
    return this.getBuffer('running_var') ?? null;
  }

  /** Number of training batches seen (int32 scalar), or `null` without `trackRunningStats`. */
  get numBatchesTracked(): Tensor | null {
    return this.getBuffer('num_batches_tracked') ?? null;
  }

  /** Resets the running statistics to mean 0, variance 1 and 0 batches (PyTorch's `reset_running_stats`). */
  resetRunningStats(): void {
    if (this.runningMean) fill_(this.runningMean, 0);
    if (this.runningVar) fill_(this.runningVar, 1);
    if (this.numBatchesTracked) fill_(this.numBatchesTracked, 0);
  }

  /** Throws unless `x` has a layout this layer accepts, naming the layer, the shape and what was expected. */
  protected abstract checkInput(x: Tensor): void;

  forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new ShapeError(this.layer, `expected ${this.numFeatures} channels in dimension 1, got input of shape ${fmtShape(x.shape)}`);
    }
    const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, i) => i + 2)];
    const perChannel = [1, this.numFeatures, ...new Array<number>(x.rank - 2).fill(1)];
    // As PyTorch: batch statistics in training, and always when no running statistics are kept.
    const useBatchStats = this.training || !this.trackRunningStats;
    let y: Tensor;
    if (useBatchStats) {
      const n = x.size / this.numFeatures;
      if (this.training && n <= 1) {
        throw new ValueError(this.layer, `expected more than 1 value per channel when training, got input of shape ${fmtShape(x.shape)}`);
      }
      const mean = x.mean(axes, true);
      const centered = x.sub(mean);
      // Normalization divides by the biased variance (the batch's own spread)…
      const variance = centered.square().mean(axes, true);
      y = centered.mul(variance.add(this.eps).rsqrt());
      if (this.training && this.trackRunningStats) this.updateRunningStats(mean, variance, n);
    } else {
      const mean = this.runningMean!.reshape(perChannel);
      const variance = this.runningVar!.reshape(perChannel);
      y = x.sub(mean).mul(variance.add(this.eps).rsqrt());
    }
    if (this.affine) y = y.mul(this.weight!.reshape(perChannel)).add(this.bias!.reshape(perChannel));
    return y;
  }

  /** running ← (1 − m)·running + m·batch, with m = momentum, or 1/numBatchesTracked for a cumulative average. */
  private updateRunningStats(mean: Tensor, biasedVariance: Tensor, n: number): void {
    noGrad(() => {
      const count = this.numBatchesTracked!;
      addInPlace_(count, scalar(1, 'int32'));
      const rm = this.runningMean!;
      const rv = this.runningVar!;
      // The cumulative average reads its count on the host where it lives there; on a device it takes
      // 1/count as a tensor op (reading it back would stall the device), so the step stays there.
      const m = this.momentum ?? (count.storage.isHost ? 1 / count.item() : reciprocal(cast(count, rm.dtype)));
      // …while the running variance estimates the population's: the unbiased n/(n − 1) correction.
      const unbias = n / (n - 1);
      const keep = typeof m === 'number' ? 1 - m : sub(1, m);
      const varianceScale = typeof m === 'number' ? m * unbias : mul(m, unbias);
      copy_(rm, rm.mul(keep).add(mean.reshape(rm.shape).mul(m)));
      copy_(rv, rv.mul(keep).add(biasedVariance.reshape(rv.shape).mul(varianceScale)));
    });
  }

  override toConfig(): LayerConfig {
    return {
      type: this.layer,
      numFeatures: this.numFeatures,
      eps: this.eps,
      momentum: this.momentum,
      affine: this.affine,
      trackRunningStats: this.trackRunningStats,
      dtype: this.dtype,
    };
  }
}

const BATCH_NORM_OPTIONS = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'];

/**
 * Batch normalization of `[N, C]` or `[N, C, L]` inputs over the batch (and length), per channel, as
 * PyTorch's `nn.BatchNorm1d`: y = (x − E[x]) / √(Var[x] + eps) · γ + β. In training E and Var are the
 * batch's mean and biased variance, and the running statistics move by
 * running ← (1 − momentum)·running + momentum·batch, using the unbiased variance; in `eval()` the running
 * statistics normalize. Defaults: eps 1e-5, momentum 0.1, affine true, trackRunningStats true.
 *
 * @example
 * const bn = new BatchNorm1d(4);
 * bn.call(randn([8, 4]));   // training: normalized with the batch's statistics, running stats updated
 * bn.eval().call(randn([2, 4]));
 */
export class BatchNorm1d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm1d', numFeatures, options);
  }
  protected checkInput(x: Tensor): void {
    if (x.rank !== 2 && x.rank !== 3) {
      throw new ShapeError('BatchNorm1d', `expected input of shape [N, ${this.numFeatures}] or [N, ${this.numFeatures}, L], got ${fmtShape(x.shape)}`);
    }
  }
  static fromConfig(config: LayerConfig): BatchNorm1d {
    const o = configOptions('BatchNorm1d', config, BATCH_NORM_OPTIONS);
    return new BatchNorm1d(o.numFeatures as number, o as BatchNormOptions);
  }
}

/**
 * Batch normalization of `[N, C, H, W]` inputs over the batch and both spatial dimensions, per channel,
 * as PyTorch's `nn.BatchNorm2d`; formula, statistics and defaults as `BatchNorm1d`.
 *
 * @example
 * const block = new Sequential(new Conv2d(3, 8, 3, { bias: false }), new BatchNorm2d(8), new ReLU());
 */
export class BatchNorm2d extends BatchNorm {
  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super('BatchNorm2d', numFeatures, options);
  }
  protected checkInput(x: Tensor): void {
    if (x.rank !== 4) {
      throw new ShapeError('BatchNorm2d', `expected input of shape [N, ${this.numFeatures}, H, W], got ${fmtShape(x.shape)}`);
    }
  }
  static fromConfig(config: LayerConfig): BatchNorm2d {
    const o = configOptions('BatchNorm2d', config, BATCH_NORM_OPTIONS);
    return new BatchNorm2d(o.numFeatures as number, o as BatchNormOptions);
  }
}
