import { runKernel } from '../backend.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { as2d, asPair, from2d, fromBatched, toBatched, type SpatialArg } from './conv-geometry.js';
import { requireFloat } from './operand.js';
import { gatherPlanesInRange } from './pool-planes.js';
import { poolGeometry, type PoolOptions } from './pool-shape.js';

/**
 * Options of `maxPool1d`/`maxPool2d` (PyTorch's `F.max_pool2d`: stride = kernelSize, padding 0, dilation 1, ceilMode false).
 * @example maxPool2d(x, { kernelSize: 2, dilation: 2 });
 */
export interface MaxPoolOptions extends PoolOptions {
  /** Spacing between the elements of a window. */
  dilation?: SpatialArg;
}

/**
 * Max pooling values with their argmax positions, as PyTorch's `return_indices=True`.
 * @example const { values, indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
 */
export interface MaxPoolResult {
  values: Tensor;
  /** int32, the flat index of each maximum within its (n, c) plane of the input (h·W + w; for 1-D, the position). */
  indices: Tensor;
}

function maxPool(op: string, spatial: number, input: Tensor, options: MaxPoolOptions): MaxPoolResult {
  const [batched, unbatched] = toBatched(op, input, spatial);
  requireFloat(op, batched);
  const geo = poolGeometry(op, batched, spatial, options, options?.dilation ?? 1);
  const x = as2d(batched);
  const outSize = asPair(geo.outSize, 1);
  // The argmax is found once; values are then gathered through it, so autograd differentiates the gather.
  const indices = wrap(runKernel('maxPool2dIndices', [x], {
    kernelSize: asPair(geo.kernel, 1),
    stride: asPair(geo.stride, 1),
    padding: asPair(geo.padding, 0),
    dilation: asPair(geo.dilation, 1),
    outSize,
    shape: [x.shape[0], x.shape[1], ...outSize],
  }));
  const values = gatherPlanesInRange(x, indices, true);
  return {
    values: fromBatched(from2d(values, spatial), unbatched),
    indices: fromBatched(from2d(indices, spatial), unbatched),
  };
}

/**
 * 2-D max pooling of an [N, C, H, W] (or [C, H, W]) input, as PyTorch's `F.max_pool2d`. Padding counts as
 * −∞; a NaN in a window is its maximum. The gradient goes to the first maximum of each window.
 *
 * @example
 * maxPool2d(randn([8, 6, 24, 24]), { kernelSize: 2 }).shape; // [8, 6, 12, 12]
 */
export function maxPool2d(input: Tensor, options: MaxPoolOptions): Tensor {
  return maxPool('maxPool2d', 2, input, options).values;
}

/**
 * `maxPool2d` that also returns the argmax of every window (PyTorch's `F.max_pool2d(..., return_indices=True)`).
 *
 * @example
 * const { values, indices } = maxPool2dWithIndices(x, { kernelSize: 3, stride: 2, padding: 1 });
 */
export function maxPool2dWithIndices(input: Tensor, options: MaxPoolOptions): MaxPoolResult {
  return maxPool('maxPool2d', 2, input, options);
}

/**
 * 1-D max pooling of an [N, C, L] (or [C, L]) input, as PyTorch's `F.max_pool1d`.
 *
 * @example
 * maxPool1d(tensor([[[1, 3, 2, 5, 4]]]), { kernelSize: 2 }).toArray(); // [[[3, 5]]]
 */
export function maxPool1d(input: Tensor, options: MaxPoolOptions): Tensor {
  return maxPool('maxPool1d', 1, input, options).values;
}

/**
 * `maxPool1d` that also returns the position of every window's maximum.
 *
 * @example
 * maxPool1dWithIndices(tensor([[[1, 3, 2, 5, 4]]]), { kernelSize: 2 }).indices.toArray(); // [[[1, 3]]]
 */
export function maxPool1dWithIndices(input: Tensor, options: MaxPoolOptions): MaxPoolResult {
  return maxPool('maxPool1d', 1, input, options);
}
