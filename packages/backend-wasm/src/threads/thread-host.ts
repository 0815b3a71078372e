/** The parts of a global scope that decide whether, and how, GEMM worker threads can start. */
export interface ThreadEnvironment {
  process?: { versions?: { node?: string } };
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  Worker?: unknown;
  Blob?: unknown;
  URL?: { createObjectURL?: unknown };
}

/** Where worker threads come from: Node's worker_threads, or Web Workers from a Blob URL. */
export type ThreadHost = 'node' | 'browser';

/**
 * The host that can run GEMM workers over a shared memory, or null (then the backend runs on one thread).
 * Browsers only hand out SharedArrayBuffer, and only let a shared WebAssembly.Memory be posted to a
 * worker, in a cross-origin isolated page (served with COOP same-origin and COEP require-corp); the
 * isolation flag is checked as well as the constructor, since some runtimes expose one without the other.
 */
export function threadHost(env: ThreadEnvironment = globalThis as ThreadEnvironment): ThreadHost | null {
  if (typeof env.SharedArrayBuffer !== 'function') return null;
  if (typeof env.process?.versions?.node === 'string') return 'node';
  const blobWorkers = typeof env.Worker === 'function' && typeof env.Blob === 'function' && typeof env.URL?.createObjectURL === 'function';
  return env.crossOriginIsolated === true && blobWorkers ? 'browser' : null;
}
