import { Tensor, ValueError, type Generator } from '@backprop/tensor';
import { resolveGenerator, shuffledIndices, type SeedOptions } from '../random-source.js';

/**
 * Where a `DataLoader` takes its item indices from, as PyTorch's `Sampler`: every iteration is one epoch's
 * indices. Random samplers draw each epoch from their generator, so the same seed gives the same epochs.
 *
 * @example
 * const loader = new DataLoader(ds, { batchSize: 8, sampler: new RandomSampler(ds.length, { seed: 0 }) });
 */
export interface Sampler extends Iterable<number> {
  /** Indices per epoch. */
  readonly length: number;
}

function checkCount(op: string, name: string, n: number, allowZero = false): void {
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1)) throw new ValueError(op, `${name} must be a ${allowZero ? 'non-negative' : 'positive'} integer, got ${n}`);
}

/**
 * 0, 1, …, n − 1 in order, as PyTorch's `SequentialSampler`.
 *
 * @example
 * [...new SequentialSampler(3)]; // [0, 1, 2]
 */
export class SequentialSampler implements Sampler {
  constructor(readonly length: number) {
    checkCount('SequentialSampler', 'length', length, true);
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield i;
  }
}

/** Options of `RandomSampler`. */
export interface RandomSamplerOptions extends SeedOptions {
  /** Draw with replacement (default false). */
  replacement?: boolean;
  /** Indices per epoch (default n; with replacement any number, without it at most n). */
  numSamples?: number;
}

/**
 * A random order of 0..n − 1 every epoch (or `numSamples` draws with replacement), as PyTorch's
 * `RandomSampler`.
 *
 * @example
 * const sampler = new RandomSampler(100, { seed: 0 }); // a new permutation of 0..99 each epoch
 */
export class RandomSampler implements Sampler {
  readonly length: number;
  readonly replacement: boolean;
  private readonly generator: Generator;

  constructor(
    readonly n: number,
    options: RandomSamplerOptions = {},
  ) {
    const op = 'RandomSampler';
    checkCount(op, 'n', n, true);
    this.replacement = options.replacement ?? false;
    this.length = options.numSamples ?? n;
    checkCount(op, 'numSamples', this.length, true);
    if (!this.replacement && this.length > n) throw new ValueError(op, `numSamples ${this.length} exceeds n ${n} without replacement`);
    this.generator = resolveGenerator(op, options);
  }

  *[Symbol.iterator](): Iterator<number> {
    if (this.replacement) {
      for (let k = 0; k < this.length; k++) yield this.generator.integer(0, this.n);
      return;
    }
    yield* shuffledIndices(this.n, this.generator).slice(0, this.length);
  }
}

/**
 * The given indices in a random order every epoch, as PyTorch's `SubsetRandomSampler`.
 *
 * @example
 * const trainSampler = new SubsetRandomSampler(trainIdx, { seed: 0 });
 */
export class SubsetRandomSampler implements Sampler {
  readonly indices: readonly number[];
  private readonly generator: Generator;

  constructor(indices: ArrayLike<number>, options: SeedOptions = {}) {
    this.indices = Array.from(indices);
    this.indices.forEach((i, k) => {
      if (!Number.isInteger(i) || i < 0) throw new ValueError('SubsetRandomSampler', `index ${i} at position ${k} is not a non-negative integer`);
    });
    this.generator = resolveGenerator('SubsetRandomSampler', options);
  }

  get length(): number {
    return this.indices.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    for (const k of shuffledIndices(this.indices.length, this.generator)) yield this.indices[k];
  }
}

/**
 * `numSamples` indices drawn with probability proportional to `weights`, as PyTorch's
 * `WeightedRandomSampler` (weights need not sum to 1). Without replacement each index is drawn at most once.
 *
 * @example
 * // Oversample a rare class: weight each sample by 1 / (its class count).
 * const sampler = new WeightedRandomSampler(weights, weights.length, { seed: 0 });
 */
export class WeightedRandomSampler implements Sampler {
  readonly weights: readonly number[];
  readonly replacement: boolean;
  private readonly generator: Generator;

