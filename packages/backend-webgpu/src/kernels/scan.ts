import { sizeOf, type DType, type DeviceKernel } from '@backprop/tensor';
import { grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { NAN_BITS } from './math.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

// Scans along an axis, one thread per line (x viewed as [outer, n, inner]): the running value is carried
// along the line in order, as the cpu kernels do (in float32 here, their float64 for sums).

/** cumsum and cumprod; integer inputs scan in int32. */
export function scanKernel(rt: WebGpuRuntime, op: 'cumsum' | 'cumprod'): DeviceKernel {
  return ([x], attrs) => {
    const axis = attrs.axis as number;
    const dtype = (attrs.dtype as DType | undefined) ?? x.dtype;
    const t = wgslType(dtype);
    const [buffer, result] = output(rt, x.shape, dtype);
    const n = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const lines = sizeOf(x.shape) / Math.max(1, n);
    if (sizeOf(x.shape) === 0) return result;
    const start = op === 'cumsum' ? (t === 'f32' ? '0.0' : '0') : t === 'f32' ? '1.0' : '1';
    const code = (): string => `${bindings([['a', wgslType(x.dtype)], ['o', t]])}
${metaBinding(2)}
${ELEMENT_MAIN}
  let n = m[1];
  let inner = m[2];
  let base = (i / inner) * n * inner + i % inner;
  var acc: ${t} = ${start};
  for (var r = 0u; r < n; r++) {
    let p = base + r * inner;
    acc = acc ${op === 'cumsum' ? '+' : '*'} ${t}(a[p]);
    o[p] = acc;
  }
}`;
    rt.dispatch(`${op}:${wgslType(x.dtype)}:${t}`, code, [bufferOf(x), buffer], [lines, n, inner], grid(lines));
    return result;
  };
}

/**
 * Position of the running maximum (minimum) along the axis, as torch.cummax: a later equal value takes
 * over, and once a NaN is seen each later NaN takes over.
 */
export function runningExtremumKernel(rt: WebGpuRuntime, largest: boolean): DeviceKernel {
  return ([x], attrs) => {
    const axis = attrs.axis as number;
    const t = wgslType(x.dtype);
    const [buffer, result] = output(rt, x.shape, 'int32');
    const n = x.shape[axis];
    const inner = sizeOf(x.shape.slice(axis + 1));
    const lines = sizeOf(x.shape) / Math.max(1, n);
    if (sizeOf(x.shape) === 0) return result;
    const nan = (v: string): string => (t === 'f32' ? `isNanF(${v})` : 'false');
    const code = (): string => `${bindings([['a', t], ['o', 'i32']])}
${metaBinding(2)}
${NAN_BITS}
${ELEMENT_MAIN}
  let n = m[1];
  let inner = m[2];
  let base = (i / inner) * n * inner + i % inner;
  var best = a[base];
  var at = 0;
  for (var r = 0u; r < n; r++) {
    let v = a[base + r * inner];
    if (r == 0u || ${nan('v')} || (!(${nan('best')}) && v ${largest ? '>=' : '<='} best)) { best = v; at = i32(r); }
    o[base + r * inner] = at;
  }
}`;
    rt.dispatch(`${largest ? 'cummax' : 'cummin'}Indices:${t}`, code, [bufferOf(x), buffer], [lines, n, inner], grid(lines));
    return result;
  };
}
