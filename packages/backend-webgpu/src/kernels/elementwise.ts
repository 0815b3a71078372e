import { broadcastStrides, sizeOf, type DType, type DeviceKernel, type DeviceTensorData, type KernelAttrs } from '@backprop/tensor';
import { f32Bits, grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { MATH, NAN_BITS } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output, walk } from './util.js';

type T = 'f32' | 'i32' | 'u32';

/** Binary ops: WGSL expressions of `x` and `y` (of the computation type) giving the result type. */
const BINARY: Record<string, (t: T) => string> = {
  add: () => 'x + y',
  sub: () => 'x - y',
  mul: () => 'x * y',
  div: () => 'x / y',
  pow: (t) => (t === 'f32' ? 'powF(x, y)' : t === 'i32' ? 'powI(x, y)' : 'u32(powI(i32(x), i32(y)))'),
  // NaN propagates, as in torch.maximum.
  maximum: (t) => (t === 'f32' ? 'select(select(select(y, x, x > y), y, isNanF(y)), x, isNanF(x))' : 'max(x, y)'),
  minimum: (t) => (t === 'f32' ? 'select(select(select(y, x, x < y), y, isNanF(y)), x, isNanF(x))' : 'min(x, y)'),
  // A comparison with NaN is false (but !=), whatever the compiler assumes.
  eq: (t) => compare('x == y', t),
  ne: (t) => (t === 'f32' ? 'select(0u, 1u, x != y || isNanF(x) || isNanF(y))' : 'select(0u, 1u, x != y)'),
  lt: (t) => compare('x < y', t),
  le: (t) => compare('x <= y', t),
  gt: (t) => compare('x > y', t),
  ge: (t) => compare('x >= y', t),
};

function compare(test: string, t: T): string {
  return t === 'f32' ? `select(0u, 1u, ${test} && !isNanF(x) && !isNanF(y))` : `select(0u, 1u, ${test})`;
}

export const BINARY_OPS = Object.keys(BINARY);

/**
 * Binary op with broadcasting: each thread decomposes its output index over the output shape and reads
 * both inputs through broadcast strides (0 on broadcast axes); same-shape operands skip the walk.
 */
export function binaryKernel(rt: WebGpuRuntime, op: string): DeviceKernel {
  const expr = BINARY[op];
  return ([a, b], attrs) => {
    const shape = attrs.shape as number[];
    const dtype = attrs.dtype as DType;
    const t = wgslType(a.dtype);
    const o = wgslType(dtype);
    const [buffer, result] = output(rt, shape, dtype);
    const n = sizeOf(shape);
    if (n === 0) return result;
    const same = sizeOf(a.shape) === n && sizeOf(b.shape) === n;
    const rank = shape.length;
    const meta = same ? [n, 0] : [n, rank, ...shape, ...broadcastStrides(a.shape, shape), ...broadcastStrides(b.shape, shape)];
    const key = `binary:${op}:${t}:${o}:${same}`;
    const code = (): string => `${bindings([['a', t], ['b', t], ['o', o]])}
${metaBinding(3)}
${MATH}
${ELEMENT_MAIN}
  ${same ? 'let off0 = i32(i); let off1 = i32(i);' : walk(2, 2, null)}
  let x = a[off0];
  let y = b[off1];
  o[i] = ${expr(t)};
}`;
    rt.dispatch(key, code, [bufferOf(a), bufferOf(b), buffer], meta, grid(n));
    return result;
  };
}

/**
 * Unary ops: WGSL of `x` (the input type) and the float parameters p0, p1 (and the flag q) from attrs.
 * Integer inputs reach only the ops that keep integers (neg, abs, sign, square, floor, ceil, round, relu,
 * clamp).
 */
