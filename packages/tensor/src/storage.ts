import type { DType, TypedArray } from './dtype.js';
import { TensorError } from './errors.js';

/**
 * The memory of a backend whose tensors do not live in JavaScript arrays (a GPU's buffers, say). A backend
 * registers one with `registerDeviceMemory`; the `cpu` backend and backends whose kernels read host arrays
 * need none.
 *
 * `H` is the backend's own handle for one allocation (a `GPUBuffer`, an offset into a heap). The tensor
 * package never looks inside it.
 */
export interface DeviceMemory<H = unknown> {
  /**
   * Copies host values into a new allocation. A backend with `uploadsInputs: false` may return `null` to
   * decline (its budget for resident tensors is spent, say): the tensor then stays on the host.
   */
  upload(data: TypedArray, dtype: DType): H | null;
  /** Reads an allocation's values back; every device can do this asynchronously. */
  read(handle: H, dtype: DType, size: number): Promise<TypedArray>;
  /**
   * Reads synchronously, where the device can (a wasm heap can, a GPU cannot). Absent: `dataSync()` on
   * such a tensor throws and says to `await tensor.read()`.
   */
  readSync?(handle: H, dtype: DType, size: number): TypedArray;
  /** Frees an allocation. Called once, when no tensor refers to it any more. */
  release(handle: H): void;
  /**
   * Whether `runKernel` uploads host inputs before this backend's kernels run (default true: a GPU's
   * kernels can only read its buffers). `false` is for a backend whose kernels read host arrays and its
   * own storage alike (a wasm heap): inputs are passed as they are, results may be host arrays, and only
   * the targets of in-place kernels move into this memory (see `adopts`), so that what stays resident is
   * long-lived training state rather than per-step results the garbage collector would have to return.
   */
  readonly uploadsInputs?: boolean;
  /**
   * For a backend with `uploadsInputs: false`: whether the in-place `kernel` moves a host target into this
   * memory (default: every in-place kernel does). A target already resident stays resident either way.
   */
  adopts?(kernel: string): boolean;
}

let nextStorageSerial = 0;

/**
 * Where one tensor's values live: host memory (`data` set) or an allocation on a device backend (`handle`
 * set). Views such as `reshape` share the same `Storage` object, so device memory is released when the
 * last tensor using it is garbage-collected, never per view.
 */
export class Storage {
  /** Creation order in this process: `compile` tells storage made during a trace from older storage by it. */
  readonly serial = nextStorageSerial++;

  private constructor(
    /** The backend owning the values: `cpu` for host arrays. */
    readonly backend: string,
    readonly dtype: DType,
    readonly size: number,
    /** The host array, for host storage. */
    readonly hostData: TypedArray | null,
    /** The device's handle, for device storage. */
    readonly handle: unknown,
  ) {}

  /** Host storage over `data` (no copy). */
  static host(data: TypedArray, dtype: DType): Storage {
    return new Storage('cpu', dtype, data.length, data, null);
  }

  /** Device storage: takes ownership of `handle`, which is released when this storage is collected. */
  static device(backend: string, handle: unknown, dtype: DType, size: number): Storage {
    const memory = deviceMemory(backend);
    if (!memory) throw new TensorError('Storage.device', `backend '${backend}' has no device memory registered`);
    const storage = new Storage(backend, dtype, size, null, handle);
    const bytes = size * BYTES_PER_ELEMENT[dtype];
    count(backend, bytes, 1);
    finalizer.register(storage, { backend, handle, bytes });
    return storage;
  }

  get isHost(): boolean {
    return this.hostData !== null;
  }
}

const memories = new Map<string, DeviceMemory>();
/** Per device backend: bytes and allocations held by live Storage objects. */
const live = new Map<string, { bytes: number; allocations: number }>();
const BYTES_PER_ELEMENT: Record<DType, number> = { float32: 4, float64: 8, int32: 4, bool: 1 };

function count(backend: string, bytes: number, allocations: number): void {
  let held = live.get(backend);
  if (!held) live.set(backend, (held = { bytes: 0, allocations: 0 }));
  held.bytes += bytes;
  held.allocations += allocations;
}

// Device memory is invisible to the garbage collector, so each device allocation is tied to its JS
// `Storage` object: when that is collected, the allocation goes back to the backend. Finalizers run
// between tasks, which is why GPU training loops (which await their losses) stay bounded.
const finalizer = new FinalizationRegistry<{ backend: string; handle: unknown; bytes: number }>(({ backend, handle, bytes }) => {
  count(backend, -bytes, -1);
  memories.get(backend)?.release(handle);
});

/**
 * Declares that `backend` keeps tensors in its own memory: its kernels receive and return `Storage` of that
 * backend, and host tensors passed to them are uploaded first.
 */
export function registerDeviceMemory<H>(backend: string, memory: DeviceMemory<H>): void {
  memories.set(backend, memory as DeviceMemory);
}

export function deviceMemory(backend: string): DeviceMemory | undefined {
  return memories.get(backend);
}

/** Bytes and allocations a device backend holds for live tensors: what a leak test watches. */
export function liveDeviceMemory(backend: string): { bytes: number; allocations: number } {
  return { ...(live.get(backend) ?? { bytes: 0, allocations: 0 }) };
}

/** The values of `storage` on the host, synchronously; throws where the device cannot read synchronously. */
export function readStorageSync(storage: Storage, op = 'dataSync'): TypedArray {
  if (storage.hostData) return storage.hostData;
  const memory = memories.get(storage.backend)!;
  if (!memory.readSync) {
    throw new TensorError(op, `the tensor lives on '${storage.backend}', which cannot be read synchronously: use \`await tensor.read()\``);
  }
  return memory.readSync(storage.handle, storage.dtype, storage.size);
}

/** The values of `storage` on the host. */
export async function readStorage(storage: Storage): Promise<TypedArray> {
  if (storage.hostData) return storage.hostData;
  return memories.get(storage.backend)!.read(storage.handle, storage.dtype, storage.size);
}

/** `storage` moved to `backend` (uploaded to a device, or read back to the host for `cpu`). */
export function storageOn(storage: Storage, backend: string, op: string): Storage {
  if (storage.backend === backend) return storage;
  const memory = memories.get(backend);
  const host = readStorageSync(storage, op);
  if (!memory) return Storage.host(host, storage.dtype);
  const handle = memory.upload(host, storage.dtype);
  // A declined upload leaves the values on the host.
  if (handle === null) return storage.isHost ? storage : Storage.host(host, storage.dtype);
  return Storage.device(backend, handle, storage.dtype, storage.size);
}
