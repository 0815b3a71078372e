import type { DType, TypedArray } from './dtype.js';
import { TensorError } from './errors.js';

/** What a kernel sees of a tensor: contiguous row-major data, its shape and dtype. A `Tensor` is one. */
export interface TensorData {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** Attributes a kernel receives besides its inputs (axes, strides, the scalar of a scalar op, …). */
export type KernelAttrs = Record<string, unknown>;

/**
 * A kernel computes one op's result from contiguous inputs. Shape checks, broadcasting rules and dtype
 * promotion have already happened above it; the kernel gets the output shape and dtype in `attrs` when
 * the op decides them, and only computes.
 */
export type Kernel = (inputs: readonly TensorData[], attrs: KernelAttrs) => TensorData;

/**
 * A backend is a named table of kernels. It need not implement every kernel: a name it lacks runs on the
 * `cpu` backend, which implements all of them. A WebAssembly backend registers kernels that copy their
 * inputs into memory it manages and copy the results out, so tensors stay plain garbage-collected arrays.
 */
export interface Backend {
  readonly name: string;
  readonly kernels: Map<string, Kernel>;
}

const backends = new Map<string, Backend>();
let active = 'cpu';

function backendNamed(name: string): Backend {
  let backend = backends.get(name);
  if (!backend) {
    backend = { name, kernels: new Map() };
    backends.set(name, backend);
  }
  return backend;
}

/**
 * Registers `kernel` as `kernelName` on `backendName`, creating the backend if needed. A plugin uses this
 * to add a kernel for a new op, or to override one for speed.
 *
 * @example
 * registerKernel('cpu', 'myop', ([x]) => ({ data: x.data.map((v) => v * 2), shape: x.shape, dtype: x.dtype }));
 */
export function registerKernel(backendName: string, kernelName: string, kernel: Kernel): void {
  backendNamed(backendName).kernels.set(kernelName, kernel);
}

/** Chooses the backend whose kernels ops run on; `cpu` is the default and the fallback. */
export function setBackend(name: string): void {
  if (!backends.has(name)) {
    throw new TensorError('setBackend', `no backend named '${name}' is registered (registered: ${listBackends().join(', ')})`);
  }
  active = name;
}

export function getBackend(): string {
  return active;
}

export function listBackends(): string[] {
  return [...backends.keys()];
}

/** Kernel names the `cpu` backend has and the active backend lacks: those fall back to `cpu`. */
export function listFallbacks(name: string = active): string[] {
  const own = backendNamed(name).kernels;
  return [...backendNamed('cpu').kernels.keys()].filter((k) => !own.has(k)).sort();
}

export function hasKernel(kernelName: string): boolean {
  return backendNamed(active).kernels.has(kernelName) || backendNamed('cpu').kernels.has(kernelName);
}

/** Runs `kernelName` on the active backend, falling back to `cpu`. */
export function runKernel(kernelName: string, inputs: readonly TensorData[], attrs: KernelAttrs = {}): TensorData {
  const kernel = backendNamed(active).kernels.get(kernelName) ?? backendNamed('cpu').kernels.get(kernelName);
  if (!kernel) throw new TensorError(kernelName, `no kernel named '${kernelName}' is registered on '${active}' or 'cpu'`);
  return kernel(inputs, attrs);
}
