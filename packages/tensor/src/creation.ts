import { allocData, dtypeOfData, DTYPES, type DType, type TypedArray } from './dtype.js';
import { ShapeError, ValueError, fmtShape } from './errors.js';
import { checkShape, sizeOf } from './shape.js';
import { Tensor, type NestedArray } from './tensor.js';

export interface CreationOptions {
  dtype?: DType;
}

function checkDtype(op: string, dtype: DType): DType {
  if (!DTYPES.includes(dtype)) throw new ValueError(op, `unknown dtype '${dtype}', expected one of ${DTYPES.join(', ')}`);
  return dtype;
}

function inferNestedShape(values: NestedArray): number[] {
  const shape: number[] = [];
  let v: NestedArray = values;
  while (Array.isArray(v)) {
    shape.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return shape;
}

/** The dtype of `tensor`'s second or third argument: a dtype name or `{ dtype }`; anything else is refused. */
function dtypeArgument(arg: unknown, position: string): DType | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return checkDtype('tensor', arg as DType);
  if (arg !== null && typeof arg === 'object' && !Array.isArray(arg)) {
    const dtype = (arg as CreationOptions).dtype;
    return dtype === undefined ? undefined : checkDtype('tensor', dtype);
  }
  throw new ValueError('tensor', `the ${position} argument must be ${position === 'second' ? 'a shape, ' : ''}a dtype or { dtype }, got ${String(arg)}`);
}

/**
 * A tensor from nested arrays, a number, or a typed array (flat, with `shape`). The dtype (a name or
 * `{ dtype }`) defaults to float32 for numbers and bool for booleans; a typed array keeps its own type.
 *
 * @example
 * tensor([[1, 2], [3, 4]]).shape;            // [2, 2]
 * tensor(new Float64Array(6), [2, 3]).dtype; // 'float64'
 * tensor([0, 1, 2], 'int32');
 * tensor([0, 1, 2], { dtype: 'int32' });
 */
export function tensor(
  values: NestedArray | TypedArray,
  shapeOrDtype?: readonly number[] | DType | CreationOptions,
  maybeDtype?: DType | CreationOptions,
): Tensor {
  const explicitShape = Array.isArray(shapeOrDtype) ? (shapeOrDtype as readonly number[]) : undefined;
  let dtype = (explicitShape ? undefined : dtypeArgument(shapeOrDtype, 'second')) ?? dtypeArgument(maybeDtype, 'third');
  if (ArrayBuffer.isView(values)) {
    const data = values as TypedArray;
    const shape = checkShape('tensor', explicitShape ?? [data.length]);
    if (sizeOf(shape) !== data.length) {
      throw new ShapeError('tensor', `${data.length} values do not fill shape ${fmtShape(shape)} (${sizeOf(shape)} elements)`);
    }
    const own = dtypeOfData(data);
    if (dtype === undefined || dtype === own) return new Tensor(data, shape, own);
    const converted = allocData(checkDtype('tensor', dtype), data.length);
    converted.set(data as never);
    return new Tensor(converted, shape, dtype);
  }
  const shape = inferNestedShape(values);
  const flat: (number | boolean)[] = [];
  const walk = (v: NestedArray, dim: number): void => {
    if (dim === shape.length) {
      if (Array.isArray(v)) throw new ShapeError('tensor', `nested arrays are ragged: expected a number at depth ${dim}`);
      flat.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new ShapeError(
        'tensor',
        `nested arrays are ragged: expected ${shape[dim]} elements at depth ${dim}, got ${Array.isArray(v) ? v.length : 'a number'}`,
      );
    }
    for (const e of v) walk(e, dim + 1);
  };
  walk(values, 0);
  dtype ??= flat.length > 0 && typeof flat[0] === 'boolean' ? 'bool' : 'float32';
  const data = allocData(checkDtype('tensor', dtype), flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== 'number' && typeof v !== 'boolean') {
      throw new ValueError('tensor', `element ${i} is ${typeof v}, expected a number or boolean`);
    }
    data[i] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  }
  const finalShape = explicitShape ? checkShape('tensor', explicitShape) : shape;
  if (sizeOf(finalShape) !== data.length) {
    throw new ShapeError('tensor', `${data.length} values do not fill shape ${fmtShape(finalShape)}`);
  }
  return new Tensor(data, finalShape, dtype);
}

/**
 * A tensor filled with `value`.
 * @example full([2, 2], 7).toArray(); // [[7, 7], [7, 7]]
 */
export function full(shape: readonly number[], value: number, options: CreationOptions = {}): Tensor {
  const s = checkShape('full', shape);
  const dtype = checkDtype('full', options.dtype ?? 'float32');
  const data = allocData(dtype, sizeOf(s));
  if (value !== 0) data.fill(value);
  return new Tensor(data, s, dtype);
}

/** A tensor of zeros. @example zeros([2, 3]).shape; // [2, 3] */
export const zeros = (shape: readonly number[], options: CreationOptions = {}): Tensor => full(shape, 0, options);
/** A tensor of ones. */
export const ones = (shape: readonly number[], options: CreationOptions = {}): Tensor => full(shape, 1, options);
/** Zeros with the shape (and, unless given, dtype) of `x`. */
export const zerosLike = (x: Tensor, options: CreationOptions = {}): Tensor => full(x.shape, 0, { dtype: options.dtype ?? x.dtype });
/** Ones with the shape (and, unless given, dtype) of `x`. */
export const onesLike = (x: Tensor, options: CreationOptions = {}): Tensor => full(x.shape, 1, { dtype: options.dtype ?? x.dtype });
/** `value` everywhere, with the shape (and, unless given, dtype) of `x`. */
export const fullLike = (x: Tensor, value: number, options: CreationOptions = {}): Tensor =>
  full(x.shape, value, { dtype: options.dtype ?? x.dtype });

/**
 * `start, start + step, …` up to but excluding `end`; `arange(n)` counts 0..n−1. Integer arguments give
 * int32 unless a dtype is given, as in PyTorch.
 * @example arange(3).toArray(); // [0, 1, 2]
 */
export function arange(start: number, end?: number, step = 1, options: CreationOptions = {}): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new ValueError('arange', `step must be a nonzero finite number, got ${step}`);
  const n = Math.max(0, Math.ceil((end - start) / step));
  const integral = Number.isInteger(start) && Number.isInteger(end) && Number.isInteger(step);
  const dtype = checkDtype('arange', options.dtype ?? (integral ? 'int32' : 'float32'));
  const data = allocData(dtype, n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return new Tensor(data, [n], dtype);
}

/**
 * `steps` evenly spaced values from `start` to `end`, both included.
 * @example linspace(0, 1, 3).toArray(); // [0, 0.5, 1]
 */
export function linspace(start: number, end: number, steps: number, options: CreationOptions = {}): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new ValueError('linspace', `steps must be a non-negative integer, got ${steps}`);
  const dtype = checkDtype('linspace', options.dtype ?? 'float32');
  const data = allocData(dtype, steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends, as PyTorch does, so that the last value is exactly `end`.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + delta * i : end - delta * (steps - 1 - i);
  return new Tensor(data, [steps], dtype);
}

/**
 * The n×m identity (m defaults to n).
 * @example eye(2).toArray(); // [[1, 0], [0, 1]]
 */
export function eye(n: number, m = n, options: CreationOptions = {}): Tensor {
  const t = full([n, m], 0, options);
  for (let i = 0; i < Math.min(n, m); i++) t.data[i * m + i] = 1;
  return t;
}
