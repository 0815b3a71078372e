import { DTypeError, ShapeError, ValueError, fmtShape } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, requireFloat } from './operand.js';

/** The sizes a whole-sequence recurrent op (lstmSequence, gruSequence) reads from its input projections. */
export interface SequenceSizes {
  T: number;
  N: number;
  H: number;
}

/**
 * Checks a recurrent sequence op's inputs: `xw` `[T ≥ 1, N, gates·H]` of a float dtype, and each other
 * tensor of xw's dtype and the shape `shape(T, N, H)` gives; and the `reverse` option. Returns T, N and H.
 */
export function checkSequenceInputs(
  op: string, xw: Tensor, gates: number, others: readonly (readonly [name: string, t: Tensor, shape: (N: number, H: number) => number[]])[], reverse: unknown,
): SequenceSizes {
  checkTensor(op, xw);
  requireFloat(op, xw);
  if (xw.rank !== 3 || xw.shape[2] % gates !== 0 || xw.shape[0] === 0) {
    throw new ShapeError(op, `expected xw of shape [T ≥ 1, N, ${gates}·H], got ${fmtShape(xw.shape)}`);
  }
  const [T, N, G] = xw.shape;
  const H = G / gates;
  for (const [name, t, shapeOf] of others) {
    checkTensor(op, t);
    if (t.dtype !== xw.dtype) throw new DTypeError(op, `expected ${name} of xw's dtype ${xw.dtype}, got ${t.dtype}`);
    const shape = shapeOf(N, H);
    if (t.rank !== shape.length || shape.some((d, i) => t.shape[i] !== d)) {
      throw new ShapeError(op, `expected ${name} of shape ${fmtShape(shape)} for xw ${fmtShape(xw.shape)}, got ${fmtShape(t.shape)}`);
    }
  }
  if (typeof reverse !== 'boolean') throw new ValueError(op, `expected reverse to be a boolean, got ${String(reverse)}`);
  return { T, N, H };
}
