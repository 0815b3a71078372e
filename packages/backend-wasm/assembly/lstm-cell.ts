// The fused LSTM cell (lstmCell of @backprop/tensor) and its backward pass, float32, four hidden units at
// a time along each row, then the row's last H mod 4 units through the same vector code on a splat. The
// layouts are the cpu kernels': gates [N, 4H] (i, f, g, o); the forward writes h' [N·H], c' [N·H], then
// the activated gates [N, 4H]; the backward writes grad gates [N, 4H], then grad c [N·H].
import { sigmoidv, tanhv } from './expf';

// @ts-ignore: decorator
@inline function ld(p: usize, i: i32, tail: bool): v128 {
  return tail ? f32x4.splat(load<f32>(p + (<usize>i << 2))) : v128.load(p + (<usize>i << 2));
}

// @ts-ignore: decorator
@inline function st(p: usize, i: i32, v: v128, tail: bool): void {
  if (tail) store<f32>(p + (<usize>i << 2), f32x4.extract_lane(v, 0));
  else v128.store(p + (<usize>i << 2), v);
}

// @ts-ignore: decorator
@inline function forwardAt(x: usize, c: usize, h: usize, cOut: usize, acts: usize, H: i32, row: i32, k: i32, tail: bool): void {
  const i = sigmoidv(ld(x, row, tail));
  const f = sigmoidv(ld(x, row + H, tail));
  const g = tanhv(ld(x, row + 2 * H, tail));
  const o = sigmoidv(ld(x, row + 3 * H, tail));
  const cn = f32x4.add(f32x4.mul(f, ld(c, k, tail)), f32x4.mul(i, g));
  st(h, k, f32x4.mul(o, tanhv(cn)), tail);
  st(cOut, k, cn, tail);
  st(acts, row, i, tail); st(acts, row + H, f, tail); st(acts, row + 2 * H, g, tail); st(acts, row + 3 * H, o, tail);
}

/**
 * The cell on gates x [N, 4H] and c [N, H] into separate blocks: h' and c' [N, H], the activated gates
 * [N, 4H] (the recurrent sequence kernels write each step's straight into their own regions).
 */
export function cellForward(x: usize, c: usize, h: usize, cOut: usize, acts: usize, N: i32, H: i32): void {
  const H4 = H & ~3;
  for (let b = 0; b < N; b++) {
    let j = 0;
    for (; j < H4; j += 4) forwardAt(x, c, h, cOut, acts, H, b * 4 * H + j, b * H + j, false);
    for (; j < H; j++) forwardAt(x, c, h, cOut, acts, H, b * 4 * H + j, b * H + j, true);
  }
}

export function lstmCellForward(x: usize, c: usize, out: usize, N: i32, H: i32): void {
  const n = <usize>(N * H) << 2;
  cellForward(x, c, out, out + n, out + 2 * n, N, H);
}

// @ts-ignore: decorator
@inline function backwardAt(
  gh: usize, gc: usize, ga: usize, acts: usize, cNew: usize, cPrev: usize, dG: usize, dc: usize, H: i32, row: i32, k: i32, tail: bool, hasGa: bool,
): void {
  const one = f32x4.splat(1);
  const i = ld(acts, row, tail); const f = ld(acts, row + H, tail); const g = ld(acts, row + 2 * H, tail); const o = ld(acts, row + 3 * H, tail);
  const tc = tanhv(ld(cNew, k, tail));
  const ghv = ld(gh, k, tail);
  const dcv = f32x4.add(ld(gc, k, tail), f32x4.mul(f32x4.mul(ghv, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  let di = f32x4.mul(dcv, g);
  let df = f32x4.mul(dcv, ld(cPrev, k, tail));
  let dg = f32x4.mul(dcv, i);
  let dO = f32x4.mul(ghv, tc);
  if (hasGa) {
    di = f32x4.add(di, ld(ga, row, tail));
    df = f32x4.add(df, ld(ga, row + H, tail));
    dg = f32x4.add(dg, ld(ga, row + 2 * H, tail));
    dO = f32x4.add(dO, ld(ga, row + 3 * H, tail));
  }
  st(dG, row, f32x4.mul(di, f32x4.mul(i, f32x4.sub(one, i))), tail);
  st(dG, row + H, f32x4.mul(df, f32x4.mul(f, f32x4.sub(one, f))), tail);
  st(dG, row + 2 * H, f32x4.mul(dg, f32x4.sub(one, f32x4.mul(g, g))), tail);
  st(dG, row + 3 * H, f32x4.mul(dO, f32x4.mul(o, f32x4.sub(one, o))), tail);
  // Last, so dc may be gc itself (the sequence kernel's carry, read above, is replaced in place).
  st(dc, k, f32x4.mul(dcv, f), tail);
}

/**
 * The cell's backward pass from separate blocks: the gradients of h', c' [N, H] and of the activated gates
 * [N, 4H] (ga; 0 when `hasGa` is false: the gates had no gradient of their own), those gates, c' and the
 * previous c; writes grad gates [N, 4H] and grad c [N, H] (`dc` may be `gc`).
 */
// @ts-ignore: decorator
@inline function cellBackwardRows(
  gh: usize, gc: usize, ga: usize, acts: usize, cNew: usize, cPrev: usize, dG: usize, dc: usize, N: i32, H: i32, hasGa: bool,
): void {
  const H4 = H & ~3;
  for (let b = 0; b < N; b++) {
    let j = 0;
    for (; j < H4; j += 4) backwardAt(gh, gc, ga, acts, cNew, cPrev, dG, dc, H, b * 4 * H + j, b * H + j, false, hasGa);
    for (; j < H; j++) backwardAt(gh, gc, ga, acts, cNew, cPrev, dG, dc, H, b * 4 * H + j, b * H + j, true, hasGa);
  }
}

/** `cellBackwardRows` for gates without gradients of their own (the sequence kernels'). */
export function cellBackward(gh: usize, gc: usize, acts: usize, cNew: usize, cPrev: usize, dG: usize, dc: usize, N: i32, H: i32): void {
  cellBackwardRows(gh, gc, 0, acts, cNew, cPrev, dG, dc, N, H, false);
}

export function lstmCellBackward(gr: usize, y: usize, c: usize, out: usize, N: i32, H: i32): void {
  const n = <usize>(N * H) << 2;
  cellBackwardRows(gr, gr + n, gr + 2 * n, y + 2 * n, y + n, c, out, out + 4 * n, N, H, true);
}
