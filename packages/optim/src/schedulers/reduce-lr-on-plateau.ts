import { Tensor, ValueError } from '@backprop/tensor';
import { checkChoice, checkInteger, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import type { SchedulableOptimizer } from './lr-scheduler.js';

/** Options of `ReduceLROnPlateau`. */
export interface ReduceLROnPlateauOptions {
  mode?: 'min' | 'max';
  factor?: number;
  patience?: number;
  threshold?: number;
  thresholdMode?: 'rel' | 'abs';
  cooldown?: number;
  /** A floor for every group, or one per group. */
  minLr?: number | readonly number[];
  /** Reductions smaller than this are skipped. */
  eps?: number;
}

/** `ReduceLROnPlateau`'s state as plain data. `best` is `null` before the first metric (PyTorch's ±inf). */
export interface ReduceLROnPlateauStateDict {
  options: Required<Omit<ReduceLROnPlateauOptions, 'minLr'>> & { minLrs: number[] };
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  lastEpoch: number;
  lastLr: number[];
}

/**
 * Reduces every group's learning rate by `factor` when a metric has stopped improving for more than
 * `patience` steps, as PyTorch's `ReduceLROnPlateau`. A value improves on the best so far when, for
 * `mode` 'min', it is below best·(1 − threshold) (`thresholdMode` 'rel') or best − threshold ('abs'), and
 * symmetrically for 'max'. After a reduction, `cooldown` steps pass before bad epochs count again;
 * lr never goes below `minLr`, and a reduction smaller than `eps` is skipped.
 *
 * Defaults: `mode` 'min', `factor` 0.1, `patience` 10, `threshold` 1e-4, `thresholdMode` 'rel',
 * `cooldown` 0, `minLr` 0, `eps` 1e-8.
 *
 * @example
 * const sched = new ReduceLROnPlateau(opt, { patience: 5 });
 * for (let epoch = 0; epoch < 100; epoch++) { train(); sched.step(validationLoss()); }
 */
export class ReduceLROnPlateau {
  private options: ReduceLROnPlateauStateDict['options'];
  private best: number;
  private numBadEpochs = 0;
  private cooldownCounter = 0;
  private lastEpoch = 0;
  private lastLr: number[];

  constructor(
    readonly optimizer: SchedulableOptimizer,
    options: ReduceLROnPlateauOptions = {},
  ) {
    const name = 'ReduceLROnPlateau';
    checkOptionKeys(name, options, ['mode', 'factor', 'patience', 'threshold', 'thresholdMode', 'cooldown', 'minLr', 'eps']);
    const { mode = 'min', factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = 'rel', cooldown = 0, minLr = 0, eps = 1e-8 } = options;
    checkChoice(name, 'mode', mode, ['min', 'max']);
    checkNumber(name, 'factor', factor, { min: 0, max: 1, maxOpen: true });
    checkInteger(name, 'patience', patience, 0);
    checkNumber(name, 'threshold', threshold, { min: 0 });
    checkChoice(name, 'thresholdMode', thresholdMode, ['rel', 'abs']);
    checkInteger(name, 'cooldown', cooldown, 0);
    checkNumber(name, 'eps', eps, { min: 0 });
    const groups = optimizer.paramGroups.length;
    const minLrs = typeof minLr === 'number' ? new Array<number>(groups).fill(minLr) : [...minLr];
    if (minLrs.length !== groups) throw new ValueError(name, `minLr has ${minLrs.length} values, expected one per parameter group (${groups})`);
    minLrs.forEach((v, i) => checkNumber(name, `minLr[${i}]`, v, { min: 0 }));
    this.options = { mode, factor, patience, threshold, thresholdMode, cooldown, eps, minLrs };
    this.best = this.worst();
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  private worst(): number {
    return this.options.mode === 'min' ? Infinity : -Infinity;
  }

  private isBetter(a: number, best: number): boolean {
    const { mode, threshold, thresholdMode } = this.options;
    if (mode === 'min') return thresholdMode === 'rel' ? a < best * (1 - threshold) : a < best - threshold;
    return thresholdMode === 'rel' ? a > best * (threshold + 1) : a > best + threshold;
  }

  /** Records this step's metric (e.g. validation loss) and reduces the learning rates if it has plateaued. */
  step(metric: number | Tensor): void {
    const current = metric instanceof Tensor ? metric.item() : metric;
    if (typeof current !== 'number') throw new ValueError('ReduceLROnPlateau', `step needs the metric as a number or a scalar tensor, got ${typeof metric}`);
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // bad epochs during cooldown do not count
    }
    if (this.numBadEpochs > this.options.patience) {
      this.reduceLr();
      this.cooldownCounter = this.options.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    const { factor, minLrs, eps } = this.options;
    this.optimizer.paramGroups.forEach((group, i) => {
      const newLr = Math.max(group.lr * factor, minLrs[i]);
      if (group.lr - newLr > eps) group.lr = newLr;
    });
  }

  /** The learning rate of every group after the last `step()`. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The schedule's state as plain, JSON-serializable data. */
  stateDict(): ReduceLROnPlateauStateDict {
    const best = Number.isFinite(this.best) ? this.best : null;
    const { options, numBadEpochs, cooldownCounter, lastEpoch, lastLr } = this;
    return structuredClone({ options, best, numBadEpochs, cooldownCounter, lastEpoch, lastLr });
  }

  /** Restores state saved by `stateDict()`, options included. */
  loadStateDict(state: ReduceLROnPlateauStateDict): void {
    if (state?.options?.minLrs?.length !== this.optimizer.paramGroups.length) {
      throw new ValueError('ReduceLROnPlateau', `loadStateDict: the saved state is for ${state?.options?.minLrs?.length ?? 'no'} parameter groups, the optimizer has ${this.optimizer.paramGroups.length}`);
    }
    const copy = structuredClone(state);
    this.options = copy.options;
    this.best = copy.best ?? this.worst();
    this.numBadEpochs = copy.numBadEpochs;
    this.cooldownCounter = copy.cooldownCounter;
    this.lastEpoch = copy.lastEpoch;
    this.lastLr = copy.lastLr;
  }
}
