import { Tensor, isGradEnabled, onesLike, setGradEnabled } from '@backprop/tensor';
import { ensureInstalled, runBackward } from './engine.js';
import { AutogradError } from './errors.js';

/**
 * Runs `fn` without recording ops: for inference and for parameter updates.
 *
 * @example
 * const y = noGrad(() => model.forward(x)); // y.requiresGrad === false
 */
export function noGrad<T>(fn: () => T): T {
  const previous = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(previous);
  }
}

/** Runs `fn` with recording on, even inside `noGrad`. */
export function enableGrad<T>(fn: () => T): T {
  const previous = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(previous);
  }
}

export { isGradEnabled };

export interface GradientsOptions {
  /** The gradient of the final loss with respect to `output` (required unless it is a scalar). */
  gradOutput?: Tensor;
  retainGraph?: boolean;
  /** Record the backward pass, so that the returned gradients can be differentiated again. */
  createGraph?: boolean;
}

/**
 * Gradients of `output` with respect to each of `inputs`, returned rather than accumulated into `.grad`
 * (PyTorch's `torch.autograd.grad`). An input that `output` does not depend on gets zeros.
 *
 * @example
 * const x = tensor([3], 'float64').requiresGrad_();
 * const [dx] = gradients(x.mul(x), [x]); // [6]
 */
export function gradients(output: Tensor, inputs: readonly Tensor[], options: GradientsOptions = {}): Tensor[] {
  ensureInstalled();
  let g = options.gradOutput;
  if (!g) {
    if (output.size !== 1) {
      throw new AutogradError(`gradients: the output has shape [${output.shape.join(', ')}]; pass gradOutput for a non-scalar output`);
    }
    g = onesLike(output);
  }
  for (const [i, x] of inputs.entries()) {
    if (!x.requiresGrad) throw new AutogradError(`gradients: input ${i} does not require a gradient`);
  }
  const createGraph = options.createGraph ?? false;
  if (!output.requiresGrad) return inputs.map((x) => onesLike(x).mul(0));
  const grads = runBackward([output], [g], { retainGraph: options.retainGraph ?? createGraph, createGraph, targets: inputs });
  return grads.map((gx, i) => gx ?? onesLike(inputs[i]).mul(0));
}

/** Fresh leaves for a functional transform: inputs already in a graph stay in it (for nested `grad`). */
function asLeaves(inputs: readonly Tensor[], fnName: string): Tensor[] {
  return inputs.map((x, i) => {
    if (!(x instanceof Tensor)) throw new AutogradError(`${fnName}: argument ${i} is not a Tensor`);
    return x.requiresGrad ? x : x.detach().requiresGrad_();
  });
}

function scalarOutput(out: unknown, fnName: string): Tensor {
  if (!(out instanceof Tensor) || out.size !== 1) {
    const shape = out instanceof Tensor ? `shape [${out.shape.join(', ')}]` : typeof out;
    throw new AutogradError(`${fnName}: the function must return a scalar tensor, got ${shape}`);
  }
  return out;
}

/**
 * The value of a scalar function and its gradients with respect to every argument.
 *
 * @example
 * const f = (x: Tensor, y: Tensor) => x.mul(y).sum();
 * const { value, grads } = valueAndGrad(f)(tensor([1, 2]), tensor([3, 4])); // grads: [[3, 4], [1, 2]]
 */
export function valueAndGrad<A extends Tensor[]>(f: (...args: A) => Tensor) {
  return (...args: A): { value: Tensor; grads: Tensor[] } => {
    ensureInstalled();
    const leaves = asLeaves(args, 'valueAndGrad');
    // Inside another transform (inputs already tracked), record this backward too so it can be differentiated.
    const nested = args.some((x) => x.requiresGrad) && isGradEnabled();
    const value = scalarOutput(enableGrad(() => f(...(leaves as A))), 'valueAndGrad');
    const grads = gradients(value, leaves, { createGraph: nested });
    return { value, grads };
  };
}

/**
 * The gradient function of a scalar function: `grad(f)(...args)` returns one gradient per argument.
 * Composes: `grad((x) => grad(f)(x)[0].sum())` differentiates twice.
 *
 * @example
 * const df = grad((x: Tensor) => x.pow(3).sum());
 * df(tensor([2], 'float64'))[0].item(); // 12
 */
export function grad<A extends Tensor[]>(f: (...args: A) => Tensor) {
  const vg = valueAndGrad(f);
  return (...args: A): Tensor[] => vg(...args).grads;
}
