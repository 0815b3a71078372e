import type { Tensor } from '../tensor.js';
import { as2d, from2d, fromBatched, perDim, toBatched } from './conv-geometry.js';
import { avgPool2d } from './pool-average.js';

/**
 * Options of `avgPool1d`, as PyTorch's `F.avg_pool1d` (stride = kernelSize, padding 0, ceilMode false,
 * countIncludePad true). Each is one number or a list of one.
 * @example avgPool1d(x, { kernelSize: 3, stride: 1, padding: 1, countIncludePad: false });
 */
export interface AvgPool1dOptions {
  kernelSize: number | readonly number[];
  /** Defaults to `kernelSize`. */
  stride?: number | readonly number[] | null;
  /** Zero padding on both sides, at most half the kernel. */
  padding?: number | readonly number[];
  /** Round the output size up instead of down. */
  ceilMode?: boolean;
  /** Divide by the whole window including padding (default true), or by the input elements in it. */
  countIncludePad?: boolean;
}

/**
 * 1-D average pooling of an [N, C, L] (or [C, L]) input, as PyTorch's `F.avg_pool1d`: the 2-D pooling of
 * a height-1 image, so padding, ceil mode and divisors follow `avgPool2d`.
 *
 * @example
 * avgPool1d(tensor([[[1, 2, 3, 4, 5]]]), { kernelSize: 2 }).toArray(); // [[[1.5, 3.5]]]
 */
export function avgPool1d(input: Tensor, options: AvgPool1dOptions): Tensor {
  const op = 'avgPool1d';
  const [x, unbatched] = toBatched(op, input, 1);
  const one = (field: string, v: number | readonly number[], min: number): number => perDim(op, field, v, 1, min)[0];
  const k = one('kernelSize', options?.kernelSize, 1);
  const y = avgPool2d(as2d(x), {
    kernelSize: [1, k],
    stride: [1, one('stride', options.stride ?? k, 1)],
    padding: [0, one('padding', options.padding ?? 0, 0)],
    ceilMode: options.ceilMode ?? false,
    countIncludePad: options.countIncludePad ?? true,
  });
  return fromBatched(from2d(y, 1), unbatched);
}