const UNARY: Record<string, (t: T) => string> = {
  neg: () => '-x',
  abs: () => 'abs(x)',
  sign: (t) => (t === 'f32' ? 'select(select(x, -1.0, x < 0.0), 1.0, x > 0.0)' : 'sign(x)'),
  exp: () => 'exp(x)',
  // Outside their domains these give NaN and −∞ as Math's do (SwiftShader's log does not).
  log: () => 'select(select(log(x), -infF(), x == 0.0), nanF(), x < 0.0)',
  log1p: () => 'select(select(log1pF(x), -infF(), x == -1.0), nanF(), x < -1.0)',
  sqrt: () => 'select(sqrt(x), nanF(), x < 0.0)',
  rsqrt: () => 'select(1.0 / sqrt(x), nanF(), x < 0.0)',
  square: () => 'x * x',
  reciprocal: () => '1.0 / x',
  erf: () => 'erfF(x)',
  sin: () => 'sinF(x)',
  cos: () => 'cosF(x)',
  floor: (t) => (t === 'f32' ? 'floor(x)' : 'x'),
  ceil: (t) => (t === 'f32' ? 'ceil(x)' : 'x'),
  // WGSL's round is round-half-to-even, as torch.round.
  round: (t) => (t === 'f32' ? 'round(x)' : 'x'),
  sigmoid: () => 'sigmoidF(x)',
  tanh: () => 'tanhF(x)',
  relu: (t) => (t === 'f32' ? 'select(0.0, x, x > 0.0)' : 'max(x, 0)'),
  leakyRelu: () => 'select(p0 * x, x, x > 0.0)',
  elu: () => 'select(p0 * expm1F(x), x, x > 0.0)',
  gelu: () =>
    'select(0.5 * x * (1.0 + erfF(x * 0.70710678118654752)), 0.5 * x * (1.0 + tanhF(0.79788456080286536 * (x + 0.044715 * x * x * x))), q == 1u)',
  softplus: () => 'select(log1pF(exp(-abs(p0 * x))) / p0 + max(p0 * x, 0.0) / p0, x, p0 * x > p1)',
  clamp: (t) => clampExpr(t),
  hardTanh: (t) => clampExpr(t),
  // True only for zero (NaN counts as true, as in torch.logical_not).
  logicalNot: (t) => (t === 'f32' ? 'select(0u, 1u, x == 0.0 && !isNanF(x))' : `select(0u, 1u, x == ${t === 'i32' ? '0' : '0u'})`),
};

function clampExpr(t: T): string {
  if (t === 'f32') return 'select(select(x, p1, x > p1), p0, x < p0)';
  // Bounds may be infinite: compare as floats, convert only the bound that is taken.
  return `clampInt(x, p0, p1)`;
}

const CLAMP_INT = (t: T): string =>
  t === 'f32'
    ? ''
    : `fn clampInt(x: ${t}, lo: f32, hi: f32) -> ${t} {
  if (f32(x) < lo) { return ${t}(lo); }
  if (f32(x) > hi) { return ${t}(hi); }
  return x;
}`;

export const UNARY_OPS = Object.keys(UNARY);

/** Float ops whose result for NaN is not NaN on cpu (relu gives 0; logicalNot has its own test). */
const NAN_KEEPING = new Set(['relu', 'logicalNot']);

/** `expr` with a NaN input passed through, as Math's functions do, whatever the GPU compiler assumes. */
function propagateNan(op: string, t: T, expr: string): string {
  return t === 'f32' && !NAN_KEEPING.has(op) ? `select(${expr}, x, isNanF(x))` : expr;
}

function unaryParams(attrs: KernelAttrs): number[] {
  const p0 = (attrs.alpha ?? attrs.min ?? attrs.beta ?? 0) as number;
  const p1 = (attrs.max ?? attrs.threshold ?? 0) as number;
  const q = attrs.approximate === 'tanh' ? 1 : 0;
  return [f32Bits(p0), f32Bits(p1), q];
}

