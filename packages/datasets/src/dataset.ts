import { ShapeError, Tensor, ValueError, fmtShape } from '@backprop/tensor';
import { numRows, rowSize } from './rows.js';

/**
 * A map-style dataset, as PyTorch's `Dataset`: a `length` and random access to item `i`.
 *
 * @example
 * const squares: Dataset<number> = { length: 10, get: (i) => i * i };
 */
export interface Dataset<T> {
  readonly length: number;
  get(index: number): T;
}

function checkIndex(op: string, index: number, length: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new ValueError(op, `index ${index} is outside [0, ${length})`);
  }
}

/**
 * Wraps tensors that share a first (sample) axis; item `i` is the list of their `i`-th rows, as PyTorch's
 * `TensorDataset`. A row of a 1-d tensor is a 0-d tensor. Rows are copies.
 *
 * @example
 * const ds = new TensorDataset(tensor([[1, 2], [3, 4]]), tensor([0, 1], 'int32'));
 * const [x1, y1] = ds.get(1); // x1: [3, 4], y1: 1 (0-d)
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new ValueError('TensorDataset', 'needs at least one tensor');
    this.length = numRows('TensorDataset', tensors[0], 'tensor 0');
    tensors.forEach((t, k) => {
      if (numRows('TensorDataset', t, `tensor ${k}`) !== this.length) {
        throw new ShapeError(
          'TensorDataset',
          `tensor ${k} has shape ${fmtShape(t.shape)} but tensor 0 has ${this.length} rows; all need the same first axis`,
        );
      }
    });
    this.tensors = tensors;
  }

  get(index: number): Tensor[] {
    checkIndex('TensorDataset.get', index, this.length);
    return this.tensors.map((t) => {
      const size = rowSize(t);
      const data = t.dataSync().slice(index * size, (index + 1) * size);
      return new Tensor(data, t.shape.slice(1), t.dtype);
    });
  }
}

/**
 * The items of `dataset` at `indices`, in that order, as PyTorch's `Subset`; `randomSplit` returns these.
 *
 * @example
 * const firstTen = new Subset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 */
export class Subset<T> implements Dataset<T> {
  readonly indices: readonly number[];

  constructor(
    readonly dataset: Dataset<T>,
    indices: ArrayLike<number>,
  ) {
    this.indices = Array.from(indices);
    for (const i of this.indices) checkIndex('Subset', i, dataset.length);
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    checkIndex('Subset.get', index, this.indices.length);
    return this.dataset.get(this.indices[index]);
  }
}
