import type { Kernel } from '../backend.js';
import { allocData, type TypedArray } from '../dtype.js';
import { sizeOf } from '../shape.js';

interface WindowAttrs {
  rows: { start: Int32Array; end: Int32Array; count: Int32Array };
  cols: { start: Int32Array; end: Int32Array; count: Int32Array };
  shape: readonly number[];
}

/**
 * Visits every output of separable window averages over the last two axes of `planes` planes. Forward,
 * each window of `src` is summed row by row and then divided (not multiplied by a reciprocal), matching
 * PyTorch's avg_pool2d rounding; backward (the adjoint), each element of `src` divided by its window's
 * divisor is added over its window of `dst`.
 */
function walkWindows(src: TypedArray, dst: TypedArray, planes: number, H: number, W: number, attrs: WindowAttrs, backward: boolean): void {
  const { rows, cols } = attrs;
  const oH = rows.start.length;
  const oW = cols.start.length;
  const image = backward ? dst : src;
  const grid = backward ? src : dst;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * H * W;
    for (let i = 0; i < oH; i++) {
      const r0 = rows.start[i];
      const r1 = rows.end[i];
      const rc = rows.count[i];
      for (let j = 0; j < oW; j++, o++) {
        const c0 = cols.start[j];
        const c1 = cols.end[j];
        const divisor = rc * cols.count[j];
        if (backward) {
          const v = grid[o] / divisor;
          for (let r = r0; r < r1; r++) {
            for (let c = base + r * W + c0, end = base + r * W + c1; c < end; c++) image[c] += v;
          }
        } else {
          let s = 0;
          for (let r = r0; r < r1; r++) {
            for (let c = base + r * W + c0, end = base + r * W + c1; c < end; c++) s += image[c];
          }
          grid[o] = s / divisor;
        }
      }
    }
  }
}

/** The kernel of `windowAverage2d` (backward false) or of its adjoint `windowAverage2dBackward` (true). */
function windowKernel(backward: boolean): Kernel {
  return ([t], rawAttrs) => {
    const attrs = rawAttrs as unknown as WindowAttrs;
    // The image is the input going forward and the result going backward; the grid is the other one.
    const image = backward ? attrs.shape : t.shape;
    const [H, W] = image.slice(-2);
    const out = allocData(t.dtype, sizeOf(attrs.shape));
    walkWindows(t.data, out, sizeOf(image.slice(0, -2)), H, W, attrs, backward);
    return { data: out, shape: attrs.shape, dtype: t.dtype };
  };
}

/** Separable window averages of the last two axes (average pooling, adaptive pooling, nearest upsampling). */
export const windowAverage2dKernel = windowKernel(false);

/** Spreads each gradient element evenly over its window. */
export const windowAverage2dBackwardKernel = windowKernel(true);
