import { Tensor, fmtShape, shapesEqual } from '@backprop/tensor';
import { AutogradError } from './errors.js';

/**
 * Called with the gradient of the tensor it is registered on, once per backward pass, when that gradient
 * is complete; returning a tensor (of the same shape) replaces the gradient that flows on.
 */
export type TensorHook = (grad: Tensor) => Tensor | void;

/** Returned by `registerHook`: `remove()` unregisters the hook. */
export interface HookHandle {
  /** Unregisters the hook. */
  remove(): void;
}

// Held weakly: a hook lives as long as its tensor, and a tensor with no hooks costs one failed lookup.
const hooks = new WeakMap<Tensor, Set<TensorHook>>();

/**
 * Registers `hook(grad)` on `tensor`, as PyTorch's `Tensor.register_hook`: every backward pass that
 * reaches the tensor calls it with the tensor's full gradient, and a returned tensor replaces that
 * gradient for everything upstream (and for a leaf's `.grad`). The tensor must require a gradient.
 *
 * @example
 * const w = randn([3]).requiresGrad_();
 * registerHook(w, (g) => g.clamp(-1, 1)); // clip this parameter's gradient
 * w.mul(10).sum().backward();             // w.grad is all ones
 */
export function registerHook(tensor: Tensor, hook: TensorHook): HookHandle {
  if (!(tensor instanceof Tensor)) throw new AutogradError(`registerHook: expected a Tensor, got ${String(tensor)}`);
  if (!tensor.requiresGrad) {
    throw new AutogradError(`registerHook: the tensor of shape ${fmtShape(tensor.shape)} does not require a gradient, so no gradient would reach the hook`);
  }
  if (typeof hook !== 'function') throw new AutogradError(`registerHook: the hook must be a function (grad) => Tensor | void, got ${typeof hook}`);
  let set = hooks.get(tensor);
  if (!set) hooks.set(tensor, (set = new Set()));
  set.add(hook);
  return { remove: () => void set.delete(hook) };
}

/** Whether any hook is registered on `t`. */
export function hasTensorHooks(t: Tensor): boolean {
  return (hooks.get(t)?.size ?? 0) > 0;
}

/** `g` after the hooks of `t`, in registration order (the engine calls this once `t`'s gradient is complete). */
export function applyTensorHooks(t: Tensor, g: Tensor): Tensor {
  for (const hook of [...(hooks.get(t) ?? [])]) {
    const replaced = hook(g);
    if (replaced === undefined) continue;
    if (!(replaced instanceof Tensor) || !shapesEqual(replaced.shape, g.shape)) {
      const got = replaced instanceof Tensor ? `a tensor of shape ${fmtShape(replaced.shape)}` : String(replaced);
      throw new AutogradError(`backward: a hook on a tensor of shape ${fmtShape(t.shape)} returned ${got}; return nothing or a gradient of shape ${fmtShape(g.shape)}`);
    }
    g = replaced;
  }
  return g;
}
