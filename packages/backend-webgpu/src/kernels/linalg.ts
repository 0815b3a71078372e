import { sizeOf, type DeviceKernel, type DeviceTensorData } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { NAN_BITS } from './math.js';
import { bufferOf, ELEMENT_MAIN, output } from './util.js';

// The linalg kernels of the cpu backend (linalg-decompose.ts there), one thread per matrix of the batch
// running the same sequential algorithm in float32: LU with partial pivoting, Cholesky–Banachiewicz and
// Householder QR as LAPACK's geqrf/orgqr here, one-sided Jacobi SVD and cyclic Jacobi eigh in
// linalg-jacobi.ts, with the cpu's sign and ordering conventions, so results agree with cpu to float32
// rounding. Each thread keeps its
// working copies in a scratch buffer (`w`), since WGSL's private arrays need a size known when compiling.
// Where the cpu kernel throws on the values (a singular matrix, one not positive-definite), a GPU kernel
// cannot: that matrix's result is NaN instead (PyTorch's CUDA kernels, too, learn of such errors after
// they ran, from an info tensor, which torch.linalg.inv reads with a synchronization and inv_ex returns).

/** Machine epsilon of float32, where the cpu kernels use float64's. */
export const EPS = '1.1920929e-7';

/** Batch count and the last two sizes of a [..., m, n] input. */
export function dims(x: DeviceTensorData): [number, number, number] {
  const r = x.shape.length;
  return [sizeOf(x.shape.slice(0, -2)), x.shape[r - 2], x.shape[r - 1]];
}

/** Bindings: the read-only inputs, then the scratch `w`, the output `o` and the meta words `m`. */
export function header(inputs: readonly string[], scratch: boolean): string {
  const names = [...inputs, ...(scratch ? ['w'] : []), 'o'];
  const decl = names.map((name, i) => `@group(0) @binding(${i}) var<storage, ${i < inputs.length ? 'read' : 'read_write'}> ${name}: array<f32>;`);
  return `${decl.join('\n')}
@group(0) @binding(${names.length}) var<storage, read> m: array<u32>;
${NAN_BITS}
// WGSL rejects a constant NaN, so it is built from a run-time word.
fn nanF() -> f32 { return bitcast<f32>(0x7fc00000u | (m[0] & 0u)); }
fn fillNan(start: u32, count: u32) { for (var e = 0u; e < count; e++) { o[start + e] = nanF(); } }`;
}

/**
 * Runs `code` over `batches` matrices with `inputs` bound first, a scratch buffer of `scratch` floats per
 * matrix (none when 0) and `meta` after m[0] = batches; returns the output of `shape`.
 */
export function run(rt: WebGpuRuntime, key: string, code: () => string, inputs: readonly DeviceTensorData[], scratch: number, shape: readonly number[], meta: readonly number[]): DeviceTensorData {
  for (const x of inputs) wgslType(x.dtype);
  const [buffer, result] = output(rt, shape, inputs[0].dtype);
  const batches = sizeOf(inputs[0].shape.slice(0, -2));
  if (sizeOf(shape) === 0 || batches === 0) return result;
  const work = scratch > 0 ? [rt.alloc(batches * scratch)] : [];
  rt.dispatch(key, code, [...inputs.map(bufferOf), ...work, buffer], [batches, ...meta], grid(batches));
  // The queue runs whatever reuses the scratch buffer after this dispatch.
  for (const b of work) rt.release(b);
  return result;
}

