// WGSL helpers for the float functions WGSL lacks or computes unsafely (tanh of large values, pow of
// negative bases). Shaders include the whole block; unused functions cost nothing once compiled.

/**
 * NaN tests on the bits: a compiler that assumes no NaN (SwiftShader's does) folds `x != x` to false, but
 * not integer arithmetic. Needs nothing but WGSL, so every shader may include it.
 */
export const NAN_BITS = /* wgsl */ `
fn isNanF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn isFiniteF(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) < 0x7f800000u; }
`;

// WGSL rejects a constant that evaluates to NaN or infinity, so MATH (for shaders with the meta binding m)
// builds them from m[0] at run time.
export const MATH = /* wgsl */ `${NAN_BITS}
fn nanF() -> f32 { return bitcast<f32>(m[0] | 0x7fc00000u); }
fn infF() -> f32 { return bitcast<f32>(0x7f800000u | (m[0] & 0u)); }
fn log1pF(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return log(u) * x / (u - 1.0);
}
fn expm1F(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * x / log(u);
}
// Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7, under float32's resolution near 1).
fn erfF(x: f32) -> f32 {
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let p = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t;
  let y = 1.0 - p * exp(-x * x);
  return select(-y, y, x >= 0.0);
}
// sin and cos to float32 accuracy: WGSL promises only 2^-11 absolute error inside [-pi, pi] (SwiftShader
// is that coarse), so reduce by multiples of pi/2 (pi/2 split in two floats) and use Taylor polynomials on
// [-pi/4, pi/4], whose first omitted terms are below 2e-9.
fn sinCosQuadrant(x: f32, shift: i32) -> f32 {
  let k = round(x * 0.63661977236758134);
  let r = (x - k * 1.5707963705062866) + k * 4.371139000186243e-8;
  let r2 = r * r;
  let s = r * (1.0 + r2 * (-1.0 / 6.0 + r2 * (1.0 / 120.0 + r2 * (-1.0 / 5040.0 + r2 * (1.0 / 362880.0)))));
  let c = 1.0 + r2 * (-0.5 + r2 * (1.0 / 24.0 + r2 * (-1.0 / 720.0 + r2 * (1.0 / 40320.0))));
  let q = (i32(k) + shift) & 3;
  if (q == 0) { return s; }
  if (q == 1) { return c; }
  if (q == 2) { return -s; }
  return -c;
}
fn sinF(x: f32) -> f32 { return sinCosQuadrant(x, 0); }
fn cosF(x: f32) -> f32 { return sinCosQuadrant(x, 1); }
fn tanhF(x: f32) -> f32 { return tanh(clamp(x, -15.0, 15.0)); }
fn sigmoidF(x: f32) -> f32 {
  if (x >= 0.0) { return 1.0 / (1.0 + exp(-x)); }
  let e = exp(x);
  return e / (1.0 + e);
}
// Math.pow's cases: x^0 = 1, negative bases with integer exponents, NaN for other negative bases.
fn powF(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  let r = pow(abs(x), y);
  if (x < 0.0) {
    if (floor(y) != y) { return sqrt(x); }
    if (fract(y * 0.5) != 0.0) { return -r; }
  }
  if (x == 0.0 && y > 0.0) { return 0.0; }
  return r;
}
fn powI(x: i32, y: i32) -> i32 {
  if (y < 0) {
    if (x == 1) { return 1; }
    if (x == -1) { return select(1, -1, (y & 1) != 0); }
    return 0;
  }
  var result = 1;
  var base = x;
  var e = y;
  while (e > 0) {
    if ((e & 1) != 0) { result = result * base; }
    base = base * base;
    e = e >> 1u;
  }
  return result;
}
`;
