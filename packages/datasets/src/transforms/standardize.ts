import type { Tensor } from '@backprop/tensor';
import { affinePerFeature, checkFeatures, columnMeans, featureMatrix, jsonHeader, jsonNumbers, requireFitted } from './features.js';

/** The saved statistics of a fitted `Standardize`. */
export interface StandardizeJSON {
  type: 'Standardize';
  featureShape: number[];
  mean: number[];
  std: number[];
}

/**
 * Scales every feature to zero mean and unit variance, as scikit-learn's `StandardScaler`:
 * `(x − mean) / std`, with the population standard deviation (divisor N) of the data given to `fit`;
 * a constant feature keeps std 1 so that it maps to 0. Statistics are computed in float64 over the first
 * axis, so x may be [N, d] or [N, C, H, W] (per pixel). Fit on the training set only, then apply to the
 * others; `toJSON` saves the statistics with a model.
 *
 * @example
 * const scaler = new Standardize().fit(xTrain);
 * const xTestScaled = scaler.transform(xTest);
 * const again = Standardize.fromJSON(JSON.parse(JSON.stringify(scaler)));
 */
export class Standardize {
  mean: number[] = [];
  std: number[] = [];
  private featureShape: number[] | null = null;

  fit(x: Tensor): this {
    const m = featureMatrix('Standardize.fit', x);
    const mean = columnMeans(m);
    const sq = new Float64Array(m.d);
    for (let i = 0; i < m.n; i++) {
      for (let j = 0; j < m.d; j++) sq[j] += (m.values[i * m.d + j] - mean[j]) ** 2;
    }
    this.mean = Array.from(mean);
    this.std = Array.from(sq, (s) => Math.sqrt(s / m.n) || 1);
    this.featureShape = m.featureShape;
    return this;
  }

  transform(x: Tensor): Tensor {
    checkFeatures('Standardize.transform', x, this.featureShape);
    return affinePerFeature(x, this.std.map((s) => 1 / s), this.mean.map((m, j) => -m / this.std[j]));
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  /** Maps standardized values back to the original units. */
  inverseTransform(x: Tensor): Tensor {
    checkFeatures('Standardize.inverseTransform', x, this.featureShape);
    return affinePerFeature(x, this.std, this.mean);
  }

  toJSON(): StandardizeJSON {
    const featureShape = [...requireFitted('Standardize.toJSON', this.featureShape)];
    return { type: 'Standardize', featureShape, mean: this.mean, std: this.std };
  }

  static fromJSON(json: unknown): Standardize {
    const op = 'Standardize.fromJSON';
    const { obj, featureShape, d } = jsonHeader(op, json, 'Standardize');
    const scaler = new Standardize();
    scaler.mean = jsonNumbers(op, obj, 'mean', d);
    scaler.std = jsonNumbers(op, obj, 'std', d);
    scaler.featureShape = featureShape;
    return scaler;
  }
}
