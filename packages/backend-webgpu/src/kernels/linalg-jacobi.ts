import type { DeviceKernel } from '@backprop/tensor';
import type { WebGpuRuntime } from '../runtime.js';
import { ELEMENT_MAIN } from './util.js';
import { dims, EPS, header, run } from './linalg.js';

// The two Jacobi methods of the cpu's linalg kernels, in float32 with its conventions (see linalg.ts):
// one-sided Jacobi for the SVD, cyclic Jacobi for the symmetric eigenproblem.

// The Jacobi rotation both Jacobi methods use, t = sign(ζ)/(|ζ| + √(1 + ζ²)), as cos and sin; and its
// application to columns p and q of the matrix at w[base..] whose element (r, c) is at r·rs + c·cs.
const JACOBI = /* wgsl */ `
fn jacobiRotation(zeta: f32) -> vec2f {
  let t = select(-1.0, 1.0, zeta >= 0.0) / (abs(zeta) + sqrt(1.0 + zeta * zeta));
  let c = 1.0 / sqrt(1.0 + t * t);
  return vec2f(c, c * t);
}
fn rotate(base: u32, rs: u32, cs: u32, rows: u32, p: u32, q: u32, rot: vec2f) {
  for (var r = 0u; r < rows; r++) {
    let x = w[base + r * rs + p * cs]; let y = w[base + r * rs + q * cs];
    w[base + r * rs + p * cs] = rot.x * x - rot.y * y; w[base + r * rs + q * cs] = rot.y * x + rot.x * y;
  }
}`;

/**
 * linalgSvd: one-sided Jacobi on the tall one of A and Aᵀ (M×N, M ≥ N), packed as [..., m·uCols + k +
 * vRows·n] (U, S descending, Vh), as on cpu. The tall factors U' (M×uC) and V' (N×N) land in U and Vh
 * through strides: for a wide A, U' is Vhᵀ and V' is U. Columns of U' for zero singular values, and the
 * extra ones of full matrices, are completed from the standard basis by Gram–Schmidt run twice.
 */
export function linalgSvdKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a], attrs) => {
    const [, m, n] = dims(a);
    const full = attrs.fullMatrices as boolean;
    const k = Math.min(m, n);
    const uCols = full ? m : k;
    const vRows = full ? n : k;
    const packed = m * uCols + k + vRows * n;
    const tall = m >= n;
    const [M, N] = tall ? [m, n] : [n, m];
    const uC = full ? M : N;
    const vOff = m * uCols + k;
    // U'(r, c) at uOff + r·uRs + c·uCs, V'(r, c) at vOff' + r·vRs + c·vCs, within one matrix's output.
    const layout = tall ? [0, uCols, 1, vOff, 1, n] : [vOff, 1, n, 0, uCols, 1];
    const code = (): string => `${header(['a'], true)}
${JACOBI}
fn uAt(ob: u32, r: u32, c: u32) -> u32 { return ob + m[6] + r * m[7] + c * m[8]; }
fn vAt(ob: u32, r: u32, c: u32) -> u32 { return ob + m[9] + r * m[10] + c * m[11]; }
${ELEMENT_MAIN}
  let M = m[1]; let N = m[2]; let uC = m[3]; let packed = m[4]; let tall = m[5] == 1u; let sOff = m[12];
  let wb = i * (M * N + N * N + N + M);
  let vb = wb + M * N;
  let nb = vb + N * N;
  let tb = nb + N;
  let ab = i * M * N;
  let ob = i * packed;
  for (var r = 0u; r < M; r++) {
    for (var c = 0u; c < N; c++) { w[wb + r * N + c] = select(a[ab + c * M + r], a[ab + r * N + c], tall); }
  }
  for (var e = 0u; e < N * N; e++) { w[vb + e] = select(0.0, 1.0, e % (N + 1u) == 0u); }
  // Rounding leaves the inner products of orthogonal float32 columns near M·eps relative, not eps.
  let tol = ${EPS} * f32(M);
  for (var sweep = 0; sweep < 80; sweep++) {
    var rotated = false;
    for (var p = 0u; p + 1u < N; p++) {
      for (var q = p + 1u; q < N; q++) {
        var alpha = 0.0; var beta = 0.0; var gamma = 0.0;
        for (var r = 0u; r < M; r++) {
          let x = w[wb + r * N + p]; let y = w[wb + r * N + q];
          alpha += x * x; beta += y * y; gamma += x * y;
        }
        if (gamma == 0.0 || abs(gamma) <= tol * sqrt(alpha * beta)) { continue; }
        rotated = true;
        let rot = jacobiRotation((beta - alpha) / (2.0 * gamma));
        rotate(wb, N, 1u, M, p, q, rot);
        rotate(vb, N, 1u, N, p, q, rot);
      }
    }
    if (!rotated) { break; }
  }
  var largest = 0.0;
  for (var j = 0u; j < N; j++) {
    var ss = 0.0;
    for (var r = 0u; r < M; r++) { ss += w[wb + r * N + j] * w[wb + r * N + j]; }
    w[nb + j] = sqrt(ss);
    largest = max(largest, w[nb + j]);
  }
  for (var r = 0u; r < M; r++) { for (var c = 0u; c < uC; c++) { o[uAt(ob, r, c)] = 0.0; } }
  var filled = N;
  for (var j = 0u; j < N; j++) {
    let s = w[nb + j];
    // Descending, ties in column order: the place of column j is the count of columns before it.
    var c = 0u;
    for (var l = 0u; l < N; l++) { if (w[nb + l] > s || (w[nb + l] == s && l < j)) { c++; } }
    o[ob + sOff + c] = s;
    for (var r = 0u; r < N; r++) { o[vAt(ob, r, c)] = w[vb + r * N + j]; }
    if (s > largest * f32(M) * ${EPS} && s > 0.0) {
      for (var r = 0u; r < M; r++) { o[uAt(ob, r, c)] = w[wb + r * N + j] / s; }
    } else {
      filled = min(filled, c);
    }
  }
  var e = 0u;
  for (var j = filled; j < uC; j++) {
    loop {
      if (e >= M) { break; }
      for (var r = 0u; r < M; r++) { w[tb + r] = select(0.0, 1.0, r == e); }
      e++;
      for (var twice = 0; twice < 2; twice++) {
        for (var c = 0u; c < j; c++) {
          var d = 0.0;
          for (var r = 0u; r < M; r++) { d += o[uAt(ob, r, c)] * w[tb + r]; }
          for (var r = 0u; r < M; r++) { w[tb + r] -= d * o[uAt(ob, r, c)]; }
        }
      }
      var ss = 0.0;
      for (var r = 0u; r < M; r++) { ss += w[tb + r] * w[tb + r]; }
      // A basis vector in the span leaves float32 rounding (~1e-7), one outside it far more.
      if (ss > 1e-6) {
        let norm = sqrt(ss);
        for (var r = 0u; r < M; r++) { o[uAt(ob, r, j)] = w[tb + r] / norm; }
        break;
      }
    }
  }
}`;
    const meta = [M, N, uC, packed, tall ? 1 : 0, ...layout, m * uCols];
    return run(rt, 'linalgSvd', code, [a], M * N + N * N + N + M, [...a.shape.slice(0, -2), packed], meta);
  };
}

