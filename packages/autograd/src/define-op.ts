import { Tensor, recordOp, setGradEnabled } from '@backprop/tensor';
import { ensureInstalled } from './engine.js';
import { AutogradError } from './errors.js';
import { registerGradient, type GradientContext } from './registry.js';

export interface OpDefinition<A extends Record<string, unknown>> {
  /** A unique op name; it appears in error messages and graphs. */
  name: string;
  /** Computes the output from the inputs. Runs without recording, so it may use any tensor op. */
  forward: (inputs: Tensor[], attrs: A) => Tensor;
  /**
   * Computes each input's gradient from the output's gradient (`null` for none). Write it with tensor ops
   * and it is itself differentiable, so the op works under `grad(grad(…))`.
   */
  backward: (grad: Tensor, ctx: GradientContext & { attrs: A }) => (Tensor | null)[];
}

/**
 * Defines a differentiable op for plugins: returns a function that runs `forward` and records the op, so
 * `backward()`, `grad` and `gradCheck` treat it like a built-in.
 *
 * @example
 * const cube = defineOp({
 *   name: 'cube',
 *   forward: ([x]) => x.mul(x).mul(x),
 *   backward: (g, { inputs: [x] }) => [g.mul(x.mul(x).mul(3))],
 * });
 * cube([tensor([2]).requiresGrad_()]).backward(); // .grad = 12
 */
export function defineOp<A extends Record<string, unknown> = Record<string, never>>(
  definition: OpDefinition<A>,
): (inputs: Tensor[], attrs?: A) => Tensor {
  ensureInstalled();
  const { name, forward, backward } = definition;
  if (!name || typeof forward !== 'function' || typeof backward !== 'function') {
    throw new AutogradError(`defineOp: needs { name, forward, backward }, got name '${String(name)}'`);
  }
  registerGradient(name, (g, ctx) => backward(g, ctx as GradientContext & { attrs: A }));
  return (inputs: Tensor[], attrs: A = {} as A): Tensor => {
    inputs.forEach((x, i) => {
      if (!(x instanceof Tensor)) throw new AutogradError(`${name}: input ${i} is not a Tensor`);
    });
    const previous = setGradEnabled(false);
    let result: Tensor;
    try {
      result = forward(inputs, attrs);
    } finally {
      setGradEnabled(previous);
    }
    if (!(result instanceof Tensor)) throw new AutogradError(`${name}: forward must return a Tensor`);
    // A fresh tensor, so that the op's record is not mixed up with whatever forward returned. It shares
    // the result's storage, so a result on a device stays there (no synchronous read).
    return recordOp(name, inputs, attrs, new Tensor(result.storage, result.shape, result.dtype));
  };
}
