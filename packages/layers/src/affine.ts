import { ShapeError, fmtShape, matmul, zeros, type Generator, type Tensor } from '@backprop/tensor';
import { kaimingUniform_, uniform_, calculateFanInAndFanOut } from '@backprop/init';
import { checkBoolean, checkDtype, type ParamDType } from './config.js';
import { Module } from './module.js';

/**
 * y = x·Wᵀ + b over the last axis of `input` (`[*, in]` → `[*, out]`), as `torch.nn.functional.linear`.
 * @example linear(ones([2, 3]), ones([4, 3]), zeros([4])).shape; // [2, 4]
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  const inFeatures = weight.shape[1];
  if (input.rank === 0 || input.shape[input.rank - 1] !== inFeatures) {
    throw new ShapeError(
      'linear',
      `input of shape ${fmtShape(input.shape)} does not end in ${inFeatures} features, as weight ${fmtShape(weight.shape)} ([out, in]) expects`,
    );
  }
  const y = matmul(input, weight, false, true);
  return bias ? y.add(bias) : y;
}

/**
 * PyTorch's default initialization of a linear map's weight `[out, in]` and bias, in place:
 * W ~ kaiming_uniform(a = √5), which is U(−1/√in, 1/√in), and b ~ U(−1/√in, 1/√in).
 */
export function resetLinearParameters_(weight: Tensor, bias: Tensor | null, generator?: Generator): void {
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  if (bias) {
    const { fanIn } = calculateFanInAndFanOut(weight);
    const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
    uniform_(bias, { a: -bound, b: bound, generator });
  }
}

/** Options of `Linear` (and `Maxout`). */
export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * Base of the layers that own one affine map z = x·Wᵀ + b, with `weight` `[units, inFeatures]` and `bias`
 * `[units]` (absent with `bias: false`), both initialized as PyTorch's `nn.Linear`. `Linear` and `Maxout`
 * extend it; a layer of this family only adds what it does with z.
 */
export abstract class AffineModule extends Module {
  readonly dtype: ParamDType;

  /** `layer` names the subclass in errors; `inFeatures` and `units` are already checked. */
  protected constructor(layer: string, inFeatures: number, units: number, options: LinearOptions) {
    super();
    this.dtype = checkDtype(layer, options.dtype);
    const bias = checkBoolean(layer, 'bias', options.bias ?? true);
    this.registerParameter('weight', zeros([units, inFeatures], { dtype: this.dtype }).requiresGrad_());
    this.registerParameter('bias', bias ? zeros([units], { dtype: this.dtype }).requiresGrad_() : null);
    this.resetParameters(options.generator);
  }

  /** `[units, inFeatures]`. */
  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  /** `[units]`, or `null` without bias. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  /** Draws the initial weights again (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    resetLinearParameters_(this.weight, this.bias, generator);
  }
}
