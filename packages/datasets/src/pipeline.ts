import { Tensor, ValueError, type Generator } from '@backprop/tensor';
import { defaultCollate, type Collated } from './collate.js';
import type { Dataset } from './dataset.js';
import { IterableDataset, type IterableSource } from './iterable-dataset.js';
import { resolveGenerator, type SeedOptions } from './random-source.js';

/** What a `Pipeline` reads from: a map-style dataset (in index order), an iterable, or a function making one per pass. */
export type PipelineSource<T> = Dataset<T> | IterableSource<T>;

type Opener<T> = () => AsyncIterator<T>;

const isDataset = <T>(s: PipelineSource<T>): s is Dataset<T> =>
  typeof (s as Dataset<T>).get === 'function' && typeof (s as Dataset<T>).length === 'number' && !(Symbol.iterator in s) && !(Symbol.asyncIterator in s);

function checkCount(op: string, name: string, n: number, allowInfinity = false): void {
  const ok = (Number.isInteger(n) && n >= 0) || (allowInfinity && n === Infinity);
  if (!ok) throw new ValueError(op, `${name} must be a non-negative integer${allowInfinity ? ' or Infinity' : ''}, got ${n}`);
}

/** The item type of `unbatch`: a tensor stays a tensor (one row), arrays and objects keep their shape. */
export type Unbatched<T> = T extends Tensor ? Tensor : T extends readonly unknown[] ? { -readonly [K in keyof T]: Unbatched<T[K]> } : T extends object ? { -readonly [K in keyof T]: Unbatched<T[K]> } : T;

/** The rows of the tensors in a batch (all must agree), or an error naming the batch. */
function batchRows(batch: unknown, k: number): number {
  const sizes: number[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof Tensor) {
      if (v.rank === 0) throw new ValueError('Pipeline.unbatch', `batch ${k + 1} holds a 0-d tensor, which has no rows`);
      sizes.push(v.shape[0]);
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') Object.values(v).forEach(visit);
    else throw new ValueError('Pipeline.unbatch', `batch ${k + 1} holds ${typeof v}; expected tensors, or arrays or objects of them`);
  };
  visit(batch);
  if (sizes.length === 0 || sizes.some((s) => s !== sizes[0])) throw new ValueError('Pipeline.unbatch', `batch ${k + 1} has tensors of ${sizes.join(', ')} rows; they must agree`);
  return sizes[0];
}

function rowOf(v: unknown, i: number): unknown {
  if (v instanceof Tensor) {
    const size = v.size / v.shape[0];
    return new Tensor(v.dataSync().slice(i * size, (i + 1) * size), v.shape.slice(1), v.dtype);
  }
  if (Array.isArray(v)) return v.map((e) => rowOf(e, i));
  return Object.fromEntries(Object.entries(v as object).map(([key, e]) => [key, rowOf(e, i)]));
}

/**
 * A lazy data pipeline in the style of tf.data and torchdata: each method returns a new pipeline and
 * nothing runs until it is iterated (`for await`). Every iteration is one pass (an epoch) from the start
 * of the source; steps with randomness (`shuffle`) own a generator made once from their seed and advanced
 * by every pass, so the same seed gives the same sequence of epochs, and a transform given to `map`
 * (augmentation, noise) runs again on every pass. Items flow one at a time, so a pipeline over a stream
 * (`streamCsv`) holds only its buffers in memory.
 *
 * @example
 * const train = Pipeline.from(new TensorDataset(x, y))
 *   .shuffle(1000, { seed: 0 })
 *   .map(([xi, yi]) => [noise.transform(xi), yi] as const)
 *   .batch(32)
 *   .prefetch(2);
 * await fit(model, { data: train, loss: 'crossEntropy', optimizer, epochs: 5 });
 */
export class Pipeline<T> implements AsyncIterable<T> {
  private constructor(
    private readonly open: Opener<T>,
    generators: readonly Generator[] = [],
  ) {
    this.generators = generators;
  }

  /**
   * The generators of this pipeline's seeded steps (`shuffle`), upstream first. Their states are what a
   * checkpoint needs to repeat the coming epochs' orders: set them back and the next pass draws the same.
   *
   * @example
   * const states = p.generators.map((g) => g.getState()); // … later: p.generators.forEach((g, k) => g.setState(states[k]));
   */
  readonly generators: readonly Generator[];

