import { describe, expect, it } from 'vitest';
import {
  cosineEmbeddingLoss, gaussianNllLoss, marginRankingLoss, poissonNllLoss, tripletMarginLoss,
} from '../src/index.js';
import { itMatchesEachCase, loadNamedCases } from './named-cases.js';

const cases = loadNamedCases('pairwise.json');

describe('pairwise and likelihood losses match PyTorch 1.13 in float64', () => {
  it('has a case for every loss', () => {
    expect(new Set(cases.map((c) => c.loss))).toEqual(
      new Set(['tripletMarginLoss', 'marginRankingLoss', 'cosineEmbeddingLoss', 'poissonNllLoss', 'gaussianNllLoss']),
    );
  });
  itMatchesEachCase(cases, (loss, x, options) => {
    switch (loss) {
      case 'tripletMarginLoss': return tripletMarginLoss(x.anchor, x.positive, x.negative, options);
      case 'marginRankingLoss': return marginRankingLoss(x.input1, x.input2, x.target, options);
      case 'cosineEmbeddingLoss': return cosineEmbeddingLoss(x.input1, x.input2, x.target, options);
      case 'poissonNllLoss': return poissonNllLoss(x.input, x.target, options);
      case 'gaussianNllLoss': return gaussianNllLoss(x.input, x.target, x.var, options);
      default: throw new Error(`no call for ${loss}`);
    }
  });
});
