import { Standardize } from '@backprop/datasets';
import { fmtShape, sizeOf, type Tensor } from '@backprop/tensor';
import { UsageError } from '../errors.js';
import type { ModelMeta } from './model-file.js';

/**
 * Turns raw samples into what the model was trained on: reshaped to its input shape (flat rows of the
 * right size are accepted for images, as a CSV holds them) and standardized with the training statistics.
 * Samples of any other shape are refused even when their size matches: `[2, 2]` is not `[4]`.
 */
export function prepareInputs(x: Tensor, meta: ModelMeta, source: string): Tensor {
  const sample = x.shape.slice(1);
  const sameShape = sample.length === meta.inputShape.length && sample.every((d, i) => d === meta.inputShape[i]);
  const flatRow = sample.length === 1 && sizeOf(sample) === sizeOf(meta.inputShape);
  if (!sameShape && !flatRow) {
    throw new UsageError(
      `the model takes samples of shape ${fmtShape(meta.inputShape)} (${sizeOf(meta.inputShape)} values) but ${source} has samples of shape ${fmtShape(sample)} (${sizeOf(sample)} values)`,
    );
  }
  const shaped = x.reshape([x.shape[0], ...meta.inputShape]);
  return meta.standardize ? Standardize.fromJSON(meta.standardize).transform(shaped) : shaped;
}
