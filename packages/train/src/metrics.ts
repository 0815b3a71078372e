import { arange, cast, concat, floatType, getBackend, promoteTypes, where, type Tensor } from '@backprop/tensor';
import { TrainingError } from './errors.js';
import { withValues } from './tensor-utils.js';

/**
 * A metric accumulates over batches and reports one number for the epoch, so that metrics that do not
 * decompose over batches (precision, recall, F1, R²) are exact.
 *
 * `update` may return a promise: the built-in metrics reduce each batch with tensor ops where its values
 * live and read back only the small result, at once for host tensors (`cpu`, `wasm`) and asynchronously
 * from a GPU. `fit` and `evaluateAsync` await it before the next batch; synchronous `evaluate` needs it to
 * finish at once.
 */
export interface Metric {
  readonly name: string;
  reset(): void;
  update(prediction: Tensor, target: Tensor): void | Promise<void>;
  result(): number;
}

/** Class indices predicted (int32, one per sample): argmax over the last axis, or a 0.5 threshold for a single output column. */
function predictedClasses(prediction: Tensor): Tensor {
  const p = prediction.detach();
  const c = p.shape[p.rank - 1] ?? 1;
  // One output: logits of a binary classifier; positive means class 1.
  if (c === 1 || p.rank <= 1) return cast(p.gt(0), 'int32').reshape([p.size]);
  return p.argmax(-1).reshape([p.size / c]);
}

/** True class indices (int32) from labels, or from one-hot/probability rows (argmax). */
function trueClasses(target: Tensor, n: number): Tensor {
  const t = target.detach();
  if (t.size !== n) return predictedClasses(t);
  const labels = t.dtype === 'int32' ? t : t.dtype === 'bool' ? cast(t, 'int32') : cast(t.round(), 'int32');
  return labels.reshape([n]);
}

/** Samples in a batch of predictions: rows of class scores, or one logit each. */
function samplesOf(prediction: Tensor): number {
  const c = prediction.shape[prediction.rank - 1] ?? 1;
  return prediction.rank <= 1 ? prediction.size : prediction.size / c;
}

/** The confusion matrix accumulated over an epoch: rows are true classes, columns predicted ones. */
export class ConfusionMatrix {
  counts: number[][] = [];

  constructor(public numClasses = 0) {
    this.reset();
  }

  reset(): void {
    this.counts = Array.from({ length: this.numClasses }, () => new Array<number>(this.numClasses).fill(0));
  }

  /**
   * Counts one batch. The class indices are computed where the prediction lives and read back: at once
   * for host tensors, through a promise from a GPU (await it before reading `counts`).
   *
   * @example
   * const cm = new ConfusionMatrix(3);
   * await cm.update(logits, labels); // on cpu it has counted already when update returns
   */
  update(prediction: Tensor, target: Tensor): void | Promise<void> {
    const pred = predictedClasses(prediction);
    const truth = trueClasses(target, pred.size);
    const c = prediction.rank > 1 && prediction.shape[prediction.rank - 1] > 1 ? prediction.shape[prediction.rank - 1] : 2;
    return withValues([pred, truth], ([p, t]) => {
      this.grow((t as Int32Array).reduce((top, k) => Math.max(top, k + 1), c));
      for (let i = 0; i < p.length; i++) this.counts[t[i]][p[i]]++;
    });
  }

  private grow(n: number): void {
    if (n <= this.numClasses) return;
    for (const row of this.counts) while (row.length < n) row.push(0);
    while (this.counts.length < n) this.counts.push(new Array<number>(n).fill(0));
    this.numClasses = n;
  }

  total(): number {
    return this.counts.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  }
}

class ClassificationMetric implements Metric {
  private cm = new ConfusionMatrix();
  constructor(
    readonly name: string,
    private readonly score: (cm: ConfusionMatrix) => number,
  ) {}
  reset(): void {
    this.cm = new ConfusionMatrix();
  }
  update(prediction: Tensor, target: Tensor): void | Promise<void> {
    return this.cm.update(prediction, target);
  }
  result(): number {
    return this.cm.total() === 0 ? NaN : this.score(this.cm);
  }
}

function perClass(cm: ConfusionMatrix, f: (tp: number, fp: number, fn: number) => number): number {
  // Macro average over the classes that occur (in truth or prediction), as scikit-learn's 'macro'.
  let sum = 0;
  let count = 0;
  for (let k = 0; k < cm.numClasses; k++) {
    const tp = cm.counts[k][k];
    let fp = 0;
    let fn = 0;
    for (let j = 0; j < cm.numClasses; j++) {
      if (j === k) continue;
      fp += cm.counts[j][k];
      fn += cm.counts[k][j];
    }
    if (tp + fp + fn === 0) continue;
    sum += f(tp, fp, fn);
    count++;
  }
  return count === 0 ? NaN : sum / count;
}

const safeDiv = (a: number, b: number): number => (b === 0 ? 0 : a / b);

/** A metric that adds up per-batch counts computed by `count` where the batch lives; one read per batch. */
function counted(name: string, count: (prediction: Tensor, target: Tensor) => Tensor): Metric {
  let hits = 0;
  let total = 0;
  return {
    name,
    reset: () => {
      hits = 0;
      total = 0;
    },
    update: (prediction, target) => {
      const n = samplesOf(prediction);
      return withValues([count(prediction.detach(), target.detach())], ([h]) => {
        hits += Number(h[0]);
        total += n;
      });
    },
    result: () => (total === 0 ? NaN : hits / total),
  };
}

