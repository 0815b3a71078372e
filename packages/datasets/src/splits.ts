import { Tensor, ValueError, fmtShape } from '@backprop/tensor';
import { Subset, type Dataset } from './dataset.js';
import { resolveGenerator, shuffleInPlace, shuffledIndices, type SeedOptions } from './random-source.js';
import { numRows, takeRows } from './rows.js';

/**
 * Split sizes from lengths (integers summing to n) or fractions (summing to 1). Fractions round down and the
 * items left over go one each to the first splits, as PyTorch's `random_split`.
 */
function splitSizes(op: string, n: number, parts: readonly number[]): number[] {
  if (parts.length === 0) throw new ValueError(op, 'needs at least one length or fraction');
  const total = parts.reduce((a, b) => a + b, 0);
  if (parts.every((p) => Number.isInteger(p) && p >= 0) && total === n) return [...parts];
  if (parts.some((p) => !(p >= 0 && p <= 1)) || Math.abs(total - 1) > 1e-6) {
    throw new ValueError(op, `[${parts.join(', ')}] are neither lengths summing to ${n} nor fractions summing to 1`);
  }
  const sizes = parts.map((p) => Math.floor(p * n));
  const left = n - sizes.reduce((a, b) => a + b, 0);
  for (let k = 0; k < left; k++) sizes[k % sizes.length]++;
  return sizes;
}

/**
 * Splits a dataset at random into non-overlapping subsets of the given lengths or fractions, as PyTorch's
 * `random_split`.
 *
 * @example
 * const [train, val] = randomSplit(dataset, [0.8, 0.2], { seed: 42 });
 */
export function randomSplit<T>(dataset: Dataset<T>, lengthsOrFractions: readonly number[], options: SeedOptions = {}): Subset<T>[] {
  const sizes = splitSizes('randomSplit', dataset.length, lengthsOrFractions);
  const order = shuffledIndices(dataset.length, resolveGenerator('randomSplit', options));
  let start = 0;
  return sizes.map((size) => new Subset(dataset, order.slice(start, (start += size))));
}

function labelValues(op: string, labels: Tensor | ArrayLike<number>): number[] {
  if (labels instanceof Tensor && labels.rank !== 1) {
    throw new ValueError(op, `labels must be 1-d, got shape ${fmtShape(labels.shape)}`);
  }
  const values = Array.from((labels instanceof Tensor ? labels.dataSync() : labels) as ArrayLike<number>);
  values.forEach((v, i) => {
    if (!Number.isInteger(v)) throw new ValueError(op, `label ${v} at index ${i} is not an integer class`);
  });
  return values;
}

/**
 * Splits sample indices so that every class is divided in the given fractions (within one item per
 * class), as scikit-learn's stratified splitting: a 70/30 split of a set with 10% of class 2 keeps about
 * 10% of class 2 in each part. Returns one index list per fraction, each in random order.
 *
 * @example
 * const [trainIdx, testIdx] = stratifiedSplit(y, [0.8, 0.2], { seed: 0 });
 * const train = new Subset(dataset, trainIdx);
 */
export function stratifiedSplit(labels: Tensor | ArrayLike<number>, fractions: readonly number[], options: SeedOptions = {}): number[][] {
  const op = 'stratifiedSplit';
  const values = labelValues(op, labels);
  const sum = fractions.reduce((a, b) => a + b, 0);
  if (fractions.length === 0 || fractions.some((f) => !(f >= 0)) || Math.abs(sum - 1) > 1e-6) {
    throw new ValueError(op, `fractions must be non-negative and sum to 1, got [${fractions.join(', ')}]`);
  }
  const g = resolveGenerator(op, options);
  const byClass = new Map<number, number[]>();
  values.forEach((v, i) => {
    const members = byClass.get(v);
    if (members) members.push(i);
    else byClass.set(v, [i]);
  });
  const parts: number[][] = fractions.map(() => []);
  for (const cls of [...byClass.keys()].sort((a, b) => a - b)) {
    const members = shuffleInPlace(byClass.get(cls) ?? [], g);
    // Largest remainder: floor every share, then hand the leftovers to the largest fractional parts.
    const exact = fractions.map((f) => f * members.length);
    const counts = exact.map(Math.floor);
    const order = exact.map((e, k) => [e - Math.floor(e), k]).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    for (let k = 0, left = members.length - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k][1]]++;
    let start = 0;
    counts.forEach((c, k) => parts[k].push(...members.slice(start, (start += c))));
  }
  return parts.map((p) => shuffleInPlace(p, g));
}

/** Options of `trainTestSplit`, after scikit-learn's `train_test_split`. */
export interface TrainTestSplitOptions extends SeedOptions {
  /** Fraction (0..1) or number of samples in the test part (default 0.25); the fraction rounds up. */
  testSize?: number;
  /** Shuffle before splitting (default true); without it the last samples are the test part. */
  shuffle?: boolean;
  /** Keep the class proportions of `y` in both parts (default false; needs `shuffle`). */
  stratify?: boolean;
}

/**
 * Splits features and targets into train and test parts, as scikit-learn's `train_test_split`.
 *
 * @example
 * const { xTrain, xTest, yTrain, yTest } = trainTestSplit(x, y, { testSize: 0.2, stratify: true, seed: 0 });
 */
export function trainTestSplit(
  x: Tensor,
  y: Tensor,
  options: TrainTestSplitOptions = {},
): { xTrain: Tensor; xTest: Tensor; yTrain: Tensor; yTest: Tensor } {
  const op = 'trainTestSplit';
  const n = numRows(op, x);
  if (numRows(op, y, 'y') !== n) throw new ValueError(op, `x has ${n} rows but y has ${y.shape[0]}`);
  const testSize = options.testSize ?? 0.25;
  const nTest = testSize > 0 && testSize < 1 ? Math.ceil(testSize * n) : testSize;
  if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n) {
    throw new ValueError(op, `testSize ${testSize} leaves no train or no test samples out of ${n}`);
  }
  const shuffle = options.shuffle ?? true;
  let trainIdx: number[];
  let testIdx: number[];
  if (options.stratify) {
    if (!shuffle) throw new ValueError(op, 'stratify needs shuffle: true');
    [trainIdx, testIdx] = stratifiedSplit(y, [1 - nTest / n, nTest / n], options);
  } else {
    const order = shuffle ? shuffledIndices(n, resolveGenerator(op, options)) : Array.from({ length: n }, (_, i) => i);
    trainIdx = order.slice(0, n - nTest);
    testIdx = order.slice(n - nTest);
  }
  return {
    xTrain: takeRows(op, x, trainIdx),
    xTest: takeRows(op, x, testIdx),
    yTrain: takeRows(op, y, trainIdx),
    yTest: takeRows(op, y, testIdx),
  };
}
