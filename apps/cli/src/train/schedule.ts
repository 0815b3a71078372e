import {
  CosineAnnealingLR, ExponentialLR, LinearLR, MultiStepLR, ReduceLROnPlateau, StepLR, 
} from '@backprop/optim';
import { LearningRateScheduler, type SchedulerLike } from '@backprop/train';
import type { AnyOptimizer } from './optimizer.js';
import type { TrainConfig } from '../config/schema.js';
import { SCHEDULE_OPTIONS, checkKnownOptions } from '../config/known-options.js';
import { ConfigError, messageOf } from '../errors.js';

/**
 * The schedule a config names, as a callback stepped after every epoch. `CosineAnnealingLR` without
 * `tMax` anneals over the whole run; `ReduceLROnPlateau` watches `monitor` (valLoss when there is
 * validation data, else loss).
 */
export function buildSchedule(config: NonNullable<TrainConfig['schedule']>, optimizer: AnyOptimizer, epochs: number): LearningRateScheduler {
  const { name, monitor, ...options } = config;
  checkKnownOptions('$.schedule', name, options, SCHEDULE_OPTIONS[name]);
  // The option objects are checked by the schedules themselves (and their names above).
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
    throw new ConfigError('$.schedule', messageOf(e));
  }
}
