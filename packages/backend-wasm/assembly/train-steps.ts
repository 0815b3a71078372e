// The per-step kernels of training in float32 SIMD: the activation gradients of the backward pass,
// gradient accumulation, and the fused Adam and SGD updates (in place on the parameter and its buffers).
// Each loop does four lanes at a time, then the last n mod 4 values through the same vector code on a
// splat, so every formula has one definition. The formulas are PyTorch's (see @backprop/optim).

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32, tail: bool): v128 {
  return tail ? f32x4.splat(load<f32>(p + (<usize>i << 2))) : v128.load(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: v128, tail: bool): void {
  if (tail) store<f32>(p + (<usize>i << 2), f32x4.extract_lane(v, 0));
  else v128.store(p + (<usize>i << 2), v);
}

const SIGMOID = 0, TANH = 1, RELU = 2;

// @ts-ignore: decorator
@inline function activationGrad(op: i32, g: v128, v: v128): v128 {
  const one = f32x4.splat(1);
  switch (op) {
    case SIGMOID: return f32x4.mul(g, f32x4.mul(v, f32x4.sub(one, v)));
    case TANH: return f32x4.mul(g, f32x4.sub(one, f32x4.mul(v, v)));
    // g · [x > 0] as a product, so an infinite g times 0 is NaN exactly as on cpu.
    case RELU: return f32x4.mul(g, v128.and(f32x4.gt(v, f32x4.splat(0)), one));
  }
  unreachable();
  return g;
}

// @ts-ignore: decorator
@inline function gradLoop(op: i32, g: usize, v: usize, out: usize, n: i32): void {
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) st(out, i, activationGrad(op, ld(g, i, false), ld(v, i, false)), false);
  for (; i < n; i++) st(out, i, activationGrad(op, ld(g, i, true), ld(v, i, true)), true);
}

export function grad_sigmoidGrad(g: usize, v: usize, out: usize, n: i32): void { gradLoop(SIGMOID, g, v, out, n); }
export function grad_tanhGrad(g: usize, v: usize, out: usize, n: i32): void { gradLoop(TANH, g, v, out, n); }
export function grad_reluGrad(g: usize, v: usize, out: usize, n: i32): void { gradLoop(RELU, g, v, out, n); }

/** a += alpha · b. */
export function axpy(a: usize, b: usize, n: i32, alpha: f32): void {
  const s = f32x4.splat(alpha);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) st(a, i, f32x4.add(ld(a, i, false), f32x4.mul(s, ld(b, i, false))), false);
  for (; i < n; i++) st(a, i, f32x4.add(ld(a, i, true), f32x4.mul(s, ld(b, i, true))), true);
}

export const ADAM_AMSGRAD = 1, ADAM_MAXIMIZE = 2, ADAM_DECOUPLED = 4;

// @ts-ignore: decorator
@inline function adamLanes(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, i: i32, tail: bool,
  b1: v128, b1c: v128, b2: v128, b2c: v128, eps: v128, wd: v128, flags: i32, stepSize: v128, bias2Sqrt: v128, shrink: v128,
): void {
  let gr = ld(g, i, tail);
  if (flags & ADAM_MAXIMIZE) gr = f32x4.neg(gr);
  let pv = ld(p, i, tail);
  if (flags & ADAM_DECOUPLED) pv = f32x4.mul(pv, shrink);
  else gr = f32x4.add(gr, f32x4.mul(wd, pv));
  const mv = f32x4.add(f32x4.mul(ld(m, i, tail), b1), f32x4.mul(b1c, gr));
  const vv = f32x4.add(f32x4.mul(ld(v, i, tail), b2), f32x4.mul(f32x4.mul(b2c, gr), gr));
  st(m, i, mv, tail);
  st(v, i, vv, tail);
  let vHat = vv;
  if (flags & ADAM_AMSGRAD) {
    vHat = f32x4.max(ld(vmax, i, tail), vv);
    st(vmax, i, vHat, tail);
  }
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vHat), bias2Sqrt), eps);
  st(p, i, f32x4.sub(pv, f32x4.mul(stepSize, f32x4.div(mv, denom))), tail);
}

/** One Adam/AdamW step over n parameters, in place on p, m, v (and vmax with amsgrad). */
export function adamStep(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, eps: f32, weightDecay: f32, flags: i32, stepSize: f32, bias2Sqrt: f32, shrink: f32,
): void {
  const b1 = f32x4.splat(beta1), b1c = f32x4.splat(1 - beta1), b2 = f32x4.splat(beta2), b2c = f32x4.splat(1 - beta2);
  const e = f32x4.splat(eps), wd = f32x4.splat(weightDecay), ss = f32x4.splat(stepSize), bs = f32x4.splat(bias2Sqrt), sh = f32x4.splat(shrink);
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) adamLanes(p, g, m, v, vmax, i, false, b1, b1c, b2, b2c, e, wd, flags, ss, bs, sh);
  for (; i < n; i++) adamLanes(p, g, m, v, vmax, i, true, b1, b1c, b2, b2c, e, wd, flags, ss, bs, sh);
}

export const SGD_NESTEROV = 1, SGD_MAXIMIZE = 2, SGD_FIRST = 4;

// @ts-ignore: decorator
@inline function sgdLanes(p: usize, g: usize, buf: usize, i: i32, tail: bool, lr: v128, mom: v128, damp: v128, wd: v128, useMomentum: bool, flags: i32): void {
  let d = ld(g, i, tail);
  if (flags & SGD_MAXIMIZE) d = f32x4.neg(d);
  const pv = ld(p, i, tail);
  d = f32x4.add(d, f32x4.mul(wd, pv));
  if (useMomentum) {
    const b = flags & SGD_FIRST ? d : f32x4.add(f32x4.mul(mom, ld(buf, i, tail)), f32x4.mul(damp, d));
    st(buf, i, b, tail);
    d = flags & SGD_NESTEROV ? f32x4.add(d, f32x4.mul(mom, b)) : b;
  }
  st(p, i, f32x4.sub(pv, f32x4.mul(lr, d)), tail);
}

/** One SGD step over n parameters, in place on p (and the momentum buffer when momentum ≠ 0). */
export function sgdStep(p: usize, g: usize, buf: usize, n: i32, lr: f32, momentum: f32, dampening: f32, weightDecay: f32, flags: i32): void {
  const l = f32x4.splat(lr), mo = f32x4.splat(momentum), da = f32x4.splat(1 - dampening), wd = f32x4.splat(weightDecay);
  const useMomentum = momentum != 0;
  const n4 = n & ~3;
  let i = 0;
  for (; i < n4; i += 4) sgdLanes(p, g, buf, i, false, l, mo, da, wd, useMomentum, flags);
  for (; i < n; i++) sgdLanes(p, g, buf, i, true, l, mo, da, wd, useMomentum, flags);
}
