import { Module, type BuildContext, type LayerConfig } from '@backprop/layers';
import { ShapeError, ValueError, fmtShape, full, type Tensor } from '@backprop/tensor';
import { swish } from './swish-op.js';

/** Options of the `Swish` layer. */
export interface SwishOptions {
  /** How many β to learn: 1 (default) shares one β, n learns one per feature (input axis 1, or axis 0 for a 1-d input). */
  numFeatures?: number;
  /** The initial value of every β (default 1, where Swish is SiLU). */
  beta?: number;
  /** The dtype of β (default float32). */
  dtype?: 'float32' | 'float64';
}

const OPTIONS = ['numFeatures', 'beta', 'dtype'] as const;

const show = (value: unknown): string => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * Swish with learnable β, y = x·σ(β·x) elementwise (Ramachandran et al., 2017). One β for the whole input,
 * or with `numFeatures: n` one per feature, on axis 1 as PyTorch's `nn.PReLU` places its channels (so it
 * fits after `Linear` `[N, n]` and after `Conv2d` `[N, n, H, W]`), or axis 0 for an unbatched 1-d input.
 *
 * Parameter: `beta` `[numFeatures]`, filled with the `beta` option. Defaults: numFeatures 1, beta 1 (SiLU),
 * dtype float32. The config (`toConfig`) holds the initial β; the trained β is in `stateDict()`.
 *
 * @example
 * register(); // once, so that layerFromConfig and model files know 'Swish' (importing the package does it)
 * const act = new Swish({ numFeatures: 4 });
 * act.beta.shape;                          // [4]
 * act.call(randn([8, 4])).shape;           // [8, 4]
 * layerFromConfig(act.toConfig());         // { type: 'Swish', numFeatures: 4, beta: 1, dtype: 'float32' } rebuilt
 */
export class Swish extends Module {
  readonly numFeatures: number;
  /** The initial β (the config's `beta`); read the learned one from the `beta` parameter. */
  readonly initialBeta: number;
  readonly dtype: 'float32' | 'float64';

  constructor(options: SwishOptions = {}) {
    super();
    const { numFeatures = 1, beta = 1, dtype = 'float32' } = options;
    if (!Number.isInteger(numFeatures) || numFeatures < 1) {
      throw new ValueError('Swish', `numFeatures must be an integer ≥ 1, got ${show(numFeatures)}`);
    }
    if (typeof beta !== 'number' || !Number.isFinite(beta)) {
      throw new ValueError('Swish', `beta must be a finite number, got ${show(beta)}`);
    }
    if (dtype !== 'float32' && dtype !== 'float64') {
      throw new ValueError('Swish', `dtype must be one of 'float32', 'float64', got ${show(dtype)}`);
    }
    this.numFeatures = numFeatures;
    this.initialBeta = beta;
    this.dtype = dtype;
    this.registerParameter('beta', full([numFeatures], beta, { dtype }).requiresGrad_());
  }

  /** The learnable β, `[numFeatures]`. Read through `getParameter` so `functionalCall` and `loadStateDict` see the same tensor. */
  get beta(): Tensor {
    return this.getParameter('beta') as Tensor;
  }

  forward(x: Tensor): Tensor {
    const beta = this.beta;
    if (this.numFeatures === 1) return swish(x, beta);
    const axis = x.rank === 1 ? 0 : 1;
    if (x.rank === 0 || x.shape[axis] !== this.numFeatures) {
      throw new ShapeError(
        'Swish',
        `input of shape ${fmtShape(x.shape)} must have ${this.numFeatures} features on axis ${x.rank === 0 ? 1 : axis} (numFeatures ${this.numFeatures})`,
      );
    }
    // [n] → [n, 1, …, 1] so that β lines up with axis 1 and broadcasts over the trailing (spatial) axes.
    return swish(x, beta.reshape([this.numFeatures, ...new Array<number>(x.rank - axis - 1).fill(1)]));
  }

  override toConfig(): LayerConfig {
    return { type: 'Swish', numFeatures: this.numFeatures, beta: this.initialBeta, dtype: this.dtype };
  }

  /** Rebuilds a Swish from `toConfig()` output; unknown options are an error, so a typo cannot fall back to a default. */
  static fromConfig(config: LayerConfig, _context?: BuildContext): Swish {
    const unknown = Object.keys(config).filter((k) => k !== 'type' && !(OPTIONS as readonly string[]).includes(k));
    if (unknown.length > 0) {
      throw new ValueError('Swish', `unknown option ${unknown.map((k) => JSON.stringify(k)).join(', ')} in config; expected ${OPTIONS.join(', ')}`);
    }
    return new Swish({
      numFeatures: config.numFeatures as number | undefined,
      beta: config.beta as number | undefined,
      dtype: config.dtype as SwishOptions['dtype'],
    });
  }
}
