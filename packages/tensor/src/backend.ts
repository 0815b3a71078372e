import type { DType, TypedArray } from './dtype.js';
import { TensorError } from './errors.js';
import { deviceMemory, readStorageSync, Storage, storageOn } from './storage.js';

/** What a kernel sees of a tensor: contiguous row-major data, its shape and dtype. A `Tensor` is one. */
export interface TensorData {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/**
 * What a kernel of a device backend (one with `registerDeviceMemory`) sees of a tensor: its storage on that
 * device, shape and dtype. A device kernel returns one too.
 */
export interface DeviceTensorData {
  readonly storage: Storage;
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

/** A kernel of a device backend: inputs arrive on that device (uploaded if needed), and so does the result. */
export type DeviceKernel = (inputs: readonly DeviceTensorData[], attrs: KernelAttrs) => DeviceTensorData;

/** A tensor as `runKernel` takes it: a `Tensor` (which has both views) or plain host data. */
export type KernelInput = TensorData & { readonly storage?: Storage };

/**
 * A backend is a named table of kernels. It need not implement every kernel: a name it lacks runs on the
 * `cpu` backend, which implements all of them. A WebAssembly backend registers kernels that read host
 * arrays (copied into its memory for the call) and the training state it keeps resident there alike.
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

/**
 * Registers a kernel of a device backend (one with `registerDeviceMemory`): it receives its inputs as
 * storage on that device and returns its result there.
 */
export function registerDeviceKernel(backendName: string, kernelName: string, kernel: DeviceKernel): void {
  // One table holds both kinds; runKernel knows which a backend has from its device memory.
  backendNamed(backendName).kernels.set(kernelName, kernel as unknown as Kernel);
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

/**
 * The backend that runs `kernelName` now: the active one if it has the kernel, else `cpu`.
 *
 * @example
 * kernelBackend('matmul'); // 'cpu', or 'wasm' after useWasmBackend()
 */
export function kernelBackend(kernelName: string): string {
  return backendNamed(active).kernels.has(kernelName) ? active : 'cpu';
}

/**
 * Runs the `cpu` backend's kernel of this name on host data, whatever backend is active: what another
 * backend uses for the cases its own kernels do not handle.
 */
export function runCpuKernel(kernelName: string, inputs: readonly TensorData[], attrs: KernelAttrs = {}): TensorData {
  const kernel = backendNamed('cpu').kernels.get(kernelName);
  if (!kernel) throw new TensorError(kernelName, `no kernel named '${kernelName}' is registered on 'cpu'`);
  return kernel(inputs, attrs);
}

/**
 * Runs `kernelName` on the active backend, falling back to `cpu`. On a device backend the inputs are moved
 * to the device first and the result stays there; a fallback to `cpu` reads device inputs back, which only
 * works where the device can read synchronously (the error names the kernel otherwise).
 */
export function runKernel(kernelName: string, inputs: readonly KernelInput[], attrs: KernelAttrs = {}): TensorData | DeviceTensorData {
  if (kernelTracer !== null) return traceKernel(kernelTracer, kernelName, inputs, attrs);
  const backend = kernelBackend(kernelName);
  const kernel = backendNamed(backend).kernels.get(kernelName);
  if (!kernel) throw new TensorError(kernelName, `no kernel named '${kernelName}' is registered on '${active}' or 'cpu'`);
  const memory = deviceMemory(backend);
  // A backend whose kernels read host arrays and its own storage alike gets every input as it is.
  if (memory?.uploadsInputs === false) return kernel(inputs, attrs);
  if (memory) {
    const onDevice = inputs.map((t) => {
      const storage = storageOn(t.storage ?? Storage.host(t.data, t.dtype), backend, kernelName);
      if (storage.backend !== backend) throw new TensorError(kernelName, `backend '${backend}' declined to upload an input, but its kernels read only its own memory`);
      return { storage, shape: t.shape, dtype: t.dtype };
    });
    return (kernel as unknown as DeviceKernel)(onDevice, attrs);
  }
  for (const t of inputs) {
    if (t.storage && !t.storage.isHost) {
      const host = inputs.map((u) => (u.storage && !u.storage.isHost ? { data: readStorageSync(u.storage, kernelName), shape: u.shape, dtype: u.dtype } : u));
      return kernel(host, attrs);
    }
  }
  return kernel(inputs, attrs);
}

/** What `compile` installs while it traces a function: it sees every kernel call and runs it itself. */
export type KernelTracer = (
  kernelName: string,
  inputs: readonly KernelInput[],
  attrs: KernelAttrs,
  run: () => TensorData | DeviceTensorData,
) => TensorData | DeviceTensorData;

let kernelTracer: KernelTracer | null = null;

/** Installs (or with `null` removes) the tracer of `compile`; returns the previous one. */
export function setKernelTracer(tracer: KernelTracer | null): KernelTracer | null {
  const previous = kernelTracer;
  kernelTracer = tracer;
  return previous;
}

/** The kernel registered as `kernelName` on `backendName`, if any (what a compiled plan checks it may fuse). */
export function registeredKernel(backendName: string, kernelName: string): Kernel | undefined {
  return backends.get(backendName)?.kernels.get(kernelName);
}

// The tracer is removed while the kernel runs, so that kernels calling runKernel are not recorded twice.
function traceKernel(tracer: KernelTracer, kernelName: string, inputs: readonly KernelInput[], attrs: KernelAttrs): TensorData | DeviceTensorData {
  return tracer(kernelName, inputs, attrs, () => {
    kernelTracer = null;
    try {
      return runKernel(kernelName, inputs, attrs);
    } finally {
      kernelTracer = tracer;
    }
  });
}
