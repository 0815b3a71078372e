// Products with fewer rows than one microkernel tile (batch-1 inference, matrix–vector products): packing
// would cost as much as the product, so each row of C is computed directly from the operands.

/**
 * C[M,N] += op(A) · op(B) for small M. With row-major B (bcs = 1) each row of C is a sum of scaled rows
 * of B (an axpy, vectorized over N); with B stored transposed and A row-major (brs = 1, acs = 1) each
 * element is a dot product of two contiguous vectors, vectorized over K.
 */
export function gemmSmallM(
  a: usize, ars: i32, acs: i32, b: usize, brs: i32, bcs: i32, c: usize, M: i32, N: i32, K: i32,
): void {
  if (bcs == 1) {
    const n4 = N & ~3;
    for (let i = 0; i < M; i++) {
      const cRow = c + (<usize>(i * N) << 2);
      for (let k = 0; k < K; k++) {
        const av = load<f32>(a + (<usize>(i * ars + k * acs) << 2));
        const as = f32x4.splat(av);
        const bRow = b + (<usize>(k * brs) << 2);
        let j = 0;
        for (; j < n4; j += 4) {
          const p = cRow + (<usize>j << 2);
          v128.store(p, f32x4.add(v128.load(p), f32x4.mul(as, v128.load(bRow + (<usize>j << 2)))));
        }
        for (; j < N; j++) {
          const p = cRow + (<usize>j << 2);
          store<f32>(p, load<f32>(p) + av * load<f32>(bRow + (<usize>j << 2)));
        }
      }
    }
    return;
  }
  const k4 = K & ~3;
  for (let i = 0; i < M; i++) {
    const aRow = a + (<usize>(i * ars) << 2);
    for (let j = 0; j < N; j++) {
      const bCol = b + (<usize>(j * bcs) << 2);
      let acc = f32x4.splat(0);
      let k = 0;
      for (; k < k4; k += 4) {
        acc = f32x4.add(acc, f32x4.mul(v128.load(aRow + (<usize>k << 2)), v128.load(bCol + (<usize>k << 2))));
      }
      let s = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; k < K; k++) s += load<f32>(aRow + (<usize>k << 2)) * load<f32>(bCol + (<usize>k << 2));
      const p = c + (<usize>(i * N + j) << 2);
      store<f32>(p, load<f32>(p) + s);
    }
  }
}
