import { ValueError, type Tensor } from '@backprop/tensor';
import { affinePerFeature, checkFeatures, featureMatrix, jsonHeader, jsonNumbers, requireFitted } from './features.js';

/** The saved statistics of a fitted `MinMaxScale`. */
export interface MinMaxScaleJSON {
  type: 'MinMaxScale';
  featureShape: number[];
  featureRange: [number, number];
  dataMin: number[];
  dataMax: number[];
}

/**
 * Maps every feature linearly so that the training data's minimum and maximum land on `featureRange`
 * (default [0, 1]), as scikit-learn's `MinMaxScaler`: `lo + (x − min) · (hi − lo) / (max − min)`. A constant
 * feature maps to `lo`. Other data may fall outside the range: it is not clipped.
 *
 * @example
 * const scaler = new MinMaxScale({ featureRange: [-1, 1] }).fit(xTrain);
 * scaler.transform(xTest);
 */
export class MinMaxScale {
  readonly featureRange: [number, number];
  dataMin: number[] = [];
  dataMax: number[] = [];
  private featureShape: number[] | null = null;

  constructor(options: { featureRange?: [number, number] } = {}) {
    const [lo, hi] = options.featureRange ?? [0, 1];
    if (!(lo < hi)) throw new ValueError('MinMaxScale', `featureRange must have lo < hi, got [${lo}, ${hi}]`);
    this.featureRange = [lo, hi];
  }

  fit(x: Tensor): this {
    const { n, d, featureShape, values } = featureMatrix('MinMaxScale.fit', x);
    const min = new Float64Array(d).fill(Infinity);
    const max = new Float64Array(d).fill(-Infinity);
    for (let i = 0; i < n * d; i++) {
      min[i % d] = Math.min(min[i % d], values[i]);
      max[i % d] = Math.max(max[i % d], values[i]);
    }
    this.dataMin = Array.from(min);
    this.dataMax = Array.from(max);
    this.featureShape = featureShape;
    return this;
  }

  /** Per-feature `scale` and `bias` of `x · scale + bias`. */
  private coefficients(): { scale: number[]; bias: number[] } {
    const [lo, hi] = this.featureRange;
    const scale = this.dataMin.map((m, j) => (hi - lo) / (this.dataMax[j] - m || Infinity));
    return { scale, bias: scale.map((s, j) => lo - this.dataMin[j] * s) };
  }

  transform(x: Tensor): Tensor {
    checkFeatures('MinMaxScale.transform', x, this.featureShape);
    const { scale, bias } = this.coefficients();
    return affinePerFeature(x, scale, bias);
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Maps scaled values back to the original units (a constant feature maps back to its value). */
  inverseTransform(x: Tensor): Tensor {
    checkFeatures('MinMaxScale.inverseTransform', x, this.featureShape);
    const [lo, hi] = this.featureRange;
    const scale = this.dataMin.map((m, j) => (this.dataMax[j] - m) / (hi - lo));
    return affinePerFeature(x, scale, scale.map((s, j) => this.dataMin[j] - lo * s));
  }

  toJSON(): MinMaxScaleJSON {
    const featureShape = [...requireFitted('MinMaxScale.toJSON', this.featureShape)];
    return { type: 'MinMaxScale', featureShape, featureRange: this.featureRange, dataMin: this.dataMin, dataMax: this.dataMax };
  }

  static fromJSON(json: unknown): MinMaxScale {
    const op = 'MinMaxScale.fromJSON';
    const { obj, featureShape, d } = jsonHeader(op, json, 'MinMaxScale');
    const [lo, hi] = jsonNumbers(op, obj, 'featureRange', 2);
    const scaler = new MinMaxScale({ featureRange: [lo, hi] });
    scaler.dataMin = jsonNumbers(op, obj, 'dataMin', d);
    scaler.dataMax = jsonNumbers(op, obj, 'dataMax', d);
    scaler.featureShape = featureShape;
    return scaler;
  }
}
