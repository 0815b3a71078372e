import { sizeOf, type DType, type DeviceKernel } from '@backprop/tensor';
import { wgslType, type WebGpuRuntime } from '../runtime.js';
import { bindings, bufferOf, metaBinding, output } from './util.js';

const TILE = 16;

/**
 * Batched C = op(A)·op(B), tiled: each 16×16 workgroup loads a tile of A and of B into workgroup memory per
 * step along K and each thread accumulates one element of C. `transA` reads A stored as [K, M], `transB`
 * B stored as [N, K]; a side with one batch is shared by all (the attrs of the cpu kernel).
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
    const zero = t === 'f32' ? '0.0' : '0';
    const aIndex = transA ? 'k * M + row' : 'row * K + k';
    const bIndex = transB ? 'col * K + k' : 'k * N + col';
    const code = (): string => `${bindings([['a', t], ['b', t], ['o', t]])}
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
      if (row < M && k < K) { v = a[aOff + ${aIndex}]; }
      ta[l.y][l.x] = v;
    }
    {
      let k = k0 + l.y;
      var v: ${t} = ${zero};
      if (k < K && col < N) { v = b[bOff + ${bIndex}]; }
      tb[l.y][l.x] = v;
    }
    workgroupBarrier();
    for (var j = 0u; j < ${TILE}u; j++) { acc += ta[l.y][j] * tb[j][l.x]; }
    workgroupBarrier();
  }
  if (row < M && col < N) { o[p * M * N + row * N + col] = acc; }
}`;
    const groups = [Math.ceil(N / TILE), Math.ceil(M / TILE), batch];
    rt.dispatch(`matmul:${t}:${transA}:${transB}`, code, [bufferOf(a), bufferOf(b), buffer], [M, N, K, aBatched, bBatched], groups);
    return result;
  };
}
