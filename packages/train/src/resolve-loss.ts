import { lossFromConfig } from '@backprop/losses';
import { TrainingError } from './errors.js';
import type { LossFn } from './types.js';

/** A loss as `fit` and `evaluate` take it: a function, a loss name of `@backprop/losses`, or its config. */
export type LossSpec = LossFn | string | ({ name: string } & Record<string, unknown>);

/** The loss function for `loss`; `op` names the caller in errors. */
export function resolveLoss(op: string, loss: LossSpec): LossFn {
  if (typeof loss === 'function') return loss;
  if (typeof loss === 'string') return lossFromConfig({ name: loss }) as LossFn;
  if (loss && typeof loss === 'object' && typeof loss.name === 'string') return lossFromConfig(loss) as LossFn;
  throw new TrainingError(`${op}: loss must be a function, a loss name or { name, ...options }, got ${JSON.stringify(loss)}`);
}
