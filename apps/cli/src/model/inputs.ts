import { Standardize } from '@backprop/datasets';
import { fmtShape, sizeOf, type Tensor } from '@backprop/tensor';
import { UsageError } from '../errors.js';
import type { ModelMeta } from './model-file.js';

/**
 * Turns raw samples into what the model was trained on: reshaped to its input shape (flat rows of the
 * right size are accepted for images) and standardized with the training statistics.
 */
export function prepareInputs(x: Tensor, meta: ModelMeta, source: string): Tensor {
  const sample = x.shape.slice(1);
  if (sizeOf(sample) !== sizeOf(meta.inputShape)) {
    throw new UsageError(
      `the model takes samples of shape ${fmtShape(meta.inputShape)} (${sizeOf(meta.inputShape)} values) but ${source} has samples of shape ${fmtShape(sample)} (${sizeOf(sample)} values)`,
    );
  }
  const shaped = x.reshape([x.shape[0], ...meta.inputShape]);
  return meta.standardize ? Standardize.fromJSON(meta.standardize).transform(shaped) : shaped;
}
