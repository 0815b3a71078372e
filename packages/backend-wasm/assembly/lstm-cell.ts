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
@inline function forwardAt(x: usize, c: usize, out: usize, n: i32, H: i32, row: i32, k: i32, tail: bool): void {
  const i = sigmoidv(ld(x, row, tail));
  const f = sigmoidv(ld(x, row + H, tail));
  const g = tanhv(ld(x, row + 2 * H, tail));
  const o = sigmoidv(ld(x, row + 3 * H, tail));
  const cn = f32x4.add(f32x4.mul(f, ld(c, k, tail)), f32x4.mul(i, g));
  st(out, k, f32x4.mul(o, tanhv(cn)), tail);
  st(out, n + k, cn, tail);
  const a = 2 * n + row;
  st(out, a, i, tail); st(out, a + H, f, tail); st(out, a + 2 * H, g, tail); st(out, a + 3 * H, o, tail);
}

export function lstmCellForward(x: usize, c: usize, out: usize, N: i32, H: i32): void {
  const n = N * H;
  const H4 = H & ~3;
  for (let b = 0; b < N; b++) {
    let j = 0;
    for (; j < H4; j += 4) forwardAt(x, c, out, n, H, b * 4 * H + j, b * H + j, false);
    for (; j < H; j++) forwardAt(x, c, out, n, H, b * 4 * H + j, b * H + j, true);
  }
}

// @ts-ignore: decorator
@inline function backwardAt(gr: usize, y: usize, c: usize, out: usize, n: i32, H: i32, row: i32, k: i32, tail: bool): void {
  const one = f32x4.splat(1);
  const a = 2 * n + row;
  const i = ld(y, a, tail); const f = ld(y, a + H, tail); const g = ld(y, a + 2 * H, tail); const o = ld(y, a + 3 * H, tail);
  const tc = tanhv(ld(y, n + k, tail));
  const gh = ld(gr, k, tail);
  const dc = f32x4.add(ld(gr, n + k, tail), f32x4.mul(f32x4.mul(gh, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  const di = f32x4.add(f32x4.mul(dc, g), ld(gr, a, tail));
  const df = f32x4.add(f32x4.mul(dc, ld(c, k, tail)), ld(gr, a + H, tail));
  const dg = f32x4.add(f32x4.mul(dc, i), ld(gr, a + 2 * H, tail));
  const dO = f32x4.add(f32x4.mul(gh, tc), ld(gr, a + 3 * H, tail));
  st(out, row, f32x4.mul(di, f32x4.mul(i, f32x4.sub(one, i))), tail);
  st(out, row + H, f32x4.mul(df, f32x4.mul(f, f32x4.sub(one, f))), tail);
  st(out, row + 2 * H, f32x4.mul(dg, f32x4.sub(one, f32x4.mul(g, g))), tail);
  st(out, row + 3 * H, f32x4.mul(dO, f32x4.mul(o, f32x4.sub(one, o))), tail);
  st(out, 4 * n + k, f32x4.mul(dc, f), tail);
}

export function lstmCellBackward(gr: usize, y: usize, c: usize, out: usize, N: i32, H: i32): void {
  const n = N * H;
  const H4 = H & ~3;
  for (let b = 0; b < N; b++) {
    let j = 0;
    for (; j < H4; j += 4) backwardAt(gr, y, c, out, n, H, b * 4 * H + j, b * H + j, false);
    for (; j < H; j++) backwardAt(gr, y, c, out, n, H, b * 4 * H + j, b * H + j, true);
  }
}
