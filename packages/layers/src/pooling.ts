import { ShapeError, ValueError, adaptiveAvgPool2d, avgPool2d, fmtShape, maxPool1d, maxPool2d, type Tensor } from '@backprop/tensor';
import { checkBoolean, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';
import { spatialList, type SpatialSize } from './spatial.js';

/** Options of `MaxPool1d` and `MaxPool2d`, with PyTorch's defaults. */
export interface MaxPoolLayerOptions {
  /** Step between windows (default: `kernelSize`, PyTorch's `stride=None`). */
  stride?: SpatialSize | null;
  /** −∞ padding on both sides (default 0), at most half the kernel. */
  padding?: SpatialSize;
  /** Spacing between window elements (default 1). */
  dilation?: SpatialSize;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

function checkInput(layer: string, x: Tensor, spatial: number): void {
  if (x.rank !== spatial + 1 && x.rank !== spatial + 2) {
    const layout = spatial === 1 ? '[N, C, L] or [C, L]' : '[N, C, H, W] or [C, H, W]';
    throw new ShapeError(layer, `expected input of shape ${layout}, got ${fmtShape(x.shape)}`);
  }
}

/**
 * Shared state of `MaxPool1d` and `MaxPool2d`; every size is stored expanded to one entry per dimension.
 * @example new MaxPool2d(3, { stride: 2 }).toConfig(); // { type: 'MaxPool2d', kernelSize: [3, 3], stride: [2, 2], … }
 */
export abstract class MaxPoolNd extends Module {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly ceilMode: boolean;

  protected constructor(private readonly layer: 'MaxPool1d' | 'MaxPool2d', private readonly spatial: number, kernelSize: SpatialSize, options: MaxPoolLayerOptions) {
    super();
    this.kernelSize = Object.freeze(spatialList(layer, 'kernelSize', kernelSize, spatial, 1));
    this.stride = Object.freeze(spatialList(layer, 'stride', options.stride ?? this.kernelSize, spatial, 1));
    this.padding = Object.freeze(spatialList(layer, 'padding', options.padding ?? 0, spatial, 0));
    this.dilation = Object.freeze(spatialList(layer, 'dilation', options.dilation ?? 1, spatial, 1));
    this.ceilMode = checkBoolean(layer, 'ceilMode', options.ceilMode ?? false);
    if (this.padding.some((p, i) => p > Math.floor(this.kernelSize[i] / 2))) {
      throw new ValueError(layer, `padding [${this.padding.join(', ')}] must be at most half of kernelSize [${this.kernelSize.join(', ')}]`);
    }
  }

  forward(x: Tensor): Tensor {
    checkInput(this.layer, x, this.spatial);
    const pool = this.spatial === 1 ? maxPool1d : maxPool2d;
    return pool(x, this.options());
  }

  override toConfig(): LayerConfig {
    return { type: this.layer, ...this.options() };
  }

  /** The op's options, which are also the config's fields. */
  private options() {
    return {
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      dilation: [...this.dilation],
      ceilMode: this.ceilMode,
    };
  }
}

const MAX_POOL_OPTIONS = ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'];

function maxPoolArgs(layer: string, config: LayerConfig): [SpatialSize, MaxPoolLayerOptions] {
  const o = configOptions(layer, config, MAX_POOL_OPTIONS);
  return [o.kernelSize as SpatialSize, o as MaxPoolLayerOptions];
}

/**
 * 2-D max pooling of `[N, C, H, W]` (or `[C, H, W]`) inputs, as PyTorch's `nn.MaxPool2d`:
 * out[n, c, i, j] = max_{p, q} x[n, c, i·sH − padH + p·dH, j·sW − padW + q·dW], padding counting as −∞.
 * Defaults: stride = kernelSize, padding 0, dilation 1, ceilMode false. The gradient goes to the first
 * maximum of each window.
 *
 * @example
 * new MaxPool2d(2).call(zeros([8, 6, 24, 24])).shape; // [8, 6, 12, 12]
 */
export class MaxPool2d extends MaxPoolNd {
  constructor(kernelSize: SpatialSize, options: MaxPoolLayerOptions = {}) {
    super('MaxPool2d', 2, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): MaxPool2d {
    return new MaxPool2d(...maxPoolArgs('MaxPool2d', config));
  }
}

/**
 * 1-D max pooling of `[N, C, L]` (or `[C, L]`) inputs, as PyTorch's `nn.MaxPool1d`:
 * out[n, c, i] = max_p x[n, c, i·s − pad + p·d]. Defaults as `MaxPool2d`.
 *
 * @example
 * new MaxPool1d(2).call(tensor([[[1, 3, 2, 5, 4]]])).toArray(); // [[[3, 5]]]
 */
export class MaxPool1d extends MaxPoolNd {
  constructor(kernelSize: SpatialSize, options: MaxPoolLayerOptions = {}) {
    super('MaxPool1d', 1, kernelSize, options);
  }
  static fromConfig(config: LayerConfig): MaxPool1d {
    return new MaxPool1d(...maxPoolArgs('MaxPool1d', config));
  }
}

/** Options of `AvgPool2d`, with PyTorch's defaults. */
export interface AvgPool2dOptions {
  /** Step between windows (default: `kernelSize`). */
  stride?: SpatialSize | null;
  /** Zero padding on both sides (default 0), at most half the kernel. */
  padding?: SpatialSize;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in each window's divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead (default null: the window size). */
  divisorOverride?: number | null;
}

/**
 * 2-D average pooling of `[N, C, H, W]` (or `[C, H, W]`) inputs, as PyTorch's `nn.AvgPool2d`:
 * out[n, c, i, j] = (1/|window|) Σ_{p, q} x[n, c, i·sH − padH + p, j·sW − padW + q], padding counting as
 * zeros. Defaults: stride = kernelSize, padding 0, ceilMode false, countIncludePad true (the divisor
 * includes padded positions), divisorOverride null.
 *
 * @example
 * new AvgPool2d(2).call(ones([1, 1, 4, 4])).toArray(); // [[[[1, 1], [1, 1]]]]
 */
export class AvgPool2d extends Module {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;

  constructor(kernelSize: SpatialSize, options: AvgPool2dOptions = {}) {
    super();
    const layer = 'AvgPool2d';
    this.kernelSize = Object.freeze(spatialList(layer, 'kernelSize', kernelSize, 2, 1));
    this.stride = Object.freeze(spatialList(layer, 'stride', options.stride ?? this.kernelSize, 2, 1));
    this.padding = Object.freeze(spatialList(layer, 'padding', options.padding ?? 0, 2, 0));
    this.ceilMode = checkBoolean(layer, 'ceilMode', options.ceilMode ?? false);
    this.countIncludePad = checkBoolean(layer, 'countIncludePad', options.countIncludePad ?? true);
    const divisor = options.divisorOverride ?? null;
    if (divisor !== null && (!Number.isInteger(divisor) || divisor === 0)) {
      throw new ValueError(layer, `divisorOverride must be a non-zero integer or null, got ${String(divisor)}`);
    }
    this.divisorOverride = divisor;
    if (this.padding.some((p, i) => p > Math.floor(this.kernelSize[i] / 2))) {
      throw new ValueError(layer, `padding [${this.padding.join(', ')}] must be at most half of kernelSize [${this.kernelSize.join(', ')}]`);
    }
  }

  forward(x: Tensor): Tensor {
    checkInput('AvgPool2d', x, 2);
    return avgPool2d(x, this.options());
  }

  override toConfig(): LayerConfig {
    return { type: 'AvgPool2d', ...this.options() };
  }

  /** The op's options, which are also the config's fields. */
  private options() {
    return {
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    };
  }

  static fromConfig(config: LayerConfig): AvgPool2d {
    const o = configOptions('AvgPool2d', config, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride']);
    return new AvgPool2d(o.kernelSize as SpatialSize, o as AvgPool2dOptions);
  }
}

/**
 * Average pooling to a fixed output size whatever the input size, as PyTorch's `nn.AdaptiveAvgPool2d`:
 * output cell i of n (per dimension) averages input positions ⌊i·H/n⌋ … ⌈(i+1)·H/n⌉ − 1. `outputSize` 1 is
 * global average pooling; a `null` entry keeps that input dimension.
 *
 * @example
 * new AdaptiveAvgPool2d(1).call(zeros([8, 512, 7, 7])).shape; // [8, 512, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: readonly (number | null)[];

  constructor(outputSize: number | readonly (number | null)[]) {
    super();
    const list = typeof outputSize === 'number' ? [outputSize, outputSize] : Array.isArray(outputSize) ? [...(outputSize as unknown[])] : [];
    if (list.length !== 2 || list.some((s) => s !== null && (typeof s !== 'number' || !Number.isInteger(s) || s < 1))) {
      throw new ValueError('AdaptiveAvgPool2d', `outputSize must be an integer ≥ 1 or a pair of them (or null), got ${JSON.stringify(outputSize)}`);
    }
    this.outputSize = Object.freeze(list as (number | null)[]);
  }

  forward(x: Tensor): Tensor {
    checkInput('AdaptiveAvgPool2d', x, 2);
    return adaptiveAvgPool2d(x, [...this.outputSize]);
  }

  override toConfig(): LayerConfig {
    return { type: 'AdaptiveAvgPool2d', outputSize: [...this.outputSize] };
  }

  static fromConfig(config: LayerConfig): AdaptiveAvgPool2d {
    return new AdaptiveAvgPool2d(configOptions('AdaptiveAvgPool2d', config, ['outputSize']).outputSize as number | (number | null)[]);
  }
}
