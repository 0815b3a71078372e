import type { Tensor } from '@backprop/tensor';
import { defineOp, type OpDefinition } from '@backprop/autograd';

/**
 * `defineOp`, deferred to the first call: registering a gradient is a side effect, and doing it at import
 * time would break `sideEffects: false` and fail when a bundle loads this package twice.
 */
export function lazyOp<A extends Record<string, unknown>>(definition: OpDefinition<A>): (inputs: Tensor[], attrs: A) => Tensor {
  let op: ((inputs: Tensor[], attrs?: A) => Tensor) | undefined;
  return (inputs, attrs) => (op ??= defineOp(definition))(inputs, attrs);
}
