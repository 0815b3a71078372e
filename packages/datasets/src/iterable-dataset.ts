import { ValueError } from '@backprop/tensor';

/** What an `IterableDataset` reads from: an iterable, or a function making a fresh one per pass. */
export type IterableSource<T> = Iterable<T> | AsyncIterable<T> | (() => Iterable<T> | AsyncIterable<T>);

/**
 * A streaming dataset, as PyTorch's `IterableDataset`: items arrive in order from a (sync or async)
 * iterator, without a length or random access. Give a function (such as a generator function) to make
 * the dataset iterable more than once, one pass per epoch; a plain iterator can be read only once.
 *
 * @example
 * const ds = new IterableDataset(function* () { for (let i = 0; i < 5; i++) yield tensor([i, i * i]); });
 * for await (const batch of new DataLoader(ds, { batchSize: 2 })) console.log(batch.shape); // [2, 2] … [1, 2]
 */
export class IterableDataset<T> implements AsyncIterable<T> {
  private used = false;

  constructor(private readonly source: IterableSource<T>) {}

  /** The iterable for one pass: a fresh one from a function, else the source itself (once, if it is an iterator). */
  private open(): Iterable<T> | AsyncIterable<T> {
    if (typeof this.source === 'function') return this.source();
    const isOneShotIterator = typeof (this.source as Partial<Iterator<T>>).next === 'function';
    if (isOneShotIterator && this.used) {
      throw new ValueError(
        'IterableDataset',
        'its iterator was used up by an earlier pass; pass a function that returns a new iterator to iterate again',
      );
    }
    this.used = true;
    return this.source;
  }

  /** A synchronous pass, or an error naming the async source. */
  syncIterator(): Iterator<T> {
    const it = this.open();
    if (!(Symbol.iterator in it)) {
      throw new ValueError('IterableDataset', 'its source is async; iterate with for await');
    }
    return it[Symbol.iterator]();
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    const it = this.open();
    if (Symbol.asyncIterator in it) return it[Symbol.asyncIterator]();
    const sync = it[Symbol.iterator]();
    return { next: async () => sync.next() };
  }
}
