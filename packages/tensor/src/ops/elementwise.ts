import { runKernel } from '../backend.js';
import { arithmeticType, floatType, isFloat, type DType } from '../dtype.js';
import { ValueError } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import { broadcastShapes, shapesEqual } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { checkTensor, coerceOperands, type Operand } from './operand.js';

function binary(op: string, a: Operand, b: Operand, resultDtype?: DType): Tensor {
  const [ta, tb, dtype] = coerceOperands(op, a, b);
  return runBinary(op, ta, tb, resultDtype ?? dtype);
}

/** Runs a binary kernel on operands that already share the computation dtype, and records it. */
function runBinary(op: string, ta: Tensor, tb: Tensor, outDtype: DType): Tensor {
  const sa = ta.shape;
  const sb = tb.shape;
  // A tensor's shape is frozen, so a same-shape operand's can be passed on as the result shape.
  const shape = shapesEqual(sa, sb) ? sa : broadcastShapes(op, sa, sb);
  return recordOp(op, [ta, tb], {}, wrap(runKernel(op, [ta, tb], { shape, dtype: outDtype })));
}

/** Float-valued binary op: integer operands compute in float32, as true division does in PyTorch. */
function floatBinary(op: string, a: Operand, b: Operand): Tensor {
  const [ta, tb, dtype] = coerceOperands(op, a, b);
  if (isFloat(dtype)) return runBinary(op, ta, tb, dtype);
  return binary(op, cast(ta, 'float32'), cast(tb, 'float32'));
}

/** Elementwise `a + b` with broadcasting. @example add(tensor([1, 2]), 1).toArray(); // [2, 3] */
export const add = (a: Operand, b: Operand): Tensor => binary('add', a, b);
/** Elementwise `a - b` with broadcasting. */
export const sub = (a: Operand, b: Operand): Tensor => binary('sub', a, b);
/** Elementwise `a * b` with broadcasting. */
export const mul = (a: Operand, b: Operand): Tensor => binary('mul', a, b);
/** Elementwise true division `a / b`; integers divide as floats. */
export const div = (a: Operand, b: Operand): Tensor => floatBinary('div', a, b);
/** Elementwise `a ** b`. */
export const pow = (a: Operand, b: Operand): Tensor => binary('pow', a, b);
/** Elementwise maximum; NaN propagates. */
export const maximum = (a: Operand, b: Operand): Tensor => binary('maximum', a, b);
/** Elementwise minimum; NaN propagates. */
export const minimum = (a: Operand, b: Operand): Tensor => binary('minimum', a, b);
/** `a == b` as a bool tensor. */
export const eq = (a: Operand, b: Operand): Tensor => binary('eq', a, b, 'bool');
/** `a != b` as a bool tensor. */
export const ne = (a: Operand, b: Operand): Tensor => binary('ne', a, b, 'bool');
/** `a < b` as a bool tensor. */
export const lt = (a: Operand, b: Operand): Tensor => binary('lt', a, b, 'bool');
/** `a <= b` as a bool tensor. */
export const le = (a: Operand, b: Operand): Tensor => binary('le', a, b, 'bool');
/** `a > b` as a bool tensor. */
export const gt = (a: Operand, b: Operand): Tensor => binary('gt', a, b, 'bool');
/** `a >= b` as a bool tensor. */
export const ge = (a: Operand, b: Operand): Tensor => binary('ge', a, b, 'bool');

function unary(op: string, x: Tensor, attrs?: Record<string, unknown>, float = true): Tensor {
  checkTensor(op, x);
  const dtype = float ? floatType(x.dtype) : arithmeticType(x.dtype);
  const input = x.dtype === dtype ? x : cast(x, dtype);
  const kernelAttrs = attrs === undefined ? { dtype } : { ...attrs, dtype };
  return recordOp(op, [input], attrs ?? {}, wrap(runKernel(op, [input], kernelAttrs)));
}

