/** Element types a tensor can hold. `float32` is the default; `float64` exists for gradient checks. */
export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** The typed array that stores each dtype: booleans are bytes of 0 or 1. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;

export type DataFor<D extends DType> = D extends 'float32'
  ? Float32Array
  : D extends 'float64'
    ? Float64Array
    : D extends 'int32'
      ? Int32Array
      : Uint8Array;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function allocData(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(size);
    case 'float64':
      return new Float64Array(size);
    case 'int32':
      return new Int32Array(size);
    case 'bool':
      return new Uint8Array(size);
  }
}

export function dtypeOfData(data: TypedArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'bool';
}

const RANK: Record<DType, number> = { bool: 0, int32: 1, float32: 2, float64: 3 };

/** PyTorch's promotion lattice for two tensors: bool < int32 < float32 < float64. */
export function promoteTypes(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** The dtype arithmetic produces: bool tensors compute as int32 (PyTorch would keep bool for add and mul of two bool tensors). */
export function arithmeticType(dtype: DType): DType {
  return dtype === 'bool' ? 'int32' : dtype;
}

/** The dtype of a float-valued result (exp, mean, division): integers become float32. */
export function floatType(dtype: DType): DType {
  return isFloat(dtype) ? dtype : 'float32';
}
