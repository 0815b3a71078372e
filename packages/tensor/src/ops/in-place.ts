import { getBackend, kernelBackend, runKernel } from '../backend.js';
import { DTypeError, ShapeError, fmtShape } from '../errors.js';
import { shapesEqual } from '../shape.js';
import { Storage, deviceMemory, storageOn } from '../storage.js';
import type { Tensor } from '../tensor.js';
import { noteWritten } from '../compile/hooks.js';

// In-place updates: the one place tensors change. They exist for the state that training keeps across
// steps (parameters, gradients, optimizer buffers), are not recorded by autograd, and run as kernels so
// that the state can stay in a backend's memory.

/**
 * Moves `t`'s values to where `kernel` will run: the memory of the device backend that has it, or the host
 * (the cpu kernel, a backend whose kernels read host arrays, or a device that declined the upload). An
 * in-place kernel then writes where the values live, and they stay there for the next step.
 */
export function residentFor(t: Tensor, kernel: string, op: string): void {
  t.storage.checkLive(op);
  const backend = kernelBackend(kernel);
  const memory = deviceMemory(backend);
  // A backend that reads host arrays may leave a host target where it is (see DeviceMemory.adopts).
  const adopted = memory !== undefined && (memory.uploadsInputs !== false || t.storage.backend === backend || (memory.adopts?.(kernel) ?? true));
  const home = adopted ? backend : 'cpu';
  if (t.storage.backend !== home) (t as { storage: Storage }).storage = storageOn(t.storage, home, op);
}

/** Checks that every buffer has the target's shape and dtype, naming the op and the buffer. */
export function checkSameLayout(op: string, target: Tensor, others: Record<string, Tensor>): void {
  for (const [name, t] of Object.entries(others)) {
    if (!shapesEqual(t.shape, target.shape)) {
      throw new ShapeError(op, `${name} has shape ${fmtShape(t.shape)} but the target has ${fmtShape(target.shape)}`);
    }
    if (t.dtype !== target.dtype) throw new DTypeError(op, `${name} is ${t.dtype} but the target is ${target.dtype}`);
  }
}

/** Runs an in-place kernel on `written` (resident first) and the read-only `read`; returns the first target. */
export function runInPlace(op: string, kernel: string, written: readonly Tensor[], read: readonly Tensor[], attrs: Record<string, unknown>): Tensor {
  // Before the move: a trace copies a buffer made during it from where it was made.
  noteWritten(written);
  for (const t of written) residentFor(t, kernel, op);
  runKernel(kernel, [...written.slice(0, 1), ...read, ...written.slice(1)], attrs);
  return written[0];
}

/**
 * `target += alpha · src`, in place (same shape and dtype): how gradients accumulate. Returns `target`.
 *
 * @example
 * addInPlace_(param.grad, g);
 */
export function addInPlace_(target: Tensor, src: Tensor, alpha = 1): Tensor {
  checkSameLayout('addInPlace_', target, { src });
  return runInPlace('addInPlace_', 'addInPlace', [target], [src], { alpha });
}

/**
 * Adds `src` into the slice `start, start + step, …` (as many as `src` has along `axis`) of `target`, in
 * place: the gradient of a slice accumulated into its input's, which keeps backpropagation through time
 * linear in the sequence length. Returns `target`.
 *
 * @example
 * sliceAddInPlace_(acc, gStep, 1, t, 1);
 */
export function sliceAddInPlace_(target: Tensor, src: Tensor, axis: number, start: number, step = 1): Tensor {
  const expected = [...target.shape];
  expected[axis] = src.shape[axis];
  const last = start + (src.shape[axis] - 1) * step;
  if (src.rank !== target.rank || !shapesEqual(src.shape, expected) || start < 0 || last >= target.shape[axis]) {
    throw new ShapeError(
      'sliceAddInPlace_',
      `src of shape ${fmtShape(src.shape)} does not fit target ${fmtShape(target.shape)} at axis ${axis} from ${start} by ${step}`,
    );
  }
  if (src.dtype !== target.dtype) throw new DTypeError('sliceAddInPlace_', `src is ${src.dtype} but the target is ${target.dtype}`);
  return runInPlace('sliceAddInPlace_', 'sliceAddInPlace', [target], [src], { axis, start, step });
}

/**
 * Sets every element of `target` to `value`, in place. Returns `target`.
 *
 * @example
 * fill_(param.grad, 0);
 */
export function fill_(target: Tensor, value: number): Tensor {
  return runInPlace('fill_', 'fillInPlace', [target], [], { value });
}

/**
 * `target *= scale`, in place: gradient clipping by norm. Returns `target`.
 *
 * @example
 * scaleInPlace_(g, 0.5);
 */
export function scaleInPlace_(target: Tensor, scale: number): Tensor {
  return runInPlace('scaleInPlace_', 'scaleInPlace', [target], [], { scale });
}

/**
 * Clamps `target` into [min, max], in place: gradient clipping by value. Returns `target`.
 *
 * @example
 * clampInPlace_(g, -1, 1);
 */
export function clampInPlace_(target: Tensor, min: number, max: number): Tensor {
  return runInPlace('clampInPlace_', 'clampInPlace', [target], [], { min, max });
}

/**
 * Copies `src`'s values into `target` (same shape and dtype), in place: loading weights into a model's
 * own parameters. Returns `target`.
 *
 * @example
 * copy_(layer.weight, loaded);
 */
export function copy_(target: Tensor, src: Tensor): Tensor {
  checkSameLayout('copy_', target, { src });
  return runInPlace('copy_', 'copyInPlace', [target], [src], {});
}

/**
 * Moves `t`'s values, in place, into the memory of `backend` (default: the active one): its heap or GPU
 * buffers, or the host for `cpu`, as PyTorch's `tensor.to(device)` but keeping the tensor object, so an
 * optimizer holding it keeps working. A backend may decline (the wasm heap past its budget): the values
 * then stay where they were. Moving off a GPU to the host needs the values read back, which a GPU does
 * only asynchronously: that throws and says so (read them with `await t.read()`). Returns `t`.
 *
 * @example
 * await useWasmBackend();
 * toBackend_(weight).device; // 'wasm': products read it in the heap instead of copying it in each call
 */
export function toBackend_(t: Tensor, backend: string = getBackend()): Tensor {
  noteWritten([t]);
  if (t.storage.backend !== backend) (t as { storage: Storage }).storage = storageOn(t.storage, backend, 'toBackend_');
  return t;
}
