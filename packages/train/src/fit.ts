import { Generator, awaitUnscoped, beginDeviceScope, compile, endDeviceScope, type CompiledFunction, type DeviceScope, type Storage, type Tensor } from '@backprop/tensor';
import { checkOptionKeys } from '@backprop/optim';
import type { Transform } from '@backprop/datasets';
import { batchSource, splitValidation, toXY, type DataInput, type ValidationSplitOptions } from './data-input.js';
import { isStateful, type Callback, type History, type TrainingContext, type TrainingState } from './callbacks/callback.js';
import { TrainingError } from './errors.js';
import { evaluator, validate } from './evaluate.js';
import { stepSurvivors } from './step-scope.js';
import { resolveLoss, type LossSpec } from './resolve-loss.js';
import { captureRandomState, restoreRandomState } from './random-state.js';
import { resolveMetric, type Metric } from './metrics.js';
import type { EpochLogs, OptimizerLike, TrainableModel } from './types.js';

export interface FitOptions {
  /** A loss function, or a loss of `@backprop/losses` by name or config (`'crossEntropy'`, `{ name: 'huberLoss', delta: 2 }`). */
  loss: LossSpec;
  optimizer: OptimizerLike;
  /**
   * Training samples: tensors `{ x, y }` sharing their first axis, a map-style `Dataset` of `[x, y]` items
   * (batched with `batchSize`, shuffled with `seed`), or any iterable or async iterable of `[x, y]` batches
   * (a `DataLoader`, a `Pipeline`, a streaming reader), read once per epoch in its own order.
   */
  data: DataInput;
  epochs: number;
  /** Samples per step for tensors and datasets (default 32); iterables bring their own batches. */
  batchSize?: number;
  /** Reshuffle tensors and datasets every epoch (default true); iterables keep their own order. */
  shuffle?: boolean;
  /** Seeds the data order (default 0): the same seed and initial weights give the same history, bit for bit. */
  seed?: number;
  /**
   * Validation data (any form `data` takes), or the fraction of `data` (tensors or a `Dataset`) to hold out:
   * drawn at random with `seed` unless `validationSplit` says otherwise. `History.validationSplit` records which.
   */
  validation?: DataInput | number;
  /** How a `validation` fraction is drawn: `{ shuffle: false }` takes the last samples (Keras), `{ stratify: true }` keeps class proportions. */
  validationSplit?: ValidationSplitOptions;
  /**
   * Applied to every training batch's inputs before the forward pass (augmentation, noise), once per batch
   * and epoch, so each epoch sees new draws from the transform's own seeded generator; not applied to validation.
   */
  transform?: Transform;
  /** Metric names (`'accuracy'`, `'f1'`, `'mse'`, …) or metric objects, logged for training and validation. */
  metrics?: (string | Metric)[];
  callbacks?: Callback[];
  /** Continue from a checkpoint's state (weights, optimizer, data order, history). */
  initialState?: TrainingState;
  /** Aborting stops training after the current step. */
  signal?: AbortSignal;
  /**
   * Run the training step (forward, loss, backward; the optimizer step stays eager) through `compile` of
   * `@backprop/tensor`: traced once per batch shape, then replayed. `'auto'`: compiled where the step can be
   * replayed and eager otherwise (dropout, a loss that reads its targets on the host), with the reason in
   * `History.compile`; `true`: the same, but a step that cannot be compiled is an error. Default `false`,
   * because a replay repeats only kernels: forward hooks and JavaScript state a custom module changes in
   * `forward` are seen at the trace only.
   */
  compile?: boolean | 'auto';
  /**
   * Free each training step's device memory when the step ends (default: true when the optimizer exposes
   * its per-parameter `state`, as those of `@backprop/optim` do; an optimizer that does not is not scoped,
   * since the state it creates in its first step could not be kept). On a GPU backend (webgpu)
   * a step (forward, loss, backward, optimizer step and metric updates, compiled or not) runs in a device
   * scope of `@backprop/tensor`: its buffers go back to the backend's pool at once instead of waiting for
   * the garbage collector, which cannot see GPU memory. What outlives a step is kept: the parameters and
   * their gradients, the model's buffers and the optimizer's `state`. A tensor anything else holds from a
   * step (a custom metric or a forward hook that keeps a batch's output) then throws a `TensorError` when
   * used; pass `false` for such code. Host tensors (cpu) and the wasm backend's memory are never affected.
   */
  releaseStepTensors?: boolean;
}

const FIT_OPTIONS = [
  'loss', 'optimizer', 'data', 'epochs', 'batchSize', 'shuffle', 'seed', 'validation', 'validationSplit', 'transform',
  'metrics', 'callbacks', 'initialState', 'signal', 'compile', 'releaseStepTensors',
] as const;

