import { ValueError, convTranspose2d, type Generator, type Tensor } from '@backprop/tensor';
import { checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { WeightBiasModule } from './weight-bias.js';
import type { BuildContext } from './registry.js';
import { checkChannels, spatialList, type SpatialSize } from './spatial.js';

/** Options of `ConvTranspose2d`, with PyTorch's defaults. */
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
export class ConvTranspose2d extends WeightBiasModule {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly number[];
  readonly outputPadding: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;

  constructor(inChannels: number, outChannels: number, kernelSize: SpatialSize, options: ConvTranspose2dOptions = {}) {
    const layer = 'ConvTranspose2d';
    super(layer, options);
    this.inChannels = checkInt(layer, 'inChannels', inChannels);
    this.outChannels = checkInt(layer, 'outChannels', outChannels);
    this.kernelSize = Object.freeze(spatialList(layer, 'kernelSize', kernelSize, 2, 1));
    this.stride = Object.freeze(spatialList(layer, 'stride', options.stride ?? 1, 2, 1));
    this.padding = Object.freeze(spatialList(layer, 'padding', options.padding ?? 0, 2, 0));
    this.outputPadding = Object.freeze(spatialList(layer, 'outputPadding', options.outputPadding ?? 0, 2, 0));
    this.dilation = Object.freeze(spatialList(layer, 'dilation', options.dilation ?? 1, 2, 1));
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
    checkChannels(`ConvTranspose2d(${this.inChannels}, ${this.outChannels})`, x, 2, this.inChannels);
    return convTranspose2d(x, this.weight, this.bias, {
      stride: [...this.stride],
      padding: [...this.padding],
      outputPadding: [...this.outputPadding],
      dilation: [...this.dilation],
      groups: this.groups,
    });
  }

  override toConfig(): LayerConfig {
    return {
      type: 'ConvTranspose2d',
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

  static fromConfig(config: LayerConfig, context: BuildContext): ConvTranspose2d {
    const o = configOptions('ConvTranspose2d', config, [
      'inChannels', 'outChannels', 'kernelSize', 'stride', 'padding', 'outputPadding', 'dilation', 'groups', 'bias', 'dtype',
    ]);
    return new ConvTranspose2d(o.inChannels as number, o.outChannels as number, o.kernelSize as SpatialSize, {
      stride: o.stride as SpatialSize | undefined,
      padding: o.padding as SpatialSize | undefined,
      outputPadding: o.outputPadding as SpatialSize | undefined,
      dilation: o.dilation as SpatialSize | undefined,
      groups: o.groups as number | undefined,
      bias: o.bias as boolean | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
