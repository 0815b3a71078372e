import { ShapeError, ValueError, bernoulli, fmtShape, type Generator, type Tensor } from '@backprop/tensor';
import { checkNumber, configOptions, type LayerConfig } from './config.js';
import type { DropoutOptions } from './dropout.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';

/**
 * What `Dropout1d` and `Dropout2d` share: in training each channel of each sample is zeroed as a whole
 * with probability p and the kept ones scaled by 1/(1 − p) (one mask value per `[n, c]`), so neighbouring
 * positions, which are strongly correlated in convolutional feature maps, drop together; `eval()` passes
 * the input through.
 */
export abstract class ChannelDropout extends Module {
  readonly p: number;
  /** The generator the masks draw from, if one was given. */
  readonly generator: Generator | undefined;

  protected constructor(
    private readonly layer: 'Dropout1d' | 'Dropout2d',
    private readonly spatial: number,
    p: number,
    options: DropoutOptions,
  ) {
    super();
    this.p = checkNumber(layer, 'p', p, 0);
    if (this.p > 1) throw new ValueError(layer, `p must be a probability in [0, 1], got ${p}`);
    this.generator = options.generator;
  }

  forward(x: Tensor): Tensor {
    const r = this.spatial + 2;
    if (x.rank !== r && x.rank !== r - 1) {
      const dims = this.spatial === 1 ? 'L' : 'H, W';
      throw new ShapeError(this.layer, `expected input of shape [N, C, ${dims}] or unbatched [C, ${dims}], got ${fmtShape(x.shape)}`);
    }
    if (!this.training || this.p === 0) return x;
    if (this.p === 1) return x.mul(0);
    const lead = x.rank - this.spatial;
    const maskShape = [...x.shape.slice(0, lead), ...new Array<number>(this.spatial).fill(1)];
    const keep = bernoulli(1 - this.p, maskShape, { generator: this.generator, dtype: x.dtype });
    return x.mul(keep.mul(1 / (1 - this.p)));
  }

  override toConfig(): LayerConfig {
    return { type: this.layer, p: this.p };
  }
}

/**
 * Channel dropout for `[N, C, L]` (or `[C, L]`) inputs, as PyTorch's `nn.Dropout1d`: whole channels are
 * zeroed with probability p in training (see `ChannelDropout`). Default p = 0.5.
 *
 * @example new Dropout1d(0.2, { generator: new Generator(0) }).call(ones([2, 4, 8])); // rows of 1.25 or 0
 */
export class Dropout1d extends ChannelDropout {
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super('Dropout1d', 1, p, options);
  }
  static fromConfig(config: LayerConfig, context: BuildContext): Dropout1d {
    const o = configOptions('Dropout1d', config, ['p']);
    return new Dropout1d(o.p as number | undefined, { generator: context.generator });
  }
}

/**
 * Channel dropout for `[N, C, H, W]` (or `[C, H, W]`) inputs, as PyTorch's `nn.Dropout2d` (Tompson et
 * al., 2015): whole feature maps are zeroed with probability p in training. Default p = 0.5.
 *
 * @example new Dropout2d(0.1).call(randn([2, 8, 5, 5])).shape; // [2, 8, 5, 5]
 */
export class Dropout2d extends ChannelDropout {
  constructor(p = 0.5, options: DropoutOptions = {}) {
    super('Dropout2d', 2, p, options);
  }
  static fromConfig(config: LayerConfig, context: BuildContext): Dropout2d {
    const o = configOptions('Dropout2d', config, ['p']);
    return new Dropout2d(o.p as number | undefined, { generator: context.generator });
  }
}