function checkOptions(o: FitOptions): void {
  checkOptionKeys('fit', o, FIT_OPTIONS);
  if (o.validationSplit !== undefined) checkOptionKeys('fit', o.validationSplit, ['shuffle', 'stratify'], { where: ' in validationSplit' });
  if (!Number.isInteger(o.epochs) || o.epochs < 1) throw new TrainingError(`fit: epochs must be a positive integer, got ${o.epochs}`);
  const b = o.batchSize ?? 32;
  if (!Number.isInteger(b) || b < 1) throw new TrainingError(`fit: batchSize must be a positive integer, got ${o.batchSize}`);
  if (!o.optimizer || typeof o.optimizer.step !== 'function') throw new TrainingError('fit: optimizer must be an Optimizer');
  if (o.compile !== undefined && o.compile !== true && o.compile !== false && o.compile !== 'auto') {
    throw new TrainingError(`fit: compile must be true, false or 'auto', got ${String(o.compile)}`);
  }
  if (o.releaseStepTensors !== undefined && typeof o.releaseStepTensors !== 'boolean') {
    throw new TrainingError(`fit: releaseStepTensors must be true or false, got ${String(o.releaseStepTensors)}`);
  }
}

/** The training step fit compiles: forward, loss and backward, returning the prediction and the loss. */
function compiledStep(model: TrainableModel, lossFn: (p: Tensor, y: Tensor) => Tensor): CompiledFunction<[Tensor, Tensor], [Tensor, Tensor]> {
  return compile((x: Tensor, y: Tensor): [Tensor, Tensor] => {
    const prediction = model.forward(x);
    const loss = lossFn(prediction, y);
    loss.backward();
    return [prediction, loss];
  });
}

