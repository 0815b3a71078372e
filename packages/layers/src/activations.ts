import { elu, gelu, hardTanh, leakyRelu, logSoftmax, relu, sigmoid, softmax, softplus, tanh, ValueError, type Tensor } from '@backprop/tensor';
import { checkChoice, checkInt, checkNumber, configOptions, type LayerConfig } from './config.js';
import { Module } from './module.js';

/**
 * σ(x) = 1 / (1 + e⁻ˣ), elementwise (PyTorch's `nn.Sigmoid`).
 * @example new Sigmoid().call(tensor([0])).item(); // 0.5
 */
export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return sigmoid(x);
  }
  override toConfig(): LayerConfig {
    return { type: 'Sigmoid' };
  }
  static fromConfig(config: LayerConfig): Sigmoid {
    configOptions('Sigmoid', config, []);
    return new Sigmoid();
  }
}

/**
 * tanh(x), elementwise (PyTorch's `nn.Tanh`).
 * @example new Tanh().call(tensor([0])).item(); // 0
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return tanh(x);
  }
  override toConfig(): LayerConfig {
    return { type: 'Tanh' };
  }
  static fromConfig(config: LayerConfig): Tanh {
    configOptions('Tanh', config, []);
    return new Tanh();
  }
}

/**
 * max(0, x), elementwise (PyTorch's `nn.ReLU`).
 * @example new ReLU().call(tensor([-1, 2])).toArray(); // [0, 2]
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return relu(x);
  }
  override toConfig(): LayerConfig {
    return { type: 'ReLU' };
  }
  static fromConfig(config: LayerConfig): ReLU {
    configOptions('ReLU', config, []);
    return new ReLU();
  }
}

/**
 * clamp(x, minVal, maxVal), elementwise; defaults −1 and 1 (PyTorch's `nn.Hardtanh`).
 * @example new HardTanh(-2, 2).call(tensor([-3, 1, 3])).toArray(); // [-2, 1, 2]
 */
export class HardTanh extends Module {
  readonly minVal: number;
  readonly maxVal: number;
  constructor(minVal = -1, maxVal = 1) {
    super();
    this.minVal = checkNumber('HardTanh', 'minVal', minVal);
    this.maxVal = checkNumber('HardTanh', 'maxVal', maxVal);
    if (!(maxVal > minVal)) throw new ValueError('HardTanh', `maxVal must be greater than minVal, got minVal ${minVal}, maxVal ${maxVal}`);
  }
  forward(x: Tensor): Tensor {
    return hardTanh(x, this.minVal, this.maxVal);
  }
  override toConfig(): LayerConfig {
    return { type: 'HardTanh', minVal: this.minVal, maxVal: this.maxVal };
  }
  static fromConfig(config: LayerConfig): HardTanh {
    const o = configOptions('HardTanh', config, ['minVal', 'maxVal']);
    return new HardTanh(o.minVal as number | undefined, o.maxVal as number | undefined);
  }
}

/**
 * x for x ≥ 0, negativeSlope·x otherwise; default negativeSlope 0.01 (PyTorch's `nn.LeakyReLU`).
 * @example new LeakyReLU(0.1).call(tensor([-2, 3])).toArray(); // [-0.2, 3]
 */
export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(negativeSlope = 0.01) {
    super();
    this.negativeSlope = checkNumber('LeakyReLU', 'negativeSlope', negativeSlope);
  }
  forward(x: Tensor): Tensor {
    return leakyRelu(x, this.negativeSlope);
  }
  override toConfig(): LayerConfig {
    return { type: 'LeakyReLU', negativeSlope: this.negativeSlope };
  }
  static fromConfig(config: LayerConfig): LeakyReLU {
    const o = configOptions('LeakyReLU', config, ['negativeSlope']);
    return new LeakyReLU(o.negativeSlope as number | undefined);
  }
}

/**
 * x for x > 0, alpha·(eˣ − 1) otherwise; default alpha 1 (PyTorch's `nn.ELU`).
 * @example new ELU().call(tensor([0, 1])).toArray(); // [0, 1]
 */
