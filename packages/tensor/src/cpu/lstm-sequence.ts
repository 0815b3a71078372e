// The whole-sequence LSTM (ops/lstm-sequence.ts) and its backward kernel: the cell loops of lstm-cell.ts
// on per-step scratch blocks, and the products through the blocked GEMM. The forward's flat result holds
// every step's h [T·N·H], then every step's c [T·N·H] (the op's output, "states"), then every step's
// activated gates [T·N·4H].
import { registerKernel, type KernelAttrs, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { backward as cellBackward, forward as cellForward } from './lstm-cell.js';
import { gemmTrans } from './matmul.js';
import { geometry, order } from './recurrent-common.js';

/** xw [T, N, 4H], h0, c0 [N, H], W_hh [4H, H] → the packed output. */
function forward([xw, h0, c0, w]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const geo = geometry(h0, attrs);
  const { T, N, H } = geo;
  const n = N * H;
  const dtype = xw.dtype;
  const out = allocData(dtype, 6 * T * n);
  const gates = allocData(dtype, 4 * n);
  const cell = allocData(dtype, 6 * n);
  for (let s = 0; s < T; s++) {
    const [t, p] = order(s, geo);
    gates.set(xw.data.subarray(t * 4 * n, (t + 1) * 4 * n));
    gemmTrans(false, true, s === 0 ? h0.data : out, s === 0 ? 0 : p * n, w.data, 0, gates, 0, N, 4 * H, H);
    cellForward(gates, s === 0 ? c0.data : out.subarray((T + p) * n, (T + p + 1) * n), cell, N, H);
    out.set(cell.subarray(0, n), t * n);
    out.set(cell.subarray(n, 2 * n), (T + t) * n);
    out.set(cell.subarray(2 * n), 2 * T * n + t * 4 * n);
  }
  return { data: out, shape: [6 * T * n], dtype };
}

/**
 * grad of the states, the states, the activated gates, h0, c0, W_hh → [grad xw (T·N·4H) | grad h0 (N·H) |
 * grad c0 (N·H) | grad W_hh (4H·H)]. Back through time the state's gradients carry from step to step;
 * W_hh's gradient is then one product of every step's gate gradients with the state each step read.
 */
function backward([g, y, acts, h0, c0, w]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const geo = geometry(h0, attrs);
  const { T, N, H } = geo;
  const n = N * H;
  const dtype: DType = g.dtype;
  const out = allocData(dtype, 4 * T * n + 2 * n + 4 * H * H);
  const dh = allocData(dtype, n);
  const dc = allocData(dtype, n);
  const grad = allocData(dtype, 6 * n);
  const saved = allocData(dtype, 6 * n);
  const cellGrad = allocData(dtype, 5 * n);
  const hPrev = allocData(dtype, T * n);
  const block = (a: TypedArray, at: number, size: number): TypedArray => a.subarray(at, at + size);
  for (let s = T - 1; s >= 0; s--) {
    const [t, p] = order(s, geo);
    // The cell's gradient layout: [grad h' | grad c' | grad gates (none here: zero)], its output's:
    // [· | c' | gates].
    for (let k = 0; k < n; k++) {
      grad[k] = g.data[t * n + k] + dh[k];
      grad[n + k] = g.data[(T + t) * n + k] + dc[k];
    }
    saved.set(block(y.data, (T + t) * n, n), n);
    saved.set(block(acts.data, t * 4 * n, 4 * n), 2 * n);
    cellBackward(grad, saved, s === 0 ? c0.data : block(y.data, (T + p) * n, n), cellGrad, N, H);
    out.set(cellGrad.subarray(0, 4 * n), t * 4 * n);
    dc.set(cellGrad.subarray(4 * n));
    dh.fill(0);
    gemmTrans(false, false, cellGrad, 0, w.data, 0, dh, 0, N, H, 4 * H);
    hPrev.set(s === 0 ? h0.data : block(y.data, p * n, n), t * n);
  }
  out.set(dh, 4 * T * n);
  out.set(dc, 4 * T * n + n);
  // grad W_hh [4H, H] = Σ_t dG_tᵀ · h_prev_t: the gate gradients [T·N, 4H] transposed times hPrev [T·N, H].
  gemmTrans(true, false, out, 0, hPrev, 0, out, 4 * T * n + 2 * n, 4 * H, H, T * N);
  return { data: out, shape: [out.length], dtype };
}

/**
 * Registers `lstmSequence` (inputs [xw, h0, c0, W_hh], attrs `steps`, `hidden`, `reverse`; a flat
 * [6·T·N·H] result) and `lstmSequenceBackward` (inputs [grad of the states, the states, the gates, h0, c0,
 * W_hh]).
 */
export function registerLstmSequenceKernels(): void {
  registerKernel('cpu', 'lstmSequence', forward);
  registerKernel('cpu', 'lstmSequenceBackward', backward);
}
