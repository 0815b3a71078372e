import {
  KERNELS_FMA_SHARED_WASM_BASE64,
  KERNELS_FMA_WASM_BASE64,
  KERNELS_SHARED_WASM_BASE64,
  KERNELS_WASM_BASE64,
} from './generated/kernels-wasm.js';
import type { ConvDirectExports } from './kernels/conv.js';
import type { PoolAverageExports } from './kernels/pool-average.js';
import type { PoolScatterExports } from './kernels/pool-scatter.js';
import type { ReduceExports } from './kernels/reduce.js';
import type { TrainStepExports } from './kernels/train-steps.js';
import type { LstmCellExports } from './kernels/lstm-cell.js';
import type { GemmThreadExports } from './threads/gemm-tasks.js';
import type { GruSequenceExports } from './kernels/gru-sequence.js';
import type { LstmSequenceExports } from './kernels/lstm-sequence.js';
import type { RowKernels } from './threads/row-tasks.js';

type Ptr = number;
type RowKernel = (x: Ptr, out: Ptr, n: number, p0?: number, p1?: number) => void;
/** im2col / col2im: image [C, H, W], kernel kH×kW, output grid oH×oW, stride, padding, dilation, patch matrix rows `ld` floats apart. */
type PatchCopy = (
  image: Ptr, C: number, H: number, W: number, kH: number, kW: number, oH: number, oW: number,
  sH: number, sW: number, pH: number, pW: number, dH: number, dW: number, col: Ptr, ld: number,
) => void;
type Binary2d = (a: Ptr, aRow: number, aCol: number, b: Ptr, bRow: number, bCol: number, out: Ptr, rows: number, n: number) => void;

/**
 * The functions the compiled module (assembly/index.ts) exports; every pointer is a byte offset. The
 * reduction and pooling kernels declare their loops' signatures next to the code that calls them.
 */
export interface KernelExports extends ConvDirectExports, ReduceExports, PoolAverageExports, PoolScatterExports, TrainStepExports, LstmCellExports, RowKernels, LstmSequenceExports, GruSequenceExports, GemmThreadExports {
  heapBase(): Ptr;
  gemmScratchBytes(): number;
  /** C = op(A)·op(B); with brs = -1 B is a convolution's patch matrix packed from an image, `b` its int32 geometry block and `bcs` its first column (assembly/gemm.ts, gemm-patches.ts). */
  gemm(a: Ptr, ars: number, acs: number, b: Ptr, brs: number, bcs: number, c: Ptr, M: number, N: number, K: number, scratch: Ptr): void;
  /** `gemm` into a block of C with leading dimension `ldc`, without the small-M path (threads' blocks). */
  gemmBlock(a: Ptr, ars: number, acs: number, b: Ptr, brs: number, bcs: number, c: Ptr, ldc: number, M: number, N: number, K: number, scratch: Ptr): void;
  gemmTileRows(): number;
  softmaxRows(x: Ptr, out: Ptr, rows: number, n: number, log: number): void;
  im2col: PatchCopy;
  col2im: PatchCopy;
  copyRows(src: Ptr, sA: number, sB: number, dst: Ptr, dA: number, dB: number, A: number, B: number, L: number): void;
  addChannelBias(out: Ptr, bias: Ptr, N: number, C: number, L: number): void;
  maxPoolIndices(
    x: Ptr, planes: number, H: number, W: number, kH: number, kW: number, sH: number, sW: number,
    pH: number, pW: number, dH: number, dW: number, oH: number, oW: number, out: Ptr, values: Ptr,
  ): void;
  [unaryOrBinary: `unary_${string}` | `binary_${string}`]: RowKernel | Binary2d;
}

/** A 64 KiB WebAssembly page. */
export const PAGE_BYTES = 65536;
// 4 GiB, the whole wasm32 address space: the arena grows on demand up to it, one kernel call at a time.
// The shared build declares the same maximum (asconfig.json), as shared memories must.
const MAX_PAGES = 65536;

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  // atob exists in browsers and in Node ≥ 16; Buffer would tie the bundle to Node.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The instantiated module and the memory it computes in. */
export interface KernelModule {
  exports: KernelExports;
  memory: WebAssembly.Memory;
  /** The compiled module, which worker threads instantiate again over the same (shared) memory. */
  module: WebAssembly.Module;
  /** Whether this is the relaxed-SIMD build, whose GEMM uses fused multiply-adds. */
  fma: boolean;
}

/**
 * The bytes of the build to run: the relaxed-SIMD one when asked for and the runtime validates it
 * (Chrome ≥ 114, Node ≥ 22; Node 20 only with --experimental-wasm-relaxed-simd), else plain SIMD.
 */
export function chooseBuild(shared: boolean, fma: boolean, validate = (b: Uint8Array<ArrayBuffer>) => WebAssembly.validate(b)): { bytes: Uint8Array<ArrayBuffer>; fma: boolean } {
  if (fma) {
    const bytes = decodeBase64(shared ? KERNELS_FMA_SHARED_WASM_BASE64 : KERNELS_FMA_WASM_BASE64);
    if (validate(bytes)) return { bytes, fma: true };
  }
  return { bytes: decodeBase64(shared ? KERNELS_SHARED_WASM_BASE64 : KERNELS_WASM_BASE64), fma: false };
}

/** The imports both builds expect: the memory, and abort (unused with --noAssert, kept for safety). */
export function kernelImports(memory: WebAssembly.Memory): WebAssembly.Imports {
  return {
    env: {
      memory,
      abort: () => {
        throw new Error('backend-wasm: the kernels module aborted');
      },
    },
  };
}

/**
 * Compiles and instantiates the embedded module over a fresh memory of one page; `shared` picks the
 * build over a SharedArrayBuffer-backed memory that worker threads can share, `fma` the relaxed-SIMD
 * build where the runtime has it. Throws a clear error where
 * WebAssembly SIMD is unsupported (compilation fails there).
 */
export async function instantiateKernels(shared: boolean, fma = true): Promise<KernelModule> {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared });
  const build = chooseBuild(shared, fma);
  const bytes = build.bytes;
  let module: WebAssembly.Module;
  try {
    module = await WebAssembly.compile(bytes);
  } catch (err) {
    throw new Error(`useWasmBackend: this runtime cannot compile the SIMD kernels (WebAssembly SIMD is needed): ${String(err)}`);
  }
  const instance = await WebAssembly.instantiate(module, kernelImports(memory));
  return { exports: instance.exports as unknown as KernelExports, memory, module, fma: build.fma };
}
