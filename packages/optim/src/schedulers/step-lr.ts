import { checkInteger, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of `StepLR`. */
export interface StepLROptions {
  stepSize: number;
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` every `stepSize` steps: lr = initialLr · gamma^⌊epoch /
 * stepSize⌋. PyTorch's `StepLR`; `gamma` defaults to 0.1.
 *
 * @example
 * const sched = new StepLR(opt, { stepSize: 30 }); // lr 0.1 for epochs 0–29, 0.01 for 30–59, …
 * for (let epoch = 0; epoch < 90; epoch++) { train(); sched.step(); }
 */
export class StepLR extends LRScheduler<Required<StepLROptions>> {
  constructor(optimizer: SchedulableOptimizer, options: StepLROptions) {
    checkOptionKeys('StepLR', options, ['stepSize', 'gamma']);
    const { stepSize, gamma = 0.1 } = options;
    checkInteger('StepLR', 'stepSize', stepSize, 1);
    checkNumber('StepLR', 'gamma', gamma);
    super('StepLR', optimizer, { stepSize, gamma });
  }

  protected computeLr(): number[] {
    const { stepSize, gamma } = this.options;
    const lrs = this.currentLrs();
    return this.lastEpoch === 0 || this.lastEpoch % stepSize !== 0 ? lrs : lrs.map((lr) => lr * gamma);
  }

  protected override closedFormLr(): number[] {
    const { stepSize, gamma } = this.options;
    return this.baseLrs.map((lr) => lr * gamma ** Math.floor(this.lastEpoch / stepSize));
  }
}
