import type { FeatureName } from './state.js';

/** An input feature: its label (plain text and for screen readers) and the map from a point to its value. */
export interface Feature {
  label: string;
  spoken: string;
  fn: (x1: number, x2: number) => number;
}

/** The seven input features of TensorFlow Playground, on raw coordinates in [−6, 6] as there. */
export const FEATURES: Record<FeatureName, Feature> = {
  x1: { label: 'X₁', spoken: 'x1', fn: (a) => a },
  x2: { label: 'X₂', spoken: 'x2', fn: (_a, b) => b },
  x1sq: { label: 'X₁²', spoken: 'x1 squared', fn: (a) => a * a },
  x2sq: { label: 'X₂²', spoken: 'x2 squared', fn: (_a, b) => b * b },
  x1x2: { label: 'X₁X₂', spoken: 'x1 times x2', fn: (a, b) => a * b },
  sinx1: { label: 'sin(X₁)', spoken: 'sine of x1', fn: (a) => Math.sin(a) },
  sinx2: { label: 'sin(X₂)', spoken: 'sine of x2', fn: (_a, b) => Math.sin(b) },
};

/**
 * The feature matrix [n, features.length] (row-major) of n points given as interleaved coordinates
 * [x1₀, x2₀, x1₁, x2₁, …].
 */
export function featureMatrix(points: ArrayLike<number>, features: readonly FeatureName[]): Float32Array {
  if (points.length % 2 !== 0) throw new Error(`featureMatrix: points must hold (x1, x2) pairs, got ${points.length} numbers`);
  const n = points.length / 2;
  const k = features.length;
  const fns = features.map((f) => FEATURES[f].fn);
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const a = points[2 * i];
    const b = points[2 * i + 1];
    for (let j = 0; j < k; j++) out[i * k + j] = fns[j](a, b);
  }
  return out;
}

/** The domain shown by every heat map: the data sets' square [−6, 6]². */
export const DOMAIN = 6;

/**
 * The centres of a density×density grid of cells over [−DOMAIN, DOMAIN]², row by row from the top
 * (x2 = +DOMAIN) to the bottom, as interleaved (x1, x2): the points a heat map evaluates.
 */
export function gridPoints(density: number): Float32Array {
  const out = new Float32Array(density * density * 2);
  const cell = (2 * DOMAIN) / density;
  for (let row = 0; row < density; row++) {
    const x2 = DOMAIN - (row + 0.5) * cell;
    for (let col = 0; col < density; col++) {
      const i = row * density + col;
      out[2 * i] = -DOMAIN + (col + 0.5) * cell;
      out[2 * i + 1] = x2;
    }
  }
  return out;
}
