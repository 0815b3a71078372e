import { gradCheck } from '@backprop/autograd';
import { Generator, logSoftmax, randn, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  HierarchicalSoftmax, buildHuffmanTree, hierarchicalSoftmaxLogProbs, hierarchicalSoftmaxLoss, nceLoss, negativeSamplingLoss,
  sampledSoftmaxLoss,
} from '../src/index.js';

const generator = new Generator(21);
const normal = (shape: number[]) => randn(shape, { generator, dtype: 'float64' });

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

describe('gradCheck of the sampled and hierarchical softmax losses', () => {
  const target = tensor([1, 5, 2], 'int32');
  const sampled = tensor([0, 5, 3, 2], 'int32');
  const logQ = logSoftmax(normal([7]), 0);
  check('negativeSamplingLoss', (v, u, n) => negativeSamplingLoss(v, u, n), [normal([3, 4]), normal([3, 4]), normal([3, 2, 4])]);
  check('sampledSoftmaxLoss with bias, logQ and accidental hits', (h, w, b) => sampledSoftmaxLoss(h, w, target, sampled, { bias: b, logQ }), [
    normal([3, 4]), normal([7, 4]), normal([7]),
  ]);
  check('nceLoss, per-row noise', (h, w, b) => nceLoss(h, w, target, tensor([[0, 3], [6, 6], [4, 1]], 'int32'), { bias: b, noiseLogProbs: logQ }), [
    normal([3, 4]), normal([7, 4]), normal([7]),
  ]);
  const tree = buildHuffmanTree([4, 1, 7, 2, 2, 9, 3]);
  check('hierarchicalSoftmaxLoss', (h, w) => hierarchicalSoftmaxLoss(h, w, target, tree, { reduction: 'sum' }), [normal([3, 4]), normal([6, 4])]);
  check('hierarchicalSoftmaxLogProbs', (h, w) => hierarchicalSoftmaxLogProbs(h, w, tree), [normal([2, 4]), normal([6, 4])]);
});

describe('hierarchical softmax', () => {
  const counts = [120, 3, 45, 45, 7, 1, 1, 30, 12, 64, 2];

  it('gives probabilities over the vocabulary that sum to 1', () => {
    const tree = buildHuffmanTree(counts);
    const probabilities = hierarchicalSoftmaxLogProbs(normal([5, 6]), normal([tree.innerNodes, 6]).mul(2), tree).exp().sum(1);
    for (const p of probabilities.dataSync()) expect(p).toBeCloseTo(1, 12);
  });

  it('gives frequent words shorter codes, and every word a distinct path', () => {
    const tree = buildHuffmanTree(counts);
    expect(tree.codes[0].length).toBeLessThanOrEqual(tree.codes[5].length);
    expect(new Set(tree.codes.map((c) => c.join(''))).size).toBe(counts.length);
    // A prefix code: no word's code starts another's.
    for (const a of tree.codes) for (const b of tree.codes) if (a !== b) expect(b.join('').startsWith(a.join(''))).toBe(false);
    expect(tree.points.every((p) => p[0] === counts.length - 2)).toBe(true);
  });

  it('starts from zero vectors, where each word has probability 2^−depth; its loss agrees with its log-probabilities', () => {
    const hs = new HierarchicalSoftmax(counts, 4, { dtype: 'float64' });
    const h = normal([2, 4]);
    const logProbs = hs.logProbs(h).toArray() as number[][];
    logProbs[0].forEach((lp, w) => expect(lp).toBeCloseTo(-hs.tree.codes[w].length * Math.LN2, 12));
    const loss = hs.loss(h, tensor([3, 9], 'int32'), { reduction: 'none' }).toArray() as number[];
    expect(loss[0]).toBeCloseTo(-logProbs[0][3], 12);
    expect(loss[1]).toBeCloseTo(-logProbs[1][9], 12);
    expect(hs.parameters()).toEqual([hs.weight]);
  });

  it('names the problem in its errors', () => {
    expect(() => buildHuffmanTree([3])).toThrow(/buildHuffmanTree: counts must be at least two/);
    const tree = buildHuffmanTree([1, 2, 3]);
    expect(() => hierarchicalSoftmaxLoss(normal([2, 4]), normal([3, 4]), tensor([0, 1], 'int32'), tree)).toThrow(
      /hierarchicalSoftmaxLoss: weight has shape \[3, 4\]; expected one vector per inner node, \[2, 4\]/,
    );
    expect(() => hierarchicalSoftmaxLoss(normal([2, 4]), normal([2, 4]), tensor([0, 3], 'int32'), tree)).toThrow(/target holds word 3 at 1/);
    expect(() => nceLoss(normal([2, 4]), normal([3, 4]), tensor([0, 1], 'int32'), tensor([2], 'int32'))).toThrow(/nceLoss: noiseLogProbs is required/);
    expect(() => sampledSoftmaxLoss(normal([2, 4]), normal([3, 4]), tensor([0, 1], 'int32'), tensor([5], 'int32'))).toThrow(
      /sampledSoftmaxLoss: sampled holds id 5 at flat index 0; expected ids in \[0, 3\)/,
    );
    expect(() => negativeSamplingLoss(normal([2, 4]), normal([2, 4]), normal([2, 3]))).toThrow(/negativeSamplingLoss: negative has shape \[2, 3\]; expected \[2, K, 4\]/);
  });
});
