import type { Tensor } from '@backprop/tensor';
import { uniform_, normal_ } from './basic.js';
import { calculateFanInAndFanOut, fanOf, type FanMode } from './fans.js';
import { calculateGain, type Nonlinearity } from './gain.js';
import { checkNumber, creating, type InitOptions } from './options.js';
import { truncatedNormal_ } from './truncated-normal.js';

/** Options of the Glorot/Xavier initializers. */
export interface XavierOptions extends InitOptions {
  /** Scaling factor (default 1); see `calculateGain`. */
  gain?: number;
}

/** Options of the He/Kaiming initializers (PyTorch's defaults: a = 0, mode 'fanIn', nonlinearity 'leaky_relu'). */
export interface KaimingOptions extends InitOptions {
  /** Negative slope of the rectifier that follows (default 0); only used with 'leaky_relu'. */
  a?: number;
  /** 'fanIn' (default) keeps the variance of activations in the forward pass, 'fanOut' of gradients in the backward pass. */
  mode?: FanMode;
  /** The nonlinearity after this layer, for `calculateGain` (default 'leaky_relu'). */
  nonlinearity?: Nonlinearity;
}

function xavierStd(op: string, t: Tensor, options: XavierOptions): number {
  const { fanIn, fanOut } = calculateFanInAndFanOut(t.shape);
  return checkNumber(op, 'gain', options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
}

function kaimingStd(op: string, t: Tensor, options: KaimingOptions): number {
  const fan = fanOf(op, t.shape, options.mode ?? 'fanIn');
  const gain = calculateGain(options.nonlinearity ?? 'leaky_relu', checkNumber(op, 'a', options.a ?? 0));
  return gain / Math.sqrt(fan);
}

/**
 * Glorot/Xavier uniform, in place (PyTorch's `xavier_uniform_`): U(−bound, bound) with
 * bound = gain·√(6 / (fanIn + fanOut)), default gain 1. Keeps activation and gradient variances equal
 * across layers of linear or tanh units (Glorot and Bengio, 2010).
 *
 * @example xavierUniform_(zeros([4, 3]), { gain: calculateGain('tanh') });
 */
export function xavierUniform_(t: Tensor, options: XavierOptions = {}): Tensor {
  const bound = Math.sqrt(3) * xavierStd('xavierUniform_', t, options);
  return uniform_(t, { a: -bound, b: bound, generator: options.generator });
}

/**
 * Glorot/Xavier normal, in place (PyTorch's `xavier_normal_`): N(0, std²) with
 * std = gain·√(2 / (fanIn + fanOut)), default gain 1.
 *
 * @example xavierNormal_(zeros([4, 3]));
 */
export function xavierNormal_(t: Tensor, options: XavierOptions = {}): Tensor {
  return normal_(t, { std: xavierStd('xavierNormal_', t, options), generator: options.generator });
}

/**
 * He/Kaiming uniform, in place (PyTorch's `kaiming_uniform_`): U(−bound, bound) with
 * bound = gain·√(3 / fan), gain = `calculateGain(nonlinearity, a)`, fan = fanIn or fanOut by `mode`.
 * Defaults a = 0, mode 'fanIn', nonlinearity 'leaky_relu' (so gain √2). PyTorch's Linear and Conv use
 * a = √5, which gives bound = 1/√fanIn.
 *
 * @example kaimingUniform_(zeros([4, 3]), { nonlinearity: 'relu' });
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  return uniform_(t, { a: -bound, b: bound, generator: options.generator });
}

/**
 * He/Kaiming normal, in place (PyTorch's `kaiming_normal_`): N(0, std²) with std = gain / √fan; options
 * and defaults as `kaimingUniform_`.
 *
 * @example kaimingNormal_(zeros([8, 4]), { mode: 'fanOut', nonlinearity: 'relu' });
 */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  return normal_(t, { std: kaimingStd('kaimingNormal_', t, options), generator: options.generator });
}

/**
 * LeCun uniform, in place (as Keras' `LecunUniform`; PyTorch has no named one): U(−bound, bound) with
 * bound = √(3 / fanIn), so that the variance is 1/fanIn (for SELU networks).
 *
 * @example lecunUniform_(zeros([4, 3]));
 */
export function lecunUniform_(t: Tensor, options: InitOptions = {}): Tensor {
  const bound = Math.sqrt(3 / calculateFanInAndFanOut(t.shape).fanIn);
  return uniform_(t, { a: -bound, b: bound, generator: options.generator });
}

/** Std of a standard normal truncated to [−2, 2]: dividing by it gives the truncated draws the wanted std. */
const TRUNCATED_STD = 0.8796256610342398;

/**
 * LeCun normal, in place (as Keras' `LecunNormal` and JAX's `lecun_normal`): a normal truncated at two
 * standard deviations whose resulting std is √(1 / fanIn), i.e. an underlying std of
 * √(1 / fanIn) / 0.87962566.
 *
 * @example lecunNormal_(zeros([4, 3]));
 */
export function lecunNormal_(t: Tensor, options: InitOptions = {}): Tensor {
  const std = Math.sqrt(1 / calculateFanInAndFanOut(t.shape).fanIn) / TRUNCATED_STD;
  return truncatedNormal_(t, { std, a: -2 * std, b: 2 * std, generator: options.generator });
}

/** A new Glorot/Xavier-uniform tensor (see `xavierUniform_`). @example xavierUniform([4, 3]); */
export const xavierUniform = creating<XavierOptions>(xavierUniform_);
/** A new Glorot/Xavier-normal tensor (see `xavierNormal_`). @example xavierNormal([4, 3]); */
export const xavierNormal = creating<XavierOptions>(xavierNormal_);
/** A new He/Kaiming-uniform tensor (see `kaimingUniform_`). @example kaimingUniform([4, 3], { nonlinearity: 'relu' }); */
export const kaimingUniform = creating<KaimingOptions>(kaimingUniform_);
/** A new He/Kaiming-normal tensor (see `kaimingNormal_`). @example kaimingNormal([4, 3]); */
export const kaimingNormal = creating<KaimingOptions>(kaimingNormal_);
/** A new LeCun-uniform tensor (see `lecunUniform_`). @example lecunUniform([4, 3]); */
export const lecunUniform = creating<InitOptions>(lecunUniform_);
/** A new LeCun-normal tensor (see `lecunNormal_`). @example lecunNormal([4, 3]); */
export const lecunNormal = creating<InitOptions>(lecunNormal_);

/** Keras' name for `xavierUniform_`. @example glorotUniform_(w); */
export const glorotUniform_ = xavierUniform_;
/** Keras' name for `xavierNormal_`. @example glorotNormal_(w); */
export const glorotNormal_ = xavierNormal_;
/** Keras' name for `kaimingUniform_`. @example heUniform_(w); */
export const heUniform_ = kaimingUniform_;
/** Another name for `kaimingNormal_` (untruncated, as PyTorch; Keras' `he_normal` truncates). @example heNormal_(w); */
export const heNormal_ = kaimingNormal_;
/** Keras' name for `xavierUniform`. @example glorotUniform([4, 3], { generator }); */
export const glorotUniform = xavierUniform;
/** Keras' name for `xavierNormal`. @example glorotNormal([4, 3]); */
export const glorotNormal = xavierNormal;
/** Keras' name for `kaimingUniform`. @example heUniform([4, 3]); */
export const heUniform = kaimingUniform;
/** Another name for `kaimingNormal` (untruncated, as PyTorch). @example heNormal([4, 3]); */
export const heNormal = kaimingNormal;
