// Whether this browser can offer the webgpu backend, asked of navigator.gpu on the page before a worker is
// told to use it, and the backend select that shows the answer: webgpu is offered where an adapter is,
// and shown disabled with the reason where none is (never hidden).
import type { GpuLike } from '@backprop/backend-webgpu';
import { backendStatus } from '../playground/backend-status.js';
import { BACKENDS, type BackendName } from '../playground/state.js';

/** The fields of a `GPUAdapterInfo` (or of backend-webgpu's `WebGpuBackendInfo`) that name an adapter. */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
}

/** A readable name for an adapter: its description where the browser gives one, else vendor and architecture. */
export function adapterName(info: AdapterInfoLike | undefined): string {
  if (info?.description) return info.description;
  return [info?.vendor, info?.architecture].filter(Boolean).join(' ') || 'an unnamed adapter';
}

/** WebGPU here: an adapter's name, or why there is none. */
export type WebGpuAvailability = { available: true; adapter: string } | { available: false; reason: string };

/** Asks `gpu` (the page's `navigator.gpu`, undefined where the browser has no WebGPU) for an adapter. */
export async function webgpuAvailability(gpu: GpuLike | undefined): Promise<WebGpuAvailability> {
  if (!gpu) return { available: false, reason: 'this browser has no WebGPU (navigator.gpu is missing)' };
  try {
    const adapter = (await gpu.requestAdapter()) as { info?: AdapterInfoLike } | null;
    if (!adapter) return { available: false, reason: 'navigator.gpu gives no adapter (no GPU that WebGPU can use)' };
    return { available: true, adapter: adapterName(adapter.info) };
  } catch (error) {
    return { available: false, reason: `requesting a WebGPU adapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** A page's backend choice: the select, the line saying what runs, and the line saying what cannot. */
export interface BackendChoice {
  select: HTMLSelectElement;
  status: HTMLElement;
  note: HTMLElement;
}

/** What a worker says it runs on after being asked for `requested` (its 'backend' message). */
export interface BackendReport {
  requested: BackendName;
  active: BackendName;
  threads: number;
  adapter?: string;
  reason?: string;
}

/**
 * Marks a backend unavailable: its option disabled, its label saying so, and `reason` in the note under
 * the select and in the option's title.
 */
export function disableBackend(choice: BackendChoice, name: BackendName, reason: string): void {
  const option = choice.select.querySelector<HTMLOptionElement>(`option[value="${name}"]`)!;
  option.disabled = true;
  option.textContent = `${name} (unavailable)`;
  option.title = reason;
  choice.note.hidden = false;
  choice.note.textContent = `${name} is unavailable: ${reason}.`;
}

/**
 * Asks the page's `navigator.gpu` for an adapter and, where there is none, disables webgpu with the
 * reason. Resolves to whether webgpu can be offered.
 */
export async function offerWebGpu(choice: BackendChoice): Promise<boolean> {
  const webgpu = await webgpuAvailability((navigator as { gpu?: GpuLike }).gpu);
  if (!webgpu.available) disableBackend(choice, 'webgpu', webgpu.reason);
  return webgpu.available;
}

/**
 * Shows what the worker runs on: `data-active` and `data-adapter` on the select (tests read them), the
 * status line, and, where it could not run the backend asked for, that option disabled with the reason.
 * Returns the backend in use.
 */
export function showBackend(choice: BackendChoice, report: BackendReport): BackendName {
  choice.select.dataset.active = report.active;
  choice.select.dataset.threads = String(report.threads);
  if (report.adapter) choice.select.dataset.adapter = report.adapter;
  else delete choice.select.dataset.adapter;
  choice.status.textContent = backendStatus(report.active, report.threads, crossOriginIsolated, report.adapter);
  if (report.active !== report.requested) disableBackend(choice, report.requested, report.reason ?? 'unknown reason');
  return report.active;
}

/** The backend a page's URL names with `#backend=wasm` or `#backend=webgpu`; cpu when it names none. */
export function backendFromHash(hash: string): BackendName {
  const named = new URLSearchParams(hash.slice(1)).get('backend');
  return (BACKENDS as readonly string[]).includes(named ?? '') ? (named as BackendName) : 'cpu';
}

/** Shows `next` in the select and records it in the URL (`#backend=…`), so a reload trains on it again. */
export function selectBackend(choice: BackendChoice, next: BackendName): void {
  choice.select.value = next;
  history.replaceState(null, '', `#backend=${next}`);
}
