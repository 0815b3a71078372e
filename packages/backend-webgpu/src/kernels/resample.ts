import { sizeOf, type DeviceKernel, type ResampleTaps } from '@backprop/tensor';
import { grid, type WebGpuRuntime } from '../runtime.js';
import { bindings, bufferOf, ELEMENT_MAIN, metaBinding, output } from './util.js';

/**
 * For each input position, the tap slots (output position · taps + tap) that read it, in slot order: the
 * adjoint gathers through them instead of scattering, so no two threads add into one element.
 */
function inverseTaps(index: Int32Array, inSize: number): { starts: Int32Array; slots: Int32Array } {
  const starts = new Int32Array(inSize + 1);
  for (const j of index) starts[j + 1]++;
  for (let j = 0; j < inSize; j++) starts[j + 1] += starts[j];
  const next = starts.slice(0, inSize);
  const slots = new Int32Array(index.length);
  index.forEach((j, q) => {
    slots[next[j]++] = q;
  });
  return { starts, slots };
}

/** The meta words both shaders read, after the element count, and the thread's position across the axis. */
const GEOMETRY = `  let points = m[1];
  let inSize = m[2];
  let inner = m[3];
  let taps = m[4];
  let k = i % inner;`;

/**
 * Resampling along one axis of [outer, L, inner] data through host taps (`resampleAxis`: linear, bilinear
 * and bicubic interpolation one axis at a time; the op takes float tensors only), one thread per output
 * element: the forward sums an output's taps in order, as the cpu kernel; the adjoint (`backward`) sums,
 * for each input position, the tap slots that read it in slot order, the order the cpu kernel's scatter
 * adds them in.
 */
export function resampleAxisKernel(rt: WebGpuRuntime): DeviceKernel {
  return ([x], attrs) => {
    const axis = attrs.axis as number;
    const { taps, index, weight, inSize } = attrs.taps as ResampleTaps;
    const shape = attrs.shape as number[];
    const backward = attrs.backward as boolean;
    const [buffer, result] = output(rt, shape, x.dtype);
    const total = sizeOf(shape);
    if (total === 0) return result;
    const inner = sizeOf(shape.slice(axis + 1));
    const points = index.length / taps;
    const w = rt.upload(Float32Array.from(weight), 'float32');
    const meta = [total, points, inSize, inner, taps];
    let extra: GPUBuffer[];
    let code: () => string;
    if (backward) {
      const { starts, slots } = inverseTaps(index, inSize);
      extra = [rt.upload(starts, 'int32'), rt.upload(slots, 'int32')];
      code = () => `${bindings([['g', 'f32'], ['starts', 'i32'], ['slots', 'i32'], ['w', 'f32'], ['o', 'f32']])}
${metaBinding(5)}
${ELEMENT_MAIN}
${GEOMETRY}
  let j = (i / inner) % inSize;
  let base = (i / (inner * inSize)) * points * inner + k;
  var s: f32 = 0.0;
  for (var e = u32(starts[j]); e < u32(starts[j + 1u]); e++) {
    let q = u32(slots[e]);
    s += w[q] * g[base + (q / taps) * inner];
  }
  o[i] = s;
}`;
    } else {
      extra = [rt.upload(index, 'int32')];
      code = () => `${bindings([['a', 'f32'], ['idx', 'i32'], ['w', 'f32'], ['o', 'f32']])}
${metaBinding(4)}
${ELEMENT_MAIN}
${GEOMETRY}
  let p = (i / inner) % points;
  let base = (i / (inner * points)) * inSize * inner + k;
  var s: f32 = 0.0;
  for (var e = 0u; e < taps; e++) {
    let q = p * taps + e;
    s += w[q] * a[base + u32(idx[q]) * inner];
  }
  o[i] = s;
}`;
    }
    rt.dispatch(`resampleAxis:${backward}`, code, [bufferOf(x), ...extra, w, buffer], meta, grid(total));
    // The queue runs in order, so the tap buffers may go back to the pool once the dispatch is submitted.
    for (const b of [...extra, w]) rt.release(b);
    return result;
  };
}
