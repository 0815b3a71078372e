import { sizeOf, type DeviceKernel, type DeviceTensorData } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { NAN_BITS } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

/**
 * Stable sort by ranking: one thread per element counts the elements of its line that come before it (a
 * smaller value, or an equal one at a lower position; NaN after every number ascending and before them
 * descending, as the cpu kernel and torch.sort) and writes its position at that rank when the rank is
 * below k. Quadratic in the line length, but every line and element runs in parallel and ties need no
 * merging.
 */
function rankKernel(rt: WebGpuRuntime, x: DeviceTensorData, axis: number, descending: boolean, k: number): DeviceTensorData {
  const t = wgslType(x.dtype);
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const shape = [...x.shape];
  shape[axis] = k;
  const [buffer, result] = output(rt, shape, 'int32');
  const total = sizeOf(x.shape);
  if (total === 0 || k === 0) return result;
  const nan = (v: string): string => (t === 'f32' ? `isNanF(${v})` : 'false');
  const less = descending ? '>' : '<';
  const code = (): string => `${bindings([['a', t], ['o', 'i32']])}
${metaBinding(2)}
${NAN_BITS}
fn before(u: ${t}, i: u32, v: ${t}, j: u32) -> bool {
  let un = ${nan('u')};
  let vn = ${nan('v')};
  if (un && vn) { return i < j; }
  if (un || vn) { return ${descending ? 'un' : 'vn'}; }
  if (u ${less} v) { return true; }
  return u == v && i < j;
}
${ELEMENT_MAIN}
  let n = m[1];
  let inner = m[2];
  let k = m[3];
  let c = i % inner;
  let j = (i / inner) % n;
  let line = i / (inner * n);
  let base = line * n * inner + c;
  let v = a[base + j * inner];
  var rank = 0u;
  for (var r = 0u; r < n; r++) {
    if (r != j && before(a[base + r * inner], r, v, j)) { rank++; }
  }
  if (rank < k) { o[(line * k + rank) * inner + c] = i32(j); }
}`;
  rt.dispatch(`rank:${t}:${descending}`, code, [bufferOf(x), buffer], [total, n, inner, k], grid(total));
  return result;
}

export function argsortKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => rankKernel(rt, x, attrs.axis as number, attrs.descending as boolean, x.shape[attrs.axis as number]);
}

/** The k largest (or smallest) of each line, in sorted order, lower positions first among ties. */
export function topkKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => rankKernel(rt, x, attrs.axis as number, attrs.largest as boolean, attrs.k as number);
}
