// The register-blocked microkernel of the GotoBLAS/BLIS design: an MR×NR = 4×8 tile of C lives in eight
// v128 accumulators for the whole k loop, so each step loads two vectors of packed B, broadcasts four
// scalars of packed A (v128.load32_splat, as XNNPACK's f32 "splat" wasmsimd kernels do) and does eight
// vector multiply-adds. Eight accumulators + two B vectors + one A broadcast fit the 16 XMM registers
// V8 allocates on x64 without spilling. A second build uses relaxed SIMD's fused multiply-add (`madd`
// below), which runtimes with relaxed SIMD (Chrome ≥ 114, Node ≥ 22; Node 20 behind
// --experimental-wasm-relaxed-simd) take: 36.7 against 29.9 GFLOPS at n = 1024 here. Larger tiles were measured and do not pay: on L1-resident panels 4×8, 5×8 and 6×8 kernels all
// run at 33.5 GFLOPS (2-vCPU Sapphire Rapids), because without FMA each multiply-add is a vmulps and a
// vaddps and those arithmetic ports, not the loads a bigger tile saves, bound the loop; 6×8 also spills one
// accumulator to the stack every k step (12 accumulators + 2 B + splat + product > the 15 usable XMMs).
import { MR, NR } from './gemm-pack';

/**
 * c + a·b lane by lane: one fused multiply-add in the relaxed-SIMD builds (kernels-fma*.wasm), a multiply
 * and an add otherwise. The branch is on a compile-time constant, so each build holds only its own.
 */
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/**
 * C[tile] (+)= Σ_k ap[k*MR + i] · bp[k*NR + j] for an mr×nr tile (mr ≤ MR, nr ≤ NR) of row-major C with
 * leading dimension ldc (in elements): added to C when `accumulate`, else stored over it, which spares
 * the caller zeroing C and the kernel reading it on the first k block (memory.fill of C cost ~1% at
 * n = 1024). Packed panels are zero-padded, so only the store needs mr/nr;
 * partial tiles at the right and bottom edges of C go through `edgeTile` (MR·NR floats, 16-byte aligned),
 * which belongs to the caller's scratch so that threads sharing one memory never share it.
 */
export function microkernel(
  kc: i32, ap: usize, bp: usize, c: usize, ldc: i32, mr: i32, nr: i32, edgeTile: usize, accumulate: bool,
): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  const ld = <usize>ldc << 2;
  if (mr == MR && nr == NR && !accumulate) {
    let row = c;
    v128.store(row, c00);
    v128.store(row, c01, 16);
    row += ld;
    v128.store(row, c10);
    v128.store(row, c11, 16);
    row += ld;
    v128.store(row, c20);
    v128.store(row, c21, 16);
    row += ld;
    v128.store(row, c30);
    v128.store(row, c31, 16);
    return;
  }
  if (mr == MR && nr == NR) {
    let row = c;
    v128.store(row, f32x4.add(v128.load(row), c00));
    v128.store(row, f32x4.add(v128.load(row, 16), c01), 16);
    row += ld;
    v128.store(row, f32x4.add(v128.load(row), c10));
    v128.store(row, f32x4.add(v128.load(row, 16), c11), 16);
    row += ld;
    v128.store(row, f32x4.add(v128.load(row), c20));
    v128.store(row, f32x4.add(v128.load(row, 16), c21), 16);
    row += ld;
    v128.store(row, f32x4.add(v128.load(row), c30));
    v128.store(row, f32x4.add(v128.load(row, 16), c31), 16);
    return;
  }
  v128.store(edgeTile, c00);
  v128.store(edgeTile, c01, 16);
  v128.store(edgeTile, c10, 32);
  v128.store(edgeTile, c11, 48);
  v128.store(edgeTile, c20, 64);
  v128.store(edgeTile, c21, 80);
  v128.store(edgeTile, c30, 96);
  v128.store(edgeTile, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = c + <usize>i * ld;
    const t = edgeTile + (<usize>(i * NR) << 2);
    for (let j = 0; j < nr; j++) {
      const p = row + (<usize>j << 2);
      const sum = load<f32>(t + (<usize>j << 2));
      store<f32>(p, accumulate ? load<f32>(p) + sum : sum);
    }
  }
}
