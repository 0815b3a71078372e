import { ValueError, convTranspose1d, convTranspose2d, type Generator, type Tensor } from '@backprop/tensor';
import { checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { WeightBiasModule } from './weight-bias.js';
import type { BuildContext } from './registry.js';
import { checkChannels, spatialList, type SpatialSize } from './spatial.js';

/** Options of `ConvTranspose1d` and `ConvTranspose2d`, with PyTorch's defaults. */
export interface ConvTranspose2dOptions {
  /** Step of the underlying convolution (default 1): the upsampling factor. */
  stride?: SpatialSize;
  /** dilation·(kernel − 1) − padding zeros are added around the input of the equivalent convolution (default 0). */
  padding?: SpatialSize;
  /** Extra rows/columns on the bottom/right of the output (default 0); each below its stride or dilation. */
  outputPadding?: SpatialSize;
  /** Spacing between kernel elements (default 1). */
  dilation?: SpatialSize;
  /** Independent channel groups (default 1); it must divide both channel counts. */
  groups?: number;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/** Options of `ConvTranspose1d` (those of `ConvTranspose2d`, one number per size). */
export type ConvTranspose1dOptions = ConvTranspose2dOptions;

const OPTIONS = ['inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'dtype'];

/** What `ConvTranspose1d` and `ConvTranspose2d` share: options, weights, config. */
export abstract class ConvTransposeNd extends WeightBiasModule {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;

  protected constructor(
    private readonly layer: 'ConvTranspose1d' | 'ConvTranspose2d',
    private readonly spatial: number,
    inChannels: number,
    outChannels: number,
    kernelSize: SpatialSize,
    options: ConvTranspose2dOptions,
  ) {
    super(layer, options);
    this.inChannels = checkInt(layer, 'inChannels', inChannels);
    this.outChannels = checkInt(layer, 'outChannels', outChannels);
    this.kernelSize = Object.freeze(spatialList(layer, 'kernelSize', kernelSize, spatial, 1));
    this.stride = Object.freeze(spatialList(layer, 'stride', options.stride ?? 1, spatial, 1));
    this.padding = Object.freeze(spatialList(layer, 'padding', options.padding ?? 0, spatial, 0));
    this.outputPadding = Object.freeze(spatialList(layer, 'outputPadding', options.outputPadding ?? 0, spatial, 0));
    this.dilation = Object.freeze(spatialList(layer, 'dilation', options.dilation ?? 1, spatial, 1));
    if (this.outputPadding.some((p, i) => p >= this.stride[i] && p >= this.dilation[i])) {
      throw new ValueError(
        layer,
        `outputPadding [${this.outputPadding.join(', ')}] must be smaller than either stride [${this.stride.join(', ')}] or dilation [${this.dilation.join(', ')}]`,
      );
    }
    this.groups = checkInt(layer, 'groups', options.groups ?? 1);
    if (this.inChannels % this.groups !== 0 || this.outChannels % this.groups !== 0) {
      throw new ValueError(layer, `groups ${this.groups} must divide inChannels ${this.inChannels} and outChannels ${this.outChannels}`);
    }
    const shape = [this.inChannels, this.outChannels / this.groups, ...this.kernelSize];
    this.createWeightAndBias(layer, shape, this.outChannels, options);
  }

  forward(x: Tensor): Tensor {
    checkChannels(`${this.layer}(${this.inChannels}, ${this.outChannels})`, x, this.spatial, this.inChannels);
    const op = this.spatial === 1 ? convTranspose1d : convTranspose2d;
    return op(x, this.weight, this.bias, {
      stride: [...this.stride],
      padding: [...this.padding],
      outputPadding: [...this.outputPadding],
      dilation: [...this.dilation],
      groups: this.groups,
    });
  }

  override toConfig(): LayerConfig {
    return {
      type: this.layer,
      inChannels: this.inChannels,
      outChannels: this.outChannels,
      kernelSize: [...this.kernelSize],
      stride: [...this.stride],
      padding: [...this.padding],
      outputPadding: [...this.outputPadding],
      dilation: [...this.dilation],
      groups: this.groups,
      bias: this.bias !== null,
      dtype: this.dtype,
    };
  }
}

/** The constructor arguments of a transposed convolution config. */
function fromConfigArgs(layer: string, config: LayerConfig, context: BuildContext): [number, number, SpatialSize, ConvTranspose2dOptions] {
  const o = configOptions(layer, config, OPTIONS);
  return [o.inChannels as number, o.outChannels as number, o.kernelSize as SpatialSize, {
    stride: o.stride as SpatialSize | undefined,
    padding: o.padding as SpatialSize | undefined,
    outputPadding: o.outputPadding as SpatialSize | undefined,
    dilation: o.dilation as SpatialSize | undefined,
    groups: o.groups as number | undefined,
    bias: o.bias as boolean | undefined,
    dtype: o.dtype as ParamDType | undefined,
    generator: context.generator,
  }];
}

/**
 * 1-D transposed convolution, as PyTorch's `nn.ConvTranspose1d`: `ConvTranspose2d` along one axis, for
 * `[N, C, L]` (or unbatched `[C, L]`) inputs. Output length (L − 1)·s − 2·pad + d·(k − 1) + outputPadding + 1.
 * `weight [in, out/groups, k]`, `bias [out]`, initialized and defaulted as `ConvTranspose2d`.
 *
 * @example
 * const up = new ConvTranspose1d(4, 2, 3, { stride: 2 });
 * up.call(zeros([1, 4, 10])).shape; // [1, 2, 21]
 */
export class ConvTranspose1d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize, options: ConvTranspose1dOptions = {}) {
    super('ConvTranspose1d', 1, inChannels, outChannels, kernelSize, options);
  }

  static fromConfig(config: LayerConfig, context: BuildContext): ConvTranspose1d {
    return new ConvTranspose1d(...fromConfigArgs('ConvTranspose1d', config, context));
  }
}

/**
 * 2-D transposed convolution (the gradient of `Conv2d` with respect to its input), as PyTorch's
 * `nn.ConvTranspose2d`: each input pixel x[n, c, i, j] adds x·W[c, o, p, q] to
 * out[n, g·out/groups + o, i·sH − padH + p·dH, j·sW − padW + q·dW], plus b[o]. Output size
 * (H − 1)·sH − 2·padH + dH·(kH − 1) + outputPaddingH + 1. Defaults: stride 1, padding 0, outputPadding 0,
 * dilation 1, groups 1, bias true. `weight [in, out/groups, kH, kW]` ~ kaiming_uniform(a = √5) and
 * `bias [out]` ~ U(±1/√fanIn), where, as in PyTorch, fanIn is computed from the weight's dimension 1:
 * out/groups·kH·kW.
 *
 * @example
 * const up = new ConvTranspose2d(16, 8, 4, { stride: 2, padding: 1 });
 * up.call(zeros([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 */
export class ConvTranspose2d extends ConvTransposeNd {
  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize, options: ConvTranspose2dOptions = {}) {
    super('ConvTranspose2d', 2, inChannels, outChannels, kernelSize, options);
  }

  static fromConfig(config: LayerConfig, context: BuildContext): ConvTranspose2d {
    return new ConvTranspose2d(...fromConfigArgs('ConvTranspose2d', config, context));
  }
}
