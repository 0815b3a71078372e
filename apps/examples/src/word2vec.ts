/**
 * word2vec's skip-gram (Mikolov et al., 2013) on a synthetic corpus whose structure is known: the
 * vocabulary falls into topics, and every sentence draws its words from one topic. Words that share a
 * topic share contexts, so skip-gram should place them near each other. Trained with the hierarchical
 * softmax over a Huffman tree of the word counts, or with negative sampling from the unigram distribution
 * raised to ¾, the two output layers of the paper; the embeddings are updated with SparseAdam, which moves
 * only the rows a batch looked up.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/word2vec.ts
 */
import { Generator, indexSelect, matmul, permutation, randint, tensor, transpose, zeros, type Tensor } from '@backprop/tensor';
import '@backprop/autograd';
import { normal_ } from '@backprop/init';
import { Embedding } from '@backprop/layers';
import { HierarchicalSoftmax, negativeSamplingLoss } from '@backprop/losses';
import { SparseAdam } from '@backprop/optim';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';

export interface Word2VecOptions {
  /** 'hierarchical' (hierarchical softmax, the default) or 'negative' (negative sampling). */
  output?: 'hierarchical' | 'negative';
  topics?: number;
  wordsPerTopic?: number;
  sentences?: number;
  sentenceLength?: number;
  /** Context words on each side of the centre word. */
  window?: number;
  embeddingDim?: number;
  /** Noise words per pair, with negative sampling. */
  negatives?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
}

export interface Word2VecResult {
  output: 'hierarchical' | 'negative';
  /** Mean loss over the first and the last epoch. */
  firstLoss: number;
  lastLoss: number;
  /** Mean cosine similarity of the embeddings of two different words of one topic, and of two topics. */
  sameTopicSimilarity: number;
  otherTopicSimilarity: number;
  /** The share of words whose nearest other word (by cosine) belongs to their topic. */
  nearestNeighbourInTopic: number;
  /** The learned embeddings [vocabulary, embeddingDim]; word w belongs to topic ⌊w / wordsPerTopic⌋. */
  embeddings: Tensor;
  wordsPerTopic: number;
}

/** Sentences of words drawn from one topic each; word w belongs to topic ⌊w / wordsPerTopic⌋. */
function corpus(generator: Generator, topics: number, wordsPerTopic: number, sentences: number, length: number): number[][] {
  return Array.from({ length: sentences }, () => {
    const topic = generator.integer(0, topics);
    // Within a topic, word frequencies fall off (Zipf-like), so the Huffman codes differ in length.
    return Array.from({ length }, () => topic * wordsPerTopic + Math.floor(wordsPerTopic * generator.random() ** 2));
  });
}

/** Every (centre, context) pair within `window` words. */
function skipGramPairs(sentences: number[][], window: number): [number[], number[]] {
  const centres: number[] = [];
  const contexts: number[] = [];
  for (const s of sentences) {
    s.forEach((w, i) => {
      for (let j = Math.max(0, i - window); j <= Math.min(s.length - 1, i + window); j++) {
        if (j !== i) {
          centres.push(w);
          contexts.push(s[j]);
        }
      }
    });
  }
  return [centres, contexts];
}

/** word2vec's noise table: each word fills a share of it proportional to count^¾; uniform draws from it sample the noise. */
function noiseTable(counts: number[], size = 4096): Tensor {
  const weights = counts.map((c) => c ** 0.75);
  const total = weights.reduce((a, b) => a + b, 0);
  const table = new Int32Array(size);
  let word = 0;
  let reach = weights[0] / total;
  for (let i = 0; i < size; i++) {
    while ((i + 0.5) / size > reach && word < counts.length - 1) reach += weights[++word] / total;
    table[i] = word;
  }
  return tensor(table, [size], 'int32');
}

/** Cosine similarities of every pair of rows of `vectors` [V, D], as a nested array. */
function cosineSimilarities(vectors: Tensor): number[][] {
  const unit = vectors.div(vectors.square().sum(1, true).sqrt().add(1e-12));
  return matmul(unit, transpose(unit)).toArray() as number[][];
}