  constructor(
    weights: ArrayLike<number> | Tensor,
    readonly length: number,
    options: SeedOptions & { replacement?: boolean } = {},
  ) {
    const op = 'WeightedRandomSampler';
    this.weights = Array.from((weights instanceof Tensor ? weights.dataSync() : weights) as ArrayLike<number>);
    this.weights.forEach((w, i) => {
      if (!(w >= 0) || !Number.isFinite(w)) throw new ValueError(op, `weight ${w} at index ${i} is not a finite non-negative number`);
    });
    const positive = this.weights.filter((w) => w > 0).length;
    if (positive === 0) throw new ValueError(op, 'needs at least one positive weight');
    checkCount(op, 'numSamples', length, true);
    this.replacement = options.replacement ?? true;
    if (!this.replacement && length > positive) throw new ValueError(op, `numSamples ${length} exceeds the ${positive} indices of positive weight, without replacement`);
    this.generator = resolveGenerator(op, options);
  }

  *[Symbol.iterator](): Iterator<number> {
    const w = [...this.weights];
    for (let k = 0; k < this.length; k++) {
      // Cumulative search per draw: O(n) each, which is fine for the dataset sizes samplers are built for.
      const total = w.reduce((a, b) => a + b, 0);
      const u = this.generator.random() * total;
      let i = 0;
      for (let acc = w[0]; i < w.length - 1 && u >= acc; ) acc += w[++i];
      // Rounding can carry u past the last positive weight; step back to it.
      while (w[i] === 0) i--;
      yield i;
      if (!this.replacement) w[i] = 0;
    }
  }
}

/**
 * Every index once per epoch, ordered so that each stretch of the epoch (each batch) holds the classes in
 * about their overall proportions: within each class the items are shuffled, item k of a class of size m
 * gets the position (k + u) / m with u uniform in [0, 1), and the epoch visits items by position. A batch
 * of 32 from a set with 10% of class 2 then holds 3 or 4 of class 2, where a plain shuffle can hold none.
 *
 * @example
 * const sampler = new StratifiedSampler(y, { seed: 0 }); // y: int32 labels [n]
 */
export class StratifiedSampler implements Sampler {
  readonly labels: readonly number[];
  private readonly generator: Generator;

  constructor(labels: Tensor | ArrayLike<number>, options: SeedOptions = {}) {
    const op = 'StratifiedSampler';
    if (labels instanceof Tensor && labels.rank !== 1) throw new ValueError(op, `labels must be 1-d, got rank ${labels.rank}`);
    this.labels = Array.from((labels instanceof Tensor ? labels.dataSync() : labels) as ArrayLike<number>);
    this.labels.forEach((v, i) => {
      if (!Number.isInteger(v)) throw new ValueError(op, `label ${v} at index ${i} is not an integer class`);
    });
    this.generator = resolveGenerator(op, options);
  }

  get length(): number {
    return this.labels.length;
  }

  *[Symbol.iterator](): Iterator<number> {
    const byClass = new Map<number, number[]>();
    this.labels.forEach((c, i) => (byClass.get(c) ?? byClass.set(c, []).get(c)!).push(i));
    const placed: { index: number; position: number }[] = [];
    for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
      const members = byClass.get(cls)!;
      const order = shuffledIndices(members.length, this.generator);
      order.forEach((m, k) => placed.push({ index: members[m], position: (k + this.generator.random()) / members.length }));
    }
    placed.sort((a, b) => a.position - b.position || a.index - b.index);
    for (const p of placed) yield p.index;
  }
}

/**
 * Groups a sampler's indices into lists of `batchSize`, as PyTorch's `BatchSampler`; give it to a
 * `DataLoader` as `batchSampler` to choose whole batches (bucketing by length, balanced batches).
 *
 * @example
 * [...new BatchSampler(new SequentialSampler(5), 2, false)]; // [[0, 1], [2, 3], [4]]
 */
export class BatchSampler implements Iterable<number[]> {
  constructor(
    readonly sampler: Iterable<number> & { readonly length?: number },
    readonly batchSize: number,
    readonly dropLast = false,
  ) {
    checkCount('BatchSampler', 'batchSize', batchSize);
  }

  /** Batches per epoch, when the sampler has a length. */
  get length(): number {
    const n = this.sampler.length;
    if (n === undefined) throw new ValueError('BatchSampler.length', 'its sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch: number[] = [];
    for (const i of this.sampler) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }
}