/** What a released step tensor's error names as the scope that made it. */
const STEP_SCOPE = "a training step of fit; fit({ releaseStepTensors: false }) keeps step tensors for code that holds them";

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
  const lossFn = resolveLoss('fit', options.loss);
  const batchSize = options.batchSize ?? 32;
  const history: History = { epochs: [], stoppedEarly: false, lastEpoch: -1 };
  let trainData: unknown = options.data;
  let validationData: unknown = typeof options.validation === 'number' ? undefined : options.validation;
  if (typeof options.validation === 'number') {
    const split = splitValidation(options.data, options.validation, options.seed ?? 0, options.validationSplit);
    ({ train: trainData, validation: validationData } = split);
    history.validationSplit = split.record;
  } else if (options.validationSplit !== undefined) {
    throw new TrainingError('fit: validationSplit applies to validation given as a fraction');
  }
  const train = batchSource('fit: data', trainData, batchSize);
  const validation = validationData === undefined ? undefined : batchSource('fit: validation', validationData, 256);
  const transform = options.transform === undefined ? undefined : typeof options.transform === 'function' ? options.transform : options.transform.transform.bind(options.transform);
  const shuffle = options.shuffle ?? true;
  const metrics = (options.metrics ?? []).map(resolveMetric);
  const callbacks = options.callbacks ?? [];
  const generator = new Generator(options.seed ?? 0);
  let startEpoch = 0;
  let globalStep = 0;

  if (options.initialState) {
    const s = options.initialState;
    model.loadStateDict(s.modelState);
    options.optimizer.loadStateDict(s.optimizerState);
    generator.setState(s.rngState);
    restoreRandomState(model, s, { data: options.data, validation: options.validation, transform: options.transform });
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
    stepsPerEpoch: train.steps ?? NaN,
    stopTraining: false,
    snapshot: () => ({
      epoch: ctx.epoch + 1,
      globalStep: ctx.globalStep,
      modelState: stateCopy(model),
      optimizerState: structuredClone(options.optimizer.stateDict()),
      rngState: generator.getState(),
      ...captureRandomState(model, { data: options.data, validation: options.validation, transform: options.transform }),
      history: [...history.epochs],
      callbackState: Object.fromEntries(callbacks.filter(isStateful).map((cb) => [cb.stateKey, cb.getState()])),
    }),
  };
  const yieldNow = makeYielder();
  const trainStep = options.compile ? compiledStep(model, lossFn) : null;
  const releaseStepTensors = options.releaseStepTensors ?? options.optimizer.state !== undefined;
  // The open step's device scope, and what the last one kept: the state the next step releases if it drops it
  // (gradients set to none, reassigned running statistics), so that nothing a step made waits for the collector.
  let stepScope: DeviceScope | null = null;
  let carried: readonly Storage[] = [];
  const openStep = (): void => {
    if (releaseStepTensors) stepScope = beginDeviceScope(STEP_SCOPE, carried);
  };
  const closeStep = (): void => {
    if (stepScope === null) return;
    const scope = stepScope;
    stepScope = null;
    carried = endDeviceScope(scope, () => stepSurvivors(model, options.optimizer)).kept;
  };
  for (const cb of callbacks) await cb.onTrainBegin?.(ctx);

  for (let epoch = startEpoch; epoch < options.epochs && !ctx.stopTraining; epoch++) {
    ctx.epoch = epoch;
    model.train(true);
    for (const m of metrics) m.reset();
    for (const cb of callbacks) await cb.onEpochBegin?.(ctx);
    let lossSum = 0;
    let seen = 0;
    let step = 0;
    let aborted = false;
    try {
      for await (const batch of train.epoch(generator, shuffle)) {
        if (options.signal?.aborted) {
          ctx.stopTraining = true;
          history.stoppedEarly = true;
          aborted = true;
          break;
        }
        let value: number;
        let size: number;
        // The batch is drawn outside the scope: a source that reads ahead (Pipeline.prefetch) may hold the next
        // batches already, so they are left to the garbage collector.
        openStep();
        try {
          const { x, y: yb } = toXY('fit: data', batch, step);
          const xb = transform ? transform(x) : x;
          size = xb.shape[0];
          options.optimizer.zeroGrad();
          // Compiled, the step has run backward already; the weights change only at optimizer.step() below.
          const [prediction, loss] = trainStep ? trainStep(xb, yb) : [model.forward(xb), null];
          if (trainStep?.lastCall === 'eager' && options.compile === true) throw new TrainingError(`fit: compile is true but the training step cannot be compiled: ${trainStep.reason}`);
          const lossValue = loss ?? lossFn(prediction, yb);
          // Read asynchronously: every backend serves this, a GPU included (it cannot read synchronously).
          // The step's scope records nothing while it waits: what other tasks make meanwhile is theirs.
          value = Number((await awaitUnscoped(lossValue.read()))[0]);
          if (!Number.isFinite(value)) {
            throw new TrainingError(
              `the loss became ${value} at epoch ${epoch + 1}, step ${step + 1}; training stopped and the weights from before this step are kept (try a smaller learning rate, input normalization or gradient clipping)`,
            );
          }
          if (!trainStep) lossValue.backward();
          options.optimizer.step();
          ctx.globalStep++;
          lossSum += value * size;
          seen += size;
          // Detached: a metric's ops need no graph. Awaited: on a GPU a metric reads its batch's counts asynchronously.
          const detached = prediction.detach();
          for (const m of metrics) await awaitUnscoped(m.update(detached, yb));
        } finally {
          // Thrown or not, what the step made goes back now; the state from before a failed step is kept.
          closeStep();
        }
        for (const cb of callbacks) await cb.onBatchEnd?.(ctx, { step, loss: value, size });
        step++;
        await yieldNow();
      }
    } finally {
      closeStep();
    }
    if (seen === 0 && !aborted) {
      throw new TrainingError(
        train.oneShot && epoch > startEpoch
          ? `fit: data is an iterator that epoch ${epoch} used up, so epoch ${epoch + 1} has no batches; pass something that iterates afresh each time (a DataLoader, a Pipeline, an array, or an object whose [Symbol.iterator] starts a new generator)`
          : `fit: data gave no batches in epoch ${epoch + 1}`,
      );
    }
    // An epoch cut short by an abort is not an epoch: no logs, no callbacks, so a checkpoint never records
    // it as complete and a resumed run repeats it from its start.
    if (aborted) break;
    const logs: EpochLogs = { loss: lossSum / seen };
    for (const m of metrics) logs[m.name] = m.result();
    if (validation) {
      // The training figures are read already, so the same metric objects can be reset for validation.
      const v = await validate(model, validation.epoch(generator, false), evaluator('fit: validation', model, { loss: lossFn, metrics }), releaseStepTensors);
      for (const [k, val] of Object.entries(v)) logs[`val${k[0].toUpperCase()}${k.slice(1)}`] = val;
    }
    history.epochs.push(logs);
    history.lastEpoch = epoch;
    for (const cb of callbacks) await cb.onEpochEnd?.(ctx, logs);
  }
  if (ctx.stopTraining && history.lastEpoch < options.epochs - 1) history.stoppedEarly = true;
  if (trainStep) history.compile = { ...trainStep.calls, reason: trainStep.reason };
  for (const cb of callbacks) await cb.onTrainEnd?.(ctx, history);
  return history;
}