export function run(options: Word2VecOptions = {}): Word2VecResult {
  const {
    output = 'hierarchical', topics = 4, wordsPerTopic = 6, sentences = 240, sentenceLength = 8, window = 2, embeddingDim = 16,
    negatives = 5, epochs = 4, batchSize = 128, lr = 0.05, seed = 0,
  } = options;
  const generator = new Generator(seed);
  const vocabulary = topics * wordsPerTopic;
  const text = corpus(generator, topics, wordsPerTopic, sentences, sentenceLength);
  const counts = new Array<number>(vocabulary).fill(0);
  for (const s of text) for (const w of s) counts[w] += 1;
  const [centres, contexts] = skipGramPairs(text, window);

  // Input vectors start small and random; output vectors (inner nodes, or context vectors) at zero, as word2vec.
  const embedding = new Embedding(vocabulary, embeddingDim, { generator });
  normal_(embedding.weight, { std: 0.1, generator });
  const hierarchical = new HierarchicalSoftmax(counts, embeddingDim);
  const contextVectors = zeros([vocabulary, embeddingDim]).requiresGrad_();
  const table = noiseTable(counts);
  const outputParams = output === 'hierarchical' ? hierarchical.parameters() : [contextVectors];
  const optimizer = new SparseAdam([...embedding.parameters(), ...outputParams], { lr });

  const epochLosses: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(centres.length, { generator }).dataSync();
    let total = 0;
    let batches = 0;
    for (let start = 0; start < order.length; start += batchSize) {
      const rows = Array.from(order.subarray(start, start + batchSize));
      const centre = tensor(Int32Array.from(rows, (i) => centres[i]), [rows.length], 'int32');
      const context = tensor(Int32Array.from(rows, (i) => contexts[i]), [rows.length], 'int32');
      optimizer.zeroGrad();
      const v = embedding.call(centre);
      let loss: Tensor;
      if (output === 'hierarchical') {
        loss = hierarchical.loss(v, context);
      } else {
        const noise = indexSelect(table, 0, randint(0, table.size, [rows.length * negatives], { generator, dtype: 'int32' }));
        const noiseVectors = indexSelect(contextVectors, 0, noise).reshape([rows.length, negatives, embeddingDim]);
        loss = negativeSamplingLoss(v, indexSelect(contextVectors, 0, context), noiseVectors);
      }
      loss.backward();
      optimizer.step();
      total += loss.item();
      batches += 1;
    }
    epochLosses.push(total / batches);
  }

  const similarity = cosineSimilarities(embedding.weight.detach());
  const topicOf = (w: number) => Math.floor(w / wordsPerTopic);
  let same = 0;
  let sameCount = 0;
  let other = 0;
  let otherCount = 0;
  let inTopic = 0;
  for (let a = 0; a < vocabulary; a++) {
    let nearest = -1;
    for (let b = 0; b < vocabulary; b++) {
      if (a === b) continue;
      if (topicOf(a) === topicOf(b)) {
        same += similarity[a][b];
        sameCount += 1;
      } else {
        other += similarity[a][b];
        otherCount += 1;
      }
      if (nearest < 0 || similarity[a][b] > similarity[a][nearest]) nearest = b;
    }
    if (topicOf(nearest) === topicOf(a)) inTopic += 1;
  }
  return {
    output,
    firstLoss: epochLosses[0],
    lastLoss: epochLosses[epochLosses.length - 1],
    sameTopicSimilarity: same / sameCount,
    otherTopicSimilarity: other / otherCount,
    nearestNeighbourInTopic: inTopic / vocabulary,
    embeddings: embedding.weight.detach(),
    wordsPerTopic,
  };
}

/** The picture for the gallery. */
export function figure(result: Word2VecResult): Figure {
  return barFigure(`word2vec (${result.output} output)`, [
    { label: 'loss, first epoch', value: result.firstLoss },
    { label: 'loss, last epoch', value: result.lastLoss },
    { label: 'cosine, same topic', value: result.sameTopicSimilarity },
    { label: 'cosine, other topics', value: result.otherTopicSimilarity },
    { label: 'nearest word in topic', value: result.nearestNeighbourInTopic },
  ], 'value');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const output of ['hierarchical', 'negative'] as const) {
    const { embeddings, ...summary } = run({ output });
    console.log({ ...summary, embeddings: embeddings.shape });
  }
}
