import {
  CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, ReduceLROnPlateau, StepLR, 
} from '@backprop/optim';
import { LearningRateScheduler, type SchedulerLike } from '@backprop/train';
import { optionError, type AnyOptimizer } from './optimizer.js';
import type { TrainConfig } from '../config/schema.js';

/**
 * The schedule a config names, as a callback stepped after every epoch. `CosineAnnealingLR` without
 * `tMax` anneals over the whole run; `ReduceLROnPlateau` watches `monitor` (valLoss when there is
 * validation data, else loss).
 */
export function buildSchedule(config: NonNullable<TrainConfig['schedule']>, optimizer: AnyOptimizer, epochs: number): LearningRateScheduler {
  const { name, monitor, ...options } = config;
  // The schedules check their options (names and values) themselves.
  const o = options as never;
  try {
    const scheduler =
      name === 'StepLR' ? new StepLR(optimizer, o)
      : name === 'MultiStepLR' ? new MultiStepLR(optimizer, o)
      : name === 'ExponentialLR' ? new ExponentialLR(optimizer, o)
      : name === 'CosineAnnealingLR' ? new CosineAnnealingLR(optimizer, { tMax: epochs, ...options })
      : name === 'LinearLR' ? new LinearLR(optimizer, o)
      : new ReduceLROnPlateau(optimizer, o);
    // ReduceLROnPlateau's step(metric) is typed to require the metric, which the callback always passes.
    return new LearningRateScheduler(scheduler as SchedulerLike, { monitor });
  } catch (e) {
    throw optionError('$.schedule', e);
  }
}
