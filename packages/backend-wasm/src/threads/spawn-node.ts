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
    return new Ctor(NODE_WORKER_SOURCE, { eval: true, workerData: init });
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
