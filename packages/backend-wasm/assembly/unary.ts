// Elementwise float32 maps over n contiguous values: four lanes at a time, then the last n mod 4 values
// through the same vector code on a splat, so each op has exactly one definition. `op` is a constant at
// every call site of the inlined loop, so the optimizer folds the dispatch away (one loop per op).
import { expv, sigmoidv, tanhv } from './expf';

const NEG = 0, ABS = 1, SQUARE = 2, SQRT = 3, RSQRT = 4, RECIPROCAL = 5, RELU = 6, LEAKY_RELU = 7;
const CLAMP = 8, FLOOR = 9, ROUND = 10, EXP = 11, SIGMOID = 12, TANH = 13;

// @ts-ignore: decorator
@inline function apply(op: i32, v: v128, p0: v128, p1: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(v);
    case ABS: return f32x4.abs(v);
    case SQUARE: return f32x4.mul(v, v);
    case SQRT: return f32x4.sqrt(v);
    case RSQRT: return f32x4.div(f32x4.splat(1), f32x4.sqrt(v));
    case RECIPROCAL: return f32x4.div(f32x4.splat(1), v);
    // pmax(0, v) = 0 < v ? v : 0, so NaN and −0 map to 0 exactly as the cpu kernel's v > 0 ? v : 0.
    case RELU: return f32x4.pmax(f32x4.splat(0), v);
    case LEAKY_RELU: return v128.bitselect(v, f32x4.mul(v, p0), f32x4.gt(v, f32x4.splat(0)));
    // Compare-and-select keeps NaN (as the cpu's v < lo ? lo : v > hi ? hi : v) where min/max would not.
    case CLAMP: return v128.bitselect(p1, v128.bitselect(p0, v, f32x4.lt(v, p0)), f32x4.gt(v, p1));
    case FLOOR: return f32x4.floor(v);
    // Round half to even, which is what torch.round does.
    case ROUND: return f32x4.nearest(v);
    case EXP: return expv(v);
    case SIGMOID: return sigmoidv(v);
    case TANH: return tanhv(v);
  }
  unreachable();
  return v;
}

// @ts-ignore: decorator
@inline function map(op: i32, x: usize, out: usize, n: i32, a: f32, b: f32): void {
  const p0 = f32x4.splat(a);
  const p1 = f32x4.splat(b);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, apply(op, v128.load(x + o), p0, p1));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, f32x4.extract_lane(apply(op, f32x4.splat(load<f32>(x + o)), p0, p1), 0));
  }
}

export function unary_neg(x: usize, out: usize, n: i32): void { map(NEG, x, out, n, 0, 0); }
export function unary_abs(x: usize, out: usize, n: i32): void { map(ABS, x, out, n, 0, 0); }
export function unary_square(x: usize, out: usize, n: i32): void { map(SQUARE, x, out, n, 0, 0); }
export function unary_sqrt(x: usize, out: usize, n: i32): void { map(SQRT, x, out, n, 0, 0); }
export function unary_rsqrt(x: usize, out: usize, n: i32): void { map(RSQRT, x, out, n, 0, 0); }
export function unary_reciprocal(x: usize, out: usize, n: i32): void { map(RECIPROCAL, x, out, n, 0, 0); }
export function unary_relu(x: usize, out: usize, n: i32): void { map(RELU, x, out, n, 0, 0); }
export function unary_leakyRelu(x: usize, out: usize, n: i32, alpha: f32): void { map(LEAKY_RELU, x, out, n, alpha, 0); }
export function unary_clamp(x: usize, out: usize, n: i32, lo: f32, hi: f32): void { map(CLAMP, x, out, n, lo, hi); }
export function unary_floor(x: usize, out: usize, n: i32): void { map(FLOOR, x, out, n, 0, 0); }
export function unary_round(x: usize, out: usize, n: i32): void { map(ROUND, x, out, n, 0, 0); }
export function unary_exp(x: usize, out: usize, n: i32): void { map(EXP, x, out, n, 0, 0); }
export function unary_sigmoid(x: usize, out: usize, n: i32): void { map(SIGMOID, x, out, n, 0, 0); }
export function unary_tanh(x: usize, out: usize, n: i32): void { map(TANH, x, out, n, 0, 0); }