  /**
   * A pipeline over `source`: a map-style `Dataset` (items 0 … length − 1), an array or other iterable, an
   * async iterable, or a function (a generator function) returning a new iterable per pass.
   *
   * @example
   * const p = Pipeline.from(function* () { for (let i = 0; i < 10; i++) yield i; });
   */
  static from<T>(source: PipelineSource<T>): Pipeline<T> {
    if (isDataset(source)) {
      return new Pipeline(async function* () {
        for (let i = 0; i < source.length; i++) yield source.get(i);
      });
    }
    const stream = new IterableDataset(source);
    return new Pipeline(() => stream[Symbol.asyncIterator]());
  }

  /**
   * Tuples of the items of several pipelines side by side, ending with the shortest, as `tf.data.Dataset.zip`.
   *
   * @example
   * const pairs = Pipeline.zip(images, labels); // [image, label], …
   */
  static zip<P extends readonly Pipeline<unknown>[]>(...pipelines: P): Pipeline<{ -readonly [K in keyof P]: P[K] extends Pipeline<infer U> ? U : never }> {
    if (pipelines.length === 0) throw new ValueError('Pipeline.zip', 'needs at least one pipeline');
    type Out = { -readonly [K in keyof P]: P[K] extends Pipeline<infer U> ? U : never };
    return new Pipeline<Out>(async function* () {
      const its = pipelines.map((p) => p.open());
      try {
        while (true) {
          const rs = await Promise.all(its.map((it) => it.next()));
          if (rs.some((r) => r.done)) return;
          yield rs.map((r) => r.value) as unknown as Out;
        }
      } finally {
        await Promise.all(its.map((it) => it.return?.()));
      }
    }, pipelines.flatMap((p) => p.generators));
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.open();
  }

  /** An iterable whose every iteration is a new pass of this pipeline. */
  private passes(): AsyncIterable<T> {
    return { [Symbol.asyncIterator]: () => this.open() };
  }

  private then_<U>(make: (upstream: AsyncIterable<T>) => AsyncGenerator<U>, added: readonly Generator[] = []): Pipeline<U> {
    return new Pipeline<U>(() => make(this.passes()), [...this.generators, ...added]);
  }

  /**
   * Applies `fn` to every item, again on every pass; `fn` may be async. `index` counts items within the pass.
   *
   * @example
   * const scaled = p.map(([x, y]) => [x.div(255), y] as const);
   */
  map<U>(fn: (item: T, index: number) => U | Promise<U>): Pipeline<U> {
    return this.then_(async function* (up) {
      let k = 0;
      for await (const item of up) yield await fn(item, k++);
    });
  }

  /**
   * Keeps the items for which `predicate` is true.
   *
   * @example
   * const positives = p.filter(([, y]) => y.item() === 1);
   */
  filter(predicate: (item: T, index: number) => boolean | Promise<boolean>): Pipeline<T> {
    return this.then_(async function* (up) {
      let k = 0;
      for await (const item of up) if (await predicate(item, k++)) yield item;
    });
  }

