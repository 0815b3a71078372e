import type { Tensor } from '@backprop/tensor';
import { TrainingError } from './errors.js';

/**
 * A metric accumulates over batches and reports one number for the epoch, so that metrics that do not
 * decompose over batches (precision, recall, F1, R²) are exact.
 */
export interface Metric {
  readonly name: string;
  reset(): void;
  update(prediction: Tensor, target: Tensor): void;
  result(): number;
}

/** Class indices predicted: argmax over the last axis, or a 0.5 threshold for a single output column. */
function predictedClasses(prediction: Tensor): Int32Array {
  const c = prediction.shape[prediction.rank - 1] ?? 1;
  const n = prediction.size / c;
  const out = new Int32Array(n);
  const d = prediction.dataSync();
  if (c === 1 || prediction.rank === 1) {
    // One output: logits of a binary classifier; positive means class 1.
    for (let i = 0; i < n; i++) out[i] = d[i] > 0 ? 1 : 0;
    return out;
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let k = 1; k < c; k++) if (d[i * c + k] > d[i * c + best]) best = k;
    out[i] = best;
  }
  return out;
}

/** True class indices from int labels, or from one-hot/probability rows (argmax). */
function trueClasses(target: Tensor, n: number): Int32Array {
  if (target.size === n) return Int32Array.from(target.dataSync() as ArrayLike<number>, (v) => Math.round(v));
  return predictedClasses(target);
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

  update(prediction: Tensor, target: Tensor): void {
    const pred = predictedClasses(prediction);
    const truth = trueClasses(target, pred.length);
    const c = prediction.rank > 1 && prediction.shape[prediction.rank - 1] > 1 ? prediction.shape[prediction.rank - 1] : 2;
    this.grow(Math.max(c, ...truth.map((t) => t + 1)));
    for (let i = 0; i < pred.length; i++) this.counts[truth[i]][pred[i]]++;
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
  update(prediction: Tensor, target: Tensor): void {
    this.cm.update(prediction, target);
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

/** Fraction of samples whose predicted class (argmax) is the true class. */
export const accuracy = (): Metric =>
  new ClassificationMetric('accuracy', (cm) => cm.counts.reduce((s, row, k) => s + row[k], 0) / cm.total());
/** Macro-averaged precision. */
export const precision = (): Metric => new ClassificationMetric('precision', (cm) => perClass(cm, (tp, fp) => safeDiv(tp, tp + fp)));
/** Macro-averaged recall. */
export const recall = (): Metric => new ClassificationMetric('recall', (cm) => perClass(cm, (tp, _fp, fn) => safeDiv(tp, tp + fn)));
/** Macro-averaged F1 (the mean of per-class F1 scores). */
export const f1 = (): Metric => new ClassificationMetric('f1', (cm) => perClass(cm, (tp, fp, fn) => safeDiv(2 * tp, 2 * tp + fp + fn)));

/** Fraction of samples whose true class is among the k highest scores. */
export function topKAccuracy(k = 5): Metric {
  let hits = 0;
  let total = 0;
  return {
    name: `top${k}Accuracy`,
    reset: () => {
      hits = 0;
      total = 0;
    },
    update: (prediction, target) => {
      const c = prediction.shape[prediction.rank - 1];
      const n = prediction.size / c;
      const truth = trueClasses(target, n);
      const d = prediction.dataSync();
      for (let i = 0; i < n; i++) {
        const score = d[i * c + truth[i]];
        let above = 0;
        for (let j = 0; j < c; j++) if (d[i * c + j] > score) above++;
        if (above < k) hits++;
      }
      total += n;
    },
    result: () => (total === 0 ? NaN : hits / total),
  };
}

function regression(name: string, finish: (s: { n: number; se: number; ae: number; sy: number; syy: number }) => number): Metric {
  const s = { n: 0, se: 0, ae: 0, sy: 0, syy: 0 };
  return {
    name,
    reset: () => Object.assign(s, { n: 0, se: 0, ae: 0, sy: 0, syy: 0 }),
    update: (prediction, target) => {
      if (prediction.size !== target.size) {
        throw new TrainingError(`metric ${name}: prediction has ${prediction.size} values but target has ${target.size}`);
      }
      const p = prediction.dataSync();
      const t = target.dataSync();
      for (let i = 0; i < p.length; i++) {
        const e = p[i] - t[i];
        s.se += e * e;
        s.ae += Math.abs(e);
        s.sy += t[i];
        s.syy += t[i] * t[i];
      }
      s.n += p.length;
    },
    result: () => (s.n === 0 ? NaN : finish(s)),
  };
}

/** Mean squared error. */
export const mse = (): Metric => regression('mse', (s) => s.se / s.n);
/** Mean absolute error. */
export const mae = (): Metric => regression('mae', (s) => s.ae / s.n);
/** Coefficient of determination R² = 1 − SS_res / SS_tot. */
export const r2 = (): Metric => regression('r2', (s) => 1 - s.se / (s.syy - (s.sy * s.sy) / s.n));

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
 * The confusion matrix of predictions against targets (rows: true class, columns: predicted class).
 *
 * @example
 * confusionMatrix(tensor([[2, 1], [0, 3]]), tensor([0, 0], 'int32')); // [[1, 1], [0, 0]]
 */
export function confusionMatrix(prediction: Tensor, target: Tensor, numClasses?: number): number[][] {
  const cm = new ConfusionMatrix(numClasses ?? 0);
  cm.update(prediction, target);
  return cm.counts;
}
