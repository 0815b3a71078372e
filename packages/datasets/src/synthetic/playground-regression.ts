import type { Generator } from '@backprop/tensor';
import { uniform } from '../random-source.js';
import { buildSet, type Sample, type SyntheticData, type SyntheticOptions } from './synthetic-data.js';

// The two regression sets of TensorFlow Playground (tensorflow/playground, src/dataset.ts): points uniform in
// [−6, 6]², float32 targets in about [−1, 1]. Noise (0..0.5) perturbs the point at which the target is
// evaluated by up to ±6·noise per axis; the returned coordinates are the clean ones.

/** A point uniform in [−6, 6]² and the noisy point its target is evaluated at. */
function noisyPoint(g: Generator, noise: number, target: (a: number, b: number) => number): Sample {
  const x1 = uniform(g, -6, 6);
  const x2 = uniform(g, -6, 6);
  const n1 = uniform(g, -6, 6) * noise;
  const n2 = uniform(g, -6, 6) * noise;
  return [x1, x2, target(x1 + n1, x2 + n2)];
}

/**
 * A tilted plane: y = (x1 + x2) / 10.
 *
 * @example
 * const { x, y } = plane(200, { noise: 0.05, seed: 0 }); // y float32 [200]
 */
export function plane(n = 500, options: SyntheticOptions = {}): SyntheticData {
  return buildSet('plane', n, options, 0, 'float32', (_i, g, noise) => noisyPoint(g, noise, (a, b) => (a + b) / 10));
}

/** Centres (x1, x2) and signs of the six bumps of `multiGaussian`, a 3×2 grid of alternating signs. */
const BUMPS: readonly [number, number, number][] = [
  [-4, 2.5, 1],
  [0, 2.5, -1],
  [4, 2.5, 1],
  [-4, -2.5, -1],
  [0, -2.5, 1],
  [4, -2.5, -1],
];

/**
 * Six bumps of alternating sign on a 3×2 grid: each contributes ±max(0, 1 − d/2) at distance d from its
 * centre, and the target is the contribution largest in absolute value (0 far from every centre).
 *
 * @example
 * const { x, y } = multiGaussian(500, { seed: 4 });
 */
export function multiGaussian(n = 500, options: SyntheticOptions = {}): SyntheticData {
  const target = (a: number, b: number): number => {
    let best = 0;
    for (const [cx, cy, sign] of BUMPS) {
      const v = sign * Math.max(0, Math.min(1, 1 - Math.hypot(a - cx, b - cy) / 2));
      if (Math.abs(v) > Math.abs(best)) best = v;
    }
    return best;
  };
  return buildSet('multiGaussian', n, options, 0, 'float32', (_i, g, noise) => noisyPoint(g, noise, target));
}
