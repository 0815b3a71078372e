// Separable window averages over [H, W] planes (average, adaptive and global pooling, nearest upsampling)
// and their adjoint. The windows of an axis arrive as three int32 arrays of its output length, start,
// end and count, back to back. Each output row's windows share their rows, so the rows are first summed
// column by column (in float64, two columns per f64x2) and then each window adds its columns: a k×k
// window costs about 2k adds per output instead of k². Sums and the division stay in float64 as on
// cpu, so results agree up to the order of float64 additions. Global pooling (one window over the whole
// plane) skips the column sums: the plane is one contiguous run.
import { sumOrProd } from './reduce';

/** Two floats at p, widened to an f64x2. */
// @ts-ignore: decorator
@inline function pair(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

// @ts-ignore: decorator
@inline function at(windows: usize, i: i32): i32 {
  return load<i32>(windows + (<usize>i << 2));
}

/** acc[c] += row[c] for W floats into float64s. */
function addRow(acc: usize, row: usize, W: i32): void {
  const W2 = W & ~1;
  let c = 0;
  for (; c < W2; c += 2) {
    const a = acc + (<usize>c << 3);
    v128.store(a, f64x2.add(v128.load(a), pair(row + (<usize>c << 2))));
  }
  if (c < W) store<f64>(acc + (<usize>c << 3), load<f64>(acc + (<usize>c << 3)) + <f64>load<f32>(row + (<usize>c << 2)));
}

/** row[c] = f32(row[c] + acc[c]) for W floats: each image element gets one rounding per output row. */
function addToRow(row: usize, acc: usize, W: i32): void {
  const W2 = W & ~1;
  let c = 0;
  for (; c < W2; c += 2) {
    const p = row + (<usize>c << 2);
    v128.store64_lane(p, f32x4.demote_f64x2_zero(f64x2.add(pair(p), v128.load(acc + (<usize>c << 3)))), 0);
  }
  if (c < W) store<f32>(row + (<usize>c << 2), <f32>(<f64>load<f32>(row + (<usize>c << 2)) + load<f64>(acc + (<usize>c << 3))));
}

/** Whether the windows are the single window [0, H) × [0, W) (global pooling). */
function wholePlane(rows: usize, oH: i32, H: i32, cols: usize, oW: i32, W: i32): bool {
  return oH == 1 && oW == 1 && at(rows, 0) == 0 && at(rows, 1) == H && at(cols, 0) == 0 && at(cols, 1) == W;
}

/**
 * out[p, i, j] = Σ x[p, r, c] / (rowCount[i] · colCount[j]) over rows [rowStart[i], rowEnd[i]) and
 * columns [colStart[j], colEnd[j]), for `planes` planes of [H, W]. `acc` holds W float64s.
 */
export function windowAverage(
  x: usize, planes: i32, H: i32, W: i32, rows: usize, oH: i32, cols: usize, oW: i32, out: usize, acc: usize,
): void {
  const planeBytes = <usize>(H * W) << 2;
  const rowBytes = <usize>W << 2;
  if (wholePlane(rows, oH, H, cols, oW, W)) {
    const divisor = <f64>at(rows, 2) * <f64>at(cols, 2);
    for (let p = 0; p < planes; p++, x += planeBytes, out += 4) store<f32>(out, <f32>(sumOrProd(x, H * W, false) / divisor));
    return;
  }
  for (let p = 0; p < planes; p++, x += planeBytes) {
    for (let i = 0; i < oH; i++) {
      const r0 = at(rows, i);
      const r1 = at(rows, oH + i);
      const rc = <f64>at(rows, 2 * oH + i);
      memory.fill(acc, 0, <usize>W << 3);
      for (let r = r0; r < r1; r++) addRow(acc, x + <usize>r * rowBytes, W);
      for (let j = 0; j < oW; j++, out += 4) {
        const c1 = at(cols, oW + j);
        let s: f64 = 0;
        for (let c = at(cols, j); c < c1; c++) s += load<f64>(acc + (<usize>c << 3));
        store<f32>(out, <f32>(s / (rc * <f64>at(cols, 2 * oW + j))));
      }
    }
  }
}

/**
 * The adjoint: image[p, r, c] += grad[p, i, j] / (rowCount[i] · colCount[j]) over each window, into
 * zeroed `image` planes of [H, W]. Per output row the contributions are gathered into one float64 row
 * `acc` (W values) and added to the window's rows, so where windows do not overlap (stride ≥ kernel)
 * each element is the exact float64 quotient rounded once, as on cpu.
 */
export function windowAverageBackward(
  grad: usize, planes: i32, H: i32, W: i32, rows: usize, oH: i32, cols: usize, oW: i32, image: usize, acc: usize,
): void {
  const planeBytes = <usize>(H * W) << 2;
  const rowBytes = <usize>W << 2;
  if (wholePlane(rows, oH, H, cols, oW, W)) {
    const divisor = <f64>at(rows, 2) * <f64>at(cols, 2);
    const n = H * W;
    for (let p = 0; p < planes; p++, grad += 4, image += planeBytes) {
      // 0 + v rounded once, as each element gets on cpu.
      const v = <f32>(0 + <f64>load<f32>(grad) / divisor);
      const vv = f32x4.splat(v);
      let c = 0;
      for (; c + 4 <= n; c += 4) v128.store(image + (<usize>c << 2), vv);
      for (; c < n; c++) store<f32>(image + (<usize>c << 2), v);
    }
    return;
  }
  memory.fill(image, 0, <usize>planes * planeBytes);
  for (let p = 0; p < planes; p++, image += planeBytes) {
    for (let i = 0; i < oH; i++) {
      const r0 = at(rows, i);
      const r1 = at(rows, oH + i);
      const rc = <f64>at(rows, 2 * oH + i);
      memory.fill(acc, 0, <usize>W << 3);
      for (let j = 0; j < oW; j++, grad += 4) {
        const v = <f64>load<f32>(grad) / (rc * <f64>at(cols, 2 * oW + j));
        const c1 = at(cols, oW + j);
        for (let c = at(cols, j); c < c1; c++) store<f64>(acc + (<usize>c << 3), load<f64>(acc + (<usize>c << 3)) + v);
      }
      for (let r = r0; r < r1; r++) addToRow(image + <usize>r * rowBytes, acc, W);
    }
  }
}
