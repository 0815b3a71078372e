import { registerKernel, type TensorData } from '../backend.js';
import { allocData } from '../dtype.js';
import { sizeOf } from '../shape.js';

/** Softmax or log-softmax along `axis`, shifted by the max so exp never overflows. */
export function softmaxKernel(x: TensorData, axis: number, log: boolean): TensorData {
  const outer = sizeOf(x.shape.slice(0, axis));
  const n = x.shape[axis];
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = allocData(x.dtype, x.data.length);
  const d = x.data;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = -Infinity;
      for (let r = 0; r < n; r++) m = Math.max(m, d[base + r * inner]);
      if (m === -Infinity) m = 0;
      let s = 0;
      for (let r = 0; r < n; r++) s += Math.exp(d[base + r * inner] - m);
      if (log) {
        const lse = m + Math.log(s);
        for (let r = 0; r < n; r++) out[base + r * inner] = d[base + r * inner] - lse;
      } else {
        for (let r = 0; r < n; r++) out[base + r * inner] = Math.exp(d[base + r * inner] - m) / s;
      }
    }
  }
  return { data: out, shape: x.shape, dtype: x.dtype };
}

export function registerSoftmaxKernels(): void {
  registerKernel('cpu', 'softmax', ([x], attrs) => softmaxKernel(x, attrs.axis as number, false));
  registerKernel('cpu', 'logSoftmax', ([x], attrs) => softmaxKernel(x, attrs.axis as number, true));
}
