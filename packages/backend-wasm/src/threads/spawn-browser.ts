import type { WorkerInit } from './protocol.js';
import type { GemmThread } from './spawn.js';
import { BROWSER_WORKER_SOURCE } from './worker-source.js';

// One Blob URL for every worker of the page, kept for its lifetime: revoking it while a worker may still
// be fetching its script would fail that worker's start.
let scriptUrl: string | null = null;

/**
 * A classic Web Worker running the worker source from a Blob URL (no worker file to serve next to the
 * bundle, and a blob: worker inherits the page's cross-origin isolation). The init is posted to it:
 * structured clone passes the compiled module and shares, not copies, the shared memory.
 */
export function startBrowserThread(init: WorkerInit): GemmThread {
  scriptUrl ??= URL.createObjectURL(new Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(scriptUrl, { name: 'backend-wasm gemm' });
  const ready = new Promise<void>((resolve, reject) => {
    worker.onmessage = () => resolve();
    worker.onerror = (event) => {
      event.preventDefault();
      reject(new Error(`backend-wasm: a GEMM worker failed to start: ${event.message}`));
    };
  });
  worker.postMessage(init);
  return {
    ready,
    terminate: async () => worker.terminate(),
  };
}
