import {
  ShapeError, ValueError, indexSelect, matmul, mul, reshape, sum, tensor, transpose, unsqueeze, zeros, neg, type DType, type Tensor,
} from '@backprop/tensor';
import { checkFloat, checkIsTensor } from './checks.js';
import { checkOptions, type OptionSpec } from './options.js';
import { REDUCTIONS, reduceLoss, type ReductionOptions } from './reduction.js';
import { logSigmoid } from './sampled.js';

export const HIERARCHICAL_SOFTMAX_OPTIONS: OptionSpec = { reduction: REDUCTIONS };

/**
 * A binary tree over a vocabulary of V words with V − 1 inner nodes: word w's path from the root visits the
 * inner nodes `points[w]` and takes the branches `codes[w]` (0 or 1) there. Plain data: it serializes as is.
 */
export interface HuffmanTree {
  codes: number[][];
  points: number[][];
  /** V − 1; the root is inner node V − 2, as in word2vec. */
  innerNodes: number;
}

/**
 * The Huffman tree of word counts, built as word2vec's `CreateBinaryTree`: words sorted by count
 * (descending, ties by index), the two rarest nodes merged repeatedly, the second of each pair on branch 1.
 * Frequent words get short codes, so the expected path length is minimal. Needs at least two words.
 *
 * @example
 * const tree = buildHuffmanTree([5, 9, 12, 13, 16, 45]);
 * tree.codes[5]; // [0]: the most frequent word sits right below the root
 */
export function buildHuffmanTree(counts: readonly number[]): HuffmanTree {
  const size = counts.length;
  if (!Array.isArray(counts) || size < 2 || counts.some((c) => typeof c !== 'number' || !(c >= 0) || !Number.isFinite(c))) {
    throw new ValueError('buildHuffmanTree', `counts must be at least two finite, non-negative numbers, got ${JSON.stringify(counts)}`);
  }
  const order = Array.from(counts.keys()).sort((a, b) => counts[b] - counts[a] || a - b);
  // Leaves 0..V−1 in sorted order, then inner nodes V..2V−2 in the order they are made.
  const count = [...order.map((w) => counts[w]), ...new Array<number>(size - 1).fill(Infinity)];
  const parent = new Array<number>(2 * size - 1).fill(0);
  const branch = new Array<number>(2 * size - 1).fill(0);
  let leaf = size - 1;
  let inner = size;
  const rarest = (): number => (leaf >= 0 && count[leaf] < count[inner] ? leaf-- : inner++);
  for (let a = 0; a < size - 1; a++) {
    const first = rarest();
    const second = rarest();
    count[size + a] = count[first] + count[second];
    parent[first] = parent[second] = size + a;
    branch[second] = 1;
  }
  const codes = new Array<number[]>(size);
  const points = new Array<number[]>(size);
  order.forEach((word, position) => {
    const code: number[] = [];
    const point: number[] = [];
    for (let node = position; node !== 2 * size - 2; node = parent[node]) {
      code.push(branch[node]);
      point.push(parent[node] - size);
    }
    codes[word] = code.reverse();
    points[word] = point.reverse();
  });
  return { codes, points, innerNodes: size - 1 };
}

/** The tree's paths as index tensors, padded to the longest: inner nodes, signs 1 − 2·code, and a 0/1 mask. */
function paths(tree: HuffmanTree, words: readonly number[], dtype: DType): { nodes: Tensor; signs: Tensor; depth: number } {
  const depth = Math.max(...words.map((w) => tree.codes[w].length));
  const nodes = new Int32Array(words.length * depth);
  const signs = new Float64Array(words.length * depth);
  words.forEach((w, i) => {
    tree.points[w].forEach((node, j) => {
      nodes[i * depth + j] = node;
      // Branch 0 has probability σ(h·θ), branch 1 σ(−h·θ); padding gets sign 0 and is masked out below.
      signs[i * depth + j] = 1 - 2 * tree.codes[w][j];
    });
  });
  return { nodes: tensor(nodes, [words.length * depth], 'int32'), signs: tensor(signs, [words.length, depth], dtype), depth };
}

/** log σ(sign·x), zero where sign is 0 (padding). */
function pathLogProbs(x: Tensor, signs: Tensor): Tensor {
  const mask = tensor(Float64Array.from(signs.dataSync(), (s) => (s === 0 ? 0 : 1)), signs.shape, x.dtype);
  return mul(logSigmoid(mul(x, signs)), mask);
}

function checkProblem(op: string, input: unknown, weight: unknown, tree: HuffmanTree): [Tensor, Tensor] {
  const h = checkIsTensor(op, 'input', input);
  checkFloat(op, 'input', h);
  const w = checkIsTensor(op, 'weight', weight);
  checkFloat(op, 'weight', w);
  if (!tree || !Array.isArray(tree.codes) || !Array.isArray(tree.points)) throw new ValueError(op, 'tree must be a HuffmanTree (see buildHuffmanTree)');
  if (h.rank !== 2) throw new ShapeError(op, `input has shape [${h.shape.join(', ')}]; expected hidden vectors of shape [B, D]`);
  if (w.rank !== 2 || w.shape[0] !== tree.innerNodes || w.shape[1] !== h.shape[1]) {
    throw new ShapeError(op, `weight has shape [${w.shape.join(', ')}]; expected one vector per inner node, [${tree.innerNodes}, ${h.shape[1]}]`);
  }
  return [h, w];
}