/** -x */
export const neg = (x: Tensor): Tensor => unary('neg', x, undefined, false);
/** |x| */
export const abs = (x: Tensor): Tensor => unary('abs', x, undefined, false);
/** -1, 0 or 1 by the sign of x. */
export const sign = (x: Tensor): Tensor => unary('sign', x, undefined, false);
/** x² */
export const square = (x: Tensor): Tensor => unary('square', x, undefined, false);
/** eˣ */
export const exp = (x: Tensor): Tensor => unary('exp', x);
/** Natural logarithm. */
export const log = (x: Tensor): Tensor => unary('log', x);
/** log(1 + x), accurate for small x. */
export const log1p = (x: Tensor): Tensor => unary('log1p', x);
/** √x */
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
/** 1/√x */
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
/** 1/x */
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
/** The error function, 2/√π ∫₀ˣ e^(−t²) dt. */
export const erf = (x: Tensor): Tensor => unary('erf', x);
/** sin x */
export const sin = (x: Tensor): Tensor => unary('sin', x);
/** cos x */
export const cos = (x: Tensor): Tensor => unary('cos', x);
/** Largest integer ≤ x; its gradient is zero, as PyTorch's. */
export const floor = (x: Tensor): Tensor => unary('floor', x, undefined, false);
/**
 * Smallest integer ≥ x, as `torch.ceil`; its gradient is zero.
 * @example ceil(tensor([1.2, -1.5])).toArray(); // [2, -1]
 */
export const ceil = (x: Tensor): Tensor => unary('ceil', x, undefined, false);
/** Round half to even, as torch.round; its gradient is zero. */
export const round = (x: Tensor): Tensor => unary('round', x, undefined, false);
/** 1 / (1 + e⁻ˣ), computed without overflow. */
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
/** Hyperbolic tangent. */
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
/** max(0, x) */
export const relu = (x: Tensor): Tensor => unary('relu', x, undefined, false);
/** x for x > 0, alpha·x otherwise (PyTorch default alpha 0.01). */
export const leakyRelu = (x: Tensor, alpha = 0.01): Tensor => unary('leakyRelu', x, { alpha });
/** x for x > 0, alpha·(eˣ − 1) otherwise (default alpha 1). */
export const elu = (x: Tensor, alpha = 1): Tensor => unary('elu', x, { alpha });
/** x·Φ(x) with the exact erf (default) or the tanh approximation. */
export const gelu = (x: Tensor, approximate: 'none' | 'tanh' = 'none'): Tensor => unary('gelu', x, { approximate });
/** log(1 + e^(βx))/β, and x where βx > threshold (PyTorch defaults β = 1, threshold = 20). */
export const softplus = (x: Tensor, beta = 1, threshold = 20): Tensor => unary('softplus', x, { beta, threshold });

/**
 * Clamps into [min, max]; either bound may be omitted.
 * @example clamp(tensor([-2, 0.5, 3]), -1, 1).toArray(); // [-1, 0.5, 1]
 */
export function clamp(x: Tensor, min = -Infinity, max = Infinity): Tensor {
  if (min > max) throw new ValueError('clamp', `min ${min} is greater than max ${max}`);
  return unary('clamp', x, { min, max }, false);
}

/**
 * Clamp into [minVal, maxVal] (PyTorch's Hardtanh, defaults −1 and 1). Unlike `clamp`, its gradient is 0 at
 * the bounds themselves, as F.hardtanh's.
 */
export function hardTanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  if (minVal > maxVal) throw new ValueError('hardTanh', `minVal ${minVal} is greater than maxVal ${maxVal}`);
  return unary('hardTanh', x, { min: minVal, max: maxVal }, false);
}

/** Logical not of a bool tensor (any nonzero counts as true). */
export function logicalNot(x: Tensor): Tensor {
  checkTensor('logicalNot', x);
  return wrap(runKernel('logicalNot', [x], { dtype: 'bool' }));
}
