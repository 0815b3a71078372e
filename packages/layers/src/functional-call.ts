import { ValueError, type Tensor } from '@backprop/tensor';
import type { Module } from './module.js';
import type { StateDict } from './state-dict.js';

/**
 * Runs `module.call(...args)` with some of its parameters or buffers replaced by the given tensors (by
 * dotted name), restoring the originals afterwards, as PyTorch's `torch.func.functional_call`. This makes a
 * module a function of its weights: for gradient checks, meta-learning, or weights kept elsewhere.
 *
 * @example
 * const fc = new Linear(3, 2);
 * const w = zeros([2, 3]).requiresGrad_();
 * functionalCall(fc, { weight: w }, x).sum().backward(); // w.grad is filled, fc.weight untouched
 */
export function functionalCall<Args extends unknown[], Out>(
  module: Module<Args, Out>,
  tensors: StateDict,
  ...args: Args
): Out {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const restore: (() => void)[] = [];
  try {
    for (const [key, tensor] of entries) {
      const dot = key.lastIndexOf('.');
      const owner = module.getSubmodule(dot < 0 ? '' : key.slice(0, dot));
      const name = key.slice(dot + 1);
      const parameter = owner.getParameter(name);
      const buffer = owner.getBuffer(name);
      if (parameter !== undefined) {
        owner.registerParameter(name, tensor as Tensor);
        restore.push(() => owner.registerParameter(name, parameter));
      } else if (buffer !== undefined) {
        owner.registerBuffer(name, tensor as Tensor);
        restore.push(() => owner.registerBuffer(name, buffer));
      } else {
        throw new ValueError('functionalCall', `${module.constructor.name} has no parameter or buffer named "${key}"`);
      }
    }
    return module.call(...args);
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
