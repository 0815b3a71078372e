import { gradCheck } from '@backprop/autograd';
import { Generator, rand, randn, sign, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  cosineEmbeddingLoss, gaussianNllLoss, marginRankingLoss, poissonNllLoss, tripletMarginLoss, type Reduction,
} from '../src/index.js';

const generator = new Generator(11);
const normal = (shape: number[], scale = 1) => randn(shape, { generator, dtype: 'float64' }).mul(scale);
const uniform = (shape: number[], low: number, high: number) => rand(shape, { generator, dtype: 'float64', low, high });

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

// Margins are chosen so that no pair sits on the kink of max(·, 0) (random normals almost surely don't).
describe('gradCheck of the pairwise and likelihood losses', () => {
  for (const reduction of ['mean', 'sum', 'none'] as Reduction[]) {
    check(`tripletMarginLoss ${reduction}`, (a, p, n) => tripletMarginLoss(a, p, n, { reduction, margin: 3 }), [normal([3, 4]), normal([3, 4]), normal([3, 4])]);
    check(
      `tripletMarginLoss ${reduction}, p 3 with swap`,
      (a, p, n) => tripletMarginLoss(a, p, n, { reduction, p: 3, swap: true, margin: 4 }),
      [normal([3, 4]), normal([3, 4]), normal([3, 4])],
    );
    const signs = sign(normal([5]));
    check(`marginRankingLoss ${reduction}`, (a, b) => marginRankingLoss(a, b, signs, { reduction, margin: 5 }), [normal([5]), normal([5])]);
    const pairs = sign(normal([4]));
    check(`cosineEmbeddingLoss ${reduction}`, (a, b) => cosineEmbeddingLoss(a, b, pairs, { reduction, margin: -1 }), [normal([4, 3]), normal([4, 3])]);
    check(`poissonNllLoss ${reduction}`, (x, y) => poissonNllLoss(x, y, { reduction }), [normal([3, 4]), uniform([3, 4], 0, 4)]);
    check(
      `poissonNllLoss ${reduction}, rates and full`,
      (x, y) => poissonNllLoss(x, y, { reduction, logInput: false, full: true }),
      [uniform([3, 4], 0.5, 3), uniform([3, 4], 1.2, 5)],
    );
    check(`gaussianNllLoss ${reduction}`, (x, y, v) => gaussianNllLoss(x, y, v, { reduction, full: true }), [normal([3, 4]), normal([3, 4]), uniform([3, 4], 0.3, 2)]);
    check(`gaussianNllLoss ${reduction}, one variance per row`, (x, y, v) => gaussianNllLoss(x, y, v, { reduction }), [normal([3, 4]), normal([3, 4]), uniform([3, 1], 0.3, 2)]);
  }
});