// LU with partial pivoting of the n×n matrix at w[wb..] in place, as the cpu's luFactor: a zero pivot
// sets `singular` and skips its column. Rows swapped in w are swapped in the k columns at o[ob..] as well,
// which applies P to a right-hand side there. Returns the permutation's sign.
const LU = /* wgsl */ `
var<private> singular: bool;
fn luFactor(wb: u32, ob: u32, n: u32, k: u32) -> f32 {
  var sign = 1.0;
  singular = false;
  for (var c = 0u; c < n; c++) {
    var p = c;
    var best = abs(w[wb + c * n + c]);
    for (var r = c + 1u; r < n; r++) {
      let v = abs(w[wb + r * n + c]);
      if (v > best) { best = v; p = r; }
    }
    if (p != c) {
      sign = -sign;
      for (var j = 0u; j < n; j++) { let t = w[wb + c * n + j]; w[wb + c * n + j] = w[wb + p * n + j]; w[wb + p * n + j] = t; }
      for (var j = 0u; j < k; j++) { let t = o[ob + c * k + j]; o[ob + c * k + j] = o[ob + p * k + j]; o[ob + p * k + j] = t; }
    }
    let d = w[wb + c * n + c];
    if (d == 0.0) { singular = true; continue; }
    for (var r = c + 1u; r < n; r++) {
      let f = w[wb + r * n + c] / d;
      w[wb + r * n + c] = f;
      if (f != 0.0) { for (var j = c + 1u; j < n; j++) { w[wb + r * n + j] -= f * w[wb + c * n + j]; } }
    }
  }
  return sign;
}
// Solves L·U·X = (P·B, already at o[ob..], n×k) in place; NaN for a singular matrix.
fn luSolve(wb: u32, ob: u32, n: u32, k: u32) {
  if (singular) { fillNan(ob, n * k); return; }
  for (var r = 0u; r < n; r++) {
    for (var c = 0u; c < r; c++) {
      let f = w[wb + r * n + c];
      if (f != 0.0) { for (var j = 0u; j < k; j++) { o[ob + r * k + j] -= f * o[ob + c * k + j]; } }
    }
  }
  for (var rr = 0u; rr < n; rr++) {
    let r = n - 1u - rr;
    for (var c = r + 1u; c < n; c++) {
      let f = w[wb + r * n + c];
      if (f != 0.0) { for (var j = 0u; j < k; j++) { o[ob + r * k + j] -= f * o[ob + c * k + j]; } }
    }
    let d = w[wb + r * n + r];
    for (var j = 0u; j < k; j++) { o[ob + r * k + j] /= d; }
  }
}`;

/** A shader over the LU helpers: `body` runs per matrix `i`, with its size `n` = m[1] and a scratch `w`. */
function luShader(inputs: readonly string[], body: string): () => string {
  return () => `${header(inputs, true)}
${LU}
${ELEMENT_MAIN}
  let n = m[1];${body}
}`;
}

/** linalgInv: A⁻¹ by LU and n right-hand sides; NaN for a singular matrix (cpu throws). */
export function linalgInvKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a]) => {
    const [, n] = dims(a);
    const code = luShader(['a'], `
  let b = i * n * n;
  for (var e = 0u; e < n * n; e++) { w[b + e] = a[b + e]; o[b + e] = select(0.0, 1.0, e % (n + 1u) == 0u); }
  luFactor(b, b, n, n);
  luSolve(b, b, n, n);`);
    return run(rt, 'linalgInv', code, [a], n * n, a.shape, [n]);
  };
}

/** linalgDet: the sign of LU's permutation times its pivots (0 for a zero pivot, as on cpu). */
export function linalgDetKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a]) => {
    const [, n] = dims(a);
    const code = luShader(['a'], `
  let b = i * n * n;
  for (var e = 0u; e < n * n; e++) { w[b + e] = a[b + e]; }
  var d = luFactor(b, 0u, n, 0u);
  for (var r = 0u; r < n; r++) { d *= w[b + r * n + r]; }
  o[i] = d;`);
    return run(rt, 'linalgDet', code, [a], n * n, a.shape.slice(0, -2), [n]);
  };
}

/** linalgSolve: X with A·X = B for [batch, n, n] A and [batch, n, k] B; NaN for a singular A (cpu throws). */
export function linalgSolveKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a, rhs]) => {
    const [, n] = dims(a);
    const k = rhs.shape[rhs.shape.length - 1];
    const code = luShader(['a', 'rhs'], `
  let k = m[2];
  let wb = i * n * n;
  let ob = i * n * k;
  for (var e = 0u; e < n * n; e++) { w[wb + e] = a[wb + e]; }
  for (var e = 0u; e < n * k; e++) { o[ob + e] = rhs[ob + e]; }
  luFactor(wb, ob, n, k);
  luSolve(wb, ob, n, k);`);
    return run(rt, 'linalgSolve', code, [a, rhs], n * n, rhs.shape, [n, k]);
  };
}