/**
 * The hierarchical softmax loss (Morin & Bengio, 2005), as word2vec: log p(w | h) = Σⱼ log σ((1 − 2·codeⱼ)·h·θ_pointⱼ)
 * along w's path in `tree`, where θ (`weight`, [V − 1, D]) holds one vector per inner node; ℓ_b = −log p(y_b | h_b)
 * for hidden vectors h [B, D] and int32 targets y [B]. It costs O(log V) per word instead of O(V), and the
 * probabilities of all V words sum to 1 by construction. `reduction` defaults to `'mean'`.
 *
 * @example
 * const tree = buildHuffmanTree(wordCounts);
 * hierarchicalSoftmaxLoss(hidden, innerWeight, targets, tree).backward();
 */
export function hierarchicalSoftmaxLoss(input: Tensor, weight: Tensor, target: Tensor, tree: HuffmanTree, options: ReductionOptions = {}): Tensor {
  const op = 'hierarchicalSoftmaxLoss';
  checkOptions(op, options, HIERARCHICAL_SOFTMAX_OPTIONS);
  const [h, w] = checkProblem(op, input, weight, tree);
  const y = checkIsTensor(op, 'target', target);
  if (y.dtype !== 'int32' || y.rank !== 1 || y.shape[0] !== h.shape[0]) {
    throw new ShapeError(op, `target is ${y.dtype} [${y.shape.join(', ')}]; expected int32 word ids of shape [${h.shape[0]}]`);
  }
  const words = Array.from(y.dataSync(), Number);
  const bad = words.findIndex((v) => !(v >= 0 && v < tree.codes.length));
  if (bad >= 0) throw new ValueError(op, `target holds word ${words[bad]} at ${bad}; expected ids in [0, ${tree.codes.length})`);
  const { nodes, signs, depth } = paths(tree, words, h.dtype);
  const rows = reshape(indexSelect(w, 0, nodes), [words.length, depth, h.shape[1]]);
  const x = sum(mul(rows, unsqueeze(h, 1)), 2);
  return reduceLoss(neg(sum(pathLogProbs(x, signs), 1)), options.reduction ?? 'mean');
}

/**
 * log p(w | h) of every word of the vocabulary under the hierarchical softmax: [B, V] for hidden vectors
 * [B, D]. Each row's exponentials sum to 1. Costs O(V log V) per row: for evaluation, not training.
 *
 * @example
 * hierarchicalSoftmaxLogProbs(hidden, innerWeight, tree).exp().sum(1); // ≈ 1 per row
 */
export function hierarchicalSoftmaxLogProbs(input: Tensor, weight: Tensor, tree: HuffmanTree): Tensor {
  const [h, w] = checkProblem('hierarchicalSoftmaxLogProbs', input, weight, tree);
  const vocabulary = tree.codes.length;
  const { nodes, signs, depth } = paths(tree, Array.from({ length: vocabulary }, (_, i) => i), h.dtype);
  const scores = matmul(h, transpose(w)); // [B, V − 1]: every inner node's score, once
  const x = reshape(indexSelect(scores, 1, nodes), [h.shape[0], vocabulary, depth]);
  return sum(pathLogProbs(x, signs), 2);
}

/** Options of `HierarchicalSoftmax`. */
export interface HierarchicalSoftmaxOptions {
  /** The dtype of the inner-node vectors (default float32). */
  dtype?: 'float32' | 'float64';
}

/**
 * A hierarchical softmax output layer: the Huffman tree of `counts` and its inner-node vectors θ
 * ([V − 1, embeddingDim], starting at zero as in word2vec, where every word then has probability 2^−depth).
 * Train `parameters()` with any optimizer.
 *
 * @example
 * const hs = new HierarchicalSoftmax(wordCounts, 32);
 * const opt = new SGD([...embedding.parameters(), ...hs.parameters()], { lr: 0.05 });
 * hs.loss(embedding.forward(centre), context).backward();
 */
export class HierarchicalSoftmax {
  readonly tree: HuffmanTree;
  /** θ: one vector per inner node, [V − 1, embeddingDim]. */
  readonly weight: Tensor;

  constructor(counts: readonly number[], readonly embeddingDim: number, options: HierarchicalSoftmaxOptions = {}) {
    if (!Number.isInteger(embeddingDim) || embeddingDim < 1) {
      throw new ValueError('HierarchicalSoftmax', `embeddingDim must be a positive integer, got ${embeddingDim}`);
    }
    this.tree = buildHuffmanTree(counts);
    this.weight = zeros([this.tree.innerNodes, embeddingDim], { dtype: options.dtype ?? 'float32' }).requiresGrad_();
  }

  /** The inner-node vectors, for an optimizer. */
  parameters(): Tensor[] {
    return [this.weight];
  }

  /** −log p(target | input), reduced (see `hierarchicalSoftmaxLoss`). */
  loss(input: Tensor, target: Tensor, options: ReductionOptions = {}): Tensor {
    return hierarchicalSoftmaxLoss(input, this.weight, target, this.tree, options);
  }

  /** log p(w | input) for every word w: [B, V] (see `hierarchicalSoftmaxLogProbs`). */
  logProbs(input: Tensor): Tensor {
    return hierarchicalSoftmaxLogProbs(input, this.weight, this.tree);
  }
}
