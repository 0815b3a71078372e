import type { Tensor } from '@backprop/tensor';

/** Sample mean and (population) standard deviation of a tensor's values. */
export function moments(t: Tensor): { mean: number; std: number; min: number; max: number } {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of t.dataSync()) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / t.size;
  let sq = 0;
  for (const v of t.dataSync()) sq += (v - mean) ** 2;
  return { mean, std: Math.sqrt(sq / t.size), min, max };
}
