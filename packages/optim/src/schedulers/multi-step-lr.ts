import { ValueError } from '@backprop/tensor';
import { checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of `MultiStepLR`. */
export interface MultiStepLROptions {
  milestones: readonly number[];
  gamma?: number;
}

/**
 * Multiplies each group's learning rate by `gamma` at every milestone epoch (by gamma^k for a milestone
 * listed k times). PyTorch's `MultiStepLR`; `gamma` defaults to 0.1.
 *
 * @example
 * const sched = new MultiStepLR(opt, { milestones: [30, 80] }); // 0.1 → 0.01 at 30 → 0.001 at 80
 */
export class MultiStepLR extends LRScheduler<{ milestones: number[]; gamma: number }> {
  constructor(optimizer: SchedulableOptimizer, options: MultiStepLROptions) {
    checkOptionKeys('MultiStepLR', options, ['milestones', 'gamma']);
    const { milestones, gamma = 0.1 } = options;
    if (!Array.isArray(milestones) || !milestones.every((m) => Number.isInteger(m) && m >= 0)) {
      throw new ValueError('MultiStepLR', `milestones must be an array of integers >= 0, got ${JSON.stringify(milestones)}`);
    }
    checkNumber('MultiStepLR', 'gamma', gamma);
    super('MultiStepLR', optimizer, { milestones: [...milestones].sort((a, b) => a - b), gamma });
  }

  protected computeLr(): number[] {
    const { milestones, gamma } = this.options;
    const count = milestones.filter((m) => m === this.lastEpoch).length;
    const lrs = this.currentLrs();
    return count === 0 ? lrs : lrs.map((lr) => lr * gamma ** count);
  }

  protected override closedFormLr(): number[] {
    const { milestones, gamma } = this.options;
    const passed = milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((lr) => lr * gamma ** passed);
  }
}
