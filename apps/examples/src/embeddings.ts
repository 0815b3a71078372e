/**
 * Looking at learned embeddings: the word2vec example's skip-gram embeddings (16 dimensions, words drawn
 * from four topics) projected to 2-D by principal component analysis — centre the vectors, take the
 * singular value decomposition X = U·S·Vᵀ with `linalg.svd`, and keep the coordinates on the first two
 * right singular vectors (X·V₁,₂ = U₁,₂·S₁,₂). PCA keeps the directions of largest variance, and here the
 * largest variance is between topics.
 *
 * The picture: each word as a point in the first two principal components, coloured by its topic, with the
 * share of variance each component explains; words of a topic form a cluster of their own.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/embeddings.ts
 */
import { cdist, linalg, mean, topk, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';
import { run as word2vec, type Word2VecOptions } from './word2vec.js';

export interface EmbeddingsResult {
  /** Each word's first two principal coordinates and its topic. */
  points: { word: string; topic: string; pc1: number; pc2: number }[];
  /** The share of the total variance along the first and the second principal direction. */
  explained: [number, number];
  /** In the 2-D projection, the share of words whose nearest other word is of their own topic. */
  nearestInTopic2d: number;
}

/** The rows of `x` [N, D] in their first k principal coordinates, and each component's share of the variance. */
export function pca(x: Tensor, k: number): { coordinates: Tensor; explained: number[] } {
  const centred = x.sub(mean(x, 0, true));
  const { U, S } = linalg.svd(centred, { fullMatrices: false });
  const variance = S.square();
  const total = variance.sum().item();
  const top = S.narrow(0, 0, k);
  return { coordinates: U.narrow(1, 0, k).mul(top), explained: Array.from(variance.narrow(0, 0, k).div(total).toFlatArray()) };
}

export function run(options: Word2VecOptions = {}): EmbeddingsResult {
  const { embeddings, wordsPerTopic } = word2vec(options);
  const { coordinates, explained } = pca(embeddings, 2);
  const c = coordinates.toFlatArray();
  const topicOf = (w: number) => Math.floor(w / wordsPerTopic);
  const points = Array.from({ length: embeddings.shape[0] }, (_, w) => ({
    word: `w${w}`,
    topic: `topic ${topicOf(w) + 1}`,
    pc1: c[2 * w],
    pc2: c[2 * w + 1],
  }));
  // The two smallest distances of each row: the word itself, then its nearest neighbour.
  const nearest = topk(cdist(coordinates, coordinates), 2, -1, false).indices.narrow(1, 1, 1).toFlatArray();
  const inTopic = nearest.filter((b, a) => topicOf(b) === topicOf(a)).length;
  return { points, explained: [explained[0], explained[1]], nearestInTopic2d: inTopic / points.length };
}

export function figure(result: EmbeddingsResult): Figure {
  const pct = (v: number) => `${(v * 100).toFixed(0)}%`;
  return {
    title: 'word2vec embeddings, first two principal components',
    width: 380,
    height: 300,
    data: { values: result.points },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 90 },
        encoding: {
          x: { field: 'pc1', type: 'quantitative', title: `PC 1 (${pct(result.explained[0])} of the variance)` },
          y: { field: 'pc2', type: 'quantitative', title: `PC 2 (${pct(result.explained[1])})` },
          color: { field: 'topic', type: 'nominal' },
        },
      },
      {
        mark: { type: 'text', dx: 12, fontSize: 9 },
        encoding: { x: { field: 'pc1', type: 'quantitative' }, y: { field: 'pc2', type: 'quantitative' }, text: { field: 'word' } },
      },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log({ explained: result.explained, nearestInTopic2d: result.nearestInTopic2d });
  console.log(await writeFigure('embeddings', figure(result)));
}