  /**
   * Shuffles with a buffer of `bufferSize` items, as `tf.data.Dataset.shuffle`: the buffer fills from the
   * source and each output is a random item of it, replaced by the next input. A buffer as large as the data
   * gives a uniform permutation; a smaller one shuffles locally in bounded memory. Each pass draws anew from
   * the step's generator (from `seed` or `generator`, made once here).
   *
   * @example
   * const shuffled = Pipeline.from(stream).shuffle(10_000, { seed: 0 });
   */
  shuffle(bufferSize: number, options: SeedOptions = {}): Pipeline<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new ValueError('Pipeline.shuffle', `bufferSize must be a positive integer, got ${bufferSize}`);
    const g: Generator = resolveGenerator('Pipeline.shuffle', options);
    return this.then_(async function* (up) {
      const buffer: T[] = [];
      for await (const item of up) {
        if (buffer.length < bufferSize) {
          buffer.push(item);
          continue;
        }
        const j = g.integer(0, bufferSize);
        const out = buffer[j];
        buffer[j] = item;
        yield out;
      }
      while (buffer.length > 0) {
        const j = g.integer(0, buffer.length);
        const out = buffer[j];
        buffer[j] = buffer[buffer.length - 1];
        buffer.pop();
        yield out;
      }
    }, [g]);
  }

  /**
   * Groups `size` items into a batch with `collate` (default `defaultCollate`, which stacks tensors and
   * turns numbers into a tensor); the last batch may be smaller unless `dropLast`.
   *
   * @example
   * for await (const [xb, yb] of Pipeline.from(ds).batch(32)) console.log(xb.shape); // [32, …]
   */
  batch<B = Collated<T>>(size: number, options: { dropLast?: boolean; collate?: (items: T[]) => B } = {}): Pipeline<B> {
    if (!Number.isInteger(size) || size < 1) throw new ValueError('Pipeline.batch', `size must be a positive integer, got ${size}`);
    const collate = options.collate ?? ((items: T[]) => defaultCollate(items) as B);
    const dropLast = options.dropLast ?? false;
    return this.then_(async function* (up) {
      let items: T[] = [];
      for await (const item of up) {
        items.push(item);
        if (items.length === size) {
          yield collate(items);
          items = [];
        }
      }
      if (items.length > 0 && !dropLast) yield collate(items);
    });
  }

  /**
   * The rows of every batch, one item per row, as `tf.data.Dataset.unbatch`: a batch is a tensor, or an
   * array or object of tensors sharing their first axis (what `batch`, `streamCsv` and `readShards` yield),
   * and row i takes the i-th row of each. Use it to shuffle or filter rows of a stream that arrives in batches.
   *
   * @example
   * const rows = streamCsv('big.csv', { labelColumn: 'y', batchSize: 4096 }).unbatch().shuffle(10_000, { seed: 0 }).batch(32);
   */
  unbatch(): Pipeline<Unbatched<T>> {
    return this.then_(async function* (up) {
      let k = 0;
      for await (const batch of up) {
        const n = batchRows(batch, k++);
        for (let i = 0; i < n; i++) yield rowOf(batch, i) as Unbatched<T>;
      }
    });
  }

  /**
   * Reads up to `count` items ahead of the consumer, so that reading and decoding (async sources, files)
   * overlap with training on the previous batch. The order is unchanged.
   *
   * @example
   * const p = Pipeline.from(streamCsv('big.csv', { labelColumn: 'y', batchSize: 256 })).prefetch(2);
   */
  prefetch(count: number): Pipeline<T> {
    if (!Number.isInteger(count) || count < 1) throw new ValueError('Pipeline.prefetch', `count must be a positive integer, got ${count}`);
    return new Pipeline<T>(() => {
      const up = this.open();
      return (async function* () {
        const ahead: Promise<IteratorResult<T>>[] = [];
        try {
          while (true) {
            while (ahead.length < count) {
              const next = up.next();
              // Awaited in order below; this keeps a read left pending by an early exit from being reported as unhandled.
              next.catch(() => undefined);
              ahead.push(next);
            }
            const r = await ahead.shift()!;
            if (r.done) return;
            yield r.value;
          }
        } finally {
          await up.return?.();
        }
      })();
    }, this.generators);
  }

  /**
   * The items `count` times over (default forever), each time a new pass of the source: shuffles and
   * transforms before `repeat` draw anew every time.
   *
   * @example
   * const threeEpochs = p.repeat(3);
   */
  repeat(count = Infinity): Pipeline<T> {
    checkCount('Pipeline.repeat', 'count', count, true);
    const source = this.passes();
    return new Pipeline<T>(async function* () {
      for (let k = 0; k < count; k++) {
        let any = false;
        for await (const item of source) {
          any = true;
          yield item;
        }
        if (!any) return;
      }
    }, this.generators);
  }

  /**
   * The first `count` items of each pass.
   *
   * @example
   * const preview = await Pipeline.from(stream).take(5).toArray();
   */
  take(count: number): Pipeline<T> {
    checkCount('Pipeline.take', 'count', count);
    const source = this.passes();
    return new Pipeline<T>(async function* () {
      if (count === 0) return;
      let k = 0;
      for await (const item of source) {
        yield item;
        if (++k >= count) return;
      }
    }, this.generators);
  }

  /**
   * Every item after the first `count` of each pass.
   *
   * @example
   * const rest = p.skip(1000);
   */
  skip(count: number): Pipeline<T> {
    checkCount('Pipeline.skip', 'count', count);
    return this.then_(async function* (up) {
      let k = 0;
      for await (const item of up) if (k++ >= count) yield item;
    });
  }

  /**
   * This pipeline's items, then `other`'s, as `tf.data.Dataset.concatenate`.
   *
   * @example
   * const all = trainPart.concatenate(extraPart);
   */
  concatenate(other: Pipeline<T>): Pipeline<T> {
    const source = this.passes();
    return new Pipeline<T>(async function* () {
      yield* source;
      yield* other.passes();
    }, [...this.generators, ...other.generators]);
  }

  /**
   * Reads one pass into an array.
   *
   * @example
   * const rows = await Pipeline.from(stream).take(3).toArray();
   */
  async toArray(): Promise<T[]> {
    const out: T[] = [];
    for await (const item of this) out.push(item);
    return out;
  }
}