export class ELU extends Module {
  readonly alpha: number;
  constructor(alpha = 1) {
    super();
    this.alpha = checkNumber('ELU', 'alpha', alpha);
  }
  forward(x: Tensor): Tensor {
    return elu(x, this.alpha);
  }
  override toConfig(): LayerConfig {
    return { type: 'ELU', alpha: this.alpha };
  }
  static fromConfig(config: LayerConfig): ELU {
    const o = configOptions('ELU', config, ['alpha']);
    return new ELU(o.alpha as number | undefined);
  }
}

/**
 * x·Φ(x) with Φ the standard normal CDF (`approximate: 'none'`, the default), or
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) with `'tanh'` (PyTorch's `nn.GELU`).
 * @example new GELU('tanh').call(tensor([1])).item(); // 0.8412
 */
export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(approximate: 'none' | 'tanh' = 'none') {
    super();
    this.approximate = checkChoice('GELU', 'approximate', approximate, ['none', 'tanh'] as const);
  }
  forward(x: Tensor): Tensor {
    return gelu(x, this.approximate);
  }
  override toConfig(): LayerConfig {
    return { type: 'GELU', approximate: this.approximate };
  }
  static fromConfig(config: LayerConfig): GELU {
    const o = configOptions('GELU', config, ['approximate']);
    return new GELU(o.approximate as 'none' | 'tanh' | undefined);
  }
}

/**
 * (1/β)·log(1 + e^(βx)), and x where βx > threshold for numerical stability; defaults β = 1,
 * threshold = 20 (PyTorch's `nn.Softplus`).
 * @example new Softplus().call(tensor([0])).item(); // log 2 = 0.6931
 */
export class Softplus extends Module {
  readonly beta: number;
  readonly threshold: number;
  constructor(beta = 1, threshold = 20) {
    super();
    this.beta = checkNumber('Softplus', 'beta', beta, Number.MIN_VALUE);
    this.threshold = checkNumber('Softplus', 'threshold', threshold);
  }
  forward(x: Tensor): Tensor {
    return softplus(x, this.beta, this.threshold);
  }
  override toConfig(): LayerConfig {
    return { type: 'Softplus', beta: this.beta, threshold: this.threshold };
  }
  static fromConfig(config: LayerConfig): Softplus {
    const o = configOptions('Softplus', config, ['beta', 'threshold']);
    return new Softplus(o.beta as number | undefined, o.threshold as number | undefined);
  }
}

/** Checks a `dim` option: any integer, negative counting from the end. */
function checkDim(layer: string, dim: unknown): number {
  return checkInt(layer, 'dim', dim, -Infinity);
}

/**
 * exp(xᵢ) / Σⱼ exp(xⱼ) along `dim`, computed stably (PyTorch's `nn.Softmax`; `dim` is required here,
 * as PyTorch's implicit choice is deprecated).
 * @example new Softmax(-1).call(tensor([[1, 1]])).toArray(); // [[0.5, 0.5]]
 */
export class Softmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    this.dim = checkDim('Softmax', dim);
  }
  forward(x: Tensor): Tensor {
    return softmax(x, this.dim);
  }
  override toConfig(): LayerConfig {
    return { type: 'Softmax', dim: this.dim };
  }
  static fromConfig(config: LayerConfig): Softmax {
    return new Softmax(configOptions('Softmax', config, ['dim']).dim as number);
  }
}

/**
 * xᵢ − log Σⱼ exp(xⱼ) along `dim`, computed stably (PyTorch's `nn.LogSoftmax`; `dim` is required).
 * @example new LogSoftmax(1).call(logits); // log-probabilities for NLL loss
 */
export class LogSoftmax extends Module {
  readonly dim: number;
  constructor(dim: number) {
    super();
    this.dim = checkDim('LogSoftmax', dim);
  }
  forward(x: Tensor): Tensor {
    return logSoftmax(x, this.dim);
  }
  override toConfig(): LayerConfig {
    return { type: 'LogSoftmax', dim: this.dim };
  }
  static fromConfig(config: LayerConfig): LogSoftmax {
    return new LogSoftmax(configOptions('LogSoftmax', config, ['dim']).dim as number);
  }
}
