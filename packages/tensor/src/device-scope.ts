import { TensorError } from './errors.js';
import { setScopeRecorder, Storage } from './storage.js';
import { Tensor } from './tensor.js';

// Device memory is invisible to the garbage collector, which therefore collects a GPU training loop's
// per-step tensors late and in bulk. A device scope frees them at a point the code chooses instead: every
// scoped device allocation made while the scope is open is recorded, and at its end each one that no kept
// tensor uses goes back to its backend at once.

/** An open device scope: what `beginDeviceScope` returns and `endDeviceScope` closes. */
export interface DeviceScope {
  /** What the scope is, as a later use of a tensor it released says (`'deviceScope'` unless given). */
  readonly label: string;
}

/** What `endDeviceScope` did: how many allocations it released, and the storages it recorded and kept. */
export interface DeviceScopeEnd {
  /** Allocations the scope gave back to their backend. */
  readonly released: number;
  /** The storages of the scope that a kept tensor uses: the `carried` of a loop's next step scope. */
  readonly kept: readonly Storage[];
}

interface OpenScope extends DeviceScope {
  readonly storages: Storage[];
}

const open: OpenScope[] = [];
/** How many `awaitUnscoped` calls are waiting: while any is, nothing is recorded. */
let paused = 0;

function record(storage: Storage): void {
  if (paused === 0) open[open.length - 1].storages.push(storage);
}

/**
 * Awaits `value` with recording paused: what other tasks allocate meanwhile (a `Pipeline.prefetch` reading
 * ahead, a timer) is not recorded by the open scopes, so a scope that spans an await releases only what its
 * own code made. A scope is not for concurrent users otherwise: open and close scopes from one task at a time.
 *
 * @example
 * const scope = beginDeviceScope();
 * const loss = lossFn(model.forward(x), y);
 * const [value] = await awaitUnscoped(loss.read());
 * endDeviceScope(scope, [model.parameters()]);
 */
export async function awaitUnscoped<T>(value: T | PromiseLike<T>): Promise<Awaited<T>> {
  paused++;
  try {
    return await value;
  } finally {
    paused--;
  }
}

/**
 * Opens a device scope: until `endDeviceScope` closes it, every allocation a GPU-like device backend makes
 * (one whose `DeviceMemory` is `scoped`, as webgpu's is) is recorded. Host tensors (`cpu`) and a wasm
 * heap's resident blocks are never recorded. Scopes nest; close them innermost first. Prefer
 * `withDeviceScope`, which closes the scope even when the function throws.
 *
 * `carried` are storages an earlier scope kept (`endDeviceScope(…).kept`) that this one is to release at its
 * end unless they are kept again, as if it had made them: how a loop's state moves from step to step, so
 * that what a step drops (gradients set to none, running statistics reassigned) is released by the step
 * after, not left to the garbage collector.
 *
 * @example
 * const scope = beginDeviceScope('my step');
 * const loss = model.forward(x).sub(y).square().mean();
 * endDeviceScope(scope, [model.parameters()]); // loss's memory is back in the pool now
 */
export function beginDeviceScope(label = 'deviceScope', carried: Iterable<Storage> = []): DeviceScope {
  const scope: OpenScope = { label, storages: [...carried].filter((storage) => !storage.released) };
  open.push(scope);
  setScopeRecorder(record);
  return scope;
}

/**
 * Closes `scope`: each device allocation recorded while it was open is released now, unless a tensor in
 * `keep` uses it (views share their base's memory, so keeping a view keeps its base). `keep` may nest
 * tensors in arrays, `Map`s and plain objects (a `stateDict()`, an optimizer's `state`); a tensor's
 * `.grad` is not kept unless listed; `keep` may also be a function returning them, called only if the
 * scope recorded any allocation (so a training loop on a host backend does not gather its state every
 * step). A released tensor throws a `TensorError` on any later use (a read,
 * a kernel input, an in-place target) that says so, rather than reading memory the backend has reused.
 * What an inner scope keeps belongs to the scope around it, if any.
 *
 * @example
 * const scope = beginDeviceScope();
 * const y = relu(x.matmul(w));
 * endDeviceScope(scope, [y]).released; // 1: x.matmul(w)'s result is released, y survives
 */
export function endDeviceScope(scope: DeviceScope, keep: unknown = []): DeviceScopeEnd {
  const at = open.lastIndexOf(scope as OpenScope);
  if (at < 0) throw new TensorError('endDeviceScope', `the scope '${scope.label}' is not open (closed already, or not made by beginDeviceScope)`);
  if (at !== open.length - 1) {
    throw new TensorError('endDeviceScope', `the scope '${scope.label}' has the scope '${open[open.length - 1].label}' open inside it: close inner scopes first`);
  }
  open.pop();
  if (open.length === 0) setScopeRecorder(null);
  const recorded = (scope as OpenScope).storages;
  if (recorded.length === 0) return { released: 0, kept: [] };
  const kept = new Set<Storage>();
  collectStorages(typeof keep === 'function' ? (keep as () => unknown)() : keep, kept, new Set());
  const outer = open[open.length - 1];
  let released = 0;
  const survivors: Storage[] = [];
  for (const storage of recorded) {
    if (kept.has(storage)) {
      survivors.push(storage);
      outer?.storages.push(storage);
    } else if (!storage.released) {
      Storage.release(storage, scope.label);
      released++;
    }
  }
  return { released, kept: survivors };
}

/**
 * Runs `fn` in a device scope (see `beginDeviceScope`) and closes it when `fn` returns or, for an async
 * `fn`, when its promise settles; the scope is closed (and its allocations released) when `fn` throws, too.
 * `keep` says what survives: tensors (nested in arrays, `Map`s, objects), or a function of `fn`'s result
 * that returns them, called at the end (so it sees tensors the function reassigned; with `undefined` when
 * `fn` threw). Without `keep`, the tensors in the result survive.
 *
 * @example
 * const logits = withDeviceScope(() => model.forward(x)); // the hidden layers' outputs are released
 * withDeviceScope(() => {
 *   loss(model.forward(x), y).backward();
 *   opt.step();
 * }, () => [model.parameters(), model.parameters().map((p) => p.grad)]);
 */
export function withDeviceScope<T>(fn: () => T, keep?: object | ((result: Awaited<T> | undefined) => unknown)): T {
  const scope = beginDeviceScope('withDeviceScope');
  const kept = (result: unknown): unknown =>
    keep === undefined ? result : typeof keep === 'function' ? (keep as (r: unknown) => unknown)(result) : keep;
  let result: T;
  try {
    result = fn();
  } catch (e) {
    endDeviceScope(scope, kept(undefined));
    throw e;
  }
  if (result instanceof Promise) {
    return result.then(
      (value: unknown) => {
        endDeviceScope(scope, kept(value));
        return value;
      },
      (e: unknown) => {
        endDeviceScope(scope, kept(undefined));
        throw e;
      },
    ) as T;
  }
  endDeviceScope(scope, kept(result));
  return result;
}

function collectStorages(value: unknown, into: Set<Storage>, seen: Set<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  if (value instanceof Tensor) into.add(value.storage);
  else if (value instanceof Storage) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collectStorages(v, into, seen);
  else if (value instanceof Map || value instanceof Set) for (const v of value.values()) collectStorages(v, into, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const v of Object.values(value)) collectStorages(v, into, seen);
}
