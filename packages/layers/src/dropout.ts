import { ValueError, bernoulli, type Generator, type Tensor } from '@backprop/tensor';
import { checkNumber, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';

/** Options of `Dropout`. */
export interface DropoutOptions {
  /** Where the masks come from (the default generator, read at each call, when omitted). */
  generator?: Generator;
}

/**
 * Inverted dropout, as PyTorch's `nn.Dropout`: in training each element is zeroed with probability p and
 * the survivors are scaled by 1/(1 − p), so the expected output equals the input and `eval()` needs no
 * rescaling: there the layer is the identity. Default p = 0.5; p = 1 zeroes everything. The mask draws
 * from `generator`, so a seeded generator gives reproducible masks.
 *
 * @example
 * const drop = new Dropout(0.2, { generator: new Generator(0) });
 * drop.call(ones([2, 5]));        // ≈ 80% of entries 1.25, the rest 0
 * drop.eval().call(ones([2, 5])); // ones
 */
export class Dropout extends Module {
  readonly p: number;
  /**
   * The generator the masks draw from, if one was given. `fit` of `@backprop/train` saves its state in
   * checkpoints (and that of the default generator otherwise), so a resumed run draws the same masks.
   */
  readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkNumber('Dropout', 'p', p, 0);
    if (this.p > 1) throw new ValueError('Dropout', `p must be a probability in [0, 1], got ${p}`);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return x.mul(0);
    const keep = bernoulli(1 - this.p, x.shape, { generator: this.generator, dtype: x.dtype });
    return x.mul(keep.mul(1 / (1 - this.p)));
  }

  override toConfig(): LayerConfig {
    return { type: 'Dropout', p: this.p };
  }

  /** The context's generator, if any, draws the masks. */
  static fromConfig(config: LayerConfig, context: BuildContext): Dropout {
    const o = configOptions('Dropout', config, ['p']);
    return new Dropout(o.p as number | undefined, { generator: context.generator });
  }
}
