import { ShapeError, ValueError, adaptiveMaxPool1d, adaptiveMaxPool2d, avgPool1d, fmtShape, type Tensor } from '@backprop/tensor';
import { checkBoolean, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';
import { spatialList, type SpatialSize } from './spatial.js';

// AvgPool1d and the adaptive max-pooling layers, built like the layers of pooling.ts.

function checkInput(layer: string, x: Tensor, spatial: number): void {
  if (x.rank !== spatial + 1 && x.rank !== spatial + 2) {
    const layout = spatial === 1 ? '[N, C, L] or [C, L]' : '[N, C, H, W] or [C, H, W]';
    throw new ShapeError(layer, `expected input of shape ${layout}, got ${fmtShape(x.shape)}`);
  }
}

/** Options of `AvgPool1d`, with PyTorch's defaults. */
export interface AvgPool1dOptions {
  /** Step between windows (default: `kernelSize`). */
  stride?: SpatialSize | null;
  /** Zero padding on both sides (default 0), at most half the kernel. */
  padding?: SpatialSize;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the zero padding in each window's divisor (default true). */
  countIncludePad?: boolean;
}

/**
 * 1-D average pooling of `[N, C, L]` (or `[C, L]`) inputs, as PyTorch's `nn.AvgPool1d`:
 * out[n, c, i] = (1/k) Σ_p x[n, c, i·s − pad + p], padding counting as zeros. Defaults: stride =
 * kernelSize, padding 0, ceilMode false, countIncludePad true.
 *
 * @example
 * new AvgPool1d(2).call(tensor([[[1, 2, 3, 4]]])).toArray(); // [[[1.5, 3.5]]]
 */
export class AvgPool1d extends Module {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;

  constructor(kernelSize: SpatialSize, options: AvgPool1dOptions = {}) {
    super();
    const layer = 'AvgPool1d';
    this.kernelSize = Object.freeze(spatialList(layer, 'kernelSize', kernelSize, 1, 1));
    this.stride = Object.freeze(spatialList(layer, 'stride', options.stride ?? this.kernelSize, 1, 1));
    this.padding = Object.freeze(spatialList(layer, 'padding', options.padding ?? 0, 1, 0));
    this.ceilMode = checkBoolean(layer, 'ceilMode', options.ceilMode ?? false);
    this.countIncludePad = checkBoolean(layer, 'countIncludePad', options.countIncludePad ?? true);
    if (this.padding[0] > Math.floor(this.kernelSize[0] / 2)) {
      throw new ValueError(layer, `padding [${this.padding[0]}] must be at most half of kernelSize [${this.kernelSize[0]}]`);
    }
  }

  forward(x: Tensor): Tensor {
    checkInput('AvgPool1d', x, 1);
    return avgPool1d(x, this.options());
  }

  override toConfig(): LayerConfig {
    return { type: 'AvgPool1d', ...this.options() };
  }

  /** The op's options, which are also the config's fields. */
  private options() {
    return {
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    };
  }

  static fromConfig(config: LayerConfig): AvgPool1d {
    const o = configOptions('AvgPool1d', config, ['kernelSize', 'stride', 'padding', 'ceilMode', 'countIncludePad']);
    return new AvgPool1d(o.kernelSize as SpatialSize, o as AvgPool1dOptions);
  }
}

function outputSizes(layer: string, outputSize: unknown, spatial: number): (number | null)[] {
  const list = typeof outputSize === 'number' ? new Array<unknown>(spatial).fill(outputSize) : Array.isArray(outputSize) ? [...(outputSize as unknown[])] : [];
  const nullable = spatial === 2;
  if (list.length !== spatial || list.some((s) => !(nullable && s === null) && (typeof s !== 'number' || !Number.isInteger(s) || s < 1))) {
    const what = spatial === 1 ? 'an integer ≥ 1' : 'an integer ≥ 1 or a pair of them (or null)';
    throw new ValueError(layer, `outputSize must be ${what}, got ${JSON.stringify(outputSize)}`);
  }
  return list as (number | null)[];
}

/**
 * Max pooling to a fixed output size whatever the input size, as PyTorch's `nn.AdaptiveMaxPool2d`: output
 * cell i of n (per dimension) is the maximum over input positions ⌊i·H/n⌋ … ⌈(i+1)·H/n⌉ − 1; a `null`
 * entry keeps that input dimension. For the argmax indices use the op `adaptiveMaxPool2dWithIndices`.
 *
 * @example
 * new AdaptiveMaxPool2d([4, 4]).call(zeros([8, 16, 13, 9])).shape; // [8, 16, 4, 4]
 */
export class AdaptiveMaxPool2d extends Module {
  readonly outputSize: readonly (number | null)[];

  constructor(outputSize: number | readonly (number | null)[]) {
    super();
    this.outputSize = Object.freeze(outputSizes('AdaptiveMaxPool2d', outputSize, 2));
  }

  forward(x: Tensor): Tensor {
    checkInput('AdaptiveMaxPool2d', x, 2);
    return adaptiveMaxPool2d(x, [...this.outputSize]);
  }

  override toConfig(): LayerConfig {
    return { type: 'AdaptiveMaxPool2d', outputSize: [...this.outputSize] };
  }

  static fromConfig(config: LayerConfig): AdaptiveMaxPool2d {
    return new AdaptiveMaxPool2d(configOptions('AdaptiveMaxPool2d', config, ['outputSize']).outputSize as number | (number | null)[]);
  }
}

/**
 * 1-D adaptive max pooling of `[N, C, L]` (or `[C, L]`) inputs to `outputSize` positions, as PyTorch's
 * `nn.AdaptiveMaxPool1d`.
 *
 * @example
 * new AdaptiveMaxPool1d(2).call(tensor([[[1, 5, 2, 4, 3]]])).toArray(); // [[[5, 4]]]
 */
export class AdaptiveMaxPool1d extends Module {
  readonly outputSize: number;

  constructor(outputSize: number) {
    super();
    this.outputSize = outputSizes('AdaptiveMaxPool1d', outputSize, 1)[0]!;
  }

  forward(x: Tensor): Tensor {
    checkInput('AdaptiveMaxPool1d', x, 1);
    return adaptiveMaxPool1d(x, this.outputSize);
  }

  override toConfig(): LayerConfig {
    return { type: 'AdaptiveMaxPool1d', outputSize: this.outputSize };
  }

  static fromConfig(config: LayerConfig): AdaptiveMaxPool1d {
    return new AdaptiveMaxPool1d(configOptions('AdaptiveMaxPool1d', config, ['outputSize']).outputSize as number);
  }
}
