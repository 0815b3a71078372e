import { ShapeError, fmtShape, matmul, zeros, type Generator, type Tensor } from '@backprop/tensor';
import { uniform_ } from '@backprop/init';
import { checkBoolean, checkDtype, checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';

/** Options of `Bilinear`, with PyTorch's defaults. */
export interface BilinearOptions {
  /** Learn an additive bias `[out]` (default true). */
  bias?: boolean;
  /** Generator for the initial weights (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * A bilinear map of two inputs, as PyTorch's `nn.Bilinear`: yₖ = x₁ᵀ·Wₖ·x₂ + bₖ for inputs `[*, in1]` and
 * `[*, in2]` (the same leading shape) → `[*, out]`. `weight [out, in1, in2]` and `bias [out]` ~ U(±1/√in1).
 * Default bias true.
 *
 * @example
 * const bl = new Bilinear(3, 4, 2);
 * bl.call(randn([5, 3]), randn([5, 4])).shape; // [5, 2]
 */
export class Bilinear extends Module<[Tensor, Tensor], Tensor> {
  readonly in1Features: number;
  readonly in2Features: number;
  readonly outFeatures: number;
  readonly dtype: ParamDType;

  constructor(in1Features: number, in2Features: number, outFeatures: number, options: BilinearOptions = {}) {
    super();
    this.in1Features = checkInt('Bilinear', 'in1Features', in1Features);
    this.in2Features = checkInt('Bilinear', 'in2Features', in2Features);
    this.outFeatures = checkInt('Bilinear', 'outFeatures', outFeatures);
    this.dtype = checkDtype('Bilinear', options.dtype);
    const bias = checkBoolean('Bilinear', 'bias', options.bias ?? true);
    this.registerParameter('weight', zeros([outFeatures, in1Features, in2Features], { dtype: this.dtype }).requiresGrad_());
    this.registerParameter('bias', bias ? zeros([outFeatures], { dtype: this.dtype }).requiresGrad_() : null);
    this.resetParameters(options.generator);
  }

  /** `[out, in1, in2]`. */
  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  /** `[out]`, or `null` without bias. */
  get bias(): Tensor | null {
    return this.getParameter('bias') ?? null;
  }

  /** Draws the weights again from U(±1/√in1), as PyTorch's `reset_parameters`. */
  resetParameters(generator?: Generator): void {
    const bound = 1 / Math.sqrt(this.in1Features);
    uniform_(this.weight, { a: -bound, b: bound, generator });
    if (this.bias) uniform_(this.bias, { a: -bound, b: bound, generator });
  }

  forward(x1: Tensor, x2: Tensor): Tensor {
    const lead = x1.shape.slice(0, -1);
    const sameLead = x2.rank === x1.rank && x2.shape.slice(0, -1).every((d, i) => d === lead[i]);
    if (x1.rank < 1 || x1.shape[x1.rank - 1] !== this.in1Features || !sameLead || x2.shape[x2.rank - 1] !== this.in2Features) {
      throw new ShapeError('Bilinear', `expected inputs [*, ${this.in1Features}] and [*, ${this.in2Features}] with the same leading shape, got ${fmtShape(x1.shape)} and ${fmtShape(x2.shape)}`);
    }
    const [O, I, J] = this.weight.shape;
    const a = x1.reshape([-1, I]);
    const b = x2.reshape([-1, J]);
    // u[n, o, j] = Σᵢ x₁[n, i]·W[o, i, j], then yₙₒ = Σⱼ u[n, o, j]·x₂[n, j].
    const u = matmul(a, this.weight.transpose(0, 1).reshape([I, O * J])).reshape([-1, O, J]);
    let y = u.mul(b.unsqueeze(1)).sum(2);
    if (this.bias) y = y.add(this.bias);
    return y.reshape([...lead, O]);
  }

  override toConfig(): LayerConfig {
    return { type: 'Bilinear', in1Features: this.in1Features, in2Features: this.in2Features, outFeatures: this.outFeatures, bias: this.bias !== null, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Bilinear {
    const o = configOptions('Bilinear', config, ['in1Features', 'in2Features', 'outFeatures', 'bias', 'dtype']);
    return new Bilinear(o.in1Features as number, o.in2Features as number, o.outFeatures as number, {
      bias: o.bias as boolean | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
