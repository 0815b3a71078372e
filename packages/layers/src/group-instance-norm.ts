import { ShapeError, ValueError, copy_, fmtShape, ones, zeros, type Tensor } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { checkBoolean, checkDtype, checkInt, checkNumber, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';

/** Options of `GroupNorm`, with PyTorch's defaults. */
export interface GroupNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-channel scale `weight` (ones) and shift `bias` (zeros) (default true). */
  affine?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/** `[1, C, 1, …]` for a per-channel tensor against an `[N, C, *]` input. */
function perChannel(t: Tensor, rank: number): Tensor {
  return t.reshape([1, t.size, ...new Array<number>(rank - 2).fill(1)]);
}

/**
 * Group normalization (Wu and He, 2018), as PyTorch's `nn.GroupNorm`: the C channels of each sample are
 * split into `numGroups` groups of adjacent channels, and each group is normalized over its channels and
 * all spatial positions: y = (x − E[x]) / √(Var[x] + eps) · γ + β, with the biased variance and γ
 * (`weight`, ones), β (`bias`, zeros) per channel `[C]`. Input `[N, C, *]`; the same in training and
 * evaluation, and independent of the batch size. Defaults: eps 1e-5, affine true.
 *
 * @example
 * const gn = new GroupNorm(2, 6);
 * gn.call(randn([4, 6, 5, 5])).shape; // [4, 6, 5, 5]
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  readonly dtype: ParamDType;

  constructor(numGroups: number, numChannels: number, options: GroupNormOptions = {}) {
    super();
    this.numGroups = checkInt('GroupNorm', 'numGroups', numGroups);
    this.numChannels = checkInt('GroupNorm', 'numChannels', numChannels);
    if (numChannels % numGroups !== 0) throw new ValueError('GroupNorm', `numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.eps = checkNumber('GroupNorm', 'eps', options.eps ?? 1e-5, 0);
    this.affine = checkBoolean('GroupNorm', 'affine', options.affine ?? true);
    this.dtype = checkDtype('GroupNorm', options.dtype);
    this.registerParameter('weight', this.affine ? ones([numChannels], { dtype: this.dtype }).requiresGrad_() : null);
    this.registerParameter('bias', this.affine ? zeros([numChannels], { dtype: this.dtype }).requiresGrad_() : null);
  }

  /** γ `[C]`, or `null` without affine. */
  get weight(): Tensor | null {
    return this.getParameter('weight') ?? null;
  }

  /** β `[C]`, or `null` without affine. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  forward(x: Tensor): Tensor {
    if (x.rank < 2 || x.shape[1] !== this.numChannels) {
      throw new ShapeError('GroupNorm', `expected input of shape [N, ${this.numChannels}, *], got ${fmtShape(x.shape)}`);
    }
    const grouped = x.reshape([x.shape[0], this.numGroups, -1]);
    const centered = grouped.sub(grouped.mean(2, true));
    let y = centered.mul(centered.square().mean(2, true).add(this.eps).rsqrt()).reshape(x.shape);
    if (this.affine) y = y.mul(perChannel(this.weight!, x.rank)).add(perChannel(this.bias!, x.rank));
    return y;
  }

  override toConfig(): LayerConfig {
    return { type: 'GroupNorm', numGroups: this.numGroups, numChannels: this.numChannels, eps: this.eps, affine: this.affine, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig): GroupNorm {
    const o = configOptions('GroupNorm', config, ['numGroups', 'numChannels', 'eps', 'affine', 'dtype']);
    return new GroupNorm(o.numGroups as number, o.numChannels as number, o as GroupNormOptions);
  }
}

/** Options of `InstanceNorm1d` and `InstanceNorm2d`, with PyTorch's defaults. */
export interface InstanceNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale `weight` (ones) and shift `bias` (zeros) (default false). */
  affine?: boolean;
  /** Keep running statistics and normalize with them in evaluation (default false). */
  trackRunningStats?: boolean;
  /** Parameter and statistics dtype (default float32). */
  dtype?: ParamDType;
}

const INSTANCE_OPTIONS = ['numFeatures', 'eps', 'momentum', 'affine', 'trackRunningStats', 'dtype'];

/**
 * What `InstanceNorm1d` and `InstanceNorm2d` share (PyTorch's `_InstanceNorm`): each channel of each
 * sample is normalized over its spatial positions, y = (x − E[x]) / √(Var[x] + eps) (· γ + β with affine).
 * With `trackRunningStats`, training moves `running_mean`/`running_var` (buffers, as batch norm's) by the
 * batch average of the instance statistics (unbiased variance), and evaluation normalizes with them.
 */
