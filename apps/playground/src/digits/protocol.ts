// Messages between the digits page and its worker.
export type ToDigitsWorker =
  | { type: 'train'; epochs: number }
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'sample' };

export type FromDigitsWorker =
  | { type: 'progress'; epoch: number; epochs: number; step: number; steps: number; loss: number }
  | { type: 'epoch'; epoch: number; epochs: number; testAccuracy: number }
  /** Training ended; the model now holds the weights of `bestEpoch`, whose test accuracy is `testAccuracy`. */
  | { type: 'done'; epochs: number; testAccuracy: number; bestEpoch: number }
  /** The class probabilities, and the first layer's filters [16·3·3] and ReLU feature maps [16·8·8] for the image. */
  | { type: 'prediction'; id: number; probabilities: Float32Array; filters: Float32Array; featureMaps: Float32Array }
  /** A random test image (64 values, 0..16) and its label, for trying the network without drawing. */
  | { type: 'sample'; pixels: Float32Array; label: number }
  | { type: 'error'; message: string };
