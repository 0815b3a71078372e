import { ShapeError, addmm, fmtShape, matmul, type Tensor } from '@backprop/tensor';
import { WeightBiasModule, type WeightBiasOptions } from './weight-bias.js';

export { resetLinearParameters_ } from './weight-bias.js';

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
  if (bias && inFeatures > 0 && bias.dtype === weight.dtype && input.dtype === weight.dtype) {
    // One addmm over the rows of every leading axis: the bias is added where the product is made.
    const rows = input.rank === 2 ? input : input.reshape([-1, inFeatures]);
    const y = addmm(bias, rows, weight, false, true);
    return input.rank === 2 ? y : y.reshape([...input.shape.slice(0, -1), weight.shape[0]]);
  }
  const y = matmul(input, weight, false, true);
  return bias ? y.add(bias) : y;
}

/** Options of `Linear` (and `Maxout`). */
export type LinearOptions = WeightBiasOptions;

/**
 * Base of the layers that own one affine map z = x·Wᵀ + b, with `weight` `[units, inFeatures]` and `bias`
 * `[units]` (absent with `bias: false`), both initialized as PyTorch's `nn.Linear`. `Linear` and `Maxout`
 * extend it; a layer of this family only adds what it does with z.
 */
export abstract class AffineModule extends WeightBiasModule {
  /** `layer` names the subclass in errors; `inFeatures` and `units` are already checked. */
  protected constructor(layer: string, inFeatures: number, units: number, options: LinearOptions) {
    super(layer, options);
    // Weight [units, inFeatures], bias [units].
    this.createWeightAndBias(layer, [units, inFeatures], units, options);
  }
}
