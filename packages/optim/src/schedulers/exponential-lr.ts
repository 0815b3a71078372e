import { checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/**
 * Multiplies each group's learning rate by `gamma` every step: lr = initialLr · gamma^epoch. PyTorch's
 * `ExponentialLR` (gamma has no default).
 *
 * @example
 * const sched = new ExponentialLR(opt, { gamma: 0.95 });
 */
export class ExponentialLR extends LRScheduler<{ gamma: number }> {
  constructor(optimizer: SchedulableOptimizer, options: { gamma: number }) {
    checkOptionKeys('ExponentialLR', options, ['gamma']);
    const { gamma } = options;
    checkNumber('ExponentialLR', 'gamma', gamma);
    super('ExponentialLR', optimizer, { gamma });
  }

  protected computeLr(): number[] {
    const lrs = this.currentLrs();
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.options.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((lr) => lr * this.options.gamma ** this.lastEpoch);
  }
}
