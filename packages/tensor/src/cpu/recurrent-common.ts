// What the recurrent cpu kernels share: the scalar sigmoid of their cells, and the geometry and step order
// of the whole-sequence kernels (lstm-sequence.ts, gru-sequence.ts).
import type { KernelAttrs, TensorData } from '../backend.js';

/** σ(v) without overflow: exp of a non-positive argument only. */
export const sigmoid = (v: number): number => {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
};

export interface Geometry {
  T: number;
  N: number;
  H: number;
  reverse: boolean;
}

/** The sequence's steps T, batch rows N (h0's first axis), hidden size H and direction. */
export const geometry = (h0: TensorData, attrs: KernelAttrs): Geometry =>
  ({ T: attrs.steps as number, N: h0.shape[0], H: attrs.hidden as number, reverse: attrs.reverse as boolean });

/** The time step taken s-th, and the one whose state it reads. */
export function order(s: number, { T, reverse }: Geometry): [number, number] {
  const t = reverse ? T - 1 - s : s;
  return [t, reverse ? t + 1 : t - 1];
}
