import type { Tensor } from '@backprop/tensor';
import { AffineModule, linear, type LinearOptions } from './affine.js';
import { checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import type { BuildContext } from './registry.js';

/**
 * A fully connected layer, as PyTorch's `nn.Linear`: y = x·Wᵀ + b, input `[*, inFeatures]` →
 * output `[*, outFeatures]`.
 *
 * Parameters: `weight` `[outFeatures, inFeatures]` initialized with kaiming_uniform(a = √5), i.e.
 * U(−k, k) with k = 1/√inFeatures, and `bias` `[outFeatures]` from U(−k, k) (absent with `bias: false`).
 * Defaults: bias true, dtype float32.
 *
 * @example
 * const fc = new Linear(3, 2, { generator: new Generator(0) });
 * fc.call(ones([5, 3])).shape; // [5, 2]
 */
export class Linear extends AffineModule {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super('Linear', checkInt('Linear', 'inFeatures', inFeatures), checkInt('Linear', 'outFeatures', outFeatures), options);
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
  }

  forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override toConfig(): LayerConfig {
    return { type: 'Linear', inFeatures: this.inFeatures, outFeatures: this.outFeatures, bias: this.bias !== null, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Linear {
    const o = configOptions('Linear', config, ['inFeatures', 'outFeatures', 'bias', 'dtype']);
    return new Linear(o.inFeatures as number, o.outFeatures as number, {
      bias: o.bias as boolean | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
