// sum / prod / max / min of float32 blocks. Sums and products accumulate in float64 (two f64x2 lanes
// per pair of floats), as the cpu kernel does, so the float32 result is the correctly rounded float64
// value in all but the rarest cases; only the order of the additions differs. max and min return NaN
// when any input is NaN, like the cpu kernel's `v > acc || v !== v`.

const SUM = 0;
const PROD = 1;
const MAX = 2;

/** Two floats at p, widened to an f64x2. */
// @ts-ignore: decorator
@inline function pair(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** Σ or Π of n floats at x in float64: eight in flight, in four f64x2 accumulators. */
export function sumOrProd(x: usize, n: i32, prod: bool): f64 {
  const n8 = n & ~7;
  const init = f64x2.splat(prod ? 1 : 0);
  let a0 = init;
  let a1 = init;
  let a2 = init;
  let a3 = init;
  let j = 0;
  if (prod) {
    for (; j < n8; j += 8) {
      const p = x + (<usize>j << 2);
      a0 = f64x2.mul(a0, pair(p));
      a1 = f64x2.mul(a1, pair(p + 8));
      a2 = f64x2.mul(a2, pair(p + 16));
      a3 = f64x2.mul(a3, pair(p + 24));
    }
    const a = f64x2.mul(f64x2.mul(a0, a1), f64x2.mul(a2, a3));
    let s = f64x2.extract_lane(a, 0) * f64x2.extract_lane(a, 1);
    for (; j < n; j++) s *= <f64>load<f32>(x + (<usize>j << 2));
    return s;
  }
  for (; j < n8; j += 8) {
    const p = x + (<usize>j << 2);
    a0 = f64x2.add(a0, pair(p));
    a1 = f64x2.add(a1, pair(p + 8));
    a2 = f64x2.add(a2, pair(p + 16));
    a3 = f64x2.add(a3, pair(p + 24));
  }
  const a = f64x2.add(f64x2.add(a0, a1), f64x2.add(a2, a3));
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; j < n; j++) s += <f64>load<f32>(x + (<usize>j << 2));
  return s;
}

/**
 * max (isMax) or min of n ≥ 1 floats at x; NaN if any is NaN. The vector loop uses pmax/pmin (one
 * instruction each on x86, where f32x4.max's NaN rule costs several) and tracks NaN separately.
 */
function extreme(x: usize, n: i32, isMax: bool): f32 {
  const n8 = n & ~7;
  let a0 = f32x4.splat(isMax ? -Infinity : Infinity);
  let a1 = a0;
  let nan = v128.splat<i32>(0);
  let j = 0;
  if (isMax) {
    for (; j < n8; j += 8) {
      const p = x + (<usize>j << 2);
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      a0 = f32x4.pmax(a0, v0);
      a1 = f32x4.pmax(a1, v1);
      nan = v128.or(nan, v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)));
    }
  } else {
    for (; j < n8; j += 8) {
      const p = x + (<usize>j << 2);
      const v0 = v128.load(p);
      const v1 = v128.load(p, 16);
      a0 = f32x4.pmin(a0, v0);
      a1 = f32x4.pmin(a1, v1);
      nan = v128.or(nan, v128.or(f32x4.ne(v0, v0), f32x4.ne(v1, v1)));
    }
  }
  if (v128.any_true(nan)) return NaN;
  const a = isMax ? f32x4.max(a0, a1) : f32x4.min(a0, a1);
  const l0 = f32x4.extract_lane(a, 0);
  const l1 = f32x4.extract_lane(a, 1);
  const l2 = f32x4.extract_lane(a, 2);
  const l3 = f32x4.extract_lane(a, 3);
  let s = isMax ? max(max(l0, l1), max(l2, l3)) : min(min(l0, l1), min(l2, l3));
  for (; j < n; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    s = isMax ? max(s, v) : min(s, v);
  }
  return s;
}

/**
 * out[r] = op over x[r, 0..n) for `rows` rows of n ≥ 1 floats (a reduction over all elements, or over
 * the trailing axes); op 0 sum, 1 prod, 2 max, 3 min.
 */
export function reduceRows(op: i32, x: usize, out: usize, rows: i32, n: i32): void {
  const step = <usize>n << 2;
  for (let r = 0; r < rows; r++, x += step, out += 4) {
    store<f32>(out, op <= PROD ? <f32>sumOrProd(x, n, op == PROD) : extreme(x, n, op == MAX));
  }
}

