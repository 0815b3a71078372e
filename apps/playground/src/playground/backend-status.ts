import type { BackendName } from './state.js';

/**
 * The line under the backend select: what the worker runs on and with how many threads (for webgpu, on
 * which adapter), and, when wasm runs on one thread in a page that is not cross-origin isolated, why (the
 * server decides, not the user).
 */
export function backendStatus(active: BackendName, threads: number, isolated: boolean, adapter?: string): string {
  if (active === 'cpu') return 'Running on cpu, 1 thread.';
  if (active === 'webgpu') return `Running on webgpu, adapter: ${adapter ?? 'unnamed'}.`;
  const count = `${threads} ${threads === 1 ? 'thread' : 'threads'}`;
  return threads === 1 && !isolated ? `Running on wasm, ${count} (the page is not cross-origin isolated).` : `Running on wasm, ${count}.`;
}
