import { registerKernel } from '../backend.js';
import { allocData } from '../dtype.js';
import { broadcastStrides, sizeOf } from '../shape.js';

export function registerExpandKernels(): void {
  registerKernel('cpu', 'expand', ([x], attrs) => {
    const shape = attrs.shape as number[];
    const size = sizeOf(shape);
    const out = allocData(x.dtype, size);
    const rank = shape.length;
    if (size === 0) return { data: out, shape, dtype: x.dtype };
    if (rank === 0 || x.data.length === 1) {
      out.fill(x.data[0] as never);
      return { data: out, shape, dtype: x.dtype };
    }
    const st = broadcastStrides(x.shape, shape);
    const n = shape[rank - 1];
    const s = st[rank - 1];
    const counter = new Array<number>(rank).fill(0);
    let src = 0;
    for (let o = 0; o < size; o += n) {
      for (let i = 0, j = src; i < n; i++, j += s) out[o + i] = x.data[j];
      for (let d = rank - 2; d >= 0; d--) {
        counter[d]++;
        src += st[d];
        if (counter[d] < shape[d]) break;
        src -= st[d] * shape[d];
        counter[d] = 0;
      }
    }
    return { data: out, shape, dtype: x.dtype };
  });
}
