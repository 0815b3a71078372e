// The LSTM over a whole sequence (lstmSequence of @backprop/tensor), float32, in one call each way: every
// step's product h·W_hhᵀ added to its input projection by the GEMM, then the fused cell, writing straight
// into the packed output (every step's h [T·N·H], every step's c [T·N·H], every step's gates [T·N·4H]).
// One call instead of a few kernels a step saves the JavaScript side's op front ends and the copies of
// every intermediate in and out of the heap, which bound the per-step LSTM.
import { gemmPackWhole, gemmPackedFloats, gemmPackedInto } from './gemm-threads';
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
 * Floats of a task's own scratch: W_hh packed for the GEMM (once per sequence, not once a step), then
 * `perRow` floats for each of `rows` rows.
 */
export function lstmScratchFloats(H: i32, rows: i32, perRow: i32): i32 {
  return packedFloats(H) + rows * perRow;
}

/** Floats of W_hh packed either way: W_hhᵀ for the forward's product, W_hh as stored for the backward's. */
function packedFloats(H: i32): i32 {
  return max(gemmPackedFloats(4 * H, H), gemmPackedFloats(H, 4 * H));
}

/**
 * xw [T, N, 4H], h0 and c0 [N, H], W_hh [4H, H] → the packed output at `out`, for the batch rows
 * [r0, r1): rows never interact, so threads may each run the whole recurrence for their own rows. `own`
 * is the task's scratch (lstmScratchFloats with 4H a row: W_hhᵀ packed, then one step's gates),
 * `scratch` the GEMM's (both the calling thread's own). With `reverse` the steps run from T−1 down to 0.
 */
export function lstmSequenceForward(
  xw: usize, h0: usize, c0: usize, w: usize, out: usize, own: usize, T: i32, N: i32, H: i32, reverse: bool, scratch: usize,
  r0: i32, r1: i32,
): void {
  const n = N * H;
  const rows = r1 - r0;
  // op(B)(k, j) = W_hh[j, k]: W_hh is [4H, H] row-major, so the product is h · W_hhᵀ.
  const packed = own;
  gemmPackWhole(w, 1, H, 4 * H, H, packed);
  const gates = at(own, packedFloats(H), 1);
  const cs = at(out, T, n);
  const acts = at(out, 2 * T, n);
  // Offsets of row r0 in an [N, H] and an [N, 4H] block.
  const o1 = r0 * H;
  const o4 = r0 * 4 * H;
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const p = reverse ? t + 1 : t - 1;
    memory.copy(gates, at(xw, t * 4 * n + o4, 1), <usize>(rows * 4 * H) << 2);
    // gates += h_prev · W_hhᵀ.
    gemmPackedInto(s == 0 ? at(h0, o1, 1) : at(out, p * n + o1, 1), H, 1, packed, 4 * H, 0, gates, 4 * H, rows, 4 * H, H, scratch, true);
    const cPrev = s == 0 ? at(c0, o1, 1) : at(cs, p * n + o1, 1);
    cellForward(gates, cPrev, at(out, t * n + o1, 1), at(cs, t * n + o1, 1), at(acts, t * 4 * n + o4, 1), rows, H);
  }
}

/**
 * The backward pass for the batch rows [r0, r1): g (the gradient of the states, every step's h then every
 * step's c) and y (the states), the activated gates, h0, c0, W_hh → [grad xw (T·N·4H) | grad h0 (N·H) |
 * grad c0 (N·H)] at `out`. `own` is the task's scratch (lstmScratchFloats with H a row: W_hh packed, then
 * one step's gradient of h); `hPrev` (T·N·H
 * floats, shared) receives the state each step read, as [T·N, H] in step order, for W_hh's gradient: one
 * product over all steps that the caller makes once every row is done, grad W_hh = grad xwᵀ · hPrev.
 */
export function lstmSequenceBackward(
  g: usize, y: usize, acts: usize, h0: usize, c0: usize, w: usize, out: usize, own: usize, hPrev: usize, T: i32, N: i32, H: i32, reverse: bool,
  scratch: usize, r0: i32, r1: i32,
): void {
  const n = N * H;
  const rows = r1 - r0;
  // op(B) = W_hh [4H, H] as stored: grad h_prev = dG · W_hh.
  const packed = own;
  gemmPackWhole(w, H, 1, H, 4 * H, packed);
  const gh = at(own, packedFloats(H), 1);
  const o1 = r0 * H;
  const o4 = r0 * 4 * H;
  const dh = at(out, 4 * T * n + o1, 1);
  const dc = at(out, 4 * T * n + n + o1, 1);
  memory.fill(dh, 0, <usize>(rows * H) << 2);
  memory.fill(dc, 0, <usize>(rows * H) << 2);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const p = reverse ? t + 1 : t - 1;
    // The carried gradients of the state plus this step's own output gradients.
    addTo(gh, at(g, t * n + o1, 1), dh, rows * H);
    addTo(dc, at(g, (T + t) * n + o1, 1), dc, rows * H);
    const dG = at(out, t * 4 * n + o4, 1);
    const cPrev = s == 0 ? at(c0, o1, 1) : at(y, (T + p) * n + o1, 1);
    cellBackward(gh, dc, at(acts, t * 4 * n + o4, 1), at(y, (T + t) * n + o1, 1), cPrev, dG, dc, rows, H);
    // grad h_prev = dG · W_hh ([rows, 4H] · [4H, H]).
    gemmPackedInto(dG, 4 * H, 1, packed, H, 0, dh, H, rows, H, 4 * H, scratch, false);
    memory.copy(at(hPrev, t * n + o1, 1), s == 0 ? at(h0, o1, 1) : at(y, p * n + o1, 1), <usize>(rows * H) << 2);
  }
}
