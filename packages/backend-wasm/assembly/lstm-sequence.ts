// The LSTM over a whole sequence (lstmSequence of @backprop/tensor), float32, in one call each way: every
// step's product h·W_hhᵀ added to its input projection by the GEMM, then the fused cell, writing straight
// into the packed output (every step's h [T·N·H], every step's c [T·N·H], every step's gates [T·N·4H]).
// One call instead of a few kernels a step saves the JavaScript side's op front ends and the copies of
// every intermediate in and out of the heap, which bound the per-step LSTM.
import { gemm, gemmAdd } from './gemm';
import { cellBackward, cellForward } from './lstm-cell';

/** Byte offset of block t of `size` floats in a region at p. */
// @ts-ignore: decorator
@inline function at(p: usize, t: i32, size: i32): usize {
  return p + (<usize>(t * size) << 2);
}

/** out[0..n) = a + b. */
function addTo(out: usize, a: usize, b: usize, n: i32): void {
  const n4 = n & ~3;
  let k = 0;
  for (; k < n4; k += 4) v128.store(at(out, k, 1), f32x4.add(v128.load(at(a, k, 1)), v128.load(at(b, k, 1))));
  for (; k < n; k++) store<f32>(at(out, k, 1), load<f32>(at(a, k, 1)) + load<f32>(at(b, k, 1)));
}

/**
 * xw [T, N, 4H], h0 and c0 [N, H], W_hh [4H, H] → the packed output at `out`; `gates` is scratch for one
 * step's [N, 4H] and `scratch` the GEMM's. With `reverse` the steps run from T−1 down to 0.
 */
export function lstmSequenceForward(
  xw: usize, h0: usize, c0: usize, w: usize, out: usize, gates: usize, T: i32, N: i32, H: i32, reverse: bool, scratch: usize,
): void {
  const n = N * H;
  const cs = at(out, T, n);
  const acts = at(out, 2 * T, n);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const p = reverse ? t + 1 : t - 1;
    memory.copy(gates, at(xw, t, 4 * n), <usize>(4 * n) << 2);
    // gates += h_prev · W_hhᵀ (W_hh is [4H, H] row-major, so op(B)(k, j) = W_hh[j, k]).
    gemmAdd(s == 0 ? h0 : at(out, p, n), H, 1, w, 1, H, gates, N, 4 * H, H, scratch);
    cellForward(gates, s == 0 ? c0 : at(cs, p, n), at(out, t, n), at(cs, t, n), at(acts, t, 4 * n), N, H);
  }
}

/**
 * The backward pass: g (the gradient of the packed output) and y (the packed output), h0, c0, W_hh →
 * [grad xw (T·N·4H) | grad h0 (N·H) | grad c0 (N·H)] at `out`. `tmp` holds N·H + T·N·H floats: one step's
 * gradient of h, then the state each step read, as [T·N, H] in step order, for W_hh's gradient: one product
 * over all steps that the caller makes (on every thread), grad W_hh = grad xwᵀ · that matrix.
 */
export function lstmSequenceBackward(
  g: usize, y: usize, h0: usize, c0: usize, w: usize, out: usize, tmp: usize, T: i32, N: i32, H: i32, reverse: bool, scratch: usize,
): void {
  const n = N * H;
  const dh = at(out, T, 4 * n);
  const dc = at(dh, 1, n);
  const gh = tmp;
  const hPrev = at(tmp, 1, n);
  memory.fill(dh, 0, <usize>(2 * n) << 2);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const p = reverse ? t + 1 : t - 1;
    // The carried gradients of the state plus this step's own output gradients.
    addTo(gh, at(g, t, n), dh, n);
    addTo(dc, at(g, T + t, n), dc, n);
    const dG = at(out, t, 4 * n);
    cellBackward(gh, dc, at(g, 2 * T * n + t * 4 * n, 1), at(y, 2 * T * n + t * 4 * n, 1), at(y, T + t, n), s == 0 ? c0 : at(y, T + p, n), dG, dc, N, H);
    // grad h_prev = dG · W_hh ([N, 4H] · [4H, H]).
    gemm(dG, 4 * H, 1, w, H, 1, dh, N, H, 4 * H, scratch);
    memory.copy(at(hPrev, t, n), s == 0 ? h0 : at(y, p, n), <usize>n << 2);
  }
}
