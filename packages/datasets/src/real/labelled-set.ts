import type { Tensor } from '@backprop/tensor';

/** A shipped or loaded labelled dataset: features, integer class labels and a description with attribution. */
export interface LabelledSet {
  x: Tensor;
  y: Tensor;
  classNames?: string[];
  description: string;
}
