import type { KernelAttrs, TensorData } from '../backend.js';
import { allocData } from '../dtype.js';
import { sizeOf } from '../shape.js';
import type { ResampleTaps } from '../ops/resample.js';

/**
 * Resampling along one axis of [outer, L, inner] data through taps, or its adjoint (`backward`): the
 * forward sums each output's taps in order (as PyTorch's interpolation kernels), the adjoint scatters.
 */
export function resampleAxisKernel([x]: readonly TensorData[], attrs: KernelAttrs): TensorData {
  const axis = attrs.axis as number;
  const { taps, index, weight } = attrs.taps as ResampleTaps;
  const shape = attrs.shape as number[];
  const backward = attrs.backward as boolean;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const points = index.length / taps;
  const long = backward ? shape[axis] : x.shape[axis];
  const src = x.data;
  const out = allocData(x.dtype, sizeOf(shape));
  for (let o = 0; o < outer; o++) {
    const image = o * long * inner;
    const grid = o * points * inner;
    for (let i = 0; i < points; i++) {
      for (let k = 0; k < inner; k++) {
        if (backward) {
          const g = src[grid + i * inner + k];
          for (let t = 0; t < taps; t++) out[image + index[i * taps + t] * inner + k] += weight[i * taps + t] * g;
        } else {
          let s = 0;
          for (let t = 0; t < taps; t++) s += weight[i * taps + t] * src[image + index[i * taps + t] * inner + k];
          out[grid + i * inner + k] = s;
        }
      }
    }
  }
  return { data: out, shape, dtype: x.dtype };
}
