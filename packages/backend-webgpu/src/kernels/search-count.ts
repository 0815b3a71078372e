import { sizeOf, type DType, type DeviceKernel } from '@backprop/tensor';
import { f32Bits, grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { fill } from './layout.js';
import { NAN_BITS } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

/** WGSL adding the f32 `value` to the atomic word `o[at]` (a compare-exchange loop on the bits). */
const ATOMIC_ADD_F32 = (at: string, value: string): string => `{
    var old = atomicLoad(&o[${at}]);
    loop {
      let r = atomicCompareExchangeWeak(&o[${at}], old, bitcast<u32>(bitcast<f32>(old) + ${value}));
      if (r.exchanged) { break; }
      old = r.old_value;
    }
  }`;

/**
 * Binary search of each value in its row of the sorted sequence (through `sorter` when given), with
 * PyTorch's comparisons, `!(s ≥ v)` for the left side and `!(s > v)` for the right, so a NaN value goes
 * after every number.
 */
export function searchsortedKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([seq, values, sorter], attrs) => {
    const t = wgslType(seq.dtype);
    const tv = wgslType(values.dtype);
    const shape = attrs.shape as number[];
    const [buffer, result] = output(rt, shape, 'int32');
    const total = sizeOf(values.shape);
    if (total === 0) return result;
    const n = seq.shape[seq.shape.length - 1];
    const perRow = seq.shape.length === 1 ? total : values.shape[values.shape.length - 1];
    const sorted = sorter !== undefined;
    // Mixed dtypes (an int32 sequence and float values) compare as floats.
    const f = t === 'f32' || tv === 'f32';
    const ge = f ? '!isNanF(at) && !isNanF(x) && at >= x' : 'at >= x';
    const gt = f ? '!isNanF(at) && !isNanF(x) && at > x' : 'at > x';
    const code = (): string => `${bindings(sorted ? [['s', t], ['v', tv], ['order', 'i32'], ['o', 'i32']] : [['s', t], ['v', tv], ['o', 'i32']])}
${metaBinding(sorted ? 4 : 3)}
${NAN_BITS}
${ELEMENT_MAIN}
  let n = m[1];
  let base = select((i / m[2]) * n, 0u, m[3] == 1u);
  let x = ${t === tv ? 'v[i]' : 'f32(v[i])'};
  var lo = 0u;
  var hi = n;
  while (lo < hi) {
    let mid = (lo + hi) / 2u;
    let at = ${t === tv ? '' : 'f32'}(s[base + ${sorted ? 'u32(order[base + mid])' : 'mid'}]);
    if (!(${attrs.right ? gt : ge})) { lo = mid + 1u; } else { hi = mid; }
  }
  o[i] = i32(lo);
}`;
    const inputs = sorted ? [seq, values, sorter] : [seq, values];
    const meta = [total, n, perRow, seq.shape.length === 1 ? 1 : 0];
    rt.dispatch(`searchsorted:${t}:${tv}:${sorted}:${!!attrs.right}`, code, [...inputs.map(bufferOf), buffer], meta, grid(total));
    return result;
  };
}

/** Counts (int32) or sums the float32 weights of each value of a 1-D int32 tensor into attrs.length bins. */
export function bincountKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x, w], attrs) => {
    const length = attrs.length as number;
    const dtype = attrs.dtype as DType;
    const t = wgslType(dtype);
    const [buffer, result] = output(rt, [length], dtype);
    fill(rt, buffer, length, 0, dtype);
    const n = sizeOf(x.shape);
    if (n === 0 || length === 0) return result;
    const weighted = w !== undefined;
    const code = (): string => `${bindings(weighted ? [['idx', 'i32'], ['w', 'f32']] : [['idx', 'i32']], false)}
@group(0) @binding(${weighted ? 2 : 1}) var<storage, read_write> o: array<atomic<${weighted ? 'u32' : 'i32'}>>;
${metaBinding(weighted ? 3 : 2)}
${ELEMENT_MAIN}
  let at = u32(idx[i]);
  ${weighted ? ATOMIC_ADD_F32('at', 'w[i]') : 'atomicAdd(&o[at], 1);'}
}`;
    const buffers = weighted ? [bufferOf(x), bufferOf(w), buffer] : [bufferOf(x), buffer];
    rt.dispatch(`bincount:${weighted}:${t}`, code, buffers, [n], grid(n));
    return result;
  };
}

/**
 * Equal-width histogram: bin ⌊(x − min)·bins/(max − min)⌋ computed in float32 as the cpu kernel rounds it,
 * the maximum in the last bin, values outside [min, max] and NaN ignored.
 */
export function histcKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    const bins = attrs.bins as number;
    wgslType(x.dtype);
    const [buffer, result] = output(rt, [bins], x.dtype);
    fill(rt, buffer, bins, 0, x.dtype);
    const n = sizeOf(x.shape);
    if (n === 0) return result;
    const code = (): string => `${bindings([['a', 'f32']], false)}
@group(0) @binding(1) var<storage, read_write> o: array<atomic<u32>>;
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let v = a[i];
  let lo = bitcast<f32>(m[1]);
  let hi = bitcast<f32>(m[2]);
  let bins = m[3];
  if (isNanF(v) || v < lo || v > hi) { return; }
  var pos = u32(floor(((v - lo) * f32(bins)) / (hi - lo)));
  if (pos >= bins) { pos = bins - 1u; }
  ${ATOMIC_ADD_F32('pos', '1.0')}
}`;
    const meta = [n, f32Bits(attrs.min as number), f32Bits(attrs.max as number), bins];
    rt.dispatch('histc', code, [bufferOf(x), buffer], meta, grid(n));
    return result;
  };
}
