import { DataLoader, stratifiedSplit, Subset, type Dataset } from '@backprop/datasets';
import { Generator, permutation, Tensor } from '@backprop/tensor';
import { checkArrayData, takeRows } from './batches.js';
import { TrainingError } from './errors.js';
import type { ArrayData } from './types.js';

/** One batch as `fit` and `evaluate` read it: `[x, y]` (what a `DataLoader` over a `TensorDataset` yields) or `{ x, y }`. */
export type Batch = readonly [Tensor, Tensor, ...Tensor[]] | readonly Tensor[] | { x: Tensor; y: Tensor };

/**
 * What `fit`, `evaluate` and `predict` read: tensors `{ x, y }`; a map-style `Dataset` of `[x, y]` or
 * `{ x, y }` items (batched here with `batchSize`, shuffled by `fit`'s seed); or any iterable or async
 * iterable of batches: a `DataLoader`, a `Pipeline`, a generator, an array of batches. An iterable is read
 * once per epoch, so it must start afresh each time it is iterated (a `DataLoader`, a `Pipeline`, an array
 * or an object whose `[Symbol.iterator]` makes a new generator do; a generator object does not).
 */
export type DataInput = ArrayData | Dataset<unknown> | Iterable<Batch> | AsyncIterable<Batch>;

/** How `fit` holds out a fraction of its data for validation; the choice is recorded in `History.validationSplit`. */
export interface ValidationSplitOptions {
  /** Draw the held-out samples at random with `fit`'s seed (default true); false takes the last samples, as Keras. */
  shuffle?: boolean;
  /** Keep the class proportions of `y` in both parts (default false; needs integer labels and `shuffle`). */
  stratify?: boolean;
}

/** What `fit` did with a `validation` fraction, recorded in the history. */
export interface ValidationSplitRecord {
  fraction: number;
  /** Samples held out. */
  samples: number;
  /** 'random' (seeded by `fit`'s seed), 'stratified' (random within each class) or 'tail' (the last samples). */
  method: 'random' | 'stratified' | 'tail';
}

/** Batches, one epoch at a time. */
export interface BatchSource {
  /** The batches of one epoch; tensors and datasets draw their order from `generator` when shuffling. */
  epoch(generator: Generator, shuffle: boolean): Iterable<Batch> | AsyncIterable<Batch>;
  /** Samples per epoch, when known before iterating. */
  readonly samples: number | undefined;
  /** Batches per epoch, when known before iterating. */
  readonly steps: number | undefined;
  /** True for a one-shot iterator, which cannot run a second epoch. */
  readonly oneShot: boolean;
}

const isObject = (v: unknown): v is Record<PropertyKey, unknown> => v !== null && (typeof v === 'object' || typeof v === 'function');
const isArrayData = (v: unknown): v is ArrayData => isObject(v) && v.x instanceof Tensor && v.y instanceof Tensor;
const isDataset = (v: unknown): v is Dataset<unknown> =>
  isObject(v) && typeof v.get === 'function' && typeof v.length === 'number' && !(Symbol.iterator in v) && !(Symbol.asyncIterator in v);
const isIterable = (v: unknown): v is Iterable<Batch> | AsyncIterable<Batch> => isObject(v) && (Symbol.iterator in v || Symbol.asyncIterator in v);

/** What was given, for error messages. */
export function describe(v: unknown): string {
  if (v instanceof Tensor) return `a tensor of shape [${v.shape.join(', ')}]`;
  if (Array.isArray(v)) return `an array of ${v.length} element${v.length === 1 ? '' : 's'}`;
  if (isObject(v)) return `an object with keys ${Object.keys(v).join(', ') || '(none)'}`;
  return String(v);
}

function expectedInputs(where: string, given: unknown): TrainingError {
  return new TrainingError(
    `${where}: expected { x: Tensor, y: Tensor }, a Dataset, a DataLoader or an iterable or async iterable of [x, y] batches, got ${describe(given)}`,
  );
}

/** `[x, y, …]` or `{ x, y }` as `{ x, y }`, or an error naming where the batch came from. */
export function toXY(where: string, batch: unknown, step: number): ArrayData {
  let x: unknown;
  let y: unknown;
  if (Array.isArray(batch)) [x, y] = batch;
  else if (isObject(batch)) ({ x, y } = batch as { x?: unknown; y?: unknown });
  if (!(x instanceof Tensor) || !(y instanceof Tensor)) {
    throw new TrainingError(`${where}: batch ${step + 1} is ${describe(batch)}; expected [x, y] or { x, y } with tensors`);
  }
  if (x.rank === 0 || y.rank === 0 || x.shape[0] !== y.shape[0]) {
    throw new TrainingError(`${where}: batch ${step + 1} has x of shape [${x.shape.join(', ')}] and y of shape [${y.shape.join(', ')}]; they need the same first (sample) axis`);
  }
  return { x, y };
}

