import { registerKernel, type TensorData } from '../backend.js';
import { allocData, type DType } from '../dtype.js';
import { sizeOf, stridesOf } from '../shape.js';
import { lastStride, nextRow, rowLength } from './indexing-walk.js';

/**
 * Strides of `x` for walking the index's shape: 0 along `axis`, whose position comes from the index value
 * instead. Shared by gather and scatterAdd, which differ only in the direction of the copy.
 */
function walkStrides(shape: readonly number[], axis: number): number[] {
  const s = stridesOf(shape);
  s[axis] = 0;
  return s;
}

/** out[i…] = x[i…, with i[axis] replaced by index[i…]]; the output has the index's shape. */
function gatherKernel(x: TensorData, index: TensorData, axis: number): TensorData {
  const shape = index.shape;
  const size = index.data.length;
  const out = allocData(x.dtype, size);
  const axisStride = stridesOf(x.shape)[axis];
  const xs = walkStrides(x.shape, axis);
  const step = lastStride(xs);
  const n = rowLength(shape);
  const counter = new Array<number>(shape.length).fill(0);
  const offsets = [0];
  const src = x.data;
  const idx = index.data;
  for (let o = 0; o < size; o += n) {
    const base = offsets[0];
    for (let j = 0; j < n; j++) out[o + j] = src[base + j * step + idx[o + j] * axisStride];
    nextRow(counter, shape, offsets, [xs]);
  }
  return { data: out, shape, dtype: x.dtype };
}

/** A copy of x with src[i…] added at x[i…, with i[axis] replaced by index[i…]], over the index's shape. */
function scatterAddKernel(x: TensorData, index: TensorData, src: TensorData, axis: number): TensorData {
  const out = x.data.slice();
  const shape = index.shape;
  const size = index.data.length;
  const axisStride = stridesOf(x.shape)[axis];
  const xs = walkStrides(x.shape, axis);
  const ss = stridesOf(src.shape);
  const xStep = lastStride(xs);
  const sStep = lastStride(ss);
  const n = rowLength(shape);
  const counter = new Array<number>(shape.length).fill(0);
  const offsets = [0, 0];
  const values = src.data;
  const idx = index.data;
  for (let o = 0; o < size; o += n) {
    const xBase = offsets[0];
    const sBase = offsets[1];
    for (let j = 0; j < n; j++) out[xBase + j * xStep + idx[o + j] * axisStride] += values[sBase + j * sStep];
    nextRow(counter, shape, offsets, [xs, ss]);
  }
  return { data: out, shape: x.shape, dtype: x.dtype };
}

/** Views x as [outer, n, inner] and copies the inner blocks the 1-d index picks. */
function indexSelectKernel(x: TensorData, index: TensorData, axis: number): TensorData {
  const k = index.data.length;
  const shape = [...x.shape];
  shape[axis] = k;
  const out = allocData(x.dtype, sizeOf(shape));
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const n = x.shape[axis];
  const src = x.data;
  const idx = index.data;
  for (let o = 0, t = 0; o < outer; o++) {
    for (let i = 0; i < k; i++, t += inner) {
      const s = (o * n + idx[i]) * inner;
      for (let c = 0; c < inner; c++) out[t + c] = src[s + c];
    }
  }
  return { data: out, shape, dtype: x.dtype };
}

function oneHotKernel(indices: TensorData, numClasses: number, dtype: DType): TensorData {
  const k = indices.data.length;
  const out = allocData(dtype, k * numClasses);
  const idx = indices.data;
  for (let i = 0; i < k; i++) out[i * numClasses + idx[i]] = 1;
  return { data: out, shape: [...indices.shape, numClasses], dtype };
}

export function registerGatherKernels(): void {
  registerKernel('cpu', 'gather', ([x, index], attrs) => gatherKernel(x, index, attrs.axis as number));
  registerKernel('cpu', 'scatterAdd', ([x, index, src], attrs) => scatterAddKernel(x, index, src, attrs.axis as number));
  registerKernel('cpu', 'indexSelect', ([x, index], attrs) => indexSelectKernel(x, index, attrs.axis as number));
  registerKernel('cpu', 'oneHot', ([indices], attrs) => oneHotKernel(indices, attrs.numClasses as number, attrs.dtype as DType));
}
