import { noGrad } from '@backprop/autograd';
import { checkOptionKeys } from '@backprop/optim';
import { awaitUnscoped, beginDeviceScope, endDeviceScope, getBackend, Tensor } from '@backprop/tensor';
import type { Dataset } from '@backprop/datasets';
import { batchSource, describe, toXY, type Batch, type DataInput } from './data-input.js';
import { TrainingError } from './errors.js';
import { resolveMetric, type Metric } from './metrics.js';
import { resolveLoss, type LossSpec } from './resolve-loss.js';
import { concatRows, withValues } from './tensor-utils.js';
import type { ArrayData, EpochLogs, TrainableModel } from './types.js';
import { stepSurvivors } from './step-scope.js';

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

/** The async form of `inEvalMode`, for inputs that stream. */
async function inEvalModeAsync<T>(model: TrainableModel, fn: () => Promise<T>): Promise<T> {
  const wasTraining = (model as { training?: boolean }).training ?? true;
  model.eval();
  try {
    return await fn();
  } finally {
    if (wasTraining) model.train(true);
  }
}

/** What a released batch tensor's error names as the scope that made it. */
const BATCH_SCOPE =
  "a batch of evaluate, evaluateAsync, predict or fit's validation; { releaseBatchTensors: false } (fit: releaseStepTensors) keeps batch tensors for code that holds them";

export interface EvaluateOptions {
  /** A loss function, or a loss of `@backprop/losses` by name or config, as `fit` takes it. */
  loss?: LossSpec;
  metrics?: (string | Metric)[];
  /** Samples per forward pass for tensors and datasets (default 256); iterables bring their own batches. */
  batchSize?: number;
  /**
   * Free each batch's device memory when the batch is done (default true), as `fit`'s `releaseStepTensors`
   * does for its steps: on a GPU backend the batch's buffers go back to the pool at once. Pass `false` for a
   * metric that keeps a batch's tensors.
   */
  releaseBatchTensors?: boolean;
}

const EVALUATE_OPTIONS = ['loss', 'metrics', 'batchSize', 'releaseBatchTensors'] as const;
const PREDICT_OPTIONS = ['batchSize'] as const;

function checkBatchSize(op: string, batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new TrainingError(`${op}: batchSize must be a positive integer, got ${batchSize}`);
}

/** What `evaluator` returns: `add` may return a promise where a batch's values are read from a device. */
export interface Evaluator {
  add(batch: unknown): void | Promise<void>;
  result(): EpochLogs;
}

/** Accumulates loss and metrics batch by batch; `fit` uses it for validation. */
export function evaluator(op: string, model: TrainableModel, options: EvaluateOptions): Evaluator {
  const lossFn = options.loss === undefined ? undefined : resolveLoss(op, options.loss);
  const metrics = (options.metrics ?? []).map(resolveMetric);
  metrics.forEach((m) => m.reset());
  let lossSum = 0;
  let n = 0;
  let step = 0;
  return {
    add(batch) {
      const { x, y } = toXY(op, batch, step++);
      const pred = model.forward(x);
      const size = x.shape[0];
      const pending: Promise<void>[] = [];
      const keep = (r: void | Promise<void>): void => void (r && pending.push(r));
      if (lossFn) keep(withValues([lossFn(pred, y)], ([v]) => void (lossSum += Number(v[0]) * size)));
      n += size;
      for (const m of metrics) keep(m.update(pred, y));
      if (pending.length > 0) return Promise.all(pending).then(() => undefined);
    },
    result() {
      if (n === 0) throw new TrainingError(`${op}: the data gave no batches`);
      const logs: EpochLogs = {};
      if (lossFn) logs.loss = lossSum / n;
      for (const m of metrics) logs[m.name] = m.result();
      return logs;
    },
  };
}

/**
 * Runs `add` over every batch of `data`: synchronously for sync-only inputs whose values read at once,
 * else returning a promise. `op` names the caller in the error for values that cannot be read synchronously.
 */
