import { registerKernel, type TensorData } from '../backend.js';
import { allocData } from '../dtype.js';
import { sizeOf, stridesOf } from '../shape.js';
import { stridedCopy } from './indexing-walk.js';

/** Inputs share dtype and every size but `axis`'s; each is a block of [outer, sizeᵢ·inner] in the output. */
function concatKernel(inputs: readonly TensorData[], axis: number): TensorData {
  const first = inputs[0];
  const shape = [...first.shape];
  shape[axis] = 0;
  for (const x of inputs) shape[axis] += x.shape[axis];
  const out = allocData(first.dtype, sizeOf(shape));
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const outRow = shape[axis] * inner;
  let column = 0;
  for (const x of inputs) {
    const width = x.shape[axis] * inner;
    const src = x.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0, s = o * width, t = o * outRow + column; i < width; i++) out[t + i] = src[s + i];
    }
    column += width;
  }
  return { data: out, shape, dtype: first.dtype };
}

/** `length` elements along `axis`, from `start` every `step`: a strided copy with the axis stride scaled. */
function sliceKernel(x: TensorData, axis: number, start: number, step: number, length: number): TensorData {
  const shape = [...x.shape];
  shape[axis] = length;
  const out = allocData(x.dtype, sizeOf(shape));
  const srcStrides = stridesOf(x.shape);
  const offset = start * srcStrides[axis];
  srcStrides[axis] *= step;
  stridedCopy(x.data, offset, srcStrides, out, 0, stridesOf(shape), shape);
  return { data: out, shape, dtype: x.dtype };
}

/** Reversal along `axes`: start at the last element of each flipped axis and walk it with a negative stride. */
function flipKernel(x: TensorData, axes: readonly number[]): TensorData {
  const out = allocData(x.dtype, x.data.length);
  const srcStrides = stridesOf(x.shape);
  let offset = 0;
  for (const a of axes) {
    if (x.shape[a] > 0) offset += (x.shape[a] - 1) * srcStrides[a];
    srcStrides[a] = -srcStrides[a];
  }
  stridedCopy(x.data, offset, srcStrides, out, 0, stridesOf(x.shape), x.shape);
  return { data: out, shape: x.shape, dtype: x.dtype };
}

/**
 * Constant padding by `before[d]`/`after[d]` elements on each axis; negative amounts crop. The output is
 * filled with `value`, then the overlap of input and output is copied in one strided walk.
 */
function padKernel(x: TensorData, before: readonly number[], after: readonly number[], value: number): TensorData {
  const shape = x.shape.map((n, d) => n + before[d] + after[d]);
  const out = allocData(x.dtype, sizeOf(shape));
  out.fill(value);
  const srcStrides = stridesOf(x.shape);
  const dstStrides = stridesOf(shape);
  let srcOffset = 0;
  let dstOffset = 0;
  const overlap = x.shape.map((n, d) => {
    const lo = Math.max(0, before[d]);
    const hi = Math.min(shape[d], before[d] + n);
    srcOffset += (lo - before[d]) * srcStrides[d];
    dstOffset += lo * dstStrides[d];
    return Math.max(0, hi - lo);
  });
  stridedCopy(x.data, srcOffset, srcStrides, out, dstOffset, dstStrides, overlap);
  return { data: out, shape, dtype: x.dtype };
}

export function registerCopyKernels(): void {
  registerKernel('cpu', 'concat', (inputs, attrs) => concatKernel(inputs, attrs.axis as number));
  registerKernel('cpu', 'slice', ([x], attrs) =>
    sliceKernel(x, attrs.axis as number, attrs.start as number, attrs.step as number, attrs.length as number),
  );
  registerKernel('cpu', 'flip', ([x], attrs) => flipKernel(x, attrs.axes as number[]));
  registerKernel('cpu', 'pad', ([x], attrs) =>
    padKernel(x, attrs.before as number[], attrs.after as number[], attrs.value as number),
  );
}
