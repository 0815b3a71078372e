import { ValueError, type Generator } from '@backprop/tensor';
import { defaultCollate, type Collated } from './collate.js';
import type { Dataset } from './dataset.js';
import { IterableDataset } from './iterable-dataset.js';
import { checkOptionKeys } from './options.js';
import { resolveGenerator, shuffledIndices, type SeedOptions } from './random-source.js';
import { checkWorkerOptions, loadInWorkers, type WorkerDatasetSpec } from './workers/worker-pool.js';

/** Options of `DataLoader`; the defaults are PyTorch's. */
export interface DataLoaderOptions<T, B> extends SeedOptions {
  /** Items per batch (default 1). */
  batchSize?: number;
  /** Visit the items in a new random order every epoch (default false); map-style datasets only. */
  shuffle?: boolean;
  /** Drop the last batch when it is smaller than `batchSize` (default false). */
  dropLast?: boolean;
  /** Turns a list of items into a batch (default `defaultCollate`). */
  collate?: (items: T[]) => B;
  /** Where each epoch's item indices come from (a `RandomSampler`, `StratifiedSampler`, …); not with `shuffle`. */
  sampler?: Iterable<number> & { readonly length?: number };
  /** Whole batches of indices per epoch (a `BatchSampler`); not with `batchSize`, `shuffle`, `sampler` or `dropLast`. */
  batchSampler?: Iterable<readonly number[]> & { readonly length?: number };
  /**
   * Worker threads (Web Workers in browsers) that load items in parallel (default 0: in the calling thread).
   * They need `worker`, which tells them how to build the dataset; the batches are those of `numWorkers: 0`
   * with the same seed, in the same order. Iterate with `for await`.
   */
  numWorkers?: number;
  /** How workers rebuild the dataset: a module, the function it exports, and its arguments. */
  worker?: WorkerDatasetSpec;
  /** Batches loaded ahead per worker (default 2). */
  prefetchFactor?: number;
}

const OPTIONS = ['batchSize', 'shuffle', 'dropLast', 'collate', 'sampler', 'batchSampler', 'numWorkers', 'worker', 'prefetchFactor', 'seed', 'generator'];

