import { checkBoolean, checkChoice, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { momentumField, perGroup, setMomentum } from './momentum.js';

/** Options of `CyclicLR`. */
export interface CyclicLROptions {
  baseLr: number | readonly number[];
  maxLr: number | readonly number[];
  stepSizeUp?: number;
  stepSizeDown?: number;
  mode?: 'triangular' | 'triangular2' | 'exp_range';
  gamma?: number;
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
}

/** `CyclicLR`'s resolved options, as its `stateDict()` saves them. */
export interface CyclicLRState {
  baseLrs: number[];
  maxLrs: number[];
  totalSize: number;
  stepRatio: number;
  mode: 'triangular' | 'triangular2' | 'exp_range';
  gamma: number;
  cycleMomentum: boolean;
  baseMomentums: number[];
  maxMomentums: number[];
}

const OPTIONS = ['baseLr', 'maxLr', 'stepSizeUp', 'stepSizeDown', 'mode', 'gamma', 'cycleMomentum', 'baseMomentum', 'maxMomentum'];

/**
 * Cyclical learning rates (Smith, 2017), PyTorch's `CyclicLR`, stepped once per batch: the learning rate
 * goes linearly from `baseLr` up to `maxLr` in `stepSizeUp` steps and back down in `stepSizeDown`
 * (default: `stepSizeUp`), the amplitude scaled per cycle c (from 1) or per iteration t by the `mode`:
 * 'triangular' (1), 'triangular2' (1/2^(c−1)) or 'exp_range' (gammaᵗ). With `cycleMomentum` (the default,
 * which needs an optimizer with a `momentum` option, as in PyTorch) the momentum cycles the opposite way
 * between `maxMomentum` and `baseMomentum`. It sets each group's `lr` to `baseLr` and its momentum to
 * `baseMomentum` first. Defaults: `stepSizeUp` 2000, `mode` 'triangular', `gamma` 1, `cycleMomentum` true,
 * `baseMomentum` 0.8, `maxMomentum` 0.9.
 *
 * @example
 * const sched = new CyclicLR(opt, { baseLr: 1e-3, maxLr: 0.1, stepSizeUp: 500, mode: 'triangular2' });
 */
export class CyclicLR extends LRScheduler<CyclicLRState> {
  constructor(optimizer: SchedulableOptimizer, options: CyclicLROptions) {
    const owner = 'CyclicLR';
    checkOptionKeys(owner, options, OPTIONS);
    const {
      baseLr, maxLr, stepSizeUp = 2000, stepSizeDown, mode = 'triangular', gamma = 1, cycleMomentum = true, baseMomentum = 0.8,
      maxMomentum = 0.9,
    } = options;
    const groups = optimizer?.paramGroups?.length ?? 0;
    const baseLrs = perGroup(owner, 'baseLr', baseLr, groups);
    const maxLrs = perGroup(owner, 'maxLr', maxLr, groups);
    checkNumber(owner, 'stepSizeUp', stepSizeUp, { min: 0, minOpen: true });
    const down = stepSizeDown ?? stepSizeUp;
    checkNumber(owner, 'stepSizeDown', down, { min: 0, minOpen: true });
    checkChoice(owner, 'mode', mode, ['triangular', 'triangular2', 'exp_range']);
    checkNumber(owner, 'gamma', gamma, { min: 0, minOpen: true });
    checkBoolean(owner, 'cycleMomentum', cycleMomentum);
    optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]));
    let baseMomentums: number[] = [];
    if (cycleMomentum) {
      const field = momentumField(owner, optimizer, false);
      baseMomentums = perGroup(owner, 'baseMomentum', baseMomentum, groups);
      baseMomentums.forEach((m, i) => setMomentum(optimizer, field, i, m));
    }
    const maxMomentums = cycleMomentum ? perGroup(owner, 'maxMomentum', maxMomentum, groups) : [];
    const totalSize = stepSizeUp + down;
    super(owner, optimizer, { baseLrs, maxLrs, totalSize, stepRatio: stepSizeUp / totalSize, mode, gamma, cycleMomentum, baseMomentums, maxMomentums });
    this.baseLrs = [...baseLrs];
  }

  protected computeLr(): number[] {
    const { baseLrs, maxLrs, totalSize, stepRatio, mode, gamma, cycleMomentum, baseMomentums, maxMomentums } = this.options;
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / totalSize);
    const x = 1 + t / totalSize - cycle;
    const scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
    const scale = mode === 'triangular' ? 1 : mode === 'triangular2' ? 1 / 2 ** (cycle - 1) : gamma ** t;
    if (cycleMomentum) {
      maxMomentums.forEach((max, i) => setMomentum(this.optimizer, 'momentum', i, max - (max - baseMomentums[i]) * scaleFactor * scale));
    }
    return baseLrs.map((base, i) => base + (maxLrs[i] - base) * scaleFactor * scale);
  }
}