export abstract class InstanceNorm extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  readonly dtype: ParamDType;

  protected constructor(
    private readonly layer: 'InstanceNorm1d' | 'InstanceNorm2d',
    private readonly spatial: number,
    numFeatures: number,
    options: InstanceNormOptions,
  ) {
    super();
    this.numFeatures = checkInt(layer, 'numFeatures', numFeatures);
    this.eps = checkNumber(layer, 'eps', options.eps ?? 1e-5, 0);
    this.momentum = checkNumber(layer, 'momentum', options.momentum ?? 0.1, 0);
    this.affine = checkBoolean(layer, 'affine', options.affine ?? false);
    this.trackRunningStats = checkBoolean(layer, 'trackRunningStats', options.trackRunningStats ?? false);
    this.dtype = checkDtype(layer, options.dtype);
    const dtype = this.dtype;
    this.registerParameter('weight', this.affine ? ones([numFeatures], { dtype }).requiresGrad_() : null);
    this.registerParameter('bias', this.affine ? zeros([numFeatures], { dtype }).requiresGrad_() : null);
    this.registerBuffer('running_mean', this.trackRunningStats ? zeros([numFeatures], { dtype }) : null);
    this.registerBuffer('running_var', this.trackRunningStats ? ones([numFeatures], { dtype }) : null);
    this.registerBuffer('num_batches_tracked', this.trackRunningStats ? zeros([], { dtype: 'int32' }) : null);
  }

  /** γ `[C]`, or `null` without affine. */
  get weight(): Tensor | null {
    return this.getParameter('weight') ?? null;
  }

  /** β `[C]`, or `null` without affine. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  /** Running mean `[C]`, or `null` without `trackRunningStats`. */
  get runningMean(): Tensor | null {
    return this.getBuffer('running_mean') ?? null;
  }

  /** Running variance `[C]`, or `null` without `trackRunningStats`. */
  get runningVar(): Tensor | null {
    return this.getBuffer('running_var') ?? null;
  }

  forward(input: Tensor): Tensor {
    const r = this.spatial + 2;
    const unbatched = input.rank === r - 1;
    const x = unbatched ? input.unsqueeze(0) : input;
    if (x.rank !== r || x.shape[1] !== this.numFeatures) {
      const dims = this.spatial === 1 ? 'L' : 'H, W';
      throw new ShapeError(this.layer, `expected input of shape [N, ${this.numFeatures}, ${dims}] or [${this.numFeatures}, ${dims}], got ${fmtShape(input.shape)}`);
    }
    const axes = Array.from({ length: this.spatial }, (_, i) => i + 2);
    let y: Tensor;
    if (this.training || !this.trackRunningStats) {
      const positions = x.size / (x.shape[0] * x.shape[1]);
      if (this.training && positions <= 1) {
        throw new ValueError(this.layer, `expected more than 1 spatial element per channel when training, got input of shape ${fmtShape(input.shape)}`);
      }
      const mean = x.mean(axes, true);
      const centered = x.sub(mean);
      const variance = centered.square().mean(axes, true);
      y = centered.mul(variance.add(this.eps).rsqrt());
      if (this.training && this.trackRunningStats) this.updateRunningStats(mean, variance, positions);
    } else {
      y = x.sub(perChannel(this.runningMean!, r)).mul(perChannel(this.runningVar!, r).add(this.eps).rsqrt());
    }
    if (this.affine) y = y.mul(perChannel(this.weight!, r)).add(perChannel(this.bias!, r));
    return unbatched ? y.squeeze(0) : y;
  }

  /**
   * running ← (1 − m)·running + m·(batch mean of the instance statistics), the variance unbiased over each
   * instance. As in PyTorch, `num_batches_tracked` is kept for the state dict but not counted.
   */
  private updateRunningStats(mean: Tensor, biasedVariance: Tensor, positions: number): void {
    noGrad(() => {
      const m = this.momentum;
      const rm = this.runningMean!;
      const rv = this.runningVar!;
      const batchMean = mean.mean(0).reshape(rm.shape);
      const batchVar = biasedVariance.mean(0).reshape(rv.shape).mul(positions / (positions - 1));
      copy_(rm, rm.mul(1 - m).add(batchMean.mul(m)));
      copy_(rv, rv.mul(1 - m).add(batchVar.mul(m)));
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

/**
 * Instance normalization of `[N, C, L]` (or unbatched `[C, L]`) inputs, as PyTorch's `nn.InstanceNorm1d`:
 * each channel of each sample normalized over its length (see `InstanceNorm`). Defaults: eps 1e-5,
 * momentum 0.1, affine false, trackRunningStats false.
 *
 * @example new InstanceNorm1d(4).call(randn([2, 4, 10])).mean(2); // ≈ 0 everywhere
 */
export class InstanceNorm1d extends InstanceNorm {
  constructor(numFeatures: number, options: InstanceNormOptions = {}) {
    super('InstanceNorm1d', 1, numFeatures, options);
  }
  static fromConfig(config: LayerConfig): InstanceNorm1d {
    const o = configOptions('InstanceNorm1d', config, INSTANCE_OPTIONS);
    return new InstanceNorm1d(o.numFeatures as number, o as InstanceNormOptions);
  }
}

/**
 * Instance normalization of `[N, C, H, W]` (or unbatched `[C, H, W]`) inputs, as PyTorch's
 * `nn.InstanceNorm2d` (style transfer's normalization); statistics and defaults as `InstanceNorm1d`.
 *
 * @example new InstanceNorm2d(3, { affine: true }).call(randn([2, 3, 8, 8])).shape; // [2, 3, 8, 8]
 */
export class InstanceNorm2d extends InstanceNorm {
  constructor(numFeatures: number, options: InstanceNormOptions = {}) {
    super('InstanceNorm2d', 2, numFeatures, options);
  }
  static fromConfig(config: LayerConfig): InstanceNorm2d {
    const o = configOptions('InstanceNorm2d', config, INSTANCE_OPTIONS);
    return new InstanceNorm2d(o.numFeatures as number, o as InstanceNormOptions);
  }
}
