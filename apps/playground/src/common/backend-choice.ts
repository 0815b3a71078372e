// Whether this browser can offer the webgpu backend, asked of navigator.gpu on the page before a worker is
// told to use it, and the backend select that shows the answer: webgpu is offered where an adapter is,
// and shown disabled with the reason where none is (never hidden).
import type { GpuLike } from '@backprop/backend-webgpu';

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

/**
 * Marks `option` (a backend select's option) unavailable: disabled, its label saying so, and `reason` in
 * `note` (a line under the select) and in the option's title.
 */
export function disableBackendOption(option: HTMLOptionElement, note: HTMLElement, reason: string): void {
  const name = option.value;
  option.disabled = true;
  option.textContent = `${name} (unavailable)`;
  option.title = reason;
  option.dataset.reason = reason;
  note.hidden = false;
  note.textContent = `${name} is unavailable: ${reason}.`;
}
