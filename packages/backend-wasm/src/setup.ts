import { listFallbacks, registerDeviceMemory, registerKernel, setBackend } from '@backprop/tensor';
import { Arena } from './arena.js';
import { makeConvKernels } from './kernels/conv.js';
import { ArgmaxValues, makeGatherPlanesKernel } from './kernels/pool-max.js';
import { LSTM_CELL_KERNELS, makeLstmCellKernel } from './kernels/lstm-cell.js';
import { LSTM_SEQUENCE_KERNELS, makeLstmSequenceKernel } from './kernels/lstm-sequence.js';
import { GRU_SEQUENCE_KERNELS, makeGruSequenceKernel } from './kernels/gru-sequence.js';
import { localRowRunner } from './kernels/sequence.js';
import type { RowRunner } from './threads/row-tasks.js';
import { HEAP_READ_KERNELS, makeHeapReadKernel } from './kernels/heap-read.js';
import { makeBinaryKernel, makeUnaryKernel, BINARY_OPS, UNARY_PARAMS } from './kernels/elementwise.js';
import { makeAddmmKernel, makeMatmulKernel, type GemmRunner } from './kernels/matmul.js';
import { makeSoftmaxKernel } from './kernels/softmax.js';
import { makeWindowAverageKernel } from './kernels/pool-average.js';
import { makeScatterAddPlanesKernel } from './kernels/pool-scatter.js';
import { makeReduceKernel, REDUCE_OPS } from './kernels/reduce.js';
import { makeActivationGradKernel, makeAdamStepKernel, makeAddInPlaceKernel, makeHeapViewKernel, makeSgdStepKernel } from './kernels/train-steps.js';
import { DEFAULT_MAX_RESIDENT_BYTES, ResidentMemory, WASM_BACKEND } from './resident.js';
import { GemmPool } from './threads/gemm-pool.js';
import { threadHost } from './threads/thread-host.js';
import { instantiateKernels } from './wasm-module.js';

export { WASM_BACKEND };

// In-place kernels run as the cpu loop over heap views (see makeHeapViewKernel), so a resident target never
// leaves the heap for them.
const HEAP_VIEW_KERNELS = [
  'fillInPlace', 'copyInPlace', 'scaleInPlace', 'clampInPlace', 'sliceAddInPlace',
  'rmspropStep', 'adagradStep', 'adadeltaStep', 'nadamStep', 'radamStep', 'adamaxStep', 'sparseAdamStep',
];

/** Options of `useWasmBackend`. */
export interface WasmBackendOptions {
  /**
   * Threads that share each large matrix product (blocks of C), the calling thread included;
   * default 1. More than 1 needs SharedArrayBuffer and worker threads: Node's worker_threads, or Web
   * Workers in a cross-origin isolated page (served with `Cross-Origin-Opener-Policy: same-origin` and
   * `Cross-Origin-Embedder-Policy: require-corp`); elsewhere the backend runs single-threaded. On a page's
   * main thread the caller spins instead of sleeping while the workers finish (browsers forbid blocking
   * it), so prefer calling from a worker. Products under about a million multiply-adds always run on one
   * thread.
   */
  threads?: number;
  /**
   * Use relaxed SIMD's fused multiply-add in matrix products and convolutions where the runtime supports
   * it (Chrome ≥ 114, Node ≥ 22; Node 20 only with `--experimental-wasm-relaxed-simd`); default true.
   * Fused products round once instead of twice, so results differ from the plain build in the last bits;
   * `false` keeps the plain SIMD build everywhere, for results that are the same on every runtime.
   */
  fma?: boolean;
  /**
   * The most bytes of tensors kept resident in the WebAssembly heap (parameters and optimizer state, see
   * the README's memory section); default 512 MiB. Past it, further tensors stay in host arrays and are
   * copied in per kernel call, as ordinary tensors are: slower, equally correct. Takes effect for later
   * uploads, without reloading the kernels.
   */
  maxResidentBytes?: number;
}

/** What `useWasmBackend` loaded: see `wasmBackendInfo()`. */
export interface WasmBackendInfo {
  /** Threads sharing large matrix products, the calling one included. */
  threads: number;
  /** Whether matrix products use fused multiply-adds (the relaxed-SIMD build). */
  fma: boolean;
}