/** acc[i] += x[i] (or *= when prod) for `inner` floats at x into float64s at acc. */
function accumulateRow(acc: usize, x: usize, inner: i32, prod: bool): void {
  const inner2 = inner & ~1;
  let i = 0;
  if (prod) {
    for (; i < inner2; i += 2) {
      const a = acc + (<usize>i << 3);
      v128.store(a, f64x2.mul(v128.load(a), pair(x + (<usize>i << 2))));
    }
    if (i < inner) store<f64>(acc + (<usize>i << 3), load<f64>(acc + (<usize>i << 3)) * <f64>load<f32>(x + (<usize>i << 2)));
    return;
  }
  for (; i < inner2; i += 2) {
    const a = acc + (<usize>i << 3);
    v128.store(a, f64x2.add(v128.load(a), pair(x + (<usize>i << 2))));
  }
  if (i < inner) store<f64>(acc + (<usize>i << 3), load<f64>(acc + (<usize>i << 3)) + <f64>load<f32>(x + (<usize>i << 2)));
}

/** out[i] = max(out[i], x[i]) (or min) for `inner` floats. */
function extremeRow(out: usize, x: usize, inner: i32, isMax: bool): void {
  const inner4 = inner & ~3;
  let i = 0;
  if (isMax) {
    for (; i < inner4; i += 4) {
      const p = <usize>i << 2;
      v128.store(out + p, f32x4.max(v128.load(out + p), v128.load(x + p)));
    }
    for (; i < inner; i++) store<f32>(out + (<usize>i << 2), max(load<f32>(out + (<usize>i << 2)), load<f32>(x + (<usize>i << 2))));
    return;
  }
  for (; i < inner4; i += 4) {
    const p = <usize>i << 2;
    v128.store(out + p, f32x4.min(v128.load(out + p), v128.load(x + p)));
  }
  for (; i < inner; i++) store<f32>(out + (<usize>i << 2), min(load<f32>(out + (<usize>i << 2)), load<f32>(x + (<usize>i << 2))));
}

/**
 * out[o, i] = op over r of x[o, r, i] for an [outer, n, inner] block with n ≥ 1 (a reduction over
 * leading or middle axes, such as a bias gradient's sum over the batch). Whole rows stream through a
 * float64 accumulator row `acc` of `inner` values (sum and prod), or through `out` itself (max, min),
 * so x is read once, in order.
 */
export function reduceColumns(op: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32, acc: usize): void {
  const step = <usize>inner << 2;
  for (let o = 0; o < outer; o++, out += step) {
    if (op <= PROD) {
      const init: f64 = op == SUM ? 0 : 1;
      for (let i = 0; i < inner; i++) store<f64>(acc + (<usize>i << 3), init);
      for (let r = 0; r < n; r++, x += step) accumulateRow(acc, x, inner, op == PROD);
      for (let i = 0; i < inner; i++) store<f32>(out + (<usize>i << 2), <f32>load<f64>(acc + (<usize>i << 3)));
    } else {
      memory.copy(out, x, step);
      x += step;
      for (let r = 1; r < n; r++, x += step) extremeRow(out, x, inner, op == MAX);
    }
  }
}

/**
 * out[k] = op over a and b of x[a, k, b] for an [A, K, B] block with A, B ≥ 1: a reduction over leading
 * and trailing axes around kept middle ones, as the per-channel sums of batch norm and of a conv bias's
 * gradient ([N, C, H, W] over 0, 2, 3). Each row of B reduces in float64 and the K results combine over
 * a in the float64 row `acc` (K values).
 */
export function reduceOuterInner(op: i32, x: usize, out: usize, A: i32, K: i32, B: i32, acc: usize): void {
  const step = <usize>B << 2;
  for (let a = 0; a < A; a++) {
    for (let k = 0; k < K; k++, x += step) {
      const p = acc + (<usize>k << 3);
      if (op <= PROD) {
        const v = sumOrProd(x, B, op == PROD);
        store<f64>(p, a == 0 ? v : op == SUM ? load<f64>(p) + v : load<f64>(p) * v);
      } else {
        const v = <f64>extreme(x, B, op == MAX);
        store<f64>(p, a == 0 ? v : op == MAX ? max(load<f64>(p), v) : min(load<f64>(p), v));
      }
    }
  }
  for (let k = 0; k < K; k++) store<f32>(out + (<usize>k << 2), <f32>load<f64>(acc + (<usize>k << 3)));
}
