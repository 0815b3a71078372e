import { Option } from 'commander';
import { setBackend } from '@backprop/tensor';
import { CliError, UsageError, messageOf } from './errors.js';
import { positiveIntOption } from './options.js';

export const BACKENDS = ['cpu', 'wasm', 'auto'] as const;
/** What `--backend` accepts. */
export type BackendChoice = (typeof BACKENDS)[number];

/** `--backend cpu|wasm|auto` of train, eval and predict. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'kernels to run on: cpu, wasm (WebAssembly SIMD), or auto (wasm if it loads, else cpu)')
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
  name: 'cpu' | 'wasm';
  threads: number;
}

/**
 * Activates the backend asked for and returns the one in use. `@backprop/backend-wasm` is imported only
 * when asked for, so cpu runs do not compile WebAssembly. `auto` falls back to cpu when wasm does not load
 * (no WebAssembly SIMD); `wasm` stops with the reason instead. The cpu kernels are single-threaded, so
 * asking for threads on cpu is a usage error rather than a flag that silently does nothing.
 */
export async function activateBackend(choice: BackendChoice = 'cpu', threads = 1): Promise<ActiveBackend> {
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
