import { checkInteger, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of `LinearLR`. */
export interface LinearLROptions {
  startFactor?: number;
  endFactor?: number;
  totalIters?: number;
}

/**
 * Linear warm-up (or decay): scales each group's learning rate by a factor going linearly from
 * `startFactor` to `endFactor` over `totalIters` steps, then keeps it. PyTorch's `LinearLR`: defaults
 * `startFactor` 1/3, `endFactor` 1, `totalIters` 5.
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.01, totalIters: 500 }); // step it every batch
 */
export class LinearLR extends LRScheduler<Required<LinearLROptions>> {
  constructor(optimizer: SchedulableOptimizer, options: LinearLROptions = {}) {
    checkOptionKeys('LinearLR', options, ['startFactor', 'endFactor', 'totalIters']);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    // PyTorch 1.13 accepts startFactor 0, then divides by zero at the first step; refuse it.
    checkNumber('LinearLR', 'startFactor', startFactor, { min: 0, max: 1, minOpen: true });
    checkNumber('LinearLR', 'endFactor', endFactor, { min: 0, max: 1 });
    checkInteger('LinearLR', 'totalIters', totalIters, 1);
    super('LinearLR', optimizer, { startFactor, endFactor, totalIters });
  }

  protected computeLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this.options;
    const e = this.lastEpoch;
    const lrs = this.currentLrs();
    if (e === 0) return lrs.map((lr) => lr * s);
    if (e > n) return lrs;
    return lrs.map((lr) => lr * (1 + (f - s) / (n * s + (e - 1) * (f - s))));
  }

  protected override closedFormLr(): number[] {
    const { startFactor: s, endFactor: f, totalIters: n } = this.options;
    return this.baseLrs.map((lr) => lr * (s + ((f - s) * Math.min(n, this.lastEpoch)) / n));
  }
}
