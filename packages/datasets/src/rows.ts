import { ShapeError, Tensor, ValueError, fmtShape, shapesEqual, zeros, type DType, type TypedArray } from '@backprop/tensor';

/** A zeroed typed array of the type that stores `dtype`. */
export function allocFor(dtype: DType, size: number): TypedArray {
  // zeros() is host storage here, so its array is the tensor package's own allocation for the dtype.
  return zeros([size], { dtype }).dataSync();
}

/** Elements per row of a tensor whose first axis counts samples. */
export function rowSize(t: Tensor): number {
  return t.shape.length === 0 ? 1 : t.size / t.shape[0];
}

/** Checks that `t` has a first (sample) axis and returns its length. */
export function numRows(op: string, t: Tensor, name = 'x'): number {
  if (t.rank === 0) throw new ShapeError(op, `${name} must have a sample axis, got a 0-d tensor`);
  return t.shape[0];
}

/** The rows of `t` at `indices`, as a new tensor [indices.length, ...t.shape.slice(1)]. */
export function takeRows(op: string, t: Tensor, indices: ArrayLike<number>): Tensor {
  const n = numRows(op, t);
  const size = rowSize(t);
  const out = allocFor(t.dtype, indices.length * size);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new ValueError(op, `row index ${i} is outside [0, ${n})`);
    out.set(t.dataSync().subarray(i * size, (i + 1) * size) as never, k * size);
  }
  return new Tensor(out, [indices.length, ...t.shape.slice(1)], t.dtype);
}

/** Stacks same-shape, same-dtype tensors along a new first axis, as `torch.stack`. */
export function stackTensors(op: string, tensors: readonly Tensor[]): Tensor {
  if (tensors.length === 0) throw new ValueError(op, 'cannot stack an empty list of tensors');
  const first = tensors[0];
  const out = allocFor(first.dtype, tensors.length * first.size);
  tensors.forEach((t, k) => {
    if (!shapesEqual(t.shape, first.shape) || t.dtype !== first.dtype) {
      throw new ShapeError(
        op,
        `item ${k} is ${t.dtype} ${fmtShape(t.shape)} but item 0 is ${first.dtype} ${fmtShape(first.shape)}; items must match to stack`,
      );
    }
    out.set(t.dataSync() as never, k * first.size);
  });
  return new Tensor(out, [tensors.length, ...first.shape], first.dtype);
}

/** Float64 copy of a tensor's values, for statistics computed in double precision. */
export function toFloat64(t: Tensor): Float64Array {
  const values = t.dataSync();
  return values instanceof Float64Array ? values : Float64Array.from(values as ArrayLike<number>);
}
