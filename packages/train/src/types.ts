import type { Tensor } from '@backprop/tensor';

/**
 * What `fit` needs of a model: the `Module` of `@backprop/layers` is one. Kept structural so that any
 * object with these methods trains.
 */
export interface TrainableModel {
  forward(x: Tensor): Tensor;
  parameters(): Tensor[];
  train(mode?: boolean): unknown;
  eval(): unknown;
  stateDict(): Map<string, Tensor> | Record<string, Tensor>;
  /** Every buffer, those `stateDict()` leaves out included (`persistent: false`): state `fit`'s step scopes keep. */
  buffers?(): Tensor[];
  loadStateDict(state: Map<string, Tensor> | Record<string, Tensor>, options?: { strict?: boolean }): unknown;
  /**
   * Submodules by name, when the model has them: those with a `generator` (dropout) have its state saved
   * in checkpoints, so that a resumed run draws the same masks.
   */
  namedModules?(): readonly (readonly [string, unknown])[];
}

/** What `fit` needs of an optimizer: the `Optimizer` of `@backprop/optim` is one. */
export interface OptimizerLike {
  zeroGrad(options?: { setToNone?: boolean }): void;
  step(): unknown;
  stateDict(): unknown;
  loadStateDict(state: any): void;
  readonly paramGroups: readonly { lr: number }[];
  /**
   * Per-parameter state (moment buffers), as `Optimizer` of `@backprop/optim` keeps it: the tensors in it
   * outlive each training step, so `fit`'s step scopes keep them. An optimizer that holds tensors elsewhere
   * needs `fit({ releaseStepTensors: false })` on a GPU.
   */
  readonly state?: ReadonlyMap<unknown, unknown>;
}

/** A loss: prediction and target in, scalar tensor out. */
export type LossFn = (prediction: Tensor, target: Tensor) => Tensor;

/** Training data as two tensors that share their first (sample) axis. */
export interface ArrayData {
  x: Tensor;
  y: Tensor;
}

/** Numbers recorded for one epoch: `loss`, each metric, and `valLoss`/`val<Metric>` with validation. */
export type EpochLogs = Record<string, number>;
