import { ValueError } from '@backprop/tensor';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerStateDict } from './lr-scheduler.js';

/** A learning-rate multiplier as a function of the epoch (or iteration) count. */
export type LrLambda = (epoch: number) => number;

/** Options of `LambdaLR`. */
export interface LambdaLROptions {
  /** One function for every group, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
}

/**
 * Sets each group's learning rate to its initial one times a function of the epoch: lr = initialLr ·
 * λ(epoch), as PyTorch's `LambdaLR`. Give one function for every group or one per group. The functions
 * are not part of `stateDict()` (as in PyTorch): a resumed schedule uses the ones it was built with.
 *
 * @example
 * const warmup = new LambdaLR(opt, { lrLambda: (step) => Math.min(1, (step + 1) / 100) });
 */
export class LambdaLR extends LRScheduler<{ lrLambda: readonly LrLambda[] }> {
  constructor(optimizer: SchedulableOptimizer, options: LambdaLROptions) {
    checkOptionKeys('LambdaLR', options, ['lrLambda']);
    const groups = optimizer?.paramGroups?.length ?? 0;
    const given = options.lrLambda;
    const lrLambda = typeof given === 'function' ? new Array<LrLambda>(groups).fill(given) : [...(given ?? [])];
    if (lrLambda.length !== groups || lrLambda.some((f) => typeof f !== 'function')) {
      throw new ValueError('LambdaLR', `lrLambda must be a function or an array of ${groups} functions (one per parameter group), got ${typeof given === 'object' ? `${lrLambda.length} values` : typeof given}`);
    }
    super('LambdaLR', optimizer, { lrLambda });
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((lr, i) => lr * this.options.lrLambda[i](this.lastEpoch));
  }

  /** The counters and base learning rates; the functions stay out, as in PyTorch. */
  override stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: this.getLastLr(), options: {} };
  }

  /** Restores the counters, keeping the functions this schedule was built with. */
  override loadStateDict(state: SchedulerStateDict): void {
    const { lrLambda } = this.options;
    super.loadStateDict({ ...state, options: {} });
    this.options = { lrLambda };
  }
}
