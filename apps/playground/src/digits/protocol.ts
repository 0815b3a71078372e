// Messages between the digits page and its worker.
import type { BackendReport } from '../common/backend-choice.js';
import type { BackendName } from '../playground/state.js';

export type ToDigitsWorker =
  /** Trains a fresh network for `epochs` on `backend` (any run under way stops first). */
  | { type: 'train'; epochs: number; backend: BackendName }
  | { type: 'predict'; id: number; pixels: Float32Array }
  | { type: 'sample' };

export type FromDigitsWorker =
  /** The backend this run trains on, after asking for `requested`: the adapter's name on webgpu, and why it is not `requested` when it is not. */
  | ({ type: 'backend' } & BackendReport)
  | { type: 'progress'; epoch: number; epochs: number; step: number; steps: number; loss: number }
  | { type: 'epoch'; epoch: number; epochs: number; testAccuracy: number }
  /** Training ended; the model now holds the weights of `bestEpoch`, whose test accuracy is `testAccuracy`. */
  | { type: 'done'; epochs: number; testAccuracy: number; bestEpoch: number }
  /** The class probabilities, and the first layer's filters [16·3·3] and ReLU feature maps [16·8·8] for the image. */
  | { type: 'prediction'; id: number; probabilities: Float32Array; filters: Float32Array; featureMaps: Float32Array }
  /** A random test image (64 values, 0..16) and its label, for trying the network without drawing. */
  | { type: 'sample'; pixels: Float32Array; label: number }
  | { type: 'error'; message: string };
