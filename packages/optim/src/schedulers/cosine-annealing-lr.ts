import { checkInteger, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of `CosineAnnealingLR`. */
export interface CosineAnnealingLROptions {
  tMax: number;
  etaMin?: number;
}

/**
 * Cosine annealing without restarts (Loshchilov & Hutter, 2017), PyTorch's `CosineAnnealingLR`:
 * lr = etaMin + (initialLr − etaMin)·(1 + cos(π·epoch/tMax))/2, reaching `etaMin` at epoch `tMax` and
 * rising again after it (a cosine, not a clamp). Computed in PyTorch's recursive form, so the values
 * match PyTorch's to the last bit. `etaMin` defaults to 0.
 *
 * @example
 * const sched = new CosineAnnealingLR(opt, { tMax: 100, etaMin: 1e-5 });
 */
export class CosineAnnealingLR extends LRScheduler<Required<CosineAnnealingLROptions>> {
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingLROptions) {
    checkOptionKeys('CosineAnnealingLR', options, ['tMax', 'etaMin']);
    const { tMax, etaMin = 0 } = options;
    checkInteger('CosineAnnealingLR', 'tMax', tMax, 1);
    checkNumber('CosineAnnealingLR', 'etaMin', etaMin, { min: 0 });
    super('CosineAnnealingLR', optimizer, { tMax, etaMin });
  }

  protected computeLr(): number[] {
    const { tMax, etaMin } = this.options;
    const e = this.lastEpoch;
    const lrs = this.currentLrs();
    if (e === 0) return lrs;
    // At the bottom of the cosine the ratio below is 0/0, so PyTorch steps up from etaMin additively.
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) => lr + ((this.baseLrs[i] - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax));
    return lrs.map((lr) => ratio * (lr - etaMin) + etaMin);
  }

  protected override closedFormLr(): number[] {
    const { tMax, etaMin } = this.options;
    return this.baseLrs.map((lr) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / tMax))) / 2);
  }
}