/** Fraction of samples whose predicted class (argmax) is the true class. */
export const accuracy = (): Metric =>
  counted('accuracy', (prediction, target) => {
    const pred = predictedClasses(prediction);
    return pred.eq(trueClasses(target, pred.size)).sum();
  });
/** Macro-averaged precision. */
export const precision = (): Metric => new ClassificationMetric('precision', (cm) => perClass(cm, (tp, fp) => safeDiv(tp, tp + fp)));
/** Macro-averaged recall. */
export const recall = (): Metric => new ClassificationMetric('recall', (cm) => perClass(cm, (tp, _fp, fn) => safeDiv(tp, tp + fn)));
/** Macro-averaged F1 (the mean of per-class F1 scores). */
export const f1 = (): Metric => new ClassificationMetric('f1', (cm) => perClass(cm, (tp, fp, fn) => safeDiv(2 * tp, 2 * tp + fp + fn)));

/** Fraction of samples whose true class is among the k highest scores (ties counted in its favour). */
export function topKAccuracy(k = 5): Metric {
  return counted(`top${k}Accuracy`, (prediction, target) => {
    const c = prediction.shape[prediction.rank - 1];
    const n = prediction.size / c;
    const scores = prediction.reshape([n, c]);
    // The true class's score, picked by a mask rather than a gather, so no index is checked on the host.
    const isTrue = trueClasses(target, n).reshape([n, 1]).eq(arange(c));
    const score = where(isTrue, scores, 0).sum(-1, true);
    return scores.gt(score).sum(-1).lt(k).sum();
  });
}

/**
 * Per-batch sums for the regression metrics, reduced where the batch lives: squared and absolute errors,
 * and the targets' mean and centred sum of squares, which batches merge without the cancellation of Σy² − (Σy)²/n.
 */
function regression(name: string, finish: (s: { n: number; se: number; ae: number; mean: number; m2: number }) => number): Metric {
  const s = { n: 0, se: 0, ae: 0, mean: 0, m2: 0 };
  return {
    name,
    reset: () => Object.assign(s, { n: 0, se: 0, ae: 0, mean: 0, m2: 0 }),
    update: (prediction, target) => {
      if (prediction.size !== target.size) {
        throw new TrainingError(`metric ${name}: prediction has ${prediction.size} values but target has ${target.size}`);
      }
      const dtype = floatType(promoteTypes(prediction.dtype, target.dtype));
      const p = cast(prediction.detach(), dtype).reshape([prediction.size]);
      const t = cast(target.detach(), dtype).reshape([target.size]);
      const e = p.sub(t);
      const mean = t.mean();
      const stats = concat([e.square().sum(), e.abs().sum(), mean, t.sub(mean).square().sum()].map((v) => v.reshape([1])));
      const size = p.size;
      return withValues([stats], ([v]) => {
        const [se, ae, batchMean, batchM2] = Array.from(v as ArrayLike<number>);
        // Chan, Golub and LeVeque's pairwise update of a mean and centred sum of squares.
        const n = s.n + size;
        const delta = batchMean - s.mean;
        s.m2 += batchM2 + (delta * delta * s.n * size) / n;
        s.mean += (delta * size) / n;
        s.se += se;
        s.ae += ae;
        s.n = n;
      });
    },
    result: () => (s.n === 0 ? NaN : finish(s)),
  };
}

/** Mean squared error. */
export const mse = (): Metric => regression('mse', (s) => s.se / s.n);
/** Mean absolute error. */
export const mae = (): Metric => regression('mae', (s) => s.ae / s.n);
/** Coefficient of determination R² = 1 − SS_res / SS_tot. */
export const r2 = (): Metric => regression('r2', (s) => 1 - s.se / s.m2);

const METRICS: Record<string, () => Metric> = { accuracy, precision, recall, f1, mse, mae, r2, topKAccuracy: () => topKAccuracy(5) };

/** A metric by name (`'accuracy'`, `'f1'`, `'top3Accuracy'`, `'mse'`, …) or the metric itself. */
export function resolveMetric(metric: string | Metric): Metric {
  if (typeof metric !== 'string') return metric;
  const topK = /^top(\d+)Accuracy$/.exec(metric);
  if (topK) return topKAccuracy(Number(topK[1]));
  const make = METRICS[metric];
  if (!make) throw new TrainingError(`unknown metric '${metric}'; known metrics: ${Object.keys(METRICS).join(', ')}, topKAccuracy as top<k>Accuracy`);
  return make();
}

/**
 * The confusion matrix of predictions against targets (rows: true class, columns: predicted class), read
 * synchronously: for predictions on a GPU, `await` a `ConfusionMatrix`'s `update` instead.
 *
 * @example
 * confusionMatrix(tensor([[2, 1], [0, 3]]), tensor([0, 0], 'int32')); // [[1, 1], [0, 0]]
 */
export function confusionMatrix(prediction: Tensor, target: Tensor, numClasses?: number): number[][] {
  const cm = new ConfusionMatrix(numClasses ?? 0);
  const pending = cm.update(prediction, target);
  if (pending) {
    pending.catch(() => undefined);
    throw new TrainingError(
      `confusionMatrix: the class indices are on '${getBackend()}', which cannot be read synchronously; use \`const cm = new ConfusionMatrix(); await cm.update(prediction, target)\` and read cm.counts`,
    );
  }
  return cm.counts;
}
