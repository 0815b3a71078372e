import { registerKernel, runCpuKernel, type TensorData } from '../backend.js';
import { allocData, type DType, type TypedArray } from '../dtype.js';
import { gemmBlocked } from './gemm-blocked.js';
import { MR, NR } from './gemm-kernel.js';
import type { MatView } from './gemm-pack.js';
import { gemmSmallM } from './gemm-small.js';

/**
 * C[M,N] += op(A)[M,K] · op(B)[K,N], C row-major at cOff. With `transA` the data at aOff is A stored as
 * [K, M] (so op(A) = Aᵀ); with `transB` B is stored as [N, K]. Transposed operands are read in place by
 * the packing routines rather than copied.
 */
export function gemmTrans(
  transA: boolean, transB: boolean,
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number,
  M: number, N: number, K: number,
): void {
  if (M === 0 || N === 0 || K === 0) return;
  const A: MatView = transA ? { data: a, off: aOff, rs: 1, cs: M } : { data: a, off: aOff, rs: K, cs: 1 };
  const B: MatView = transB ? { data: b, off: bOff, rs: 1, cs: K } : { data: b, off: bOff, rs: N, cs: 1 };
  // Below one microkernel tile in either direction, packing costs as much as the product.
  if (M < MR || N < NR) gemmSmallM(A, B, c, cOff, M, N, K);
  else gemmBlocked(A, B, c, cOff, M, N, K);
}

/**
 * C[M,N] += A[M,K] · B[K,N], all row-major at the given offsets, for any sizes (including 1 and 0).
 * Products are accumulated in float64 and added to C once per K-block of 256.
 */
export function gemm(
  a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number,
  M: number, N: number, K: number,
): void {
  gemmTrans(false, false, a, aOff, b, bOff, c, cOff, M, N, K);
}

/**
 * Batched matmul over contiguous [B, M, K] × [B, K, N] (either operand may be stored transposed, as
 * backward passes need A·Bᵀ and Aᵀ·B). A batch size of 1 on one side is shared by every batch.
 */
export function matmulKernel(
  a: TensorData, b: TensorData,
  attrs: { M: number; N: number; K: number; batch: number; transA: boolean; transB: boolean; outShape: number[]; dtype: DType },
): TensorData {
  const { M, N, K, batch, transA, transB, dtype } = attrs;
  const out = allocData(dtype, batch * M * N);
  const aBatches = M * K === 0 ? 1 : a.data.length / (M * K);
  const bBatches = K * N === 0 ? 1 : b.data.length / (K * N);
  for (let p = 0; p < batch; p++) {
    const aOff = (aBatches === 1 ? 0 : p) * M * K;
    const bOff = (bBatches === 1 ? 0 : p) * K * N;
    gemmTrans(transA, transB, a.data, aOff, b.data, bOff, out, p * M * N, M, N, K);
  }
  return { data: out, shape: attrs.outShape, dtype };
}

export function registerMatmulKernels(): void {
  registerKernel('cpu', 'matmul', ([a, b], attrs) => matmulKernel(a, b, attrs as never));
  // addmm: the product, then the add kernel's own loop, so the values are add(matmul(a, b), bias)'s.
  registerKernel('cpu', 'addmm', ([bias, a, b], attrs) => {
    const product = matmulKernel(a, b, attrs as never);
    return runCpuKernel('add', [product, bias], { shape: product.shape, dtype: product.dtype });
  });
}
