import type { EpochLogs, OptimizerLike, TrainableModel } from '../types.js';

/** What a callback sees while training runs; `stopTraining = true` ends training after this epoch. */
export interface TrainingContext {
  readonly model: TrainableModel;
  readonly optimizer: OptimizerLike;
  /** 0-based epoch index. */
  epoch: number;
  /** Total epochs asked for. */
  readonly epochs: number;
  /** Optimizer steps taken so far, over all epochs. */
  globalStep: number;
  /** Batches per epoch: known for tensors, datasets and data loaders of a dataset; NaN for streams and other iterables without a length. */
  readonly stepsPerEpoch: number;
  stopTraining: boolean;
  /** Full training state, for checkpoint callbacks. */
  snapshot(): TrainingState;
}

export interface BatchLogs {
  /** 0-based batch index within the epoch. */
  step: number;
  loss: number;
  /** Samples in this batch. */
  size: number;
}

/**
 * Hooks into `fit`, Keras-style. Every method is optional and may be async (fit awaits it).
 *
 * @example
 * const logger: Callback = { onEpochEnd: (ctx, logs) => console.log(ctx.epoch, logs.loss) };
 */
export interface Callback {
  onTrainBegin?(ctx: TrainingContext): void | Promise<void>;
  onEpochBegin?(ctx: TrainingContext): void | Promise<void>;
  onBatchEnd?(ctx: TrainingContext, logs: BatchLogs): void | Promise<void>;
  onEpochEnd?(ctx: TrainingContext, logs: EpochLogs): void | Promise<void>;
  onTrainEnd?(ctx: TrainingContext, history: History): void | Promise<void>;
}

/** Per-epoch logs, in order, as Keras' `History`. */
export interface History {
  epochs: EpochLogs[];
  /** True when a callback (early stopping) or an abort signal ended training before `epochs`. */
  stoppedEarly: boolean;
  /** The epoch training stopped after (0-based), or -1 if none ran. */
  lastEpoch: number;
  /** With `validation` as a fraction: how many samples were held out and how they were drawn. */
  validationSplit?: import('../data-input.js').ValidationSplitRecord;
  /**
   * With `compile` on: training steps traced, replayed and run eagerly, and why the last eager one could not
   * be compiled (`null` when the last step was compiled).
   */
  compile?: { traced: number; replayed: number; eager: number; reason: string | null };
}

/**
 * Everything needed to continue training exactly where it stopped: weights, optimizer state, the state of
 * every generator training draws from (data order, dropout masks, the default generator), and the history
 * so far. Plain data apart from tensors in `modelState`.
 */
export interface TrainingState {
  /** The next epoch to run (0-based). */
  epoch: number;
  globalStep: number;
  modelState: Map<string, import('@backprop/tensor').Tensor>;
  optimizerState: unknown;
  /** State of the generator that shuffles batches. */
  rngState: import('@backprop/tensor').GeneratorState;
  /**
   * States of the generators the model's modules draw from (Dropout's masks), by module name. Optional
   * only so that checkpoints written before it existed still load.
   */
  moduleRngStates?: Record<string, import('@backprop/tensor').GeneratorState>;
  /** States of the generators of what training reads besides the model (a shuffling DataLoader, a noise transform), by role. */
  sourceRngStates?: Record<string, import('@backprop/tensor').GeneratorState>;
  /** State of the default generator, which modules built without a generator draw from. */
  defaultRngState?: import('@backprop/tensor').GeneratorState;
  history: EpochLogs[];
  /** State of callbacks that keep some (e.g. early stopping's best value and patience counter). */
  callbackState: Record<string, unknown>;
}

/** A callback that can save and restore its own state in checkpoints. */
export interface StatefulCallback extends Callback {
  readonly stateKey: string;
  getState(): unknown;
  setState(state: unknown): void;
}

export function isStateful(cb: Callback): cb is StatefulCallback {
  return typeof (cb as StatefulCallback).getState === 'function' && typeof (cb as StatefulCallback).stateKey === 'string';
}