function tensorSource(data: ArrayData, batchSize: number): BatchSource {
  const n = data.x.shape[0];
  return {
    samples: n,
    steps: Math.ceil(n / batchSize),
    oneShot: false,
    *epoch(generator, shuffle) {
      const order = shuffle ? permutation(n, { generator }).dataSync() : Int32Array.from({ length: n }, (_, i) => i);
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        yield { x: takeRows(data.x, order, start, end), y: takeRows(data.y, order, start, end) };
      }
    },
  };
}

function datasetSource(data: Dataset<unknown>, batchSize: number): BatchSource {
  return {
    samples: data.length,
    steps: Math.ceil(data.length / batchSize),
    oneShot: false,
    // A synchronous generator over the loader, so that `evaluate` and `predict` of a Dataset answer at once.
    *epoch(generator, shuffle) {
      yield* new DataLoader(data, shuffle ? { batchSize, shuffle, generator } : { batchSize }) as Iterable<Batch>;
    },
  };
}

function iterableSource(data: Iterable<Batch> | AsyncIterable<Batch>): BatchSource {
  let steps: number | undefined;
  try {
    // A DataLoader over a stream has no length and says so by throwing.
    const length = (data as { length?: unknown }).length;
    steps = typeof length === 'number' ? length : undefined;
  } catch {
    steps = undefined;
  }
  const oneShot = typeof (data as Partial<Iterator<unknown>>).next === 'function';
  return { samples: undefined, steps, oneShot, epoch: () => data };
}

/** Batches from any accepted input; `where` names the argument in errors (`fit: data`). */
export function batchSource(where: string, data: unknown, batchSize: number): BatchSource {
  if (isArrayData(data)) {
    checkArrayData(where, data);
    return tensorSource(data, batchSize);
  }
  if (data instanceof Tensor) throw expectedInputs(where, data);
  if (isDataset(data)) return datasetSource(data, batchSize);
  if (isIterable(data)) return iterableSource(data);
  throw expectedInputs(where, data);
}

/**
 * Holds out `fraction` of `data` (tensors or a map-style dataset) for validation: at random with `seed`
 * unless `shuffle: false` (the last samples), or stratified by the labels.
 */
export function splitValidation(
  data: unknown,
  fraction: number,
  seed: number,
  options: ValidationSplitOptions = {},
): { train: ArrayData | Dataset<unknown>; validation: ArrayData | Dataset<unknown>; record: ValidationSplitRecord } {
  if (!(fraction > 0 && fraction < 1)) throw new TrainingError(`fit: validation as a fraction must be in (0, 1), got ${fraction}`);
  const shuffle = options.shuffle ?? true;
  const stratify = options.stratify ?? false;
  if (stratify && !shuffle) throw new TrainingError('fit: validationSplit.stratify needs shuffle: true');
  let n: number;
  if (isArrayData(data)) n = checkArrayData('fit: data', data);
  else if (isDataset(data)) n = data.length;
  else {
    throw new TrainingError(
      `fit: validation as a fraction (${fraction}) needs data as tensors or a Dataset, got ${describe(data)}; pass validation data instead`,
    );
  }
  const nVal = Math.max(1, Math.round(n * fraction));
  if (nVal >= n) throw new TrainingError(`fit: validation ${fraction} of ${n} samples leaves none to train on`);
  // A generator of its own, so the split depends on the seed alone and the data order's generator is untouched.
  const g = new Generator(seed);
  let trainIdx: number[];
  let valIdx: number[];
  if (stratify) {
    if (!isArrayData(data)) throw new TrainingError('fit: validationSplit.stratify needs data as { x, y } tensors with integer labels');
    [trainIdx, valIdx] = stratifiedSplit(data.y, [1 - nVal / n, nVal / n], { generator: g });
  } else {
    const order = shuffle ? Array.from(permutation(n, { generator: g }).dataSync()) : Array.from({ length: n }, (_, i) => i);
    trainIdx = order.slice(0, n - nVal);
    valIdx = order.slice(n - nVal);
  }
  const record: ValidationSplitRecord = { fraction, samples: valIdx.length, method: stratify ? 'stratified' : shuffle ? 'random' : 'tail' };
  if (isArrayData(data)) {
    const rows = (idx: number[]): ArrayData => ({ x: takeRows(data.x, idx, 0, idx.length), y: takeRows(data.y, idx, 0, idx.length) });
    return { train: rows(trainIdx), validation: rows(valIdx), record };
  }
  return { train: new Subset(data as Dataset<unknown>, trainIdx), validation: new Subset(data as Dataset<unknown>, valIdx), record };
}
