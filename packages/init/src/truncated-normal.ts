import { erf, fill_, tensor, type Tensor } from '@backprop/tensor';
import { assign, checkFloat, checkNumber, creating, generatorOf, type InitOptions } from './options.js';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function normalCdf(x: number): number {
  return (1 + erf(tensor([x / Math.SQRT2], 'float64')).item()) / 2;
}

/**
 * erf⁻¹ of each value (all in (−1, 1)), in place. Giles' single-precision polynomial ("Approximating the
 * erfinv function", 2010) gives a start within 1e-7; two Newton steps on the float64 `erf` make it exact
 * to double precision.
 */
function erfinvInPlace(y: Float64Array): void {
  const x = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) {
    const v = y[i];
    let w = -Math.log((1 - v) * (1 + v));
    let p: number;
    if (w < 5) {
      w -= 2.5;
      p = 2.81022636e-8;
      p = 3.43273939e-7 + p * w;
      p = -3.5233877e-6 + p * w;
      p = -4.39150654e-6 + p * w;
      p = 0.00021858087 + p * w;
      p = -0.00125372503 + p * w;
      p = -0.00417768164 + p * w;
      p = 0.246640727 + p * w;
      p = 1.50140941 + p * w;
    } else {
      w = Math.sqrt(w) - 3;
      p = -0.000200214257;
      p = 0.000100950558 + p * w;
      p = 0.00134934322 + p * w;
      p = -0.00367342844 + p * w;
      p = 0.00573950773 + p * w;
      p = -0.0076224613 + p * w;
      p = 0.00943887047 + p * w;
      p = 1.00167406 + p * w;
      p = 2.83297682 + p * w;
    }
    x[i] = p * v;
  }
  for (let step = 0; step < 2; step++) {
    const e = erf(tensor(x, [x.length])).dataSync();
    for (let i = 0; i < x.length; i++) x[i] -= (e[i] - y[i]) / (TWO_OVER_SQRT_PI * Math.exp(-x[i] * x[i]));
  }
  y.set(x);
}

/** Options of `truncatedNormal_`; `a` and `b` are absolute bounds, not multiples of `std`. */
export interface TruncatedNormalOptions extends InitOptions {
  /** Mean of the underlying normal (default 0). */
  mean?: number;
  /** Standard deviation of the underlying normal (default 1). */
  std?: number;
  /** Lower cut-off (default −2). */
  a?: number;
  /** Upper cut-off (default 2). */
  b?: number;
}

/**
 * Fills `t` in place with draws from N(mean, std²) conditioned on [a, b], defaults mean = 0, std = 1,
 * a = −2, b = 2, as PyTorch's `trunc_normal_`: by the inverse CDF, x = mean + std·√2·erf⁻¹(u) with
 * u ~ U(2Φ(α) − 1, 2Φ(β) − 1), α = (a − mean)/std, β = (b − mean)/std, then clamped to [a, b]. Note that
 * `a` and `b` are absolute values, and the result's std is less than `std`.
 *
 * @example truncatedNormal_(zeros([768, 768]), { std: 0.02, a: -0.04, b: 0.04 });
 */
export function truncatedNormal_(t: Tensor, options: TruncatedNormalOptions = {}): Tensor {
  const op = 'truncatedNormal_';
  checkFloat(op, t);
  const mean = checkNumber(op, 'mean', options.mean ?? 0);
  const std = checkNumber(op, 'std', options.std ?? 1, 0);
  const a = checkNumber(op, 'a', options.a ?? -2);
  const b = checkNumber(op, 'b', options.b ?? 2, a);
  const g = generatorOf(options);
  if (std === 0) {
    return fill_(t, Math.min(Math.max(mean, a), b));
  }
  const lo = 2 * normalCdf((a - mean) / std) - 1;
  const hi = 2 * normalCdf((b - mean) / std) - 1;
  const u = new Float64Array(t.size);
  // erf⁻¹(±1) is infinite: keep u strictly inside (−1, 1); the clamp below restores the bounds.
  const edge = 1 - Number.EPSILON;
  for (let i = 0; i < u.length; i++) u[i] = Math.min(Math.max(lo + (hi - lo) * g.random(), -edge), edge);
  erfinvInPlace(u);
  return assign(t, (data) => {
    for (let i = 0; i < u.length; i++) data[i] = Math.min(Math.max(mean + std * Math.SQRT2 * u[i], a), b);
  });
}

/**
 * A new tensor of truncated-normal draws (see `truncatedNormal_`).
 * @example truncatedNormal([3, 4], { std: 0.02, a: -0.04, b: 0.04 });
 */
export const truncatedNormal = creating<TruncatedNormalOptions>(truncatedNormal_);
