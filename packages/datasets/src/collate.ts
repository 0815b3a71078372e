import { Tensor, ValueError } from '@backprop/tensor';
import { stackTensors } from './rows.js';

/** The batch `defaultCollate` makes from items of type `T`: tensors where the items had tensors or numbers. */
export type Collated<T> = T extends Tensor
  ? Tensor
  : T extends number
    ? Tensor
    : T extends readonly unknown[]
      ? { -readonly [K in keyof T]: Collated<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Collated<T[K]> }
        : never;

/**
 * Puts a list of items together into one batch, as PyTorch's `default_collate`: tensors are stacked along a
 * new first axis (keeping their dtype, so float32 features give float32 [B, ...]); numbers become a [B]
 * tensor, int32 when all are integers (class labels) and float32 otherwise (regression targets); arrays
 * (tuples such as `[x, y]`) and plain objects are collated position by position and key by key.
 *
 * @example
 * defaultCollate([[tensor([1, 2]), 0], [tensor([3, 4]), 1]]); // [float32 [2, 2], int32 [2]]
 */
export function defaultCollate<T>(items: readonly T[]): Collated<T> {
  return collate(items, 'batch') as Collated<T>;
}

function collate(items: readonly unknown[], path: string): unknown {
  if (items.length === 0) throw new ValueError('defaultCollate', 'cannot collate an empty batch');
  const first = items[0];
  const same = (test: (v: unknown) => boolean, what: string): void => {
    items.forEach((v, k) => {
      if (!test(v)) throw new ValueError('defaultCollate', `${path} of item ${k} is not ${what} like item 0`);
    });
  };
  if (first instanceof Tensor) {
    same((v) => v instanceof Tensor, 'a tensor');
    return stackTensors('defaultCollate', items as Tensor[]);
  }
  if (typeof first === 'number') {
    same((v) => typeof v === 'number', 'a number');
    const values = items as number[];
    return values.every(Number.isInteger) ? new Tensor(Int32Array.from(values), [values.length], 'int32')
      : new Tensor(Float32Array.from(values), [values.length], 'float32');
  }
  if (Array.isArray(first)) {
    same((v) => Array.isArray(v) && v.length === first.length, `an array of ${first.length} elements`);
    return first.map((_, j) => collate(items.map((v) => (v as unknown[])[j]), `${path}[${j}]`));
  }
  if (first !== null && typeof first === 'object') {
    same((v) => v !== null && typeof v === 'object', 'an object');
    return Object.fromEntries(
      Object.keys(first).map((key) => [key, collate(items.map((v) => (v as Record<string, unknown>)[key]), `${path}.${key}`)]),
    );
  }
  throw new ValueError('defaultCollate', `${path} is ${typeof first}; expected tensors, numbers, arrays or objects of them`);
}
