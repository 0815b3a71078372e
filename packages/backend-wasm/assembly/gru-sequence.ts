// The GRU over a whole sequence (gruSequence of @backprop/tensor), float32, in one call each way, for a
// range of batch rows (rows never interact, so threads may split them). Each step's a = h·W_hhᵀ + b_hh
// comes from the GEMM, then the cell runs four hidden units at a time along each row (the row's last
// H mod 4 through the same vector code on a splat). The forward writes every step's h [T·N·H], then per
// step and row r, z, n and a_n [T·N·4H] (the saved gates the backward reads).
import { gemmPackWhole, gemmPackedFloats, gemmPackedInto } from './gemm-threads';
import { sigmoidv, tanhv } from './expf';

// @ts-ignore: decorator
@inline function at(p: usize, i: i32): usize {
  return p + (<usize>i << 2);
}

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32, tail: bool): v128 {
  return tail ? f32x4.splat(load<f32>(at(p, i))) : v128.load(at(p, i));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: v128, tail: bool): void {
  if (tail) store<f32>(at(p, i), f32x4.extract_lane(v, 0));
  else v128.store(at(p, i), v);
}

// @ts-ignore: decorator
@inline function forwardAt(x: usize, a: usize, hPrev: usize, h: usize, saved: usize, H: i32, r3: i32, r4: i32, k: i32, tail: bool): void {
  const r = sigmoidv(f32x4.add(ld(x, r3, tail), ld(a, r3, tail)));
  const z = sigmoidv(f32x4.add(ld(x, r3 + H, tail), ld(a, r3 + H, tail)));
  const an = ld(a, r3 + 2 * H, tail);
  const n = tanhv(f32x4.add(ld(x, r3 + 2 * H, tail), f32x4.mul(r, an)));
  st(h, k, f32x4.add(n, f32x4.mul(z, f32x4.sub(ld(hPrev, k, tail), n))), tail);
  st(saved, r4, r, tail); st(saved, r4 + H, z, tail); st(saved, r4 + 2 * H, n, tail); st(saved, r4 + 3 * H, an, tail);
}

/** One step's cell for `rows` rows: x and a [rows, 3H], h_prev [rows, H] → h [rows, H] and saved [rows, 4H]. */
function cellForward(x: usize, a: usize, hPrev: usize, h: usize, saved: usize, rows: i32, H: i32): void {
  const H4 = H & ~3;
  for (let b = 0; b < rows; b++) {
    let j = 0;
    for (; j < H4; j += 4) forwardAt(x, a, hPrev, h, saved, H, b * 3 * H + j, b * 4 * H + j, b * H + j, false);
    for (; j < H; j++) forwardAt(x, a, hPrev, h, saved, H, b * 3 * H + j, b * 4 * H + j, b * H + j, true);
  }
}

// @ts-ignore: decorator
@inline function backwardAt(
  dh: usize, saved: usize, hPrev: usize, dx: usize, dA: usize, carry: usize, H: i32, r3: i32, r4: i32, k: i32, tail: bool,
): void {
  const one = f32x4.splat(1);
  const d = ld(dh, k, tail);
  const r = ld(saved, r4, tail); const z = ld(saved, r4 + H, tail); const n = ld(saved, r4 + 2 * H, tail); const an = ld(saved, r4 + 3 * H, tail);
  const dn = f32x4.mul(d, f32x4.sub(one, z));
  const dz = f32x4.mul(d, f32x4.sub(ld(hPrev, k, tail), n));
  const dnPre = f32x4.mul(dn, f32x4.sub(one, f32x4.mul(n, n)));
  const dr = f32x4.mul(dnPre, an);
  const dan = f32x4.mul(dnPre, r);
  const drPre = f32x4.mul(dr, f32x4.mul(r, f32x4.sub(one, r)));
  const dzPre = f32x4.mul(dz, f32x4.mul(z, f32x4.sub(one, z)));
  st(dx, r3, drPre, tail); st(dx, r3 + H, dzPre, tail); st(dx, r3 + 2 * H, dnPre, tail);
  st(dA, r3, drPre, tail); st(dA, r3 + H, dzPre, tail); st(dA, r3 + 2 * H, dan, tail);
  st(carry, k, f32x4.mul(d, z), tail);
}

/**
 * One step back for `rows` rows: the gradient of h (this step's output gradient plus the carry), the saved
 * gates and h_prev → grad xw and grad a [rows, 3H], and dh·z [rows, H] (the part of grad h_prev that skips
 * W_hh).
 */
function cellBackward(dh: usize, saved: usize, hPrev: usize, dx: usize, dA: usize, carry: usize, rows: i32, H: i32): void {
  const H4 = H & ~3;
  for (let b = 0; b < rows; b++) {
    let j = 0;
    for (; j < H4; j += 4) backwardAt(dh, saved, hPrev, dx, dA, carry, H, b * 3 * H + j, b * 4 * H + j, b * H + j, false);
    for (; j < H; j++) backwardAt(dh, saved, hPrev, dx, dA, carry, H, b * 3 * H + j, b * 4 * H + j, b * H + j, true);
  }
}

