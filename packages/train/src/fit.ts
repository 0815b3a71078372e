import { Generator, permutation, type Tensor } from '@backprop/tensor';
import { lossFromConfig } from '@backprop/losses';
import { checkArrayData, splitTail, takeRows } from './batches.js';
import { isStateful, type Callback, type History, type TrainingContext, type TrainingState } from './callbacks/callback.js';
import { TrainingError } from './errors.js';
import { evaluate } from './evaluate.js';
import { captureRandomState, restoreRandomState } from './random-state.js';
import { resolveMetric, type Metric } from './metrics.js';
import type { ArrayData, EpochLogs, LossFn, OptimizerLike, TrainableModel } from './types.js';

export interface FitOptions {
  /** A loss function, or a loss of `@backprop/losses` by name or config (`'crossEntropy'`, `{ name: 'huberLoss', delta: 2 }`). */
  loss: LossFn | string | ({ name: string } & Record<string, unknown>);
  optimizer: OptimizerLike;
  /** Training samples: x and y share their first axis. */
  data: ArrayData;
  epochs: number;
  /** Samples per step (default 32). */
  batchSize?: number;
  /** Reshuffle every epoch (default true). */
  shuffle?: boolean;
  /** Seeds the data order (default 0): the same seed and initial weights give the same history, bit for bit. */
  seed?: number;
  /** Validation data, or the fraction of `data` (its last samples, before shuffling) to hold out. */
  validation?: ArrayData | number;
  /** Metric names (`'accuracy'`, `'f1'`, `'mse'`, …) or metric objects, logged for training and validation. */
  metrics?: (string | Metric)[];
  callbacks?: Callback[];
  /** Continue from a checkpoint's state (weights, optimizer, data order, history). */
  initialState?: TrainingState;
  /** Aborting stops training after the current step. */
  signal?: AbortSignal;
}

function resolveLoss(loss: FitOptions['loss']): LossFn {
  if (typeof loss === 'function') return loss;
  if (typeof loss === 'string') return lossFromConfig({ name: loss }) as LossFn;
  if (loss && typeof loss === 'object' && typeof loss.name === 'string') return lossFromConfig(loss) as LossFn;
  throw new TrainingError(`fit: loss must be a function, a loss name or { name, ...options }, got ${JSON.stringify(loss)}`);
}

function checkOptions(o: FitOptions): void {
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new TrainingError(`fit: epochs must be a positive integer, got ${o.epochs}`);
  const b = o.batchSize ?? 32;
  if (!Number.isInteger(b) || b < 1) throw new TrainingError(`fit: batchSize must be a positive integer, got ${o.batchSize}`);
  if (!o.optimizer || typeof o.optimizer.step !== 'function') throw new TrainingError('fit: optimizer must be an Optimizer');
}