function overBatches<R>(
  op: string,
  model: TrainableModel,
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  add: (b: unknown) => void | Promise<void>,
  done: () => R,
  async = false,
  keep: (() => unknown) | null = () => [],
): R | Promise<R> {
  // Each batch runs in a device scope: on a GPU its buffers go back to the pool when it is done, except
  // what `keep` names and the model's own state (see fit's releaseStepTensors).
  const inScope = (b: unknown): void | Promise<void> => {
    if (keep === null) return add(b);
    const scope = beginDeviceScope(BATCH_SCOPE);
    const end = (): void => void endDeviceScope(scope, () => [stepSurvivors(model), keep()]);
    let pending: void | Promise<void>;
    try {
      pending = add(b);
    } catch (e) {
      end();
      throw e;
    }
    if (!pending) return end();
    // Only reads are pending: the scope records nothing while they run (other tasks' tensors are theirs).
    return awaitUnscoped(pending).finally(end);
  };
  // Anything async-iterable reads with for await, a DataLoader included (its workers and streams need it), so
  // the result's type follows the input's type.
  if (!async && !(Symbol.asyncIterator in batches)) {
    return inEvalMode(model, () =>
      noGrad(() => {
        for (const b of batches) {
          const pending = inScope(b);
          if (pending) {
            pending.catch(() => undefined);
            throw new TrainingError(
              `${op}: the model's outputs are on '${getBackend()}', which cannot be read synchronously; use \`await ${op}Async(model, data, options)\`, which runs on every backend`,
            );
          }
        }
        return done();
      }),
    );
  }
  return inEvalModeAsync(model, async () => {
    // noGrad takes a synchronous function, so each batch's forward pass runs inside its own; the reads of a
    // batch finish before the next batch starts, so the sums add up in the same order on every backend.
    for await (const b of batches) await noGrad(() => inScope(b));
    return done();
  });
}

/** Runs an `evaluator` over validation batches in eval mode; `fit` awaits it after every epoch. */
export async function validate(
  model: TrainableModel,
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  acc: Evaluator,
  releaseBatchTensors = true,
): Promise<EpochLogs> {
  return overBatches('evaluate', model, batches, acc.add, acc.result, true, releaseBatchTensors ? () => [] : null);
}

/**
 * Loss and metrics of `model` on `data`, in eval mode and without recording gradients, computed in
 * batches. The loss is the sample-weighted mean of the batch losses. `data` is anything `fit` takes:
 * tensors, a `Dataset` or a synchronous iterable of `[x, y]` batches (an array) give the logs at once; an
 * async iterable (a `DataLoader`, which may load in workers, a `Pipeline`, a stream) gives a promise.
 *
 * @example
 * const { loss, accuracy } = evaluate(model, { x: xTest, y: yTest }, { loss: 'crossEntropy', metrics: ['accuracy'] });
 * const streamed = await evaluate(model, Pipeline.from(testRows).batch(256), { metrics: ['accuracy'] });
 */
export function evaluate(model: TrainableModel, data: AsyncIterable<Batch>, options?: EvaluateOptions): Promise<EpochLogs>;
export function evaluate(model: TrainableModel, data: ArrayData | Dataset<unknown> | Iterable<Batch>, options?: EvaluateOptions): EpochLogs;
export function evaluate(model: TrainableModel, data: DataInput, options?: EvaluateOptions): EpochLogs | Promise<EpochLogs>;
export function evaluate(model: TrainableModel, data: DataInput, options: EvaluateOptions = {}): EpochLogs | Promise<EpochLogs> {
  return evaluateAs('evaluate', model, data, options, false);
}

