import { ShapeError, fmtShape, ones, zeros, type Tensor } from '@backprop/tensor';
import { checkBoolean, checkDtype, checkIntArray, checkNumber, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';

/** Options of `LayerNorm`, with PyTorch's defaults. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn an elementwise scale `weight` (ones) and shift `bias` (zeros) of `normalizedShape` (default true). */
  elementwiseAffine?: boolean;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * Layer normalization over the last dimensions of each sample, as PyTorch's `nn.LayerNorm`:
 * y = (x − E[x]) / √(Var[x] + eps) · γ + β, where E and the biased Var run over the trailing
 * `normalizedShape` dimensions, and γ (`weight`, ones) and β (`bias`, zeros) have shape `normalizedShape`.
 * The same computation in training and evaluation. Defaults: eps 1e-5, elementwiseAffine true.
 *
 * @example
 * const ln = new LayerNorm(8);
 * ln.call(randn([4, 10, 8])).mean(-1); // ≈ 0 for every sample and position
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  readonly dtype: ParamDType;

  constructor(normalizedShape: number | readonly number[], options: LayerNormOptions = {}) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    this.normalizedShape = Object.freeze(checkIntArray('LayerNorm', 'normalizedShape', shape, 1));
    this.eps = checkNumber('LayerNorm', 'eps', options.eps ?? 1e-5, 0);
    this.elementwiseAffine = checkBoolean('LayerNorm', 'elementwiseAffine', options.elementwiseAffine ?? true);
    this.dtype = checkDtype('LayerNorm', options.dtype);
    const s = [...this.normalizedShape];
    this.registerParameter('weight', this.elementwiseAffine ? ones(s, { dtype: this.dtype }).requiresGrad_() : null);
    this.registerParameter('bias', this.elementwiseAffine ? zeros(s, { dtype: this.dtype }).requiresGrad_() : null);
  }

  /** γ of shape `normalizedShape`, or `null` without `elementwiseAffine`. */
  get weight(): Tensor | null {
    return this.getParameter('weight') ?? null;
  }

  /** β of shape `normalizedShape`, or `null` without `elementwiseAffine`. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  forward(x: Tensor): Tensor {
    const k = this.normalizedShape.length;
    const tail = x.shape.slice(x.rank - k);
    if (x.rank < k || tail.some((d, i) => d !== this.normalizedShape[i])) {
      throw new ShapeError('LayerNorm', `expected input of shape [*, ${this.normalizedShape.join(', ')}], got ${fmtShape(x.shape)}`);
    }
    const axes = Array.from({ length: k }, (_, i) => x.rank - k + i);
    const centered = x.sub(x.mean(axes, true));
    const y = centered.mul(centered.square().mean(axes, true).add(this.eps).rsqrt());
    return this.elementwiseAffine ? y.mul(this.weight!).add(this.bias!) : y;
  }

  override toConfig(): LayerConfig {
    return {
      type: 'LayerNorm',
      normalizedShape: [...this.normalizedShape],
      eps: this.eps,
      elementwiseAffine: this.elementwiseAffine,
      dtype: this.dtype,
    };
  }

  static fromConfig(config: LayerConfig): LayerNorm {
    const o = configOptions('LayerNorm', config, ['normalizedShape', 'eps', 'elementwiseAffine', 'dtype']);
    return new LayerNorm(o.normalizedShape as number[], o as LayerNormOptions);
  }
}