/**
 * linalgEigh: cyclic Jacobi on the symmetric matrix of A's lower (or, with `upper`, upper) triangle,
 * packed as [..., n + n·n]: eigenvalues ascending, then the unit eigenvectors as columns, as on cpu.
 */
export function linalgEighKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a], attrs) => {
    const [, n] = dims(a);
    const upper = attrs.upper as boolean;
    const code = (): string => `${header(['a'], true)}
${JACOBI}
${ELEMENT_MAIN}
  let n = m[1]; let upper = m[2] == 1u;
  let ab = i * n * n;
  let wb = i * 2u * n * n;
  let vb = wb + n * n;
  let ob = i * (n + n * n);
  for (var r = 0u; r < n; r++) {
    for (var c = 0u; c <= r; c++) {
      let x = select(a[ab + r * n + c], a[ab + c * n + r], upper);
      w[wb + r * n + c] = x; w[wb + c * n + r] = x;
    }
  }
  for (var e = 0u; e < n * n; e++) { w[vb + e] = select(0.0, 1.0, e % (n + 1u) == 0u); }
  for (var sweep = 0; sweep < 80; sweep++) {
    var rotated = false;
    for (var p = 0u; p + 1u < n; p++) {
      for (var q = p + 1u; q < n; q++) {
        let apq = w[wb + p * n + q];
        let app = w[wb + p * n + p];
        let aqq = w[wb + q * n + q];
        if (apq == 0.0) { continue; }
        // Demmel and Veselić's relative test, as on cpu: below it no eigenvalue would change.
        if (abs(apq) <= ${EPS} * sqrt(abs(app * aqq))) { w[wb + p * n + q] = 0.0; w[wb + q * n + p] = 0.0; continue; }
        rotated = true;
        let rot = jacobiRotation((aqq - app) / (2.0 * apq));
        rotate(wb, n, 1u, n, p, q, rot);
        rotate(wb, 1u, n, n, p, q, rot);
        w[wb + p * n + q] = 0.0; w[wb + q * n + p] = 0.0;
        rotate(vb, n, 1u, n, p, q, rot);
      }
    }
    if (!rotated) { break; }
  }
  for (var j = 0u; j < n; j++) {
    let d = w[wb + j * n + j];
    // Ascending, ties in column order.
    var c = 0u;
    for (var l = 0u; l < n; l++) { let e = w[wb + l * n + l]; if (e < d || (e == d && l < j)) { c++; } }
    o[ob + c] = d;
    for (var r = 0u; r < n; r++) { o[ob + n + r * n + c] = w[vb + r * n + j]; }
  }
}`;
    return run(rt, 'linalgEigh', code, [a], 2 * n * n, [...a.shape.slice(0, -2), n + n * n], [n, upper ? 1 : 0]);
  };
}
