import { ValueError } from '@backprop/tensor';
import { buildSet, classOf, type SyntheticData, type SyntheticOptions } from './synthetic-data.js';

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: class 0 on the upper arc (cos t, sin t),
 * class 1 on the lower arc (1 − cos t, 0.5 − sin t), t evenly spaced in [0, π]; `noise` is the standard
 * deviation of Gaussian noise added to each coordinate (default 0). Coordinates lie in about [−1, 2] × [−0.5, 1].
 *
 * @example
 * const { x, y } = moons(200, { noise: 0.1, seed: 0 });
 */
export function moons(n = 500, options: SyntheticOptions = {}): SyntheticData {
  return buildSet('moons', n, options, 0, 'int32', (i, g, noise) => {
    const { label, index, size } = classOf(i, n, 2);
    const t = size > 1 ? (Math.PI * index) / (size - 1) : 0;
    const x1 = label === 0 ? Math.cos(t) : 1 - Math.cos(t);
    const x2 = label === 0 ? Math.sin(t) : 0.5 - Math.sin(t);
    return [x1 + noise * g.normal(), x2 + noise * g.normal(), label];
  });
}

/**
 * `nClasses` Gaussian blobs that are linearly separable: class k is centred at 3·(cos 2πk/K, sin 2πk/K) with
 * standard deviation `noise` (default 0.5) per axis, truncated to 0.9 of half the distance between
 * neighbouring centres, so every point is nearest its own centre and a linear classifier (argmax of K
 * linear scores) separates the classes exactly. Classes are ordered, with sizes differing by at most one.
 *
 * @example
 * const { x, y } = blobs(3, 300, { noise: 0.4, seed: 0 }); // y in 0..2
 */
export function blobs(nClasses: number, n = 500, options: SyntheticOptions = {}): SyntheticData {
  if (!Number.isInteger(nClasses) || nClasses < 2) throw new ValueError('blobs', `nClasses must be an integer ≥ 2, got ${nClasses}`);
  const radius = 3;
  const maxDistance = 0.9 * radius * Math.sin(Math.PI / nClasses);
  return buildSet('blobs', n, options, 0.5, 'int32', (i, g, std) => {
    const { label } = classOf(i, n, nClasses);
    const angle = (2 * Math.PI * label) / nClasses;
    // A 2-d normal's distance from its mean is Rayleigh(std); inverting its CDF on the truncated range
    // samples the truncated distance exactly, without rejection loops.
    const floor = std > 0 ? Math.exp(-(maxDistance * maxDistance) / (2 * std * std)) : 1;
    const u = floor + (1 - floor) * (1 - g.random()); // in (floor, 1]
    const d = std * Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * g.random();
    return [radius * Math.cos(angle) + d * Math.cos(theta), radius * Math.sin(angle) + d * Math.sin(theta), label];
  });
}
