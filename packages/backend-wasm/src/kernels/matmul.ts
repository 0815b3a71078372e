import type { KernelAttrs, TensorData } from '@backprop/tensor';
import type { Arena } from '../arena.js';
import { inArenaOrOnCpu, runOnCpu } from '../cpu-fallback.js';
import { elementsOf, isFloat32 } from '../resident.js';

/** C = op(A)·op(B) on arena pointers: the module's `gemm` on one thread, or a `GemmPool`. */
export type GemmRunner = (a: number, ars: number, acs: number, b: number, brs: number, bcs: number, c: number, M: number, N: number, K: number) => void;

/** Tells a `GemmPool` that an M×N×K product is coming (`GemmPool.wake`). */
export type GemmWake = (M: number, N: number, K: number) => void;

/** The attributes `matmul` passes to its kernel (see @backprop/tensor's ops/matmul.ts). */
interface MatmulAttrs {
  M: number;
  N: number;
  K: number;
  batch: number;
  transA: boolean;
  transB: boolean;
  outShape: number[];
  dtype: string;
}

/**
 * The `matmul` kernel: float32 products (batched, either operand stored transposed, a batch of 1 shared
 * by every batch, as the cpu kernel) run in the blocked SIMD GEMM; other dtypes run on `cpu`. `wake`
 * is called before the operands are copied in.
 */
export function makeMatmulKernel(gemm: GemmRunner, arena: Arena, wake: GemmWake = () => {}) {
  return (inputs: readonly TensorData[], rawAttrs: KernelAttrs): TensorData => {
    const attrs = rawAttrs as unknown as MatmulAttrs;
    const [a, b] = inputs;
    if (attrs.dtype !== 'float32' || !isFloat32(a) || !isFloat32(b)) {
      return runOnCpu('matmul', inputs, rawAttrs);
    }
    const { M, N, K, batch } = attrs;
    // Threads wake while the operands are copied in.
    wake(M, N, K);
    return inArenaOrOnCpu(arena, 'matmul', inputs, rawAttrs, () => {
      const cPtr = productInArena(gemm, arena, a, b, attrs);
      return arena.result(cPtr, batch * M * N, attrs.outShape);
    });
  };
}

/** op(A)·op(B) of float32 operands into a new block of the arena (call inside an arena session); its offset. */
function productInArena(gemm: GemmRunner, arena: Arena, a: TensorData, b: TensorData, attrs: MatmulAttrs): number {
  const { M, N, K, batch, transA, transB } = attrs;
  const aPtr = arena.input(a);
  const bPtr = arena.input(b);
  const cPtr = arena.output(batch * M * N);
  // A batch count of 1 on one side means that operand is shared by every batch (broadcast).
  const aShared = M * K === 0 || elementsOf(a) === M * K;
  const bShared = K * N === 0 || elementsOf(b) === K * N;
  const [ars, acs] = transA ? [1, M] : [K, 1];
  const [brs, bcs] = transB ? [1, K] : [N, 1];
  for (let p = 0; p < batch; p++) {
    gemm(
      aPtr + (aShared ? 0 : p * M * K * 4), ars, acs,
      bPtr + (bShared ? 0 : p * K * N * 4), brs, bcs,
      cPtr + p * M * N * 4, M, N, K,
    );
  }
  return cPtr;
}

/** The module's row-broadcasting add (assembly/binary.ts): out = a + b over rows × n, strides per operand. */
type AddRows = (a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, out: number, rows: number, n: number) => void;

/**
 * The `addmm` kernel (bias + op(A)·op(B), see @backprop/tensor's ops/addmm.ts): the float32 product in
 * the blocked GEMM, then the bias added in place in wasm memory by the `add` kernel's own loop, so the
 * result leaves the heap once (the unfused pair copies the product out, back in and out again). Values are
 * those of matmul then add. Other dtypes run on `cpu`.
 */
export function makeAddmmKernel(gemm: GemmRunner, addRows: AddRows, arena: Arena, wake: GemmWake = () => {}) {
  return (inputs: readonly TensorData[], rawAttrs: KernelAttrs): TensorData => {
    const attrs = rawAttrs as unknown as MatmulAttrs;
    const [bias, a, b] = inputs;
    if (attrs.dtype !== 'float32' || !inputs.every(isFloat32)) return runOnCpu('addmm', inputs, rawAttrs);
    const { M, N, K } = attrs;
    wake(M, N, K);
    return inArenaOrOnCpu(arena, 'addmm', inputs, rawAttrs, () => {
      const cPtr = productInArena(gemm, arena, a, b, attrs);
      // A bias [N] is added to every row (row stride 0); one [M, N] elementwise.
      addRows(cPtr, N, 1, arena.input(bias), bias.shape.length === 1 ? 0 : N, 1, cPtr, M, N);
      return arena.result(cPtr, M * N, attrs.outShape);
    });
  };
}
