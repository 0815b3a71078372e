import { sizeOf, type DeviceKernel, type DeviceTensorData } from '@backprop/tensor';
import { f32Bits, grid, wgslType, type WebGpuRuntime } from '../runtime.js';
import { fill } from './layout.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding } from './util.js';

// Kernels that write into their first input (a parameter, a gradient, an optimizer buffer), which the op
// has made resident on this backend: the state stays in GPU memory across steps. Each returns its target.
// Integer targets compute in float and convert back, as the cpu kernels' typed-array stores do.

/** Runs `body` (WGSL assigning `t[i]` from `t[i]`, `s[i]`, p0, p1) over the target. */
function inPlace(rt: WebGpuRuntime, key: string, target: DeviceTensorData, src: DeviceTensorData | null, params: number[], body: (t: string) => string): void {
  const t = wgslType(target.dtype);
  const n = sizeOf(target.shape);
  if (n === 0) return;
  const decl = src ? bindings([['s', t], ['t', t]]) : bindings([['t', t]]);
  const code = (): string => `${decl}
${metaBinding(src ? 2 : 1)}
${ELEMENT_MAIN}
  let p0 = bitcast<f32>(m[1]);
  let p1 = bitcast<f32>(m[2]);
  ${body(t)}
}`;
  const buffers = src ? [bufferOf(src), bufferOf(target)] : [bufferOf(target)];
  rt.dispatch(`${key}:${t}`, code, buffers, [n, ...params.map(f32Bits)], grid(n));
}

export function inPlaceKernels(rt: WebGpuRuntime): Record<string, DeviceKernel> {
  return {
    addInPlace: ([target, src], attrs) => {
      // target += alpha·target: one buffer cannot be bound for reading and writing in one dispatch.
      if (bufferOf(src) === bufferOf(target)) {
        const scale = 1 + (attrs.alpha as number);
        inPlace(rt, 'scaleInPlace', target, null, [scale], (t) => (t === 'f32' ? 't[i] = t[i] * p0;' : `t[i] = ${t}(f32(t[i]) * p0);`));
        return target;
      }
      inPlace(rt, 'addInPlace', target, src, [attrs.alpha as number], (t) =>
        t === 'f32' ? 't[i] = select(t[i] + p0 * s[i], t[i] + s[i], p0 == 1.0);' : `t[i] = ${t}(f32(t[i]) + p0 * f32(s[i]));`,
      );
      return target;
    },
    scaleInPlace: ([target], attrs) => {
      inPlace(rt, 'scaleInPlace', target, null, [attrs.scale as number], (t) => (t === 'f32' ? 't[i] = t[i] * p0;' : `t[i] = ${t}(f32(t[i]) * p0);`));
      return target;
    },
    clampInPlace: ([target], attrs) => {
      inPlace(rt, 'clampInPlace', target, null, [attrs.min as number, attrs.max as number], (t) =>
        t === 'f32' ? 't[i] = min(max(t[i], p0), p1);' : `t[i] = ${t}(min(max(f32(t[i]), p0), p1));`,
      );
      return target;
    },
    fillInPlace: ([target], attrs) => {
      wgslType(target.dtype);
      fill(rt, bufferOf(target), sizeOf(target.shape), attrs.value as number, target.dtype);
      return target;
    },
    copyInPlace: ([target, src]) => {
      wgslType(target.dtype);
      if (bufferOf(src) === bufferOf(target)) return target;
      rt.copy(bufferOf(src), bufferOf(target), sizeOf(target.shape));
      return target;
    },
    sliceAddInPlace: ([target, src], attrs) => {
      const t = wgslType(target.dtype);
      const axis = attrs.axis as number;
      const total = sizeOf(src.shape);
      if (total === 0) return target;
      const length = src.shape[axis];
      const inner = sizeOf(target.shape.slice(axis + 1));
      const code = (): string => `${bindings([['s', t], ['t', t]])}
${metaBinding(2)}
${ELEMENT_MAIN}
  let length = m[1];
  let inner = m[2];
  let n = m[3];
  let start = m[4];
  let step = m[5];
  let c = i % inner;
  let r = (i / inner) % length;
  let o = i / (inner * length);
  let j = (o * n + start + r * step) * inner + c;
  t[j] = t[j] + s[i];
}`;
      const meta = [total, length, inner, target.shape[axis], attrs.start as number, (attrs.step as number) ?? 1];
      rt.dispatch(`sliceAddInPlace:${t}`, code, [bufferOf(src), bufferOf(target)], meta, grid(total));
      return target;
    },
  };
}