/** Lets the event loop run (timers, signals, rendering) without slowing tight training loops. */
function makeYielder(): () => Promise<void> {
  let last = Date.now();
  return async () => {
    if (Date.now() - last < 50) return;
    last = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
}

function stateCopy(model: TrainableModel): Map<string, Tensor> {
  const s = model.stateDict();
  const entries = s instanceof Map ? [...s.entries()] : Object.entries(s);
  return new Map(entries.map(([k, t]) => [k, t.detach().clone()]));
}

/**
 * Trains `model` with mini-batch gradient descent: every epoch reshuffles the data with a seeded generator,
 * and every step zeroes gradients, runs the forward pass and the loss, back-propagates and updates. After
 * each epoch it logs the mean training loss and metrics and, with validation data, `valLoss` and
 * `val<Metric>`. A non-finite loss stops training with an error naming the epoch and step; the weights from
 * before that step are kept.
 *
 * @example
 * const history = await fit(model, {
 *   loss: 'crossEntropy', optimizer: new Adam(model.parameters()), data: { x, y },
 *   epochs: 10, batchSize: 32, validation: 0.1, metrics: ['accuracy'], seed: 0,
 * });
 */
export async function fit(model: TrainableModel, options: FitOptions): Promise<History> {
  checkOptions(options);
  const lossFn = resolveLoss(options.loss);
  let train = options.data;
  let validation = typeof options.validation === 'object' ? options.validation : undefined;
  checkArrayData('fit: data', train);
  if (typeof options.validation === 'number') ({ train, validation } = splitTail(train, options.validation));
  if (validation) checkArrayData('fit: validation', validation);
  const n = train.x.shape[0];
  const batchSize = options.batchSize ?? 32;
  const shuffle = options.shuffle ?? true;
  const metrics = (options.metrics ?? []).map(resolveMetric);
  const callbacks = options.callbacks ?? [];
  const generator = new Generator(options.seed ?? 0);
  const history: History = { epochs: [], stoppedEarly: false, lastEpoch: -1 };
  let startEpoch = 0;
  let globalStep = 0;

  if (options.initialState) {
    const s = options.initialState;
    model.loadStateDict(s.modelState);
    options.optimizer.loadStateDict(s.optimizerState);
    generator.setState(s.rngState);
    restoreRandomState(model, s, { data: options.data, validation: options.validation });
    history.epochs = [...s.history];
    history.lastEpoch = s.epoch - 1;
    startEpoch = s.epoch;
    globalStep = s.globalStep;
    for (const cb of callbacks) if (isStateful(cb) && s.callbackState[cb.stateKey] !== undefined) cb.setState(s.callbackState[cb.stateKey]);
  }

  const ctx: TrainingContext = {
    model,
    optimizer: options.optimizer,
    epoch: startEpoch,
    epochs: options.epochs,
    globalStep,
    stepsPerEpoch: Math.ceil(n / batchSize),
    stopTraining: false,
    snapshot: () => ({
      epoch: ctx.epoch + 1,
      globalStep: ctx.globalStep,
      modelState: stateCopy(model),
      optimizerState: structuredClone(options.optimizer.stateDict()),
      rngState: generator.getState(),
      ...captureRandomState(model, { data: options.data, validation: options.validation }),
      history: [...history.epochs],
      callbackState: Object.fromEntries(callbacks.filter(isStateful).map((cb) => [cb.stateKey, cb.getState()])),
    }),
  };
  const yieldNow = makeYielder();
  for (const cb of callbacks) await cb.onTrainBegin?.(ctx);

  for (let epoch = startEpoch; epoch < options.epochs && !ctx.stopTraining; epoch++) {
    ctx.epoch = epoch;
    model.train(true);
    for (const m of metrics) m.reset();
    for (const cb of callbacks) await cb.onEpochBegin?.(ctx);
    const order = shuffle ? permutation(n, { generator }).data : Int32Array.from({ length: n }, (_, i) => i);
    let lossSum = 0;
    let seen = 0;
    for (let step = 0, start = 0; start < n; step++, start += batchSize) {
      if (options.signal?.aborted) {
        ctx.stopTraining = true;
        history.stoppedEarly = true;
        break;
      }
      const end = Math.min(n, start + batchSize);
      const xb = takeRows(train.x, order, start, end);
      const yb = takeRows(train.y, order, start, end);
      options.optimizer.zeroGrad();
      const prediction = model.forward(xb);
      const loss = lossFn(prediction, yb);
      const value = loss.item();
      if (!Number.isFinite(value)) {
        throw new TrainingError(
          `the loss became ${value} at epoch ${epoch + 1}, step ${step + 1}; training stopped and the weights from before this step are kept (try a smaller learning rate, input normalization or gradient clipping)`,
        );
      }
      loss.backward();
      options.optimizer.step();
      ctx.globalStep++;
      lossSum += value * (end - start);
      seen += end - start;
      for (const m of metrics) m.update(prediction, yb);
      for (const cb of callbacks) await cb.onBatchEnd?.(ctx, { step, loss: value, size: end - start });
      await yieldNow();
    }
    // An epoch cut short by an abort is not an epoch: no logs, no callbacks, so a checkpoint never records
    // it as complete and a resumed run repeats it from its start.
    if (seen === 0 || seen < n) break;
    const logs: EpochLogs = { loss: lossSum / seen };
    for (const m of metrics) logs[m.name] = m.result();
    if (validation) {
      // The training figures are read already, so the same metric objects can be reset for validation.
      const v = evaluate(model, validation, { loss: lossFn, metrics, batchSize: 256 });
      for (const [k, val] of Object.entries(v)) logs[`val${k[0].toUpperCase()}${k.slice(1)}`] = val;
    }
    history.epochs.push(logs);
    history.lastEpoch = epoch;
    for (const cb of callbacks) await cb.onEpochEnd?.(ctx, logs);
  }
  if (ctx.stopTraining && history.lastEpoch < options.epochs - 1) history.stoppedEarly = true;
  for (const cb of callbacks) await cb.onTrainEnd?.(ctx, history);
  return history;
}
