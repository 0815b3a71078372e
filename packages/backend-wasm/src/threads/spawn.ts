import type { WorkerInit } from './protocol.js';
import { startBrowserThread } from './spawn-browser.js';
import { startNodeThread } from './spawn-node.js';
import { threadHost, type ThreadHost } from './thread-host.js';

/** One GEMM worker thread, started with its init. */
export interface GemmThread {
  /** Resolves once the worker has instantiated the module and sleeps on its control block. */
  ready: Promise<void>;
  terminate(): Promise<void>;
}

/** Starts a worker for one control block (spawn-node.ts, spawn-browser.ts). */
export type StartThread = (init: WorkerInit) => GemmThread;

/** The starter for a host, or null without one (see threadHost). */
export function threadStarter(host: ThreadHost | null = threadHost()): StartThread | null {
  if (host === 'node') return startNodeThread;
  if (host === 'browser') return startBrowserThread;
  return null;
}
