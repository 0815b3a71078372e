import { Tensor, ValueError } from '@backprop/tensor';

/** The float buffers optimizers keep per parameter: the same type as the parameter's data. */
export type FloatArray = Float32Array | Float64Array;

/** A value in an optimizer's state: numbers, flags, buffers, and lists of them. */
export type StateValue = number | boolean | string | null | FloatArray | Tensor | readonly StateValue[];

/** A state value as JSON can hold it: buffers become plain number arrays. */
export type SerializedValue = number | boolean | string | null | SerializedValue[];

/**
 * An optimizer's state as plain data, laid out as PyTorch's `optimizer.state_dict()`: `state` maps a
 * parameter's index (counting through the groups in order) to its state, and each entry of `paramGroups`
 * holds the group's options with `params` replaced by those indices. `JSON.stringify` keeps it exactly.
 */
export interface OptimizerStateDict {
  state: Record<string, Record<string, SerializedValue>>;
  paramGroups: ({ params: number[] } & Record<string, SerializedValue>)[];
}

/** Buffers to plain arrays, recursively; everything else as it is. */
export function serialize(value: unknown): SerializedValue {
  if (value instanceof Float32Array || value instanceof Float64Array) return Array.from(value);
  if (value instanceof Tensor) return Array.from(value.dataSync() as Float32Array);
  if (Array.isArray(value)) return value.map(serialize);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, serialize(v)])) as never;
  }
  return value as SerializedValue;
}

/** A buffer of the same type as `like`, holding `values` (a plain array or a buffer from a state dict). */
export function toBuffer(values: ArrayLike<number>, like: FloatArray): FloatArray {
  return like instanceof Float32Array ? Float32Array.from(values) : Float64Array.from(values);
}

/** Checks that a saved state value is a number array of `size` elements, naming the optimizer and key. */
export function expectArray(owner: string, key: string, value: unknown, size: number): ArrayLike<number> {
  const isNumbers =
    (Array.isArray(value) && value.every((v) => typeof v === 'number')) ||
    value instanceof Float32Array ||
    value instanceof Float64Array;
  if (!isNumbers || (value as ArrayLike<number>).length !== size) {
    const got = Array.isArray(value) || ArrayBuffer.isView(value) ? `${(value as ArrayLike<number>).length} values` : typeof value;
    throw new ValueError(owner, `loadStateDict: state '${key}' must hold ${size} numbers, got ${got}`);
  }
  return value as ArrayLike<number>;
}
