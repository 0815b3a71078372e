import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { broadcastStrides, sizeOf } from '../shape.js';

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

/**
 * Broadcasting binary kernel: walks the output in runs along its last axis and reads each input through
 * broadcast strides (0 on broadcast axes). Inputs must already have the computation dtype.
 */
export function binaryKernel(op: BinaryOp, a: TensorData, b: TensorData, outShape: readonly number[], outDtype: DType): TensorData {
  const size = sizeOf(outShape);
  const out = allocData(outDtype, size);
  if (size === 0) return { data: out, shape: outShape, dtype: outDtype };
  const rank = outShape.length;
  if (a.data.length === size && b.data.length === size) {
    applyRun(op, a.data, 0, 1, b.data, 0, 1, out, 0, size);
  } else if (b.data.length === 1 && a.data.length === size) {
    applyRun(op, a.data, 0, 1, b.data, 0, 0, out, 0, size);
  } else if (a.data.length === 1 && b.data.length === size) {
    applyRun(op, a.data, 0, 0, b.data, 0, 1, out, 0, size);
  } else {
    const stA = broadcastStrides(a.shape, outShape);
    const stB = broadcastStrides(b.shape, outShape);
    const n = outShape[rank - 1];
    const sa = stA[rank - 1];
    const sb = stB[rank - 1];
    const counter = new Array<number>(rank).fill(0);
    let ia = 0;
    let ib = 0;
    for (let io = 0; io < size; io += n) {
      applyRun(op, a.data, ia, sa, b.data, ib, sb, out, io, n);
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
