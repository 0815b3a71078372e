// Vector exp and tanh for float32 lanes, after Cephes' expf/tanhf (S. Moshier), as vectorized in
// Pommier's sse_mathfun: Cody–Waite range reduction x = n·ln2 + r, a degree-6 polynomial for e^r on
// |r| ≤ ln2/2, and 2^n built in the exponent bits. About 1 ulp from the correctly rounded result.

// ln2 split so n·LN2_HI is exact for |n| < 2^9 (LN2_HI has 9 significant bits).
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const LOG2E: f32 = 1.44269504088896341;
// Above this e^x overflows float32; below the lower clamp it is 0 even as a denormal.
const EXP_HI: f32 = 88.72283935546875;
const EXP_LO: f32 = -104.0;

/**
 * y·2^n for integer lanes n in [-150, 128], as two multiplications by normal powers of two (each built in
 * the exponent field): 2^n itself may overflow (n = 128) or be denormal where y·2^n is not.
 */
// @ts-ignore: decorator
@inline function scale2(y: v128, n: v128): v128 {
  const half = i32x4.shr_s(n, 1);
  const rest = i32x4.sub(n, half);
  const bias = i32x4.splat(127);
  const y1 = f32x4.mul(y, i32x4.shl(i32x4.add(half, bias), 23));
  return f32x4.mul(y1, i32x4.shl(i32x4.add(rest, bias), 23));
}

/** e^x per lane; +∞ above the float32 range, 0 far below it, NaN for NaN. */
// @ts-ignore: decorator
@inline export function expv(x: v128): v128 {
  const xc = f32x4.max(f32x4.min(x, f32x4.splat(EXP_HI)), f32x4.splat(EXP_LO));
  const fn = f32x4.nearest(f32x4.mul(xc, f32x4.splat(LOG2E)));
  let r = f32x4.sub(xc, f32x4.mul(fn, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fn, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1));
  let y = scale2(p, i32x4.trunc_sat_f32x4_s(fn));
  y = v128.bitselect(f32x4.splat(Infinity), y, f32x4.gt(x, f32x4.splat(EXP_HI)));
  // NaN lanes were clamped to a number above; restore them.
  return v128.bitselect(x, y, f32x4.ne(x, x));
}

/**
 * tanh per lane: Cephes' odd polynomial below |x| = 0.625, where 1 − 2/(e^{2|x|} + 1) would lose
 * relative precision to cancellation, and that formula (with the sign restored) above.
 */
// @ts-ignore: decorator
@inline export function tanhv(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = expv(f32x4.add(ax, ax));
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(e, f32x4.splat(1))));
  // Copy x's sign bit onto the large-|x| result.
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, f32x4.splat(0.625)));
}

/**
 * The logistic function 1/(1 + e^{−x}), computed from e^{−|x|} so it never overflows: r = 1/(1 + e^{−|x|})
 * for x ≥ 0 and e^{−|x|}·r below, one division for both sides (a division costs as much as the rest of
 * the lane's arithmetic; the product adds at most half an ulp).
 */
// @ts-ignore: decorator
@inline export function sigmoidv(x: v128): v128 {
  const e = expv(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), e));
  return v128.bitselect(r, f32x4.mul(e, r), f32x4.ge(x, f32x4.splat(0)));
}