/**
 * Iterates over a dataset in batches, as PyTorch's `DataLoader`. Each `for … of` (or `for await`) is one
 * epoch. With `shuffle`, every epoch draws a fresh permutation from the loader's generator (from `generator`,
 * else `seed`, else the default generator), so the same seed gives the same sequence of epoch orders; a
 * `sampler` or `batchSampler` chooses the indices instead. Map-style datasets iterate synchronously or
 * asynchronously; an `IterableDataset` streams, in its own order, and iterates synchronously only when its
 * source is synchronous. With `numWorkers`, items load in worker threads. Unknown options are an error.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, seed: 0 });
 * for (const [xb, yb] of loader) console.log(xb.shape, yb.shape); // [32, 4] [32] … (last batch smaller)
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly numWorkers: number;
  private readonly collate: (items: T[]) => B;
  private readonly generator: Generator | null;
  private readonly sampler: DataLoaderOptions<T, B>['sampler'];
  private readonly batchSampler: DataLoaderOptions<T, B>['batchSampler'];
  private readonly worker: WorkerDatasetSpec | undefined;
  private readonly prefetchFactor: number;

  constructor(
    readonly dataset: Dataset<T> | IterableDataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    checkOptionKeys('DataLoader', options, OPTIONS);
    if (options.batchSampler !== undefined) {
      const clash = (['batchSize', 'shuffle', 'sampler', 'dropLast'] as const).filter((k) => options[k] !== undefined);
      if (clash.length > 0) throw new ValueError('DataLoader', `batchSampler chooses whole batches; do not also give ${clash.join(', ')}`);
    }
    if (options.sampler !== undefined && options.shuffle) throw new ValueError('DataLoader', 'give either sampler or shuffle: true, not both (the sampler decides the order)');
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new ValueError('DataLoader', `batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    if (dataset instanceof IterableDataset) {
      if (this.shuffle) throw new ValueError('DataLoader', 'shuffle needs a map-style Dataset; an IterableDataset streams in its own order');
      if (options.sampler || options.batchSampler) throw new ValueError('DataLoader', 'samplers need a map-style Dataset; an IterableDataset streams in its own order');
    }
    this.numWorkers = options.numWorkers ?? 0;
    this.prefetchFactor = options.prefetchFactor ?? 2;
    this.worker = options.worker;
    checkWorkerOptions(this.numWorkers, this.prefetchFactor, this.worker);
    if (this.numWorkers > 0 && dataset instanceof IterableDataset) {
      throw new ValueError('DataLoader', 'numWorkers needs a map-style Dataset (workers load items by index)');
    }
    this.sampler = options.sampler;
    this.batchSampler = options.batchSampler;
    this.collate = options.collate ?? ((items: T[]) => defaultCollate(items) as B);
    this.generator = this.shuffle ? resolveGenerator('DataLoader', options) : null;
  }

  /** Batches per epoch of a map-style dataset (an `IterableDataset` has no length). */
  get length(): number {
    if (this.dataset instanceof IterableDataset) {
      throw new ValueError('DataLoader.length', 'an IterableDataset has no length; count batches while iterating');
    }
    if (this.batchSampler) {
      if (this.batchSampler.length === undefined) throw new ValueError('DataLoader.length', 'its batchSampler has no length');
      return this.batchSampler.length;
    }
    const n = this.sampler ? this.sampler.length : this.dataset.length;
    if (n === undefined) throw new ValueError('DataLoader.length', 'its sampler has no length');
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The item order of one epoch; drawing it advances the generator, so every epoch differs. */
  private epochOrder(n: number): Iterable<number> {
    if (this.sampler) return this.sampler;
    return this.generator ? shuffledIndices(n, this.generator) : Array.from({ length: n }, (_, i) => i);
  }

  /** The index lists of one epoch's batches. */
  private *indexBatches(n: number): Generator_<readonly number[]> {
    if (this.batchSampler) return yield* this.batchSampler;
    let batch: number[] = [];
    for (const i of this.epochOrder(n)) {
      batch.push(i);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0 && !this.dropLast) yield batch;
  }

  *[Symbol.iterator](): Iterator<B> {
    const ds = this.dataset;
    if (this.numWorkers > 0) {
      throw new ValueError('DataLoader', `numWorkers ${this.numWorkers} loads in worker threads; iterate with for await (fit and evaluate do)`);
    }
    if (!(ds instanceof IterableDataset)) return yield* this.batchIndexed(ds);
    const batches = this.batcher();
    for (let it = ds.syncIterator(), r = it.next(); !r.done; r = it.next()) yield* batches.push(r.value);
    yield* batches.finish();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const ds = this.dataset;
    if (this.numWorkers > 0 && this.worker && !(ds instanceof IterableDataset)) {
      const loads = loadInWorkers(this.worker, this.numWorkers, this.numWorkers * this.prefetchFactor, this.indexBatches(ds.length));
      for await (const items of loads) yield this.collate(items as T[]);
      return;
    }
    if (!(ds instanceof IterableDataset)) return yield* this.batchIndexed(ds);
    const batches = this.batcher();
    // The same steps as the synchronous pass, over an async source.
    for await (const item of ds) yield* batches.push(item);
    yield* batches.finish();
  }

  private *batchIndexed(ds: Dataset<T>): Iterator<B> & Iterable<B> {
    for (const batch of this.indexBatches(ds.length)) yield this.collate(batch.map((i) => ds.get(i)));
  }

  /** Groups streamed items: `push` returns the batch it completes (if any), `finish` the remainder. */
  private batcher(): { push(item: T): B[]; finish(): B[] } {
    let items: T[] = [];
    return {
      push: (item) => {
        items.push(item);
        if (items.length < this.batchSize) return [];
        const full = items;
        items = [];
        return [this.collate(full)];
      },
      finish: () => (items.length > 0 && !this.dropLast ? [this.collate(items)] : []),
    };
  }
}

/** The built-in generator type (the name `Generator` is @backprop/tensor's random generator here). */
type Generator_<T> = globalThis.Generator<T, void, undefined>;
