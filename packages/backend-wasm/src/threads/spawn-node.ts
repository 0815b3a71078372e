import type { WorkerInit } from './protocol.js';
import type { GemmThread } from './spawn.js';
import { NODE_WORKER_SOURCE } from './worker-source.js';

interface NodeWorker {
  once(event: 'message' | 'error', listener: (value: unknown) => void): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** A `worker_threads` worker evaluating the worker source, with the init as its workerData. */
export function startNodeThread(init: WorkerInit): GemmThread {
  // Imported on first use so that browser bundles, which never call this, never load a Node built-in.
  const worker = import('node:worker_threads').then(({ Worker }) => {
    const Ctor = Worker as unknown as new (source: string, options: object) => NodeWorker;
    // No Node options from the parent (by default a worker inherits them): the source is self-contained,
    // and `node --input-type=module` would make the worker evaluate it, CommonJS, as an ES module, where
    // `require` does not exist and the worker dies before it says ready. V8 flags are process-wide, so
    // the workers still see those (passing them here is an error).
    return new Ctor(NODE_WORKER_SOURCE, { eval: true, workerData: init, execArgv: [] });
  });
  const ready = worker.then(
    (w) =>
      new Promise<void>((resolve, reject) => {
        w.once('message', () => {
          // Idle workers sleep in Atomics.wait; unref lets the process exit without terminating them.
          w.unref();
          resolve();
        });
        w.once('error', reject);
      }),
  );
  return {
    ready,
    terminate: async () => void (await (await worker).terminate()),
  };
}
