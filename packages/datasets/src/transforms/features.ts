import { ShapeError, Tensor, ValueError, fmtShape, shapesEqual } from '@backprop/tensor';
import { numRows, rowSize, toFloat64 } from '../rows.js';

/** A [N, ...features] tensor seen as an N×d matrix of float64 values. */
export interface FeatureMatrix {
  n: number;
  d: number;
  featureShape: number[];
  values: Float64Array;
}

export function featureMatrix(op: string, x: Tensor): FeatureMatrix {
  const n = numRows(op, x);
  if (n === 0) throw new ValueError(op, 'cannot fit on 0 samples');
  return { n, d: rowSize(x), featureShape: x.shape.slice(1), values: toFloat64(x) };
}

/** Per-feature means of the matrix. */
export function columnMeans({ n, d, values }: FeatureMatrix): Float64Array {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += values[i * d + j];
  return mean.map((m) => m / n);
}

/** The fitted feature shape, or an error saying the transform needs fitting first. */
export function requireFitted(op: string, featureShape: readonly number[] | null): readonly number[] {
  if (featureShape === null) throw new ValueError(op, 'is not fitted: call fit(xTrain) or fromJSON first');
  return featureShape;
}

/** Throws unless `x` has the feature shape the transform was fitted on. */
export function checkFeatures(op: string, x: Tensor, fitted: readonly number[] | null): readonly number[] {
  const featureShape = requireFitted(op, fitted);
  numRows(op, x);
  if (!shapesEqual(x.shape.slice(1), featureShape)) {
    throw new ShapeError(op, `x has shape ${fmtShape(x.shape)} but the transform was fitted on features ${fmtShape(featureShape)}`);
  }
  return featureShape;
}

/** `x * scale + bias` feature by feature, in float64, returned as float64 for float64 input, else float32. */
export function affinePerFeature(x: Tensor, scale: ArrayLike<number>, bias: ArrayLike<number>): Tensor {
  const d = rowSize(x);
  const out = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
  const src = x.dataSync();
  for (let i = 0; i < x.size; i++) out[i] = src[i] * scale[i % d] + bias[i % d];
  return new Tensor(out, x.shape, x.dtype === 'float64' ? 'float64' : 'float32');
}

/** A numeric array field of a saved transform, checked for type and length. */
export function jsonNumbers(op: string, json: Record<string, unknown>, key: string, length?: number): number[] {
  const v = json[key];
  if (!Array.isArray(v) || v.some((e) => typeof e !== 'number') || (length !== undefined && v.length !== length)) {
    const expected = length === undefined ? 'an array of numbers' : `an array of ${length} numbers`;
    throw new ValueError(op, `field '${key}' must be ${expected}, got ${JSON.stringify(v)?.slice(0, 60)}`);
  }
  return v as number[];
}

/** Checks a saved transform's `type` tag and returns its feature shape and size. */
export function jsonHeader(op: string, json: unknown, type: string): { obj: Record<string, unknown>; featureShape: number[]; d: number } {
  const obj = (json ?? {}) as Record<string, unknown>;
  if (obj.type !== type) throw new ValueError(op, `expected JSON with type '${type}', got type ${JSON.stringify(obj.type)}`);
  const featureShape = jsonNumbers(op, obj, 'featureShape');
  return { obj, featureShape, d: featureShape.reduce((a, b) => a * b, 1) };
}
