import { Tensor, ValueError } from '@backprop/tensor';
import { checkFeatures, columnMeans, featureMatrix, jsonHeader, jsonNumbers, requireFitted } from './features.js';
import { symmetricEigen } from './symmetric-eigen.js';

/** The saved state of a fitted `PCAWhitening`. */
export interface PCAWhiteningJSON {
  type: 'PCAWhitening';
  featureShape: number[];
  epsilon: number;
  zca: boolean;
  mean: number[];
  /** The k eigenvalues of the training covariance, descending. */
  eigenvalues: number[];
  /** The k principal axes, row-major k×d. */
  components: number[];
}

/** Options of `PCAWhitening`. */
export interface PCAWhiteningOptions {
  /** Added to every eigenvalue before the square root, so near-constant directions are not blown up (default 1e-5). */
  epsilon?: number;
  /** Keep only the leading k principal components (default all d). */
  nComponents?: number;
  /** Rotate back to the input axes (ZCA whitening) instead of returning component scores (default false). */
  zca?: boolean;
}

/**
 * PCA whitening: decorrelates features and scales them to unit variance. `fit` computes the mean and the
 * sample covariance C = XᵀX / (N − 1) of the centred training data in float64, and C = V Λ Vᵀ by Jacobi
 * rotations. `transform` returns z = (x − mean) V_k / √(λ_k + ε), shape [N, k], whose covariance on the
 * training data is the identity (up to ε); with `zca: true` it returns V_k z, shape like x, which stays
 * closest to the input (Bell & Sejnowski, 1997).
 *
 * @example
 * const white = new PCAWhitening({ epsilon: 1e-6 }).fit(xTrain);
 * white.transform(xTest).shape; // [nTest, d]
 */
export class PCAWhitening {
  readonly epsilon: number;
  readonly zca: boolean;
  readonly nComponents: number | undefined;
  mean: number[] = [];
  eigenvalues: number[] = [];
  components: number[] = [];
  private featureShape: number[] | null = null;

  constructor(options: PCAWhiteningOptions = {}) {
    this.epsilon = options.epsilon ?? 1e-5;
    if (!(this.epsilon >= 0)) throw new ValueError('PCAWhitening', `epsilon must be ≥ 0, got ${options.epsilon}`);
    this.zca = options.zca ?? false;
    this.nComponents = options.nComponents;
  }

  fit(x: Tensor): this {
    const op = 'PCAWhitening.fit';
    const m = featureMatrix(op, x);
    const { n, d, values } = m;
    const k = this.nComponents ?? d;
    if (!Number.isInteger(k) || k < 1 || k > d) throw new ValueError(op, `nComponents must be an integer in 1..${d}, got ${k}`);
    if (n < 2) throw new ValueError(op, `needs at least 2 samples for a covariance, got ${n}`);
    const mean = columnMeans(m);
    const cov = new Float64Array(d * d);
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) row[j] = values[i * d + j] - mean[j];
      for (let p = 0; p < d; p++) for (let q = p; q < d; q++) cov[p * d + q] += row[p] * row[q];
    }
    for (let p = 0; p < d; p++) {
      for (let q = p; q < d; q++) cov[p * d + q] = cov[q * d + p] = cov[p * d + q] / (n - 1);
    }
    const eig = symmetricEigen(cov, d);
    this.mean = Array.from(mean);
    // Rounding can leave tiny negative eigenvalues of a singular covariance; they are zero.
    this.eigenvalues = Array.from(eig.values.subarray(0, k), (l) => Math.max(l, 0));
    this.components = [];
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) this.components.push(eig.vectors[j * d + c]);
    this.featureShape = m.featureShape;
    return this;
  }

  transform(x: Tensor): Tensor {
    const featureShape = checkFeatures('PCAWhitening.transform', x, this.featureShape);
    const n = x.shape[0];
    const d = this.mean.length;
    const k = this.eigenvalues.length;
    const scale = this.eigenvalues.map((l) => 1 / Math.sqrt(l + this.epsilon));
    const outD = this.zca ? d : k;
    const out = x.dtype === 'float64' ? new Float64Array(n * outD) : new Float32Array(n * outD);
    const centred = new Float64Array(d);
    const z = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d; j++) centred[j] = x.dataSync()[i * d + j] - this.mean[j];
      for (let c = 0; c < k; c++) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += centred[j] * this.components[c * d + j];
        z[c] = dot * scale[c];
      }
      if (!this.zca) {
        out.set(z, i * k);
        continue;
      }
      for (let j = 0; j < d; j++) {
        let sum = 0;
        for (let c = 0; c < k; c++) sum += this.components[c * d + j] * z[c];
        out[i * d + j] = sum;
      }
    }
    return new Tensor(out, [n, ...(this.zca ? featureShape : [k])], x.dtype === 'float64' ? 'float64' : 'float32');
  }

  fitTransform(x: Tensor): Tensor {
    return this.fit(x).transform(x);
  }

  toJSON(): PCAWhiteningJSON {
    const featureShape = [...requireFitted('PCAWhitening.toJSON', this.featureShape)];
    const { epsilon, zca, mean, eigenvalues, components } = this;
    return { type: 'PCAWhitening', featureShape, epsilon, zca, mean, eigenvalues, components };
  }

  static fromJSON(json: unknown): PCAWhitening {
    const op = 'PCAWhitening.fromJSON';
    const { obj, featureShape, d } = jsonHeader(op, json, 'PCAWhitening');
    const eigenvalues = jsonNumbers(op, obj, 'eigenvalues');
    if (typeof obj.epsilon !== 'number') throw new ValueError(op, `field 'epsilon' must be a number, got ${JSON.stringify(obj.epsilon)}`);
    const white = new PCAWhitening({ epsilon: obj.epsilon, zca: obj.zca === true, nComponents: eigenvalues.length });
    white.mean = jsonNumbers(op, obj, 'mean', d);
    white.eigenvalues = eigenvalues;
    white.components = jsonNumbers(op, obj, 'components', eigenvalues.length * d);
    white.featureShape = featureShape;
    return white;
  }
}
