// Softmax and log-softmax over the last axis of a [rows, n] float32 block, shifted by the row max so exp
// never overflows (the same formulation as the cpu kernel, with the vector exp of expf.ts).
import { expv } from './expf';

/** Largest value of a row; NaN if any value is NaN (f32x4.max propagates it), as Math.max does. */
function rowMax(x: usize, n: i32): f32 {
  const n4 = n & ~3;
  let m = f32x4.splat(-Infinity);
  let j = 0;
  for (; j < n4; j += 4) m = f32x4.max(m, v128.load(x + (<usize>j << 2)));
  let s = max(max(f32x4.extract_lane(m, 0), f32x4.extract_lane(m, 1)), max(f32x4.extract_lane(m, 2), f32x4.extract_lane(m, 3)));
  for (; j < n; j++) s = max(s, load<f32>(x + (<usize>j << 2)));
  return s;
}

/** Writes e^{x−m} to out (when out ≠ 0) and returns the sum, in four lanes and then across them. */
function expSum(x: usize, out: usize, n: i32, m: f32): f32 {
  const n4 = n & ~3;
  const mv = f32x4.splat(m);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j < n4; j += 4) {
    const o = <usize>j << 2;
    const e = expv(f32x4.sub(v128.load(x + o), mv));
    if (out != 0) v128.store(out + o, e);
    acc = f32x4.add(acc, e);
  }
  let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
  for (; j < n; j++) {
    const o = <usize>j << 2;
    const e = f32x4.extract_lane(expv(f32x4.splat(load<f32>(x + o) - m)), 0);
    if (out != 0) store<f32>(out + o, e);
    s += e;
  }
  return s;
}

/** out[r, :] = softmax(x[r, :]) (log = 0) or log-softmax (log = 1) for each of `rows` rows of n. */
export function softmaxRows(x: usize, out: usize, rows: i32, n: i32, log: i32): void {
  const step = <usize>n << 2;
  for (let r = 0; r < rows; r++, x += step, out += step) {
    let m = rowMax(x, n);
    // A row of −∞ has no finite max; shifting by 0 keeps it −∞ (and softmax NaN), as on cpu.
    if (m == -Infinity) m = 0;
    const n4 = n & ~3;
    if (log != 0) {
      // (x − m) − log Σ, not x − (m + log Σ): with large logits m + log Σ rounds to the ulp of m (6e-5
      // at 1000), while x − m is exact for x near m (Sterbenz) and log Σ is small, as PyTorch computes it.
      const ls = <f32>Math.log(<f64>expSum(x, 0, n, m));
      const mv = f32x4.splat(m);
      const lv = f32x4.splat(ls);
      let j = 0;
      for (; j < n4; j += 4) v128.store(out + (<usize>j << 2), f32x4.sub(f32x4.sub(v128.load(x + (<usize>j << 2)), mv), lv));
      for (; j < n; j++) store<f32>(out + (<usize>j << 2), (load<f32>(x + (<usize>j << 2)) - m) - ls);
    } else {
      const s = expSum(x, out, n, m);
      const sv = f32x4.splat(s);
      let j = 0;
      for (; j < n4; j += 4) v128.store(out + (<usize>j << 2), f32x4.div(v128.load(out + (<usize>j << 2)), sv));
      for (; j < n; j++) store<f32>(out + (<usize>j << 2), load<f32>(out + (<usize>j << 2)) / s);
    }
  }
}
