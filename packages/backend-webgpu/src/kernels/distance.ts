import { sizeOf, type DeviceKernel } from '@backprop/tensor';
import { f32Bits, grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

/**
 * p-norm distances between the rows of [B, P, M] and [B, R, M] (cdist), summed directly, one thread per
 * pair: p = 2, 1, ∞ and 0 (the count of differing entries) have their own forms, as on cpu.
 */
export function cdistKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([a, b], attrs) => {
    const p = attrs.p as number;
    const shape = attrs.shape as number[];
    wgslType(a.dtype);
    const [buffer, result] = output(rt, shape, a.dtype);
    const n = sizeOf(shape);
    if (n === 0) return result;
    const r = a.shape.length;
    const [P, M] = [a.shape[r - 2], a.shape[r - 1]];
    const R = b.shape[r - 2];
    const mode = p === 2 ? 0 : p === 1 ? 1 : p === Infinity ? 2 : p === 0 ? 3 : 4;
    const code = (): string => `${bindings([['x', 'f32'], ['y', 'f32'], ['o', 'f32']])}
${metaBinding(3)}
${ELEMENT_MAIN}
  let P = m[1]; let R = m[2]; let M = m[3]; let mode = m[4]; let p = bitcast<f32>(m[5]);
  let j = i % R;
  let pi = (i / R) % P;
  let batch = i / (R * P);
  let xi = (batch * P + pi) * M;
  let yj = (batch * R + j) * M;
  var acc = 0.0;
  for (var k = 0u; k < M; k++) {
    let d = abs(x[xi + k] - y[yj + k]);
    if (mode == 0u) { acc += d * d; }
    else if (mode == 1u) { acc += d; }
    else if (mode == 2u) { acc = max(acc, d); }
    else if (mode == 3u) { acc += select(0.0, 1.0, d != 0.0); }
    else { acc += pow(d, p); }
  }
  if (mode == 0u) { acc = sqrt(acc); }
  if (mode == 4u) { acc = pow(acc, 1.0 / p); }
  o[i] = acc;
}`;
    rt.dispatch('cdist', code, [bufferOf(a), bufferOf(b), buffer], [n, P, R, M, mode, f32Bits(p)], grid(n));
    return result;
  };
}
