/**
 * @backprop/optim: optimizers with PyTorch's update rules (SGD, RMSprop, Adagrad, Adadelta, Adam, AdamW,
 * L-BFGS) and Levenberg–Marquardt for small least-squares fits; learning-rate schedules; gradient clipping.
 * See the package README for a tour.
 *
 * @packageDocumentation
 */
export {
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type Params,
  type LossClosure,
  type ZeroGradOptions,
} from './optimizer.js';
export { FusedOptimizer } from './fused-optimizer.js';
export { type FloatArray, type StateValue, type SerializedValue, type OptimizerStateDict } from './state-dict.js';
export { SGD, type SGDOptions, type SGDGroupOptions, type SGDState } from './sgd.js';
export { AdamBase, type AdamOptions, type AdamGroupOptions, type AdamState } from './adam-base.js';
export { Adam } from './adam.js';
export { AdamW } from './adamw.js';
export { RMSprop, type RMSpropOptions, type RMSpropGroupOptions, type RMSpropState } from './rmsprop.js';
export { Adagrad, type AdagradOptions, type AdagradGroupOptions, type AdagradState } from './adagrad.js';
export { Adadelta, type AdadeltaOptions, type AdadeltaGroupOptions, type AdadeltaState } from './adadelta.js';
export { NAdam, type NAdamOptions, type NAdamGroupOptions, type NAdamState } from './nadam.js';
export { RAdam, type RAdamOptions, type RAdamGroupOptions, type RAdamState } from './radam.js';
export { Adamax, type AdamaxOptions, type AdamaxGroupOptions, type AdamaxState } from './adamax.js';
export { SparseAdam, type SparseAdamOptions, type SparseAdamGroupOptions, type SparseAdamState } from './sparse-adam.js';
export { LBFGS, type LBFGSOptions, type LBFGSGroupOptions, type LBFGSState } from './lbfgs.js';
export {
  LevenbergMarquardt,
  type LevenbergMarquardtOptions,
  type LevenbergMarquardtGroupOptions,
  type LevenbergMarquardtState,
  type ResidualFn,
} from './levenberg-marquardt.js';
export { VectorOptimizer } from './vector-optimizer.js';
export { clipGradNorm, clipGradNormAsync, clipGradNormTensor, clipGradValue } from './clip-grad.js';
export { UnknownOptionError, checkOptionKeys, closestOption } from './unknown-option.js';
export { LRScheduler, type SchedulableOptimizer, type SchedulerStateDict } from './schedulers/lr-scheduler.js';
export { StepLR, type StepLROptions } from './schedulers/step-lr.js';
export { MultiStepLR, type MultiStepLROptions } from './schedulers/multi-step-lr.js';
export { ExponentialLR } from './schedulers/exponential-lr.js';
export { CosineAnnealingLR, type CosineAnnealingLROptions } from './schedulers/cosine-annealing-lr.js';
export { LinearLR, type LinearLROptions } from './schedulers/linear-lr.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauStateDict } from './schedulers/reduce-lr-on-plateau.js';
export { LambdaLR, type LambdaLROptions, type LrLambda } from './schedulers/lambda-lr.js';
export { OneCycleLR, type OneCycleLROptions, type OneCycleLRState, type OneCycleLRPhase } from './schedulers/one-cycle-lr.js';
export { CyclicLR, type CyclicLROptions, type CyclicLRState } from './schedulers/cyclic-lr.js';
export {
  CosineAnnealingWarmRestarts,
  type CosineAnnealingWarmRestartsOptions,
  type CosineAnnealingWarmRestartsState,
} from './schedulers/cosine-annealing-warm-restarts.js';
export { SequentialLR, ChainedScheduler, type SequentialLROptions, type CompositeSchedulerStateDict } from './schedulers/sequential-lr.js';
