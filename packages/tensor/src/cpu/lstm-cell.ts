// The fused LSTM cell (ops/lstm-cell.ts) and its backward kernel. The float32 loops round each
// intermediate with Math.fround where the composed float32 ops (sigmoid, tanh, mul, add) round on store,
// so the forward values equal theirs bit for bit; the float64 loops need no rounding.
import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type TypedArray } from '../dtype.js';
import { sigmoid } from './recurrent-common.js';

/**
 * gates [N, 4H], c [N, H] → out = [h' (N·H) | c' (N·H) | σ(i), σ(f), tanh(g), σ(o) as [N, 4H]]. One loop
 * per dtype, so each stays monomorphic; the float32 one rounds where the composed ops store.
 */
export function forward(x: TypedArray, c: TypedArray, out: TypedArray, N: number, H: number): void {
  const n = N * H;
  const f32 = x instanceof Float32Array;
  for (let b = 0; b < N; b++) {
    const row = b * 4 * H;
    if (f32) {
      for (let j = 0; j < H; j++) {
        const at = row + j;
        const i = Math.fround(sigmoid(x[at]));
        const f = Math.fround(sigmoid(x[at + H]));
        const g = Math.fround(Math.tanh(x[at + 2 * H]));
        const o = Math.fround(sigmoid(x[at + 3 * H]));
        const k = b * H + j;
        const cn = Math.fround(Math.fround(f * c[k]) + Math.fround(i * g));
        out[k] = o * Math.fround(Math.tanh(cn));
        out[n + k] = cn;
        const a = 2 * n + at;
        out[a] = i; out[a + H] = f; out[a + 2 * H] = g; out[a + 3 * H] = o;
      }
    } else {
      for (let j = 0; j < H; j++) {
        const at = row + j;
        const i = sigmoid(x[at]);
        const f = sigmoid(x[at + H]);
        const g = Math.tanh(x[at + 2 * H]);
        const o = sigmoid(x[at + 3 * H]);
        const k = b * H + j;
        const cn = f * c[k] + i * g;
        out[k] = o * Math.tanh(cn);
        out[n + k] = cn;
        const a = 2 * n + at;
        out[a] = i; out[a + H] = f; out[a + 2 * H] = g; out[a + 3 * H] = o;
      }
    }
  }
}

/**
 * grad [6·N·H] (of the forward's packed output), the packed output, c → [grad gates (N·4H) | grad c (N·H)].
 * The gradient of the activated-gate part is added too, so a recorded (composed) backward that reads those
 * gates gets correct higher-order gradients.
 */
export function backward(gr: TypedArray, y: TypedArray, c: TypedArray, out: TypedArray, N: number, H: number): void {
  const n = N * H;
  for (let b = 0; b < N; b++) {
    const row = b * 4 * H;
    for (let j = 0; j < H; j++) {
      const k = b * H + j;
      const a = 2 * n + row + j;
      const i = y[a]; const f = y[a + H]; const g = y[a + 2 * H]; const o = y[a + 3 * H];
      const tc = Math.tanh(y[n + k]);
      const gh = gr[k];
      const dc = gr[n + k] + gh * o * (1 - tc * tc);
      out[row + j] = (dc * g + gr[a]) * i * (1 - i);
      out[row + j + H] = (dc * c[k] + gr[a + H]) * f * (1 - f);
      out[row + j + 2 * H] = (dc * i + gr[a + 2 * H]) * (1 - g * g);
      out[row + j + 3 * H] = (gh * tc + gr[a + 3 * H]) * o * (1 - o);
      out[4 * n + k] = dc * f;
    }
  }
}

/**
 * Registers `lstmCell` (inputs [gates [N, 4H], c [N, H]], attr `hidden` = H; a flat [6·N·H] result) and
 * `lstmCellBackward` (inputs [grad, packed output, c]; a flat [5·N·H] result).
 */
export function registerLstmCellKernels(): void {
  registerKernel('cpu', 'lstmCell', ([x, c], attrs): TensorData => {
    const H = attrs.hidden as number;
    const N = c.shape[0];
    const out = allocData(x.dtype, 6 * N * H);
    forward(x.data, c.data, out, N, H);
    return { data: out, shape: [6 * N * H], dtype: x.dtype };
  });
  registerKernel('cpu', 'lstmCellBackward', ([g, y, c], attrs): TensorData => {
    const H = attrs.hidden as number;
    const N = c.shape[0];
    const out = allocData(g.dtype, 5 * N * H);
    backward(g.data, y.data, c.data, out, N, H);
    return { data: out, shape: [5 * N * H], dtype: g.dtype };
  });
}
