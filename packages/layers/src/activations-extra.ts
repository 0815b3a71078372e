import { ShapeError, elu, fmtShape, full, sigmoid, softplus, type Tensor } from '@backprop/tensor';
import { checkDtype, checkInt, checkNumber, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';

/** An activation without options: its formula, its config and nothing else. */
abstract class PlainActivation extends Module {
  protected abstract readonly name: string;
  override toConfig(): LayerConfig {
    return { type: this.name };
  }
}

/**
 * SiLU (swish with β = 1), as PyTorch's `nn.SiLU`: x·σ(x).
 * @example new SiLU().call(tensor([0, 1])).toArray(); // [0, 0.7311]
 */
export class SiLU extends PlainActivation {
  protected readonly name = 'SiLU';
  forward(x: Tensor): Tensor {
    return x.mul(sigmoid(x));
  }
  static fromConfig(config: LayerConfig): SiLU {
    configOptions('SiLU', config, []);
    return new SiLU();
  }
}

/**
 * Mish (Misra, 2019), as PyTorch's `nn.Mish`: x·tanh(softplus(x)).
 * @example new Mish().call(tensor([0, 1])).toArray(); // [0, 0.8651]
 */
export class Mish extends PlainActivation {
  protected readonly name = 'Mish';
  forward(x: Tensor): Tensor {
    return x.mul(softplus(x).tanh());
  }
  static fromConfig(config: LayerConfig): Mish {
    configOptions('Mish', config, []);
    return new Mish();
  }
}

/**
 * Hard swish (MobileNetV3), as PyTorch's `nn.Hardswish`: x·relu6(x + 3)/6, i.e. 0 for x ≤ −3, x for
 * x ≥ 3 and x·(x + 3)/6 between.
 * @example new Hardswish().call(tensor([-4, 1, 4])).toArray(); // [0, 0.6667, 4]
 */
export class Hardswish extends PlainActivation {
  protected readonly name = 'Hardswish';
  forward(x: Tensor): Tensor {
    return x.mul(x.add(3).clamp(0, 6)).div(6);
  }
  static fromConfig(config: LayerConfig): Hardswish {
    configOptions('Hardswish', config, []);
    return new Hardswish();
  }
}

/**
 * Softsign, as PyTorch's `nn.Softsign`: x / (1 + |x|).
 * @example new Softsign().call(tensor([-1, 3])).toArray(); // [-0.5, 0.75]
 */
export class Softsign extends PlainActivation {
  protected readonly name = 'Softsign';
  forward(x: Tensor): Tensor {
    return x.div(x.abs().add(1));
  }
  static fromConfig(config: LayerConfig): Softsign {
    configOptions('Softsign', config, []);
    return new Softsign();
  }
}

/** SELU's α and λ (Klambauer et al., 2017), to PyTorch's digits. */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/**
 * Scaled exponential linear unit (Klambauer et al., 2017), as PyTorch's `nn.SELU`:
 * λ·(x > 0 ? x : α(eˣ − 1)) with α ≈ 1.6733 and λ ≈ 1.0507, which keep activations near zero mean and
 * unit variance (with lecun-normal weights).
 * @example new SELU().call(tensor([1])).item(); // 1.0507
 */
export class SELU extends PlainActivation {
  protected readonly name = 'SELU';
  forward(x: Tensor): Tensor {
    return elu(x, SELU_ALPHA).mul(SELU_SCALE);
  }
  static fromConfig(config: LayerConfig): SELU {
    configOptions('SELU', config, []);
    return new SELU();
  }
}

/** Options of `PReLU`, with PyTorch's defaults. */
export interface PReLUOptions {
  /** The initial slope of every negative part (default 0.25). */
  init?: number;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * Parametric ReLU (He et al., 2015), as PyTorch's `nn.PReLU`: x ≥ 0 ? x : a·x with a learned slope a:
 * one shared (`numParameters` 1, the default) or one per channel (dimension 1 of the input, or 0 for a
 * 1-D input). `weight [numParameters]` starts at `init` (0.25).
 *
 * @example
 * const act = new PReLU(3);
 * act.call(randn([2, 3, 4, 4])).shape; // [2, 3, 4, 4]; act.weight is [3], all 0.25
 */
export class PReLU extends Module {
  readonly numParameters: number;
  readonly init: number;
  readonly dtype: ParamDType;

  constructor(numParameters = 1, options: PReLUOptions = {}) {
    super();
    this.numParameters = checkInt('PReLU', 'numParameters', numParameters);
    this.init = checkNumber('PReLU', 'init', options.init ?? 0.25);
    this.dtype = checkDtype('PReLU', options.dtype);
    this.registerParameter('weight', full([this.numParameters], this.init, { dtype: this.dtype }).requiresGrad_());
  }

  /** The slopes `[numParameters]`. */
  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  forward(x: Tensor): Tensor {
    let a = this.weight;
    if (this.numParameters > 1) {
      const channelAxis = x.rank >= 2 ? 1 : 0;
      if (x.rank === 0 || x.shape[channelAxis] !== this.numParameters) {
        throw new ShapeError('PReLU', `expected ${this.numParameters} channels in dimension ${channelAxis}, got input of shape ${fmtShape(x.shape)}`);
      }
      a = a.reshape([this.numParameters, ...new Array<number>(x.rank - channelAxis - 1).fill(1)]);
    }
    // max(0, x) + a·min(0, x)
    return x.relu().sub(x.neg().relu().mul(a));
  }

  override toConfig(): LayerConfig {
    return { type: 'PReLU', numParameters: this.numParameters, init: this.init, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig): PReLU {
    const o = configOptions('PReLU', config, ['numParameters', 'init', 'dtype']);
    return new PReLU(o.numParameters as number | undefined, o as PReLUOptions);
  }
}
