import { Option } from 'commander';
import { setBackend } from '@backprop/tensor';
import { CliError, messageOf } from './errors.js';

export const BACKENDS = ['cpu', 'wasm', 'auto'] as const;
/** What `--backend` accepts. */
export type BackendChoice = (typeof BACKENDS)[number];

/** `--backend cpu|wasm|auto` of train, eval and predict. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'kernels to run on: cpu, wasm (WebAssembly SIMD), or auto (wasm if it loads, else cpu)')
    .choices(BACKENDS)
    .default('cpu');
}

/**
 * Activates the backend asked for and returns the one in use. `@backprop/backend-wasm` is imported only
 * when asked for, so cpu runs do not compile WebAssembly. `auto` falls back to cpu when wasm does not load
 * (no WebAssembly SIMD); `wasm` stops with the reason instead.
 */
export async function activateBackend(choice: BackendChoice = 'cpu'): Promise<'cpu' | 'wasm'> {
  if (choice === 'cpu') {
    setBackend('cpu');
    return 'cpu';
  }
  try {
    const { useWasmBackend } = await import('@backprop/backend-wasm');
    await useWasmBackend();
    return 'wasm';
  } catch (e) {
    if (choice === 'auto') {
      setBackend('cpu');
      return 'cpu';
    }
    throw new CliError(`the wasm backend failed to load: ${messageOf(e)} (use --backend cpu, or auto to fall back to it)`);
  }
}
