/**
 * Nearest neighbours of embeddings by cosine similarity: `cosineSimilarity` of every pair (by
 * broadcasting [N, 1, D] against [1, N, D]) and `topk` of each row. The embeddings are built so that the
 * answer is known: items fall into groups, each item is its group's direction plus a little noise, and
 * each is scaled by a random positive length (as raw embedding norms vary with word frequency). Cosine
 * similarity ignores the lengths and finds each item's group; Euclidean distance (`cdist`, smallest k)
 * is misled by them.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/nearest-neighbours.ts
 */
import { Generator, cdist, cosineSimilarity, rand, randn, topk, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';

export interface NearestNeighboursOptions {
  groups?: string[];
  perGroup?: number;
  dim?: number;
  /** Standard deviation of each item's offset from its group direction (the directions have norm ≈ √dim). */
  noise?: number;
  seed?: number;
}

export interface NearestNeighboursResult {
  names: string[];
  /** Each item's perGroup − 1 nearest other items by cosine similarity, as names. */
  neighbours: string[][];
  /** The share of those neighbours in the item's own group, by cosine and by Euclidean distance. */
  cosineAccuracy: number;
  euclideanAccuracy: number;
}

const GROUPS = ['fruit', 'vehicle', 'tool', 'bird', 'colour'];

/** For each row of `indices` [N, k+1] (the item itself first), the share of the other k in its group. */
function accuracy(indices: Tensor, groupOf: (i: number) => number): number {
  const [n, k1] = indices.shape;
  const idx = indices.dataSync();
  let hits = 0;
  for (let i = 0; i < n; i++) for (let j = 1; j < k1; j++) if (groupOf(idx[i * k1 + j]) === groupOf(i)) hits++;
  return hits / (n * (k1 - 1));
}

export function run(options: NearestNeighboursOptions = {}): NearestNeighboursResult {
  const { groups = GROUPS, perGroup = 4, dim = 8, noise = 0.25, seed = 0 } = options;
  const generator = new Generator(seed);
  const n = groups.length * perGroup;
  const names = groups.flatMap((g) => Array.from({ length: perGroup }, (_, i) => `${g}-${i}`));
  const groupOf = (i: number) => Math.floor(i / perGroup);

  // Item i = (direction of its group + noise) · a length between 0.2 and 5.
  const directions = randn([groups.length, dim], { generator, dtype: 'float64' });
  const members = directions.unsqueeze(1).expand([groups.length, perGroup, dim]).reshape([n, dim]);
  const lengths = rand([n, 1], { generator, dtype: 'float64' }).mul(Math.log(25)).exp().mul(0.2);
  const embeddings = members.add(randn([n, dim], { generator, dtype: 'float64' }).mul(noise)).mul(lengths);

  // Every pair's cosine similarity [N, N]; the k + 1 largest of a row are the item itself and its k neighbours.
  const similarity = cosineSimilarity(embeddings.unsqueeze(1), embeddings.unsqueeze(0), -1);
  const byCosine = topk(similarity, perGroup, -1).indices;
  const byDistance = topk(cdist(embeddings, embeddings), perGroup, -1, false).indices;

  const idx = byCosine.dataSync();
  const neighbours = names.map((_, i) => Array.from(idx.subarray(i * perGroup + 1, (i + 1) * perGroup), (j) => names[j]));
  return { names, neighbours, cosineAccuracy: accuracy(byCosine, groupOf), euclideanAccuracy: accuracy(byDistance, groupOf) };
}

/** The picture for the gallery. */
export function figure(result: NearestNeighboursResult): Figure {
  return barFigure('Neighbours in their own group', [
    { label: 'cosine similarity (topk)', value: result.cosineAccuracy },
    { label: 'Euclidean distance (cdist)', value: result.euclideanAccuracy },
  ], 'share of neighbours in the item’s group');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  result.names.forEach((name, i) => console.log(`${name}: ${result.neighbours[i].join(', ')}`));
  console.log({ cosineAccuracy: result.cosineAccuracy, euclideanAccuracy: result.euclideanAccuracy });
}
