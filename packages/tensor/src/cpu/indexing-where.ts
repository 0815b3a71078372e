import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType } from '../dtype.js';
import { broadcastStrides, sizeOf } from '../shape.js';
import { lastStride, nextRow, rowLength } from './indexing-walk.js';

/** out = cond ? a : b, the three operands broadcast to `shape`; a and b already have the output dtype. */
function whereKernel(cond: TensorData, a: TensorData, b: TensorData, shape: readonly number[], dtype: DType): TensorData {
  const size = sizeOf(shape);
  const out = allocData(dtype, size);
  const strides = [broadcastStrides(cond.shape, shape), broadcastStrides(a.shape, shape), broadcastStrides(b.shape, shape)];
  const [sc, sa, sb] = strides.map(lastStride);
  const n = rowLength(shape);
  const counter = new Array<number>(shape.length).fill(0);
  const offsets = [0, 0, 0];
  const c = cond.data;
  const x = a.data;
  const y = b.data;
  for (let o = 0; o < size; o += n) {
    for (let j = 0, ic = offsets[0], ia = offsets[1], ib = offsets[2]; j < n; j++, ic += sc, ia += sa, ib += sb) {
      out[o + j] = c[ic] ? x[ia] : y[ib];
    }
    nextRow(counter, shape, offsets, strides);
  }
  return { data: out, shape, dtype };
}

export function registerWhereKernels(): void {
  registerKernel('cpu', 'where', ([cond, a, b], attrs) => whereKernel(cond, a, b, attrs.shape as number[], attrs.dtype as DType));
}
