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
  /**
   * Whether a device scope (`beginDeviceScope`/`endDeviceScope`, `withDeviceScope`) releases this memory's
   * allocations when it ends. Default: true for a memory whose kernels read only their own memory (a GPU's,
   * where step results would otherwise wait for the garbage collector), false with `uploadsInputs: false`
   * (a wasm heap, whose resident blocks are long-lived in-place targets and whose results stay on the host).
   */
  readonly scoped?: boolean;
  /**
   * For a backend with `uploadsInputs: false`: runs `run` with the results of this backend's kernels left
   * in its memory as device storage (`Storage.owned`: the garbage collector never frees it) instead of
   * copied out into host arrays, for a caller that knows when each one is last used and releases it then
   * (`Storage.release`), even when `run` or a later step throws: how a compiled plan keeps the
   * intermediates of a replay where the kernels run. A result the memory cannot hold (its budget is spent,
   * another dtype) comes back on the host as usual. Absent: results stay as the kernels return them.
   */
  holdResults?<T>(run: () => T): T;
}

let nextStorageSerial = 0;

/**
 * Where one tensor's values live: host memory (`data` set) or an allocation on a device backend (`handle`
 * set). Views such as `reshape` share the same `Storage` object, so device memory is released when the
 * last tensor using it is garbage-collected, never per view, or earlier, at the end of the device scope
 * that made it (`endDeviceScope`) when no kept tensor uses it.
 */
export class Storage {
  /** Creation order in this process: `compile` tells storage made during a trace from older storage by it. */
  readonly serial = nextStorageSerial++;

  /** The `serial` the next storage made will have: every storage made from now on has a serial at least this. */
  static get nextSerial(): number {
    return nextStorageSerial;
  }

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

  /** Set when a device scope released the allocation: what any later use says (see `checkLive`). */
  private releasedBy: string | null = null;

  /** Whether a device scope released this storage's allocation (any use of it then throws). */
  get released(): boolean {
    return this.releasedBy !== null;
  }

  /** Host storage over `data` (no copy). */
  static host(data: TypedArray, dtype: DType): Storage {
    return new Storage('cpu', dtype, data.length, data, null);
  }

  /** Device storage: takes ownership of `handle`, which is released when this storage is collected. */
  static device(backend: string, handle: unknown, dtype: DType, size: number): Storage {
    const storage = Storage.allocated('Storage.device', backend, handle, dtype, size);
    finalizer.register(storage, { backend, handle, bytes: size * BYTES_PER_ELEMENT[dtype] }, storage);
    return storage;
  }

  /**
   * Device storage that only `Storage.release` frees, never the garbage collector: for a result whose
   * maker releases it at a known point (what `DeviceMemory.holdResults` returns to a compiled replay, which
   * releases each at its last use), where tying it to the collector would cost a registration per result.
   */
  static owned(backend: string, handle: unknown, dtype: DType, size: number): Storage {
    return Storage.allocated('Storage.owned', backend, handle, dtype, size);
  }

  /** New device storage, counted and shown to an open device scope; `op` names the caller in the error. */
  private static allocated(op: string, backend: string, handle: unknown, dtype: DType, size: number): Storage {
    const memory = deviceMemory(backend);
    if (!memory) throw new TensorError(op, `backend '${backend}' has no device memory registered`);
    const storage = new Storage(backend, dtype, size, null, handle);
    count(backend, size * BYTES_PER_ELEMENT[dtype], 1);
    if (memory.scoped ?? memory.uploadsInputs !== false) scopeRecorder?.(storage);
    return storage;
  }

  /**
   * Frees the allocation now rather than when the garbage collector finds this storage (what a device scope
   * does at its end); `scope` describes the scope for the error any later use throws. Host storage and
   * storage released already are left alone.
   */
  static release(storage: Storage, scope: string): void {
    if (storage.hostData !== null || storage.releasedBy !== null) return;
    storage.releasedBy = scope;
    finalizer.unregister(storage);
    count(storage.backend, -storage.size * BYTES_PER_ELEMENT[storage.dtype], -1);
    memories.get(storage.backend)?.release(storage.handle);
  }

  /** Throws, naming `op`, where a device scope released this storage; what every read and kernel input checks. */
  checkLive(op: string): void {
    if (this.releasedBy === null) return;
    throw new TensorError(
      op,
      `the tensor's device memory on '${this.backend}' was released at the end of the scope that created it (${this.releasedBy}); ` +
        'to use the tensor after that scope, list it (or a view of it) in the scope\'s keep',
    );
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

/** What `Storage.device` reports each new scoped storage to: the device scopes' recorder, while one is open. */
let scopeRecorder: ((storage: Storage) => void) | null = null;

/** Installs (or with `null` removes) the recorder of device scopes; returns the previous one. */
export function setScopeRecorder(recorder: ((storage: Storage) => void) | null): ((storage: Storage) => void) | null {
  const previous = scopeRecorder;
  scopeRecorder = recorder;
  return previous;
}

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
  storage.checkLive(op);
  if (storage.hostData) return storage.hostData;
  const memory = memories.get(storage.backend)!;
  if (!memory.readSync) {
    throw new TensorError(op, `the tensor lives on '${storage.backend}', which cannot be read synchronously: use \`await tensor.read()\``);
  }
  return memory.readSync(storage.handle, storage.dtype, storage.size);
}

/** The values of `storage` on the host. */
export async function readStorage(storage: Storage, op = 'read'): Promise<TypedArray> {
  storage.checkLive(op);
  if (storage.hostData) return storage.hostData;
  return memories.get(storage.backend)!.read(storage.handle, storage.dtype, storage.size);
}

/** `storage` moved to `backend` (uploaded to a device, or read back to the host for `cpu`). */
export function storageOn(storage: Storage, backend: string, op: string): Storage {
  storage.checkLive(op);
  if (storage.backend === backend) return storage;
  const memory = memories.get(backend);
  const host = readStorageSync(storage, op);
  if (!memory) return Storage.host(host, storage.dtype);
  const handle = memory.upload(host, storage.dtype);
  // A declined upload leaves the values on the host.
  if (handle === null) return storage.isHost ? storage : Storage.host(host, storage.dtype);
  return Storage.device(backend, handle, storage.dtype, storage.size);
}