/** linalgCholesky: lower L from A's lower triangle; NaN for a matrix that is not positive-definite (cpu throws). */
export function linalgCholeskyKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a]) => {
    const [, n] = dims(a);
    const code = (): string => `${header(['a'], false)}
${ELEMENT_MAIN}
  let n = m[1];
  let b = i * n * n;
  for (var e = 0u; e < n * n; e++) { o[b + e] = 0.0; }
  for (var j = 0u; j < n; j++) {
    var d = a[b + j * n + j];
    for (var k = 0u; k < j; k++) { d -= o[b + j * n + k] * o[b + j * n + k]; }
    // On the bits too: a compiler that assumes no NaN may turn !(d > 0) into d <= 0.
    if (!(d > 0.0) || isNanF(d)) { fillNan(b, n * n); return; }
    let ljj = sqrt(d);
    o[b + j * n + j] = ljj;
    for (var r = j + 1u; r < n; r++) {
      var s = a[b + r * n + j];
      for (var k = 0u; k < j; k++) { s -= o[b + r * n + k] * o[b + j * n + k]; }
      o[b + r * n + j] = s / ljj;
    }
  }
}`;
    return run(rt, 'linalgCholesky', code, [a], 0, a.shape, [n]);
  };
}

/**
 * linalgQr: Householder QR packed as [..., m·qCols + rRows·n] (Q, then R), reflector j mapping column j
 * to β·e₁ with β = −sign(α)·‖x‖, none where the column is zero below the diagonal (LAPACK's convention,
 * as on cpu). The reflectors' tails stay below R's diagonal in the scratch copy, their τ after it.
 */
export function linalgQrKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a], attrs) => {
    const [, m, n] = dims(a);
    const { qCols, rRows } = attrs as { qCols: number; rRows: number };
    const k = Math.min(m, n);
    const packed = m * qCols + rRows * n;
    const code = (): string => `${header(['a'], true)}
${ELEMENT_MAIN}
  let M = m[1]; let N = m[2]; let qCols = m[3]; let rRows = m[4]; let K = min(M, N);
  let wb = i * (M * N + K);
  let tb = wb + M * N;
  let ob = i * (M * qCols + rRows * N);
  let rb = ob + M * qCols;
  for (var e = 0u; e < M * N; e++) { w[wb + e] = a[i * M * N + e]; }
  for (var j = 0u; j < K; j++) {
    let alpha = w[wb + j * N + j];
    var ss = 0.0;
    for (var r = j + 1u; r < M; r++) { ss += w[wb + r * N + j] * w[wb + r * N + j]; }
    var tau = 0.0;
    if (ss != 0.0) {
      let beta = -select(-1.0, 1.0, alpha >= 0.0) * sqrt(alpha * alpha + ss);
      tau = (beta - alpha) / beta;
      for (var r = j + 1u; r < M; r++) { w[wb + r * N + j] = w[wb + r * N + j] / (alpha - beta); }
      w[wb + j * N + j] = beta;
      for (var c = j + 1u; c < N; c++) {
        var s = w[wb + j * N + c];
        for (var r = j + 1u; r < M; r++) { s += w[wb + r * N + j] * w[wb + r * N + c]; }
        s *= tau;
        w[wb + j * N + c] -= s;
        for (var r = j + 1u; r < M; r++) { w[wb + r * N + c] -= s * w[wb + r * N + j]; }
      }
    }
    w[tb + j] = tau;
  }
  for (var r = 0u; r < rRows; r++) {
    for (var c = 0u; c < N; c++) { o[rb + r * N + c] = select(0.0, w[wb + r * N + c], c >= r && r < M); }
  }
  for (var r = 0u; r < M; r++) {
    for (var c = 0u; c < qCols; c++) { o[ob + r * qCols + c] = select(0.0, 1.0, r == c); }
  }
  for (var jj = 0u; jj < K; jj++) {
    let j = K - 1u - jj;
    let tau = w[tb + j];
    if (tau == 0.0) { continue; }
    for (var c = 0u; c < qCols; c++) {
      var s = o[ob + j * qCols + c];
      for (var r = j + 1u; r < M; r++) { s += w[wb + r * N + j] * o[ob + r * qCols + c]; }
      s *= tau;
      o[ob + j * qCols + c] -= s;
      for (var r = j + 1u; r < M; r++) { o[ob + r * qCols + c] -= s * w[wb + r * N + j]; }
    }
  }
}`;
    return run(rt, 'linalgQr', code, [a], m * n + k, [...a.shape.slice(0, -2), packed], [m, n, qCols, rRows]);
  };
}
