import { uniform } from '../random-source.js';
import { buildSet, classOf, type SyntheticData, type SyntheticOptions } from './synthetic-data.js';

// The four classification sets of TensorFlow Playground (tensorflow/playground, src/dataset.ts), with the
// same shapes, ranges and noise semantics: coordinates within [−6, 6] and `noise` in [0, 0.5] (the
// playground's 0–50 % slider). Labels are 0/1 instead of the playground's −1/+1; half the samples (the
// first, for odd n) belong to class 0, and the set is ordered by class.

/**
 * Two concentric classes: class 0 inside radius 2.5, class 1 in the ring between 3.5 and 5. Noise moves the
 * point used for labelling by up to ±5·noise on each axis, so near the border labels flip.
 *
 * @example
 * const { x, y } = circle(500, { noise: 0.1, seed: 0 }); // x [500, 2], y int32 [500]
 */
export function circle(n = 500, options: SyntheticOptions = {}): SyntheticData {
  const radius = 5;
  return buildSet('circle', n, options, 0, 'int32', (i, g, noise) => {
    const inner = classOf(i, n, 2).label === 0;
    const r = inner ? uniform(g, 0, radius * 0.5) : uniform(g, radius * 0.7, radius);
    const angle = uniform(g, 0, 2 * Math.PI);
    const x1 = r * Math.sin(angle);
    const x2 = r * Math.cos(angle);
    const n1 = uniform(g, -radius, radius) * noise;
    const n2 = uniform(g, -radius, radius) * noise;
    return [x1, x2, Math.hypot(x1 + n1, x2 + n2) < radius * 0.5 ? 0 : 1];
  });
}

/**
 * Four quadrants: class 1 where the coordinates' signs differ (x1·x2 < 0), class 0 where they agree.
 * Coordinates are uniform in ±[0.3, 5.3] (kept 0.3 away from the axes); noise moves the labelling point by
 * up to ±5·noise per axis. Classes are not ordered.
 *
 * @example
 * const { x, y } = xor(200, { seed: 1 });
 */
export function xor(n = 500, options: SyntheticOptions = {}): SyntheticData {
  const awayFromAxis = (v: number): number => v + (v > 0 ? 0.3 : -0.3);
  return buildSet('xor', n, options, 0, 'int32', (_i, g, noise) => {
    const x1 = awayFromAxis(uniform(g, -5, 5));
    const x2 = awayFromAxis(uniform(g, -5, 5));
    const product = (x1 + uniform(g, -5, 5) * noise) * (x2 + uniform(g, -5, 5) * noise);
    return [x1, x2, product >= 0 ? 0 : 1];
  });
}

/**
 * Two Gaussian clouds: class 0 around (−2, −2), class 1 around (2, 2). The variance grows linearly with the
 * noise, from 0.5 at noise 0 to 4 at noise 0.5, as in the playground.
 *
 * @example
 * const { x, y } = gaussians(300, { noise: 0.2, seed: 2 });
 */
export function gaussians(n = 500, options: SyntheticOptions = {}): SyntheticData {
  return buildSet('gaussians', n, options, 0, 'int32', (i, g, noise) => {
    const label = classOf(i, n, 2).label;
    const centre = label === 0 ? -2 : 2;
    const std = Math.sqrt(0.5 + 7 * noise);
    return [centre + std * g.normal(), centre + std * g.normal(), label];
  });
}

/**
 * Two interleaved spiral arms of 1.75 turns growing to radius 5; class 1 is class 0 turned by π. Noise adds
 * up to ±noise to each coordinate.
 *
 * @example
 * const { x, y } = spiral(400, { noise: 0.1, seed: 3 });
 */
export function spiral(n = 500, options: SyntheticOptions = {}): SyntheticData {
  return buildSet('spiral', n, options, 0, 'int32', (i, g, noise) => {
    const { label, index, size } = classOf(i, n, 2);
    const r = (index / size) * 5;
    const t = ((1.75 * index) / size) * 2 * Math.PI + label * Math.PI;
    return [r * Math.sin(t) + uniform(g, -1, 1) * noise, r * Math.cos(t) + uniform(g, -1, 1) * noise, label];
  });
}
