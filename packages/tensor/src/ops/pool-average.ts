import { ValueError } from '../errors.js';
import type { Tensor } from '../tensor.js';
import { fromBatched, perDim, toBatched } from './conv-geometry.js';
import { requireFloat } from './operand.js';
import { poolGeometry, type PoolOptions } from './pool-shape.js';
import { windowAverage2d, type AxisWindows } from './pool-window.js';

/**
 * Options of `avgPool2d`, as PyTorch's `F.avg_pool2d` (stride = kernelSize, padding 0, ceilMode false, countIncludePad true).
 * @example avgPool2d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false });
 */
export interface AvgPoolOptions extends PoolOptions {
  /** Divide by the whole window including zero padding (true), or by the input elements in it (false). */
  countIncludePad?: boolean;
  /** Divide every window by this number instead. */
  divisorOverride?: number | null;
}

function windows(n: number): AxisWindows {
  return { start: new Int32Array(n), end: new Int32Array(n), count: new Int32Array(n) };
}

/** The windows of average pooling along one axis, with PyTorch's divisor rules (see `AvgPoolOptions`). */
function poolWindows(size: number, k: number, s: number, p: number, n: number, countIncludePad: boolean): AxisWindows {
  const w = windows(n);
  for (let i = 0; i < n; i++) {
    const first = i * s - p;
    // The padded window stops at the right padding, so a ceil-mode window hanging past it counts less.
    const last = Math.min(first + k, size + p);
    const start = Math.max(first, 0);
    const end = Math.min(last, size);
    w.start[i] = start;
    w.end[i] = Math.max(end, start);
    // An empty window sums to zero; a count of 1 makes its average 0 as in PyTorch rather than 0/0.
    w.count[i] = Math.max(countIncludePad ? last - first : end - start, 1);
  }
  return w;
}

/**
 * 2-D average pooling of an [N, C, H, W] (or [C, H, W]) input, as PyTorch's `F.avg_pool2d`.
 *
 * @example
 * avgPool2d(ones([1, 1, 4, 4]), { kernelSize: 3, stride: 2, padding: 1 }).toArray();
 * // [[[[0.444…, 0.666…], [0.666…, 1]]]]: padding counts as zeros in the divisor by default
 */
export function avgPool2d(input: Tensor, options: AvgPoolOptions): Tensor {
  const op = 'avgPool2d';
  const [x, unbatched] = toBatched(op, input, 2);
  requireFloat(op, x);
  const { kernel, stride, padding, outSize } = poolGeometry(op, x, 2, options);
  const include = options.countIncludePad ?? true;
  const rows = poolWindows(x.shape[2], kernel[0], stride[0], padding[0], outSize[0], include);
  const cols = poolWindows(x.shape[3], kernel[1], stride[1], padding[1], outSize[1], include);
  const divisor = options.divisorOverride;
  if (divisor !== undefined && divisor !== null) {
    if (!Number.isInteger(divisor) || divisor === 0) throw new ValueError(op, `divisorOverride must be a non-zero integer, got ${divisor}`);
    // The divisor is rows.count · cols.count, so putting it all on the rows overrides the product.
    rows.count.fill(divisor);
    cols.count.fill(1);
  }
  return fromBatched(windowAverage2d(x, rows, cols), unbatched);
}

/** PyTorch's adaptive windows: output i of n averages input positions ⌊i·size/n⌋ to ⌈(i+1)·size/n⌉ − 1. */
function adaptiveWindows(size: number, n: number): AxisWindows {
  const w = windows(n);
  for (let i = 0; i < n; i++) {
    w.start[i] = Math.floor((i * size) / n);
    w.end[i] = Math.ceil(((i + 1) * size) / n);
    w.count[i] = w.end[i] - w.start[i];
  }
  return w;
}

/**
 * Average pooling to a fixed output size, whatever the input size (PyTorch's `F.adaptive_avg_pool2d`);
 * `outputSize` 1 is global average pooling. A `null` entry keeps that input dimension.
 *
 * @example
 * adaptiveAvgPool2d(randn([8, 512, 7, 7]), 1).shape; // [8, 512, 1, 1]
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  const op = 'adaptiveAvgPool2d';
  const [x, unbatched] = toBatched(op, input, 2);
  requireFloat(op, x);
  const [H, W] = x.shape.slice(2);
  const sizes = typeof outputSize === 'number' ? outputSize : outputSize.map((s, i) => s ?? x.shape[2 + i]);
  const [oH, oW] = perDim(op, 'outputSize', sizes, 2, 1);
  return fromBatched(windowAverage2d(x, adaptiveWindows(H, oH), adaptiveWindows(W, oW)), unbatched);
}