interface Loaded {
  /** The thread count asked for, and the one in use (1 where threads are unavailable). */
  requested: number;
  threads: number;
  /** Whether the relaxed-SIMD build was asked for, and whether it is the one running. */
  requestedFma: boolean;
  fma: boolean;
  arena: Arena;
  pool: GemmPool | null;
}

let loading: Promise<Loaded> | null = null;
/** The wasm backend's device memory: registered on the first load, moved into each reloaded module's heap. */
let resident: ResidentMemory | null = null;

/** The backend loaded last, or null before `useWasmBackend` or after a load that failed. */
async function loaded(): Promise<Loaded | null> {
  return loading ? loading.catch(() => null) : null;
}

async function load(threads: number, fma: boolean): Promise<Loaded> {
  const wasm = await instantiateKernels(threads > 1 && threadHost() !== null, fma);
  let arena = new Arena(wasm, threads);
  const pool = threads > 1 ? await GemmPool.start(wasm, arena, threads - 1) : null;
  // If the workers failed to start, the shared build still runs, on the calling thread alone.
  if (threads > 1 && !pool) arena = new Arena(wasm, 1);
  if (resident) resident.moveTo(arena);
  else registerDeviceMemory(WASM_BACKEND, (resident = new ResidentMemory(arena)));
  const memory = resident;
  const scratch = arena.gemmScratch[0];
  const gemm: GemmRunner = pool
    ? (...args) => pool.gemm(...args)
    : (a, ars, acs, b, brs, bcs, c, M, N, K) => wasm.exports.gemm(a, ars, acs, b, brs, bcs, c, M, N, K, scratch);
  const k = wasm.exports;
  const argmax = new ArgmaxValues();
  const wake = pool ? (M: number, N: number, K: number) => pool.wake(M, N, K) : undefined;
  registerKernel(WASM_BACKEND, 'matmul', makeMatmulKernel(gemm, arena, wake));
  registerKernel(WASM_BACKEND, 'addmm', makeAddmmKernel(gemm, k.binary_add, arena, wake));
  for (const name of Object.keys(UNARY_PARAMS)) registerKernel(WASM_BACKEND, name, makeUnaryKernel(name, k, arena));
  for (const name of BINARY_OPS) registerKernel(WASM_BACKEND, name, makeBinaryKernel(name, k, arena));
  registerKernel(WASM_BACKEND, 'softmax', makeSoftmaxKernel('softmax', k, arena));
  registerKernel(WASM_BACKEND, 'logSoftmax', makeSoftmaxKernel('logSoftmax', k, arena));
  for (const [name, kernel] of Object.entries(makeConvKernels(gemm, k, arena, pool ? pool.threads : 1, argmax))) registerKernel(WASM_BACKEND, name, kernel);
  for (const name of REDUCE_OPS) registerKernel(WASM_BACKEND, name, makeReduceKernel(name, k, arena));
  registerKernel(WASM_BACKEND, 'windowAverage2d', makeWindowAverageKernel('windowAverage2d', k, arena));
  registerKernel(WASM_BACKEND, 'windowAverage2dBackward', makeWindowAverageKernel('windowAverage2dBackward', k, arena));
  registerKernel(WASM_BACKEND, 'scatterAddPlanes', makeScatterAddPlanesKernel(k, arena));
  for (const name of ['sigmoidGrad', 'tanhGrad', 'reluGrad'] as const) registerKernel(WASM_BACKEND, name, makeActivationGradKernel(name, k, arena));
  for (const name of LSTM_CELL_KERNELS) registerKernel(WASM_BACKEND, name, makeLstmCellKernel(name, k, arena));
  const rows: RowRunner = pool ? (...args) => pool.rows(...args) : localRowRunner(k, arena, scratch);
  for (const name of LSTM_SEQUENCE_KERNELS) registerKernel(WASM_BACKEND, name, makeLstmSequenceKernel(name, k, rows, gemm, arena));
  for (const name of GRU_SEQUENCE_KERNELS) registerKernel(WASM_BACKEND, name, makeGruSequenceKernel(name, k, rows, gemm, arena));
  registerKernel(WASM_BACKEND, 'addInPlace', makeAddInPlaceKernel(k, arena, memory));
  registerKernel(WASM_BACKEND, 'adamStep', makeAdamStepKernel(k, arena, memory));
  registerKernel(WASM_BACKEND, 'sgdStep', makeSgdStepKernel(k, arena, memory));
  for (const name of HEAP_VIEW_KERNELS) registerKernel(WASM_BACKEND, name, makeHeapViewKernel(name, memory));
  for (const name of HEAP_READ_KERNELS) registerKernel(WASM_BACKEND, name, makeHeapReadKernel(name, memory));
  // Max pooling's value pick: the maxima its argmax kernel already found (kernels/pool-max.ts).
  registerKernel(WASM_BACKEND, 'gatherPlanes', makeGatherPlanesKernel(argmax, makeHeapReadKernel('gatherPlanes', memory)));
  return { requested: threads, threads: pool ? pool.threads : 1, requestedFma: fma, fma: wasm.fma, arena, pool };
}

