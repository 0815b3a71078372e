import { runKernel } from '../backend.js';
import { ShapeError, ValueError, fmtShape } from '../errors.js';
import { recordOp } from '../grad-hook.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { checkTensor, requireFloat } from './operand.js';

/**
 * The windows of a separable average along one axis: output position i averages input positions
 * `start[i]` to `end[i] − 1`, and contributes `count[i]` as a factor of the divisor. Average pooling,
 * adaptive average pooling and nearest upsampling are all such windows.
 *
 * @example
 * // Two windows over 4 positions, [0, 2) and [2, 4), each divided by 2:
 * const halves: AxisWindows = { start: Int32Array.of(0, 2), end: Int32Array.of(2, 4), count: Int32Array.of(2, 2) };
 */
export interface AxisWindows {
  start: Int32Array;
  end: Int32Array;
  count: Int32Array;
}

function checkWindows(op: string, axis: string, w: AxisWindows, size: number): void {
  const n = w.start.length;
  if (w.end.length !== n || w.count.length !== n || n === 0) {
    throw new ValueError(op, `${axis} windows need start, end and count of one equal, non-zero length`);
  }
  for (let i = 0; i < n; i++) {
    if (!(w.start[i] >= 0 && w.start[i] <= w.end[i] && w.end[i] <= size && w.count[i] >= 1)) {
      throw new ValueError(
        op,
        `${axis} window ${i} is [${w.start[i]}, ${w.end[i]}) with count ${w.count[i]}; it must lie in [0, ${size}] with count ≥ 1`,
      );
    }
  }
}

function checkPlanes(op: string, x: Tensor): void {
  checkTensor(op, x);
  requireFloat(op, x);
  if (x.rank < 2) throw new ShapeError(op, `input must have rank ≥ 2 ([..., H, W]), got ${fmtShape(x.shape)}`);
}

/**
 * Separable window averages over the last two axes: out[..., i, j] = Σ x[..., r, c] / (rows.count[i] ·
 * cols.count[j]) over r in rows window i and c in cols window j. The primitive under `avgPool2d`,
 * `adaptiveAvgPool2d` and `upsampleNearest2d`; linear, with `windowAverage2dBackward` as its adjoint.
 *
 * @example
 * const all = { start: Int32Array.of(0), end: Int32Array.of(2), count: Int32Array.of(2) };
 * windowAverage2d(tensor([[[[1, 2], [3, 4]]]]), all, all).toArray(); // [[[[2.5]]]]
 */
export function windowAverage2d(x: Tensor, rows: AxisWindows, cols: AxisWindows): Tensor {
  const op = 'windowAverage2d';
  checkPlanes(op, x);
  const [H, W] = x.shape.slice(-2);
  checkWindows(op, 'rows', rows, H);
  checkWindows(op, 'cols', cols, W);
  const attrs = { rows, cols };
  const shape = [...x.shape.slice(0, -2), rows.start.length, cols.start.length];
  return recordOp(op, [x], attrs, wrap(runKernel(op, [x], { ...attrs, shape })));
}

/**
 * The adjoint of `windowAverage2d`: spreads each element of `grad` [..., oH, oW] evenly (divided by its
 * divisor) over its window of an [..., H, W] result, adding where windows overlap.
 *
 * @example
 * const all = { start: Int32Array.of(0), end: Int32Array.of(2), count: Int32Array.of(2) };
 * windowAverage2dBackward(ones([1, 1, 1, 1]), all, all, [2, 2]).toArray(); // [[[[0.25, 0.25], [0.25, 0.25]]]]
 */
export function windowAverage2dBackward(grad: Tensor, rows: AxisWindows, cols: AxisWindows, inputSize: readonly [number, number]): Tensor {
  const op = 'windowAverage2dBackward';
  checkPlanes(op, grad);
  const [oH, oW] = grad.shape.slice(-2);
  if (rows.start.length !== oH || cols.start.length !== oW) {
    throw new ShapeError(op, `grad ${fmtShape(grad.shape)} does not match ${rows.start.length}×${cols.start.length} windows`);
  }
  checkWindows(op, 'rows', rows, inputSize[0]);
  checkWindows(op, 'cols', cols, inputSize[1]);
  const attrs = { rows, cols, inputSize: [inputSize[0], inputSize[1]] };
  const shape = [...grad.shape.slice(0, -2), inputSize[0], inputSize[1]];
  return recordOp(op, [grad], attrs, wrap(runKernel(op, [grad], { ...attrs, shape })));
}
