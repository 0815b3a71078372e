import { ValueError, type Generator } from '@backprop/tensor';
import { defaultCollate, type Collated } from './collate.js';
import type { Dataset } from './dataset.js';
import { IterableDataset } from './iterable-dataset.js';
import { resolveGenerator, shuffledIndices, type SeedOptions } from './random-source.js';

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
}

/**
 * Iterates over a dataset in batches, as PyTorch's `DataLoader`. Each `for … of` (or `for await`) is one
 * epoch. With `shuffle`, every epoch draws a fresh permutation from the loader's generator (from `generator`,
 * else `seed`, else the default generator), so the same seed gives the same sequence of epoch orders.
 * Map-style datasets iterate synchronously or asynchronously; an `IterableDataset` streams, in its own
 * order, and iterates synchronously only when its source is synchronous.
 *
 * @example
 * const loader = new DataLoader(new TensorDataset(x, y), { batchSize: 32, shuffle: true, seed: 0 });
 * for (const [xb, yb] of loader) console.log(xb.shape, yb.shape); // [32, 4] [32] … (last batch smaller)
 */
export class DataLoader<T, B = Collated<T>> implements Iterable<B>, AsyncIterable<B> {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly collate: (items: T[]) => B;
  private readonly generator: Generator | null;

  constructor(
    readonly dataset: Dataset<T> | IterableDataset<T>,
    options: DataLoaderOptions<T, B> = {},
  ) {
    this.batchSize = options.batchSize ?? 1;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) {
      throw new ValueError('DataLoader', `batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    if (this.shuffle && dataset instanceof IterableDataset) {
      throw new ValueError('DataLoader', 'shuffle needs a map-style Dataset; an IterableDataset streams in its own order');
    }
    this.collate = options.collate ?? ((items: T[]) => defaultCollate(items) as B);
    this.generator = this.shuffle ? resolveGenerator('DataLoader', options) : null;
  }

  /** Batches per epoch of a map-style dataset (an `IterableDataset` has no length). */
  get length(): number {
    if (this.dataset instanceof IterableDataset) {
      throw new ValueError('DataLoader.length', 'an IterableDataset has no length; count batches while iterating');
    }
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** The item order of one epoch; drawing it advances the generator, so every epoch differs. */
  private epochOrder(n: number): number[] {
    return this.generator ? shuffledIndices(n, this.generator) : Array.from({ length: n }, (_, i) => i);
  }

  *[Symbol.iterator](): Iterator<B> {
    const ds = this.dataset;
    if (!(ds instanceof IterableDataset)) return yield* this.batchIndexed(ds);
    const batches = this.batcher();
    for (let it = ds.syncIterator(), r = it.next(); !r.done; r = it.next()) yield* batches.push(r.value);
    yield* batches.finish();
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    const ds = this.dataset;
    if (!(ds instanceof IterableDataset)) return yield* this.batchIndexed(ds);
    const batches = this.batcher();
    // The same steps as the synchronous pass, over an async source.
    for await (const item of ds) yield* batches.push(item);
    yield* batches.finish();
  }

  private *batchIndexed(ds: Dataset<T>): Iterator<B> & Iterable<B> {
    const order = this.epochOrder(ds.length);
    const end = this.dropLast ? order.length - (order.length % this.batchSize) : order.length;
    for (let start = 0; start < end; start += this.batchSize) {
      const batch = order.slice(start, Math.min(start + this.batchSize, end));
      yield this.collate(batch.map((i) => ds.get(i)));
    }
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