/**
 * `evaluate` that always gives a promise, on every backend and for every input: the same logs as
 * `evaluate` on `cpu`, and what to use where the model's outputs live on a GPU, which cannot be read
 * synchronously. Each batch's loss and metrics are reduced where the batch lives, and only those small
 * results are read back.
 *
 * @example
 * await useWebGpuBackend();
 * const { accuracy } = await evaluateAsync(model, { x: xTest, y: yTest }, { metrics: ['accuracy'] });
 */
export async function evaluateAsync(model: TrainableModel, data: DataInput, options: EvaluateOptions = {}): Promise<EpochLogs> {
  return evaluateAs('evaluateAsync', model, data, options, true);
}

/** evaluate and evaluateAsync: the options checked and the batches run under `op`'s name. */
function evaluateAs(op: string, model: TrainableModel, data: DataInput, options: EvaluateOptions, async: boolean): EpochLogs | Promise<EpochLogs> {
  checkOptionKeys(op, options, EVALUATE_OPTIONS);
  const batchSize = options.batchSize ?? 256;
  checkBatchSize(op, batchSize);
  const source = batchSource(op, data, batchSize);
  const acc = evaluator(op, model, options);
  return overBatches(op, model, source.epoch(null as never, false), acc.add, acc.result, async, options.releaseBatchTensors === false ? null : () => []);
}

/** The input tensor of a prediction batch: a tensor, `[x, …]` or `{ x }`. */
function inputOf(batch: unknown, step: number): Tensor {
  const x = batch instanceof Tensor ? batch : Array.isArray(batch) ? batch[0] : (batch as { x?: unknown } | null)?.x;
  if (!(x instanceof Tensor)) throw new TrainingError(`predict: batch ${step + 1} is ${describe(batch)}; expected a tensor, [x, …] or { x }`);
  return x;
}

/**
 * The model's outputs for every row of `x`, computed in batches in eval mode without gradients. `x` is a
 * tensor, a `Dataset` or a synchronous iterable of batches (tensors, `[x, …]` or `{ x }`), whose outputs
 * are concatenated in order; an async iterable (a `DataLoader`, a `Pipeline`, a stream) gives a promise.
 * The outputs stay where the model computes them: on a GPU, read them with `await out.read()`.
 *
 * @example
 * const probs = predict(model, xTest).softmax(-1);
 * const all = await predict(model, new DataLoader(new TensorDataset(xTest), { batchSize: 64 }));
 */
export function predict(model: TrainableModel, x: AsyncIterable<unknown>, options?: { batchSize?: number }): Promise<Tensor>;
export function predict(model: TrainableModel, x: Tensor | Dataset<unknown> | Iterable<unknown>, options?: { batchSize?: number }): Tensor;
export function predict(
  model: TrainableModel,
  x: Tensor | Dataset<unknown> | Iterable<unknown> | AsyncIterable<unknown>,
  options: { batchSize?: number } = {},
): Tensor | Promise<Tensor> {
  checkOptionKeys('predict', options, PREDICT_OPTIONS);
  const batchSize = options.batchSize ?? 256;
  checkBatchSize('predict', batchSize);
  let batches: Iterable<unknown> | AsyncIterable<unknown>;
  if (x instanceof Tensor) {
    if (x.rank === 0) throw new TrainingError('predict: x needs a sample axis (rank ≥ 1)');
    batches = batchSource('predict', { x, y: x }, batchSize).epoch(null as never, false);
  } else if (x !== null && typeof x === 'object' && !(Symbol.iterator in x) && !(Symbol.asyncIterator in x)) {
    batches = batchSource('predict', x, batchSize).epoch(null as never, false);
  } else {
    batches = x as Iterable<unknown> | AsyncIterable<unknown>;
  }
  const parts: Tensor[] = [];
  let step = 0;
  return overBatches(
    'predict',
    model,
    batches as Iterable<Batch>,
    (b) => void parts.push(model.forward(inputOf(b, step++))),
    () => {
      if (parts.length === 0) throw new TrainingError('predict: the data gave no batches');
      return concatRows(parts);
    },
    false,
    () => parts,
  );
}
