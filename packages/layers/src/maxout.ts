import type { Tensor } from '@backprop/tensor';
import { AffineModule, linear, type LinearOptions } from './affine.js';
import { checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import type { BuildContext } from './registry.js';

/**
 * A maxout layer (Goodfellow et al., 2013): a linear map to `outFeatures · pieces` units, then the
 * maximum over each unit's `pieces`: y_j = max_k (x·W_{j·pieces+k}ᵀ + b_{j·pieces+k}), input
 * `[*, inFeatures]` → output `[*, outFeatures]`.
 *
 * Parameter layout: `weight` `[outFeatures · pieces, inFeatures]` and `bias` `[outFeatures · pieces]`;
 * row `j·pieces + k` is piece k of output unit j (the pieces of a unit are adjacent), so the linear output
 * reshaped to `[*, outFeatures, pieces]` is reduced over its last axis. Initialized as `Linear`:
 * U(−1/√inFeatures, 1/√inFeatures) for both. Defaults: bias true, dtype float32.
 *
 * @example
 * const m = new Maxout(4, 3, 2, { generator: new Generator(0) });
 * m.weight.shape;              // [6, 4]
 * m.call(ones([5, 4])).shape;  // [5, 3]
 */
export class Maxout extends AffineModule {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly pieces: number;

  constructor(inFeatures: number, outFeatures: number, pieces: number, options: LinearOptions = {}) {
    const units = checkInt('Maxout', 'outFeatures', outFeatures) * checkInt('Maxout', 'pieces', pieces);
    super('Maxout', checkInt('Maxout', 'inFeatures', inFeatures), units, options);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.pieces = pieces;
  }

  forward(x: Tensor): Tensor {
    const z = linear(x, this.weight, this.bias);
    return z.reshape([...z.shape.slice(0, -1), this.outFeatures, this.pieces]).max(-1);
  }

  override toConfig(): LayerConfig {
    const { inFeatures, outFeatures, pieces, dtype } = this;
    return { type: 'Maxout', inFeatures, outFeatures, pieces, bias: this.bias !== null, dtype };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Maxout {
    const o = configOptions('Maxout', config, ['inFeatures', 'outFeatures', 'pieces', 'bias', 'dtype']);
    return new Maxout(o.inFeatures as number, o.outFeatures as number, o.pieces as number, {
      bias: o.bias as boolean | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
