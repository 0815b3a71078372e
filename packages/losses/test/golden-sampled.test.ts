import { describe, expect, it } from 'vitest';
import {
  buildHuffmanTree, hierarchicalSoftmaxLogProbs, hierarchicalSoftmaxLoss, nceLoss, negativeSamplingLoss, sampledSoftmaxLoss,
} from '../src/index.js';
import { itMatchesEachCase, loadNamedCases } from './named-cases.js';

const cases = loadNamedCases('sampled.json');

describe('sampled and hierarchical softmax losses match their formulas in PyTorch 1.13, float64', () => {
  it('builds the Huffman trees word2vec builds', () => {
    for (const c of cases.filter((k) => k.loss === 'hierarchicalSoftmaxLogProbs')) {
      const { counts, codes, points } = c.options as { counts: number[]; codes: number[][]; points: number[][] };
      expect(buildHuffmanTree(counts)).toEqual({ codes, points, innerNodes: counts.length - 1 });
    }
  });

  itMatchesEachCase(cases, (loss, x, options) => {
    const { counts, codes: _codes, points: _points, ...rest } = options as { counts?: number[]; codes?: unknown; points?: unknown };
    switch (loss) {
      case 'negativeSamplingLoss': return negativeSamplingLoss(x.input, x.positive, x.negative, rest);
      case 'sampledSoftmaxLoss': return sampledSoftmaxLoss(x.input, x.weight, x.target, x.sampled, { ...rest, bias: x.bias, logQ: x.logQ });
      case 'nceLoss': return nceLoss(x.input, x.weight, x.target, x.noise, { ...rest, bias: x.bias, noiseLogProbs: x.noiseLogProbs });
      case 'hierarchicalSoftmaxLoss': return hierarchicalSoftmaxLoss(x.input, x.weight, x.target, buildHuffmanTree(counts ?? []), rest);
      case 'hierarchicalSoftmaxLogProbs': return hierarchicalSoftmaxLogProbs(x.input, x.weight, buildHuffmanTree(counts ?? []));
      default: throw new Error(`no call for ${loss}`);
    }
  });
});
