import { sizeOf, type DType, type DeviceKernel } from '@backprop/tensor';
import { wgslType, type WebGpuRuntime } from '../runtime.js';
import { bindings, bufferOf, metaBinding, output } from './util.js';

/** Output rows and columns per workgroup, the K step of each tile, and each thread's block of C. */
const BM = 64;
const BN = 64;
const BK = 16;
const TM = 4;
const TN = 4;
/** 16 × 16 threads, each computing a TM × TN block of C. */
const THREADS = (BM / TM) * (BN / TN);
/** Elements of each tile every thread loads (BM·BK = BK·BN = 4 × 256). */
const LOADS = (BM * BK) / THREADS;

/** The tile of the small-product kernel: one output per thread, for C smaller than one 64×64 block. */
const TILE = 16;

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Batched C = op(A)·op(B), tiled: each workgroup of 16×16 threads computes a 64×64 block of C. Per step of
 * 16 along K it stages a 64×16 tile of A and a 16×64 tile of B in workgroup memory (every thread loads 4
 * elements of each), then each thread accumulates its own 4×4 block from registers, so a barrier pays for
 * 256 multiply-adds per thread instead of 16. `transA` reads A stored as [K, M], `transB` B stored as
 * [N, K]; a side with one batch is shared by all (the attrs of the cpu kernel). Products whose C is
 * narrower than a block both ways (a batch of vectors through a small layer) use 16×16 tiles with one output
 * per thread instead, which leave fewer threads idle.
 */
export function matmulKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a, b], attrs) => {
    const { M, N, K, batch, transA, transB } = attrs as { M: number; N: number; K: number; batch: number; transA: boolean; transB: boolean };
    const dtype = attrs.dtype as DType;
    const t = wgslType(dtype);
    const [buffer, result] = output(rt, attrs.outShape as number[], dtype);
    if (M * N * batch === 0) return result;
    const aBatched = M * K > 0 && sizeOf(a.shape) > M * K ? 1 : 0;
    const bBatched = K * N > 0 && sizeOf(b.shape) > K * N ? 1 : 0;
    const small = M < BM && N < BN;
    const code = (): string => (small ? smallShader(t) : blockShader(t));
    const groups = small ? [Math.ceil(N / TILE), Math.ceil(M / TILE), batch] : [Math.ceil(N / BN), Math.ceil(M / BM), batch];
    const meta = [M, N, K, aBatched, bBatched, transA ? 1 : 0, transB ? 1 : 0];
    rt.dispatch(`matmul:${small}:${t}`, code, [bufferOf(a), bufferOf(b), buffer], meta, groups);
    return result;
  };
}

// Where op(A)[row, k] and op(B)[k, col] are stored. The layouts are runtime flags rather than shader
// variants: a select costs less than compiling four pipelines per kernel.
const A_AT = 'select(row * K + k, k * M + row, m[5] == 1u)';
const B_AT = 'select(k * N + col, col * K + k, m[6] == 1u)';

/** One output per thread of a 16×16 tile. */
function smallShader(t: string): string {
  const zero = t === 'f32' ? '0.0' : '0';
  return `${bindings([['a', t], ['b', t], ['o', t]])}
${metaBinding(3)}
var<workgroup> ta: array<array<${t}, ${TILE}>, ${TILE}>;
var<workgroup> tb: array<array<${t}, ${TILE}>, ${TILE}>;
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_id) l: vec3u) {
  let M = m[0];
  let N = m[1];
  let K = m[2];
  let p = w.z;
  let aOff = select(0u, p * M * K, m[3] == 1u);
  let bOff = select(0u, p * K * N, m[4] == 1u);
  let row = w.y * ${TILE}u + l.y;
  let col = w.x * ${TILE}u + l.x;
  var acc: ${t} = ${zero};
  for (var k0 = 0u; k0 < K; k0 += ${TILE}u) {
    {
      let k = k0 + l.x;
      var v: ${t} = ${zero};
      if (row < M && k < K) { v = a[aOff + ${A_AT}]; }
      ta[l.y][l.x] = v;
    }
    {
      let k = k0 + l.y;
      var v: ${t} = ${zero};
      if (k < K && col < N) { v = b[bOff + ${B_AT}]; }
      tb[l.y][l.x] = v;
    }
    workgroupBarrier();
    for (var j = 0u; j < ${TILE}u; j++) { acc += ta[l.y][j] * tb[j][l.x]; }
    workgroupBarrier();
  }
  if (row < M && col < N) { o[p * M * N + row * N + col] = acc; }
}`;
}

/** A 4×4 block of C per thread of a 64×64 tile. */
function blockShader(t: string): string {
  const zero = t === 'f32' ? '0.0' : '0';
  const acc = range(TM).flatMap((i) => range(TN).map((j) => `c${i}${j}`));
  return `${bindings([['a', t], ['b', t], ['o', t]])}
${metaBinding(3)}
var<workgroup> ta: array<array<${t}, ${BM}>, ${BK}>;
var<workgroup> tb: array<array<${t}, ${BN}>, ${BK}>;
@compute @workgroup_size(${BN / TN}, ${BM / TM})
fn main(@builtin(workgroup_id) w: vec3u, @builtin(local_invocation_id) l: vec3u, @builtin(local_invocation_index) lid: u32) {
  let M = m[0];
  let N = m[1];
  let K = m[2];
  let p = w.z;
  let aOff = select(0u, p * M * K, m[3] == 1u);
  let bOff = select(0u, p * K * N, m[4] == 1u);
  let rowBase = w.y * ${BM}u;
  let colBase = w.x * ${BN}u;
  ${acc.map((c) => `var ${c}: ${t} = ${zero};`).join(' ')}
  for (var k0 = 0u; k0 < K; k0 += ${BK}u) {
    for (var e = 0u; e < ${LOADS}u; e++) {
      let idx = lid + e * ${THREADS}u;
      {
        let r = idx / ${BK}u;
        let kk = idx % ${BK}u;
        let row = rowBase + r;
        let k = k0 + kk;
        var v: ${t} = ${zero};
        if (row < M && k < K) { v = a[aOff + ${A_AT}]; }
        ta[kk][r] = v;
      }
      {
        let kk = idx / ${BN}u;
        let cc = idx % ${BN}u;
        let col = colBase + cc;
        let k = k0 + kk;
        var v: ${t} = ${zero};
        if (k < K && col < N) { v = b[bOff + ${B_AT}]; }
        tb[kk][cc] = v;
      }
    }
    workgroupBarrier();
    for (var kk = 0u; kk < ${BK}u; kk++) {
      ${range(TM).map((i) => `let a${i} = ta[kk][l.y * ${TM}u + ${i}u];`).join(' ')}
      ${range(TN).map((j) => `let b${j} = tb[kk][l.x * ${TN}u + ${j}u];`).join(' ')}
      ${acc.map((c) => `${c} += a${c[1]} * b${c[2]};`).join(' ')}
    }
    workgroupBarrier();
  }
  let base = p * M * N;
  ${range(TM)
    .map((i) => `{
    let row = rowBase + l.y * ${TM}u + ${i}u;
    if (row < M) {
      ${range(TN).map((j) => `{ let col = colBase + l.x * ${TN}u + ${j}u; if (col < N) { o[base + row * N + col] = c${i}${j}; } }`).join('\n      ')}
    }
  }`)
    .join('\n  ')}
}`;
}
