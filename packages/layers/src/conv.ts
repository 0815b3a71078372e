import { ValueError, conv1d, conv2d, type Generator, type Tensor } from '@backprop/tensor';
import { checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { WeightBiasModule } from './weight-bias.js';
import type { BuildContext } from './registry.js';
import { checkChannels, spatialList, type SpatialSize } from './spatial.js';

/** Options of `Conv1d` and `Conv2d`, with PyTorch's defaults. */
export interface ConvLayerOptions {
  /** Step between windows (default 1). */
  stride?: SpatialSize;
  /** Zeros added on both sides of each spatial dimension (default 0), or `'valid'` (none) or `'same'` (output size = input size; stride 1 only). */
  padding?: SpatialSize | 'same' | 'valid';
  /** Spacing between kernel elements (default 1). */
  dilation?: SpatialSize;
  /** Split channels into this many independent groups (default 1); it must divide both channel counts. */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

const CONV_OPTIONS = ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'dilation', 'groups', 'bias', 'dtype'];

/**
 * Shared state of `Conv1d` and `Conv2d`: `weight [out, in/groups, ...kernel]` and `bias [out]`, both drawn
 * as PyTorch's `_ConvNd.reset_parameters`: W ~ kaiming_uniform(a = √5) = U(±1/√fanIn) and
 * b ~ U(±1/√fanIn), with fanIn = in/groups · ∏ kernel.
 *
 * @example
 * model.modules().filter((m) => m instanceof ConvNd).forEach((conv) => kaimingNormal_(conv.weight, { mode: 'fanOut' }));
 */
export abstract class ConvNd extends WeightBiasModule {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[] | 'same' | 'valid';
  readonly dilation: readonly number[];
  readonly groups: number;

  protected constructor(
    private readonly layer: 'Conv1d' | 'Conv2d',
    private readonly spatial: number,
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialSize,
    options: ConvLayerOptions,
  ) {
    super(layer, options);
    this.inChannels = checkInt(layer, 'inChannels', inChannels);
    this.outChannels = checkInt(layer, 'outChannels', outChannels);
    this.kernelSize = Object.freeze(spatialList(layer, 'kernelSize', kernelSize, spatial, 1));
    this.stride = Object.freeze(spatialList(layer, 'stride', options.stride ?? 1, spatial, 1));
    this.dilation = Object.freeze(spatialList(layer, 'dilation', options.dilation ?? 1, spatial, 1));
    const padding = options.padding ?? 0;
    this.padding = padding === 'same' || padding === 'valid' ? padding : Object.freeze(spatialList(layer, 'padding', padding, spatial, 0));
    // As PyTorch's constructor: 'same' output sizes are only defined for stride 1.
    if (this.padding === 'same' && this.stride.some((s) => s !== 1)) {
      throw new ValueError(layer, `padding 'same' needs stride 1, got stride [${this.stride.join(', ')}]`);
    }
    this.groups = checkInt(layer, 'groups', options.groups ?? 1);
    if (this.inChannels % this.groups !== 0 || this.outChannels % this.groups !== 0) {
      throw new ValueError(layer, `groups ${this.groups} must divide inChannels ${this.inChannels} and outChannels ${this.outChannels}`);
    }
    const shape = [this.outChannels, this.inChannels / this.groups, ...this.kernelSize];
    this.createWeightAndBias(layer, shape, this.outChannels, options);
  }

  forward(x: Tensor): Tensor {
    checkChannels(`${this.layer}(${this.inChannels}, ${this.outChannels})`, x, this.spatial, this.inChannels);
    const conv = this.spatial === 1 ? conv1d : conv2d;
    const padding = typeof this.padding === 'string' ? this.padding : [...this.padding];
    return conv(x, this.weight, this.bias, { stride: [...this.stride], padding, dilation: [...this.dilation], groups: this.groups });
  }

  override toConfig(): LayerConfig {
    return {
      type: this.layer,
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: typeof this.padding === 'string' ? this.padding : [...this.padding],
      dilation: [...this.dilation],
      groups: this.groups,
      bias: this.bias !== null,
      dtype: this.dtype,
    };
  }
}

function optionsFrom(layer: string, config: LayerConfig, context: BuildContext): [number, number, SpatialSize, ConvLayerOptions] {
  const o = configOptions(layer, config, CONV_OPTIONS);
  return [
    o.inChannels as number,
    o.outChannels as number,
    o.kernelSize as SpatialSize,
    {
      stride: o.stride as SpatialSize | undefined,
      padding: o.padding as ConvLayerOptions['padding'],
      dilation: o.dilation as SpatialSize | undefined,
      groups: o.groups as number | undefined,
      bias: o.bias as boolean | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    },
  ];
}

/**
 * 2-D convolution over `[N, C_in, H, W]` (or `[C_in, H, W]`) inputs, as PyTorch's `nn.Conv2d`:
 * out[n, o, i, j] = b[o] + Σ_{c, p, q} W[o, c, p, q] · x[n, g·C_in/groups + c, i·sH − padH + p·dH, j·sW − padW + q·dW],
 * where g is the group of output channel o. Output size ⌊(H + 2·padH − dH·(kH − 1) − 1)/sH⌋ + 1.
 * Defaults: stride 1, padding 0, dilation 1, groups 1, bias true; `weight [out, in/groups, kH, kW]` ~
 * kaiming_uniform(a = √5) = U(±1/√fanIn), `bias [out]` ~ U(±1/√fanIn), fanIn = in/groups·kH·kW.
 *
 * @example
 * const conv = new Conv2d(3, 16, 3, { padding: 'same', generator: new Generator(0) });
 * conv.call(zeros([8, 3, 32, 32])).shape; // [8, 16, 32, 32]
 */
export class Conv2d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize, options: ConvLayerOptions = {}) {
    super('Conv2d', 2, inChannels, outChannels, kernelSize, options);
  }
  static fromConfig(config: LayerConfig, context: BuildContext): Conv2d {
    return new Conv2d(...optionsFrom('Conv2d', config, context));
  }
}

/**
 * 1-D convolution over `[N, C_in, L]` (or `[C_in, L]`) inputs, as PyTorch's `nn.Conv1d`:
 * out[n, o, i] = b[o] + Σ_{c, p} W[o, c, p] · x[n, g·C_in/groups + c, i·s − pad + p·d]; output length
 * ⌊(L + 2·pad − d·(k − 1) − 1)/s⌋ + 1. Defaults and initialization as `Conv2d` (fanIn = in/groups·k).
 *
 * @example
 * new Conv1d(2, 8, 5, { stride: 2 }).call(zeros([4, 2, 100])).shape; // [4, 8, 48]
 */
export class Conv1d extends ConvNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize, options: ConvLayerOptions = {}) {
    super('Conv1d', 1, inChannels, outChannels, kernelSize, options);
  }
  static fromConfig(config: LayerConfig, context: BuildContext): Conv1d {
    return new Conv1d(...optionsFrom('Conv1d', config, context));
  }
}
