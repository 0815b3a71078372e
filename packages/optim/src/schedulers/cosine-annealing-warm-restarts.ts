import { ValueError } from '@backprop/tensor';
import { checkInteger, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';

/** Options of `CosineAnnealingWarmRestarts`. */
export interface CosineAnnealingWarmRestartsOptions {
  T0: number;
  Tmult?: number;
  etaMin?: number;
}

/** `CosineAnnealingWarmRestarts`' options and position in its cycle, as its `stateDict()` saves them. */
export interface CosineAnnealingWarmRestartsState {
  T0: number;
  Tmult: number;
  etaMin: number;
  /** Steps since the last restart, and the length of the current cycle (PyTorch's T_cur, T_i). */
  tCur: number;
  tI: number;
}

/**
 * SGDR, cosine annealing with warm restarts (Loshchilov & Hutter, 2017), PyTorch's
 * `CosineAnnealingWarmRestarts`: lr = etaMin + (initialLr − etaMin)·(1 + cos(π·T_cur/T_i))/2, where T_cur
 * counts the steps since the last restart and the i-th cycle lasts T_i = T0·Tmultⁱ steps; at the end of a
 * cycle the learning rate jumps back to initialLr. Defaults: `Tmult` 1, `etaMin` 0. `stepTo(epoch)` may take
 * a fractional epoch, as PyTorch's `step(epoch)`, to anneal within epochs.
 *
 * @example
 * const sched = new CosineAnnealingWarmRestarts(opt, { T0: 10, Tmult: 2 }); // cycles of 10, 20, 40, … epochs
 */
export class CosineAnnealingWarmRestarts extends LRScheduler<CosineAnnealingWarmRestartsState> {
  constructor(optimizer: SchedulableOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    const owner = 'CosineAnnealingWarmRestarts';
    checkOptionKeys(owner, options, ['T0', 'Tmult', 'etaMin']);
    const { T0, Tmult = 1, etaMin = 0 } = options;
    checkInteger(owner, 'T0', T0, 1);
    checkInteger(owner, 'Tmult', Tmult, 1);
    checkNumber(owner, 'etaMin', etaMin, { min: 0 });
    super(owner, optimizer, { T0, Tmult, etaMin, tCur: -1, tI: T0 });
  }

  /** Advances one epoch; restarts the cosine when the current cycle ends. */
  override step(): void {
    if (this.lastEpoch < 0) {
      this.stepTo(0);
      return;
    }
    const o = this.options;
    o.tCur += 1;
    if (o.tCur >= o.tI) {
      o.tCur -= o.tI;
      o.tI *= o.Tmult;
    }
    this.lastEpoch += 1;
    this.setLrs(this.computeLr());
  }

  /** Jumps to `epoch` (which may be fractional), placing it in its cycle. */
  override stepTo(epoch: number): void {
    if (!(epoch >= 0)) throw new ValueError('CosineAnnealingWarmRestarts', `epoch must be non-negative, got ${epoch}`);
    const o = this.options;
    if (epoch >= o.T0) {
      if (o.Tmult === 1) {
        o.tCur = epoch % o.T0;
      } else {
        const n = Math.floor(Math.log((epoch / o.T0) * (o.Tmult - 1) + 1) / Math.log(o.Tmult));
        o.tCur = epoch - (o.T0 * (o.Tmult ** n - 1)) / (o.Tmult - 1);
        o.tI = o.T0 * o.Tmult ** n;
      }
    } else {
      o.tI = o.T0;
      o.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    this.setLrs(this.computeLr());
  }

  protected computeLr(): number[] {
    const { etaMin, tCur, tI } = this.options;
    return this.baseLrs.map((lr) => etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2);
  }
}