/**
 * Compiles the WebAssembly SIMD kernels, registers them as the `wasm` backend and makes it the active
 * backend. Kernels it lacks run on `cpu` (see `wasmFallbacks()`); `setBackend('cpu')` switches back and
 * `setBackend('wasm')` forth again. Calling it again reuses the loaded module, unless `threads` or `fma`
 * changed (then the kernels are reloaded, and tensors resident in the old memory move to the new one).
 * Parameters and optimizer state become resident in the wasm heap at their first optimizer step and are
 * updated there in place (`t.device === 'wasm'`; `dataSync()` still reads them). Needs WebAssembly SIMD
 * (Node ≥ 16.4, current browsers).
 *
 * @returns the number of threads the matrix products use (1 where threads are unavailable).
 * @example
 * import { matmul, randn } from '@backprop/tensor';
 * import { useWasmBackend } from '@backprop/backend-wasm';
 *
 * await useWasmBackend();                 // or useWasmBackend({ threads: 4 })
 * const y = matmul(randn([256, 512]), randn([512, 128])); // runs in wasm
 */
export async function useWasmBackend(options: WasmBackendOptions = {}): Promise<number> {
  const threads = Math.max(1, Math.floor(options.threads ?? 1));
  const fma = options.fma ?? true;
  const maxResidentBytes = options.maxResidentBytes ?? DEFAULT_MAX_RESIDENT_BYTES;
  if (!(maxResidentBytes >= 0)) {
    throw new RangeError(`useWasmBackend: maxResidentBytes must be a number of bytes ≥ 0, got ${String(options.maxResidentBytes)}`);
  }
  let current = await loaded();
  if (!current || current.requested !== threads || current.requestedFma !== fma) {
    const previous = current;
    loading = load(threads, fma);
    // A failed load (no SIMD) should not poison later attempts.
    loading.catch(() => (loading = null));
    current = await loading;
    await previous?.pool?.stop();
  }
  resident!.maxBytes = maxResidentBytes;
  setBackend(WASM_BACKEND);
  return current.threads;
}

/**
 * The kernel names that run on `cpu` while `wasm` is active (every kernel wasm does not register).
 * Kernels it registers may still hand single calls to `cpu` (float64 and integer dtypes, broadcasts
 * that are not rows × columns, softmax over a non-last axis, reductions over other axis sets (see the
 * README), fewer than 256 elements, or 1024 for reductions and pooling).
 *
 * @example
 * await useWasmBackend();
 * wasmFallbacks().includes('matmul'); // false
 */
export function wasmFallbacks(): string[] {
  return listFallbacks(WASM_BACKEND);
}

/**
 * The thread count and build the loaded backend runs with, or null before `useWasmBackend`.
 *
 * @example
 * await useWasmBackend({ threads: 2 });
 * const info = await wasmBackendInfo(); // e.g. { threads: 2, fma: false } on Node 20
 */
export async function wasmBackendInfo(): Promise<WasmBackendInfo | null> {
  const current = await loaded();
  return current ? { threads: current.threads, fma: current.fma } : null;
}

/**
 * The size in bytes of the backend's WebAssembly memory (0 before `useWasmBackend`). It grows to the
 * resident training state (see `maxResidentBytes`) plus the largest single kernel call's scratch, and then
 * stays flat, since every call reuses the same arena and the state is updated in place.
 *
 * @example
 * await useWasmBackend();
 * console.log(await wasmMemoryBytes()); // e.g. 1376256
 */
export async function wasmMemoryBytes(): Promise<number> {
  const current = await loaded();
  return current ? current.arena.memoryBytes : 0;
}
