import { noGrad } from '@backprop/autograd';
import type { Tensor } from '@backprop/tensor';
import { checkArrayData, takeRows } from './batches.js';
import { resolveMetric, type Metric } from './metrics.js';
import { concatRows } from './tensor-utils.js';
import type { ArrayData, EpochLogs, LossFn, TrainableModel } from './types.js';

/** Runs `fn` with the model in eval mode, restoring its previous mode afterwards. */
export function inEvalMode<T>(model: TrainableModel, fn: () => T): T {
  const wasTraining = (model as { training?: boolean }).training ?? true;
  model.eval();
  try {
    return fn();
  } finally {
    if (wasTraining) model.train(true);
  }
}

export interface EvaluateOptions {
  loss?: LossFn;
  metrics?: (string | Metric)[];
  /** Samples per forward pass (default 256). */
  batchSize?: number;
}

/**
 * Loss and metrics of `model` on `data`, in eval mode and without recording gradients, computed in
 * batches. The loss is the sample-weighted mean of the batch losses.
 *
 * @example
 * const { loss, accuracy } = evaluate(model, { x: xTest, y: yTest }, { loss: crossEntropy, metrics: ['accuracy'] });
 */
export function evaluate(model: TrainableModel, data: ArrayData, options: EvaluateOptions = {}): EpochLogs {
  const n = checkArrayData('evaluate', data);
  const batchSize = options.batchSize ?? 256;
  const metrics = (options.metrics ?? []).map(resolveMetric);
  metrics.forEach((m) => m.reset());
  const order = Array.from({ length: n }, (_, i) => i);
  let lossSum = 0;
  inEvalMode(model, () =>
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) {
        const end = Math.min(n, start + batchSize);
        const xb = takeRows(data.x, order, start, end);
        const yb = takeRows(data.y, order, start, end);
        const pred = model.forward(xb);
        if (options.loss) lossSum += options.loss(pred, yb).item() * (end - start);
        for (const m of metrics) m.update(pred, yb);
      }
    }),
  );
  const logs: EpochLogs = {};
  if (options.loss) logs.loss = lossSum / n;
  for (const m of metrics) logs[m.name] = m.result();
  return logs;
}

/**
 * The model's outputs for every row of `x`, computed in batches in eval mode without gradients.
 *
 * @example
 * const probs = predict(model, xTest).softmax(-1);
 */
export function predict(model: TrainableModel, x: Tensor, options: { batchSize?: number } = {}): Tensor {
  const n = x.shape[0];
  const batchSize = options.batchSize ?? 256;
  const order = Array.from({ length: n }, (_, i) => i);
  const parts: Tensor[] = [];
  inEvalMode(model, () =>
    noGrad(() => {
      for (let start = 0; start < n; start += batchSize) parts.push(model.forward(takeRows(x, order, start, Math.min(n, start + batchSize))));
    }),
  );
  return concatRows(parts);
}