export function unaryKernel(rt: WebGpuRuntime, op: string): DeviceKernel {
  const expr = UNARY[op];
  return ([x], attrs) => {
    const dtype = (attrs.dtype as DType | undefined) ?? x.dtype;
    const t = wgslType(x.dtype);
    const o = wgslType(dtype);
    const [buffer, result] = output(rt, x.shape, dtype);
    const n = sizeOf(x.shape);
    if (n === 0) return result;
    const key = `unary:${op}:${t}:${o}`;
    const code = (): string => `${bindings([['a', t], ['o', o]])}
${metaBinding(2)}
${MATH}
${CLAMP_INT(t)}
${ELEMENT_MAIN}
  let x = a[i];
  let p0 = bitcast<f32>(m[1]);
  let p1 = bitcast<f32>(m[2]);
  let q = m[3];
  o[i] = ${o}(${propagateNan(op, t, expr(t))});
}`;
    rt.dispatch(key, code, [bufferOf(x), buffer], [n, ...unaryParams(attrs)], grid(n));
    return result;
  };
}

/** The fused activation gradients autograd calls: g·y(1−y), g·(1−y²), g·[x > 0]. */
const GRADS: Record<string, string> = {
  sigmoidGrad: 'dy * (v * (1.0 - v))',
  tanhGrad: 'dy * (1.0 - v * v)',
  reluGrad: 'dy * select(0.0, 1.0, v > 0.0)',
};

export const GRAD_OPS = Object.keys(GRADS);

export function activationGradKernel(rt: WebGpuRuntime, op: string): DeviceKernel {
  return ([g, v]) => {
    wgslType(g.dtype);
    const [buffer, result] = output(rt, g.shape, g.dtype);
    const n = sizeOf(g.shape);
    if (n === 0) return result;
    const code = (): string => `${bindings([['gs', 'f32'], ['vs', 'f32'], ['o', 'f32']])}
${metaBinding(3)}
${ELEMENT_MAIN}
  let dy = gs[i];
  let v = vs[i];
  o[i] = ${GRADS[op]};
}`;
    rt.dispatch(`grad:${op}`, code, [bufferOf(g), bufferOf(v), buffer], [n], grid(n));
    return result;
  };
}

/** Float to int truncates toward zero; anything to bool is `!= 0`. The same dtype is a copy (clone). */
export function castKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    const dtype = attrs.dtype as DType;
    const t = wgslType(x.dtype);
    const o = wgslType(dtype);
    const [buffer, result] = output(rt, x.shape, dtype);
    const n = sizeOf(x.shape);
    if (n === 0) return result;
    if (t === o) {
      rt.copy(bufferOf(x), buffer, n);
      return result;
    }
    const zero = t === 'f32' ? '0.0' : t === 'i32' ? '0' : '0u';
    // As JavaScript's conversions: NaN is falsy, and NaN and ±∞ become 0 in an Int32Array.
    let expr = o === 'u32' ? `select(0u, 1u, x != ${zero})` : `${o}(x)`;
    if (t === 'f32' && o === 'u32') expr = 'select(0u, 1u, x != 0.0 && !isNanF(x))';
    if (t === 'f32' && o === 'i32') expr = 'select(0, i32(x), isFiniteF(x))';
    const code = (): string => `${bindings([['a', t], ['o', o]])}
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let x = a[i];
  o[i] = ${expr};
}`;
    rt.dispatch(`cast:${t}:${o}`, code, [bufferOf(x), buffer], [n], grid(n));
    return result;
  };
}

/** out = cond ? a : b with all three broadcast to attrs.shape; values are copied as 32-bit words. */
export function whereKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([cond, a, b], attrs) => {
    const shape = attrs.shape as number[];
    const dtype = attrs.dtype as DType;
    wgslType(dtype);
    const [buffer, result] = output(rt, shape, dtype);
    const n = sizeOf(shape);
    if (n === 0) return result;
    const strides = [cond, a, b].flatMap((t: DeviceTensorData) => broadcastStrides(t.shape, shape));
    const code = (): string => `${bindings([['c', 'u32'], ['a', 'u32'], ['b', 'u32'], ['o', 'u32']])}
${metaBinding(4)}
${ELEMENT_MAIN}
  ${walk(3, 2, null)}
  o[i] = select(b[off2], a[off1], c[off0] != 0u);
}`;
    rt.dispatch('where', code, [bufferOf(cond), bufferOf(a), bufferOf(b), buffer], [n, shape.length, ...shape, ...strides], grid(n));
    return result;
  };
}
