import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import { pairwiseCall } from './named-calls.js';
import { itMatchesEachCase, loadNamedCases } from './named-cases.js';

const cases = loadNamedCases('pairwise.json');

describe('pairwise and likelihood losses match PyTorch 1.13 in float64', () => {
  it('has a case for every loss', () => {
    expect(new Set(cases.map((c) => c.loss))).toEqual(
      new Set(['tripletMarginLoss', 'marginRankingLoss', 'cosineEmbeddingLoss', 'poissonNllLoss', 'gaussianNllLoss']),
    );
  });
  itMatchesEachCase(cases, pairwiseCall(L));
});