/**
 * Floats of a task's own scratch: W_hh packed for the GEMM (once per sequence, not once a step), then
 * `perRow` floats for each of `rows` rows.
 */
export function gruScratchFloats(H: i32, rows: i32, perRow: i32): i32 {
  return packedFloats(H) + rows * perRow;
}

/** Floats of W_hh packed either way: W_hhᵀ for the forward's product, W_hh as stored for the backward's. */
function packedFloats(H: i32): i32 {
  return max(gemmPackedFloats(3 * H, H), gemmPackedFloats(H, 3 * H));
}

/**
 * xw [T, N, 3H], h0 [N, H], W_hh [3H, H], b_hh [3H] → the packed output at `out`, for batch rows [r0, r1);
 * `own` is the task's scratch (gruScratchFloats with 3H a row: W_hhᵀ packed, then one step's a),
 * `scratch` the GEMM's (both the calling thread's own).
 */
export function gruSequenceForward(
  xw: usize, h0: usize, w: usize, bias: usize, out: usize, own: usize, T: i32, N: i32, H: i32, reverse: bool, scratch: usize,
  r0: i32, r1: i32,
): void {
  const n = N * H;
  const rows = r1 - r0;
  // op(B)(k, j) = W_hh[j, k]: the product is h · W_hhᵀ.
  const packed = own;
  gemmPackWhole(w, 1, H, 3 * H, H, packed);
  const a = at(own, packedFloats(H));
  const saved = at(out, T * n);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const p = reverse ? t + 1 : t - 1;
    const hPrev = s == 0 ? at(h0, r0 * H) : at(out, p * n + r0 * H);
    for (let b = 0; b < rows; b++) memory.copy(at(a, b * 3 * H), bias, <usize>(3 * H) << 2);
    // a += h_prev · W_hhᵀ.
    gemmPackedInto(hPrev, H, 1, packed, 3 * H, 0, a, 3 * H, rows, 3 * H, H, scratch, true);
    cellForward(at(xw, t * 3 * n + r0 * 3 * H), a, hPrev, at(out, t * n + r0 * H), at(saved, t * 4 * n + r0 * 4 * H), rows, H);
  }
}

/**
 * The backward pass for batch rows [r0, r1): g (the gradient of every step's h), y (every step's h), the
 * saved gates, h0, W_hh → grad xw [T·N·3H] at `out` and grad h0 [N·H] after it; `dA` [T·N·3H] and `hPrev`
 * [T·N·H] (shared by the threads) receive the gradient of a and the state each step read, for W_hh's and
 * b_hh's gradients, which the caller forms once every row is done. `own` is the task's scratch
 * (gruScratchFloats with H a row: W_hh packed, then one step's gradient of h).
 */
export function gruSequenceBackward(
  g: usize, y: usize, sv: usize, h0: usize, w: usize, out: usize, dA: usize, hPrev: usize, own: usize, T: i32, N: i32, H: i32, reverse: bool,
  scratch: usize, r0: i32, r1: i32,
): void {
  const n = N * H;
  const rows = r1 - r0;
  // op(B) = W_hh [3H, H] as stored: grad h_prev gains dA · W_hh.
  const packed = own;
  gemmPackWhole(w, H, 1, H, 3 * H, packed);
  const dh = at(own, packedFloats(H));
  const o1 = r0 * H;
  const carry = at(out, 3 * T * n + o1);
  memory.fill(carry, 0, <usize>(rows * H) << 2);
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    const p = reverse ? t + 1 : t - 1;
    const prev = s == 0 ? at(h0, o1) : at(y, p * n + o1);
    const count = rows * H;
    const c4 = count & ~3;
    const gh = at(g, t * n + o1);
    let k = 0;
    for (; k < c4; k += 4) v128.store(at(dh, k), f32x4.add(v128.load(at(gh, k)), v128.load(at(carry, k))));
    for (; k < count; k++) store<f32>(at(dh, k), load<f32>(at(gh, k)) + load<f32>(at(carry, k)));
    const rowsA = at(dA, t * 3 * n + r0 * 3 * H);
    cellBackward(dh, at(sv, t * 4 * n + r0 * 4 * H), prev, at(out, t * 3 * n + r0 * 3 * H), rowsA, carry, rows, H);
    // grad h_prev = dh·z + dA_t · W_hh ([rows, 3H] · [3H, H]).
    gemmPackedInto(rowsA, 3 * H, 1, packed, H, 0, carry, H, rows, H, 3 * H, scratch, true);
    memory.copy(at(hPrev, t * n + o1), prev, <usize>count << 2);
  }
}

/** out[c] = Σ_r x[r, c] for a row-major [rows, cols] x: b_hh's gradient, the column sums of grad a. */
export function columnSums(x: usize, rows: i32, cols: i32, out: usize): void {
  const c4 = cols & ~3;
  memory.fill(out, 0, <usize>cols << 2);
  for (let r = 0; r < rows; r++) {
    const row = at(x, r * cols);
    let c = 0;
    for (; c < c4; c += 4) v128.store(at(out, c), f32x4.add(v128.load(at(out, c)), v128.load(at(row, c))));
    for (; c < cols; c++) store<f32>(at(out, c), load<f32>(at(out, c)) + load<f32>(at(row, c)));
  }
}
