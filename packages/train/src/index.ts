/**
 * @backprop/train: the training loop. `fit` trains any model with `forward`/`parameters`/`stateDict`
 * (the `Module` of `@backprop/layers`), with metrics, validation, callbacks and exact resumption.
 *
 * @packageDocumentation
 */
export { TrainingError } from './errors.js';
export type { TrainableModel, OptimizerLike, LossFn, ArrayData, EpochLogs } from './types.js';
export { fit, type FitOptions } from './fit.js';
export { evaluate, evaluateAsync, predict, type EvaluateOptions } from './evaluate.js';
export type { DataInput, Batch, ValidationSplitOptions, ValidationSplitRecord } from './data-input.js';
export type { LossSpec } from './resolve-loss.js';
export {
  type Metric, accuracy, precision, recall, f1, topKAccuracy, mse, mae, r2, resolveMetric, confusionMatrix, ConfusionMatrix,
} from './metrics.js';
export type { Callback, TrainingContext, BatchLogs, History, TrainingState, StatefulCallback } from './callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './callbacks/model-checkpoint.js';
export { LearningRateScheduler, type SchedulerLike } from './callbacks/lr-scheduler.js';
export { ProgressCallback, type ProgressEvent } from './callbacks/progress.js';
export { splitTail, takeRows } from './batches.js';
