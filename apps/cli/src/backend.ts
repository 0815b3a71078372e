import { Option } from 'commander';
import type { GpuLike } from '@backprop/backend-webgpu';
import { setBackend } from '@backprop/tensor';
import { CliError, UsageError, messageOf } from './errors.js';
import { positiveIntOption } from './options.js';

export const BACKENDS = ['cpu', 'wasm', 'webgpu', 'auto'] as const;
/** What `--backend` accepts. */
export type BackendChoice = (typeof BACKENDS)[number];

/** `--backend cpu|wasm|webgpu|auto` of train, eval and predict. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'kernels to run on: cpu, wasm (WebAssembly SIMD), webgpu (a GPU through WebGPU), or auto (wasm if it loads, else cpu)')
    .choices(BACKENDS)
    .default('cpu');
}

/** `--threads <n>` of train, eval and predict: worker threads for wasm's large matrix products. */
export function threadsOption(): Option {
  return new Option('--threads <n>', "threads sharing the wasm backend's large matrix products, this one included")
    .argParser(positiveIntOption)
    .default(1);
}

/** The backend in use and the threads its matrix products run on. */
export interface ActiveBackend {
  name: 'cpu' | 'wasm' | 'webgpu';
  threads: number;
}

/** Where a GPU is missing: what to do about it, in Node (Dawn through the npm package `webgpu`). */
const NO_ADAPTER_FIX =
  'use --backend cpu or wasm, or in Node without a GPU point VK_ICD_FILENAMES at a Vulkan driver such as SwiftShader (Debian chromium ships /usr/lib/chromium/vk_swiftshader_icd.json; set LD_LIBRARY_PATH=/usr/lib/chromium too)';

/**
 * Activates `@backprop/backend-webgpu` on the first adapter of Node's WebGPU (the `webgpu` package, Dawn) or
 * a browser's `navigator.gpu`. Both are imported only when asked for, so other runs load no GPU driver.
 */
async function activateWebGpu(): Promise<ActiveBackend> {
  let gpu: GpuLike | undefined;
  try {
    if (!(globalThis as { navigator?: { gpu?: unknown } }).navigator?.gpu) gpu = (await import('webgpu')).create([]) as GpuLike;
  } catch (e) {
    throw new CliError(`the webgpu backend needs WebGPU, which the 'webgpu' package provides in Node, and it failed to load: ${messageOf(e)} (${NO_ADAPTER_FIX})`, 2);
  }
  const { useWebGpuBackend } = await import('@backprop/backend-webgpu');
  try {
    await useWebGpuBackend(gpu ? { gpu } : {});
  } catch (e) {
    if (/no WebGPU adapter/.test(messageOf(e))) throw new CliError(`--backend webgpu: WebGPU found no adapter on this machine (no GPU, or no Vulkan driver for it); ${NO_ADAPTER_FIX}`, 2);
    throw new CliError(`the webgpu backend failed to start: ${messageOf(e)} (${NO_ADAPTER_FIX})`, 2);
  }
  return { name: 'webgpu', threads: 1 };
}

/**
 * The backend data preparation runs on: the chosen one, except that with a GPU the data is loaded, split
 * and standardized on the host (`cpu`), so that what is saved alongside the model (the standardization
 * statistics) is read synchronously and each batch is uploaded by the model's first kernel.
 */
export function dataBackend(active: ActiveBackend): 'cpu' | 'wasm' {
  return active.name === 'webgpu' ? 'cpu' : active.name;
}

/**
 * Activates the backend asked for and returns the one in use. `@backprop/backend-wasm` and
 * `@backprop/backend-webgpu` are imported only when asked for, so cpu runs do not compile WebAssembly or
 * load a GPU driver. `auto` falls back to cpu when wasm does not load (no WebAssembly SIMD); `wasm` stops
 * with the reason instead, and `webgpu` without an adapter with exit code 2 and what to do. The cpu kernels are single-threaded, so
 * asking for threads on cpu is a usage error rather than a flag that silently does nothing.
 */
export async function activateBackend(choice: BackendChoice = 'cpu', threads = 1): Promise<ActiveBackend> {
  if (choice === 'webgpu') {
    if (threads > 1) throw new UsageError(`--threads ${threads} needs the wasm backend (webgpu runs its kernels on the GPU); add --backend wasm`);
    return activateWebGpu();
  }
  if (choice === 'cpu') {
    if (threads > 1) throw new UsageError(`--threads ${threads} needs the wasm backend (the cpu kernels run on one thread); add --backend wasm`);
    setBackend('cpu');
    return { name: 'cpu', threads: 1 };
  }
  try {
    const { useWasmBackend } = await import('@backprop/backend-wasm');
    return { name: 'wasm', threads: await useWasmBackend({ threads }) };
  } catch (e) {
    if (choice === 'auto') {
      setBackend('cpu');
      return { name: 'cpu', threads: 1 };
    }
    throw new CliError(`the wasm backend failed to load: ${messageOf(e)} (use --backend cpu, or auto to fall back to it)`);
  }
}
