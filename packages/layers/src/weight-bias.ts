import { zeros, type Generator, type Tensor } from '@backprop/tensor';
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from '@backprop/init';
import { checkBoolean, checkDtype, type ParamDType } from './config.js';
import { Module } from './module.js';

/**
 * PyTorch's default initialization of a linear map's or convolution's weight and bias, in place:
 * W ~ kaiming_uniform(a = √5), which is U(−1/√fanIn, 1/√fanIn), and b ~ U(−1/√fanIn, 1/√fanIn).
 */
export function resetLinearParameters_(weight: Tensor, bias: Tensor | null, generator?: Generator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, { a: -bound, b: bound, generator });
  }
}

/** Options shared by layers with a weight and an optional bias. */
export interface WeightBiasOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * Base of the layers that own a `weight` and an optional `bias` initialized as PyTorch's `nn.Linear` and
 * `nn.ConvNd` (`Linear`, `Maxout`, `Conv1d`, `Conv2d`, `ConvTranspose2d`). A subclass checks its own
 * options, then calls `createWeightAndBias` with the weight's shape.
 */
export abstract class WeightBiasModule extends Module {
  readonly dtype: ParamDType;

  protected constructor(layer: string, options: WeightBiasOptions) {
    super();
    this.dtype = checkDtype(layer, options.dtype);
  }

  /** Registers `weight` (zeros of `weightShape`) and `bias` (`[biasSize]`, unless `bias: false`), then draws them. */
  protected createWeightAndBias(layer: string, weightShape: readonly number[], biasSize: number, options: WeightBiasOptions): void {
    const bias = checkBoolean(layer, 'bias', options.bias ?? true);
    this.registerParameter('weight', zeros(weightShape, { dtype: this.dtype }).requiresGrad_());
    this.registerParameter('bias', bias ? zeros([biasSize], { dtype: this.dtype }).requiresGrad_() : null);
    this.resetParameters(options.generator);
  }

  /** The weight; its layout is the subclass's (PyTorch's). */
  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  /** The bias, or `null` without one. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  /** Draws the initial weights again (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    resetLinearParameters_(this.weight, this.bias, generator);
  }
}
