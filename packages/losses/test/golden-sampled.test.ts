import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import { buildHuffmanTree } from '../src/index.js';
import { sampledCall } from './named-calls.js';
import { itMatchesEachCase, loadNamedCases } from './named-cases.js';

const cases = loadNamedCases('sampled.json');

describe('sampled and hierarchical softmax losses match their formulas in PyTorch 1.13, float64', () => {
  it('builds the Huffman trees word2vec builds', () => {
    for (const c of cases.filter((k) => k.loss === 'hierarchicalSoftmaxLogProbs')) {
      const { counts, codes, points } = c.options as { counts: number[]; codes: number[][]; points: number[][] };
      expect(buildHuffmanTree(counts)).toEqual({ codes, points, innerNodes: counts.length - 1 });
    }
  });

  itMatchesEachCase(cases, sampledCall(L));
});
