import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { broadcastStrides, sizeOf } from '../shape.js';
import { ARITH_CODES, sameF32, sameF64, scalarLeftF32, scalarLeftF64, scalarRightF32, scalarRightF64 } from './binary-fast.js';

export const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

type Arr = TypedArray;

/** One contiguous run of the output: a switch per run, then a tight loop, so no closure per element. */
function applyRun(op: BinaryOp, a: Arr, ia: number, sa: number, b: Arr, ib: number, sb: number, out: Arr, io: number, n: number): void {
  switch (op) {
    case 'add':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] + b[ib];
      return;
    case 'sub':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] - b[ib];
      return;
    case 'mul':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] * b[ib];
      return;
    case 'div':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] / b[ib];
      return;
    case 'pow':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = Math.pow(a[ia], b[ib]);
      return;
    case 'maximum':
      // NaN propagates, as in torch.maximum.
      for (let i = 0; i < n; i++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[io + i] = x > y || x !== x ? x : y;
      }
      return;
    case 'minimum':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[io + i] = x < y || x !== x ? x : y;
      }
      return;
    case 'eq':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] === b[ib] ? 1 : 0;
      return;
    case 'ne':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] !== b[ib] ? 1 : 0;
      return;
    case 'lt':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] < b[ib] ? 1 : 0;
      return;
    case 'le':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] <= b[ib] ? 1 : 0;
      return;
    case 'gt':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] > b[ib] ? 1 : 0;
      return;
    case 'ge':
      for (let i = 0; i < n; i++, ia += sa, ib += sb) out[io + i] = a[ia] >= b[ib] ? 1 : 0;
      return;
  }
}

/** A run of the output on the fast loops when every array is float32 or every one float64; false otherwise. */
function fastRun(code: number, a: Arr, ia: number, sa: number, b: Arr, ib: number, sb: number, out: Arr, io: number, n: number): boolean {
  if (code < 0) return false;
  if (out instanceof Float32Array && a instanceof Float32Array && b instanceof Float32Array) {
    if (sa === 1 && sb === 1) sameF32(code, a, ia, b, ib, out, io, n);
    else if (sa === 1 && sb === 0) scalarRightF32(code, a, ia, b[ib], out, io, n);
    else if (sa === 0 && sb === 1) scalarLeftF32(code, a[ia], b, ib, out, io, n);
    else return false;
    return true;
  }
  if (out instanceof Float64Array && a instanceof Float64Array && b instanceof Float64Array) {
    if (sa === 1 && sb === 1) sameF64(code, a, ia, b, ib, out, io, n);
    else if (sa === 1 && sb === 0) scalarRightF64(code, a, ia, b[ib], out, io, n);
    else if (sa === 0 && sb === 1) scalarLeftF64(code, a[ia], b, ib, out, io, n);
    else return false;
    return true;
  }
  return false;
}

function run(op: BinaryOp, code: number, a: Arr, ia: number, sa: number, b: Arr, ib: number, sb: number, out: Arr, io: number, n: number): void {
  if (!fastRun(code, a, ia, sa, b, ib, sb, out, io, n)) applyRun(op, a, ia, sa, b, ib, sb, out, io, n);
}

/**
 * Whether `small` broadcasts against `outShape` as whole trailing rows (the bias-add pattern [N, C] + [C]):
 * its shape, leading 1s dropped, equals the trailing axes of `outShape`.
 */
function isTrailingRow(small: readonly number[], outShape: readonly number[]): boolean {
  let s = 0;
  while (s < small.length && small[s] === 1) s++;
  const offset = outShape.length - small.length;
  for (let i = s; i < small.length; i++) if (small[i] !== outShape[offset + i]) return false;
  return true;
}

/**
 * Broadcasting binary kernel: walks the output in runs along its last axis and reads each input through
 * broadcast strides (0 on broadcast axes). Inputs must already have the computation dtype. Same-shape,
 * scalar and trailing-row operands skip the stride walk; float runs go to the monomorphic loops.
 */
export function binaryKernel(op: BinaryOp, a: TensorData, b: TensorData, outShape: readonly number[], outDtype: DType): TensorData {
  const size = sizeOf(outShape);
  const out = allocData(outDtype, size);
  if (size === 0) return { data: out, shape: outShape, dtype: outDtype };
  const code = ARITH_CODES[op] ?? -1;
  const ad = a.data;
  const bd = b.data;
  const na = ad.length;
  const nb = bd.length;
  if (na === size && nb === size) {
    run(op, code, ad, 0, 1, bd, 0, 1, out, 0, size);
  } else if (nb === 1 && na === size) {
    run(op, code, ad, 0, 1, bd, 0, 0, out, 0, size);
  } else if (na === 1 && nb === size) {
    run(op, code, ad, 0, 0, bd, 0, 1, out, 0, size);
  } else if (na === size && nb > 0 && isTrailingRow(b.shape, outShape)) {
    for (let io = 0; io < size; io += nb) run(op, code, ad, io, 1, bd, 0, 1, out, io, nb);
  } else if (nb === size && na > 0 && isTrailingRow(a.shape, outShape)) {
    for (let io = 0; io < size; io += na) run(op, code, ad, 0, 1, bd, io, 1, out, io, na);
  } else {
    const rank = outShape.length;
    const stA = broadcastStrides(a.shape, outShape);
    const stB = broadcastStrides(b.shape, outShape);
    const n = outShape[rank - 1];
    const sa = stA[rank - 1];
    const sb = stB[rank - 1];
    const counter = new Array<number>(rank).fill(0);
    let ia = 0;
    let ib = 0;
    for (let io = 0; io < size; io += n) {
      run(op, code, ad, ia, sa, bd, ib, sb, out, io, n);
      // Advance the multi-index over every axis but the last.
      for (let d = rank - 2; d >= 0; d--) {
        counter[d]++;
        ia += stA[d];
        ib += stB[d];
        if (counter[d] < outShape[d]) break;
        ia -= stA[d] * outShape[d];
        ib -= stB[d] * outShape[d];
        counter[d] = 0;
      }
    }
  }
  return { data: out, shape: outShape, dtype: outDtype };
}

export function registerBinaryKernels(): void {
  for (const op of BINARY_OPS) {
    registerKernel('cpu', op, ([a, b], attrs) =>
      binaryKernel(op, a, b, attrs.shape as number[], attrs.dtype as DType),
    );
  }
}
