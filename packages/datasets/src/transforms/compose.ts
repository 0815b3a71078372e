import type { Tensor } from '@backprop/tensor';

/** A tensor-to-tensor step of a pipeline: a function, or an object with `transform` (a fitted scaler, `GaussianNoise`). */
export type Transform = ((x: Tensor) => Tensor) | { transform(x: Tensor): Tensor };

/**
 * Chains transforms left to right into one function, as torchvision's `Compose`.
 *
 * @example
 * const augment = compose(randomShift(1, { seed: 0 }), new GaussianNoise(0.1, { seed: 1 }));
 * const xb2 = augment(xb);
 */
export function compose(...steps: Transform[]): (x: Tensor) => Tensor {
  return (x) => steps.reduce((acc, step) => (typeof step === 'function' ? step(acc) : step.transform(acc)), x);
}
