import { runKernel } from '../backend.js';
import { wrap } from '../make.js';
import type { Tensor } from '../tensor.js';
import { as2d, from2d, fromBatched, perDim, toBatched } from './conv-geometry.js';
import { requireFloat } from './operand.js';
import { gatherPlanesInRange } from './pool-planes.js';
import type { MaxPoolResult } from './pool-max.js';

/** PyTorch's adaptive windows along one axis: output i covers ⌊i·size/n⌋ to ⌈(i+1)·size/n⌉ − 1. */
export function adaptiveBounds(size: number, n: number): { start: Int32Array; end: Int32Array } {
  const start = new Int32Array(n);
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    start[i] = Math.floor((i * size) / n);
    end[i] = Math.ceil(((i + 1) * size) / n);
  }
  return { start, end };
}

function adaptiveMax(op: string, spatial: number, input: Tensor, outputSize: number | readonly (number | null)[]): MaxPoolResult {
  const [batched, unbatched] = toBatched(op, input, spatial);
  requireFloat(op, batched);
  const x = as2d(batched);
  const inSize = batched.shape.slice(2);
  const sizes = typeof outputSize === 'number' ? outputSize : outputSize.map((s, i) => s ?? inSize[i]);
  const out = perDim(op, 'outputSize', sizes, spatial, 1);
  const [oH, oW] = spatial === 1 ? [1, out[0]] : out;
  // The argmax is found once and the values gathered through it, so autograd differentiates the gather.
  const indices = wrap(runKernel('adaptiveMaxPool2dIndices', [x], {
    rows: adaptiveBounds(x.shape[2], oH),
    cols: adaptiveBounds(x.shape[3], oW),
    shape: [x.shape[0], x.shape[1], oH, oW],
  }));
  const values = gatherPlanesInRange(x, indices);
  return {
    values: fromBatched(from2d(values, spatial), unbatched),
    indices: fromBatched(from2d(indices, spatial), unbatched),
  };
}

/**
 * Max pooling to a fixed output size whatever the input size, as PyTorch's `F.adaptive_max_pool2d`: output
 * (i, j) is the maximum over rows ⌊i·H/oH⌋ … ⌈(i+1)·H/oH⌉ − 1 and the same for columns. Input [N, C, H, W]
 * or [C, H, W]; a `null` entry of `outputSize` keeps that input dimension. The gradient goes to the first
 * maximum of each window (a NaN is a maximum).
 *
 * @example
 * adaptiveMaxPool2d(randn([2, 8, 9, 7]), [3, 2]).shape; // [2, 8, 3, 2]
 */
export function adaptiveMaxPool2d(input: Tensor, outputSize: number | readonly (number | null)[]): Tensor {
  return adaptiveMax('adaptiveMaxPool2d', 2, input, outputSize).values;
}

/**
 * `adaptiveMaxPool2d` that also returns the argmax of every window as a flat index h·W + w into its plane
 * (PyTorch's `return_indices=True`).
 *
 * @example
 * const { values, indices } = adaptiveMaxPool2dWithIndices(x, 4);
 */
export function adaptiveMaxPool2dWithIndices(input: Tensor, outputSize: number | readonly (number | null)[]): MaxPoolResult {
  return adaptiveMax('adaptiveMaxPool2d', 2, input, outputSize);
}

/**
 * Adaptive max pooling of an [N, C, L] (or [C, L]) input to `outputSize` positions (PyTorch's `F.adaptive_max_pool1d`).
 *
 * @example
 * adaptiveMaxPool1d(tensor([[[1, 5, 2, 4, 3]]]), 2).toArray(); // [[[5, 4]]]
 */
export function adaptiveMaxPool1d(input: Tensor, outputSize: number | readonly number[]): Tensor {
  return adaptiveMax('adaptiveMaxPool1d', 1, input, outputSize).values;
}

/**
 * `adaptiveMaxPool1d` that also returns the position of every window's maximum.
 *
 * @example
 * adaptiveMaxPool1dWithIndices(tensor([[[1, 5, 2, 4, 3]]]), 2).indices.toArray(); // [[[1, 3]]]
 */
export function adaptiveMaxPool1dWithIndices(input: Tensor, outputSize: number | readonly number[]): MaxPoolResult {
  return adaptiveMax('adaptiveMaxPool1d', 1, input, outputSize);
}
