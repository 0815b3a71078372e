// The whole-sequence GRU (ops/gru-sequence.ts) and its backward kernel. The forward's flat result holds
// every step's h [T·N·H] (the op's output), then per step and row the gates r, z, n and
// a_n = (h·W_hhᵀ + b_hh)_n [T·N·4H] ("saved").
import { registerKernel, type KernelAttrs, type TensorData } from '../backend.js';
import { allocData, type TypedArray } from '../dtype.js';
import { gemmTrans } from './matmul.js';
import { geometry, order, sigmoid } from './recurrent-common.js';

/** xw [T, N, 3H], h0 [N, H], W_hh [3H, H], b_hh [3H] → the packed output. */
function forward([xw, h0, w, bias]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const geo = geometry(h0, attrs);
  const { T, N, H } = geo;
  const n = N * H;
  const out = allocData(xw.dtype, 5 * T * n);
  const a = allocData(xw.dtype, 3 * n);
  const x = xw.data;
  for (let s = 0; s < T; s++) {
    const [t, p] = order(s, geo);
    const hPrev: TypedArray = s === 0 ? h0.data : out;
    const hOff = s === 0 ? 0 : p * n;
    for (let b = 0; b < N; b++) a.set(bias.data, b * 3 * H);
    gemmTrans(false, true, hPrev, hOff, w.data, 0, a, 0, N, 3 * H, H);
    for (let b = 0; b < N; b++) {
      const row = t * 3 * n + b * 3 * H;
      const saved = T * n + t * 4 * n + b * 4 * H;
      for (let j = 0; j < H; j++) {
        const r = sigmoid(x[row + j] + a[b * 3 * H + j]);
        const z = sigmoid(x[row + H + j] + a[b * 3 * H + H + j]);
        const an = a[b * 3 * H + 2 * H + j];
        const nn = Math.tanh(x[row + 2 * H + j] + r * an);
        const hp = hPrev[hOff + b * H + j];
        out[t * n + b * H + j] = nn + z * (hp - nn);
        out[saved + j] = r;
        out[saved + H + j] = z;
        out[saved + 2 * H + j] = nn;
        out[saved + 3 * H + j] = an;
      }
    }
  }
  return { data: out, shape: [out.length], dtype: xw.dtype };
}

/**
 * grad of the states, the states, the saved gates, h0, W_hh → [grad xw (T·N·3H) | grad h0 (N·H) | grad
 * W_hh (3H·H) | grad b_hh (3H)].
 */
function backward([g, y, sv, h0, w]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const geo = geometry(h0, attrs);
  const { T, N, H } = geo;
  const n = N * H;
  const dtype = g.dtype;
  const out = allocData(dtype, 3 * T * n + n + 3 * H * H + 3 * H);
  // The gradient of a = h·W_hhᵀ + b_hh per step (rows [T·N, 3H]) and the state each step read ([T·N, H]).
  const dA = allocData(dtype, 3 * T * n);
  const hPrevAll = allocData(dtype, T * n);
  const carry = allocData(dtype, n);
  const gr = g.data;
  const v = y.data;
  const gates = sv.data;
  for (let s = T - 1; s >= 0; s--) {
    const [t, p] = order(s, geo);
    const hPrev: TypedArray = s === 0 ? h0.data : v;
    const hOff = s === 0 ? 0 : p * n;
    for (let b = 0; b < N; b++) {
      const saved = t * 4 * n + b * 4 * H;
      const row = t * 3 * n + b * 3 * H;
      for (let j = 0; j < H; j++) {
        const k = b * H + j;
        const dh = gr[t * n + k] + carry[k];
        const r = gates[saved + j];
        const z = gates[saved + H + j];
        const nn = gates[saved + 2 * H + j];
        const an = gates[saved + 3 * H + j];
        const dn = dh * (1 - z);
        const dz = dh * (hPrev[hOff + k] - nn);
        const dnPre = dn * (1 - nn * nn);
        const dr = dnPre * an;
        const dan = dnPre * r;
        const drPre = dr * r * (1 - r);
        const dzPre = dz * z * (1 - z);
        out[row + j] = drPre;
        out[row + H + j] = dzPre;
        out[row + 2 * H + j] = dnPre;
        dA[row + j] = drPre;
        dA[row + H + j] = dzPre;
        dA[row + 2 * H + j] = dan;
        carry[k] = dh * z;
      }
    }
    // grad h_prev = dh·z + dA_t · W_hh ([N, 3H] · [3H, H]).
    gemmTrans(false, false, dA, t * 3 * n, w.data, 0, carry, 0, N, H, 3 * H);
    hPrevAll.set(hPrev.subarray(hOff, hOff + n), t * n);
  }
  out.set(carry, 3 * T * n);
  // grad W_hh = dAᵀ [3H, T·N] · hPrev [T·N, H]; grad b_hh = the column sums of dA.
  gemmTrans(true, false, dA, 0, hPrevAll, 0, out, 3 * T * n + n, 3 * H, H, T * N);
  const db = 3 * T * n + n + 3 * H * H;
  for (let r = 0; r < T * N; r++) for (let k = 0; k < 3 * H; k++) out[db + k] += dA[r * 3 * H + k];
  return { data: out, shape: [out.length], dtype };
}

/**
 * Registers `gruSequence` (inputs [xw, h0, W_hh, b_hh], attrs `steps`, `hidden`, `reverse`; a flat
 * [5·T·N·H] result) and `gruSequenceBackward` (inputs [grad of the states, the states, the saved gates,
 * h0, W_hh]).
 */
export function registerGruSequenceKernels(): void {
  registerKernel('cpu', 'gruSequence', forward);
  registerKernel('cpu', 'gruSequenceBackward', backward);
}
