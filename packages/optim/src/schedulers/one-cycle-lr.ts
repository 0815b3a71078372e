import { ValueError } from '@backprop/tensor';
import { checkBoolean, checkChoice, checkInteger, checkNumber } from '../options.js';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer } from './lr-scheduler.js';
import { momentumField, perGroup, setMomentum } from './momentum.js';

/** Options of `OneCycleLR`. Give `totalSteps`, or `epochs` and `stepsPerEpoch`. */
export interface OneCycleLROptions {
  maxLr: number | readonly number[];
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  pctStart?: number;
  annealStrategy?: 'cos' | 'linear';
  cycleMomentum?: boolean;
  baseMomentum?: number | readonly number[];
  maxMomentum?: number | readonly number[];
  divFactor?: number;
  finalDivFactor?: number;
  threePhase?: boolean;
}

/** One phase of `OneCycleLR`: where it ends and which levels it anneals between. */
export interface OneCycleLRPhase {
  endStep: number;
  startLr: 'initial' | 'max' | 'min';
  endLr: 'initial' | 'max' | 'min';
  startMomentum: 'max' | 'base';
  endMomentum: 'max' | 'base';
}

/** `OneCycleLR`'s resolved options, as its `stateDict()` saves them. */
export interface OneCycleLRState {
  totalSteps: number;
  phases: OneCycleLRPhase[];
  annealStrategy: 'cos' | 'linear';
  lrs: Record<'initial' | 'max' | 'min', number[]>;
  /** Where the momentum cycles: SGD's `momentum`, Adam's β₁ (`betas`), or nowhere. */
  momentumField: 'momentum' | 'betas' | null;
  momentums: Record<'max' | 'base', number[]>;
}

const OPTIONS = [
  'maxLr', 'totalSteps', 'epochs', 'stepsPerEpoch', 'pctStart', 'annealStrategy', 'cycleMomentum', 'baseMomentum', 'maxMomentum',
  'divFactor', 'finalDivFactor', 'threePhase',
];

function anneal(strategy: 'cos' | 'linear', start: number, end: number, pct: number): number {
  return strategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
}

/**
 * The 1cycle policy (Smith & Topin, 2018), PyTorch's `OneCycleLR`, stepped once per batch: the learning
 * rate rises from maxLr/`divFactor` to `maxLr` over the first `pctStart` of `totalSteps`, then anneals to
 * maxLr/(divFactor·finalDivFactor); the momentum (β₁ for Adam-like optimizers) moves the opposite way,
 * between `maxMomentum` and `baseMomentum`. With `threePhase`, the rise is mirrored back to maxLr/divFactor
 * before the final anneal (fast.ai's schedule). `annealStrategy` 'cos' (default) or 'linear' interpolates
 * inside each phase. It sets each group's `initialLr` to maxLr/divFactor and stepping past `totalSteps`
 * is an error. Defaults: `pctStart` 0.3, `annealStrategy` 'cos', `cycleMomentum` true, `baseMomentum`
 * 0.85, `maxMomentum` 0.95, `divFactor` 25, `finalDivFactor` 1e4, `threePhase` false.
 *
 * @example
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: batches.length });
 * // after every opt.step(): sched.step();
 */
export class OneCycleLR extends LRScheduler<OneCycleLRState> {
  constructor(optimizer: SchedulableOptimizer, options: OneCycleLROptions) {
    const owner = 'OneCycleLR';
    checkOptionKeys(owner, options, OPTIONS);
    const {
      maxLr, totalSteps: total, epochs, stepsPerEpoch, pctStart = 0.3, annealStrategy = 'cos', cycleMomentum = true,
      baseMomentum = 0.85, maxMomentum = 0.95, divFactor = 25, finalDivFactor = 1e4, threePhase = false,
    } = options;
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) throw new ValueError(owner, 'needs an optimizer (an object with paramGroups)');
    let totalSteps: number;
    if (total !== undefined) {
      checkInteger(owner, 'totalSteps', total, 1);
      totalSteps = total;
    } else if (epochs !== undefined && stepsPerEpoch !== undefined) {
      checkInteger(owner, 'epochs', epochs, 1);
      checkInteger(owner, 'stepsPerEpoch', stepsPerEpoch, 1);
      totalSteps = epochs * stepsPerEpoch;
    } else {
      throw new ValueError(owner, 'give totalSteps, or epochs and stepsPerEpoch');
    }
    checkNumber(owner, 'pctStart', pctStart, { min: 0, max: 1 });
    checkChoice(owner, 'annealStrategy', annealStrategy, ['cos', 'linear']);
    checkNumber(owner, 'divFactor', divFactor, { min: 0, minOpen: true });
    checkNumber(owner, 'finalDivFactor', finalDivFactor, { min: 0, minOpen: true });
    checkBoolean(owner, 'cycleMomentum', cycleMomentum);
    checkBoolean(owner, 'threePhase', threePhase);
    const groups = optimizer.paramGroups.length;
    const max = perGroup(owner, 'maxLr', maxLr, groups);
    const initial = max.map((lr) => lr / divFactor);
    const lrs = { initial, max, min: initial.map((lr) => lr / finalDivFactor) };
    const rise = pctStart * totalSteps - 1;
    const phases: OneCycleLRPhase[] = threePhase
      ? [
          { endStep: rise, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: 'max', endLr: 'initial', startMomentum: 'base', endMomentum: 'max' },
          { endStep: totalSteps - 1, startLr: 'initial', endLr: 'min', startMomentum: 'max', endMomentum: 'max' },
        ]
      : [
          { endStep: rise, startLr: 'initial', endLr: 'max', startMomentum: 'max', endMomentum: 'base' },
          { endStep: totalSteps - 1, startLr: 'max', endLr: 'min', startMomentum: 'base', endMomentum: 'max' },
        ];
    const field = cycleMomentum ? momentumField(owner, optimizer, true) : null;
    const momentums = { max: perGroup(owner, 'maxMomentum', maxMomentum, groups), base: perGroup(owner, 'baseMomentum', baseMomentum, groups) };
    // As PyTorch: the schedule owns the starting point, so it overrides any earlier initialLr.
    optimizer.paramGroups.forEach((g, i) => (g.initialLr = initial[i]));
    super(owner, optimizer, { totalSteps, phases, annealStrategy, lrs, momentumField: field, momentums });
  }

  protected computeLr(): number[] {
    const { totalSteps, phases, annealStrategy, lrs, momentumField: field, momentums } = this.options;
    const step = this.lastEpoch;
    if (step > totalSteps) throw new ValueError('OneCycleLR', `stepped ${step + 1} times, but totalSteps is ${totalSteps}`);
    return this.optimizer.paramGroups.map((_, i) => {
      let start = 0;
      for (const [k, phase] of phases.entries()) {
        if (step <= phase.endStep || k === phases.length - 1) {
          const pct = (step - start) / (phase.endStep - start);
          if (field) setMomentum(this.optimizer, field, i, anneal(annealStrategy, momentums[phase.startMomentum][i], momentums[phase.endMomentum][i], pct));
          return anneal(annealStrategy, lrs[phase.startLr][i], lrs[phase.endLr][i], pct);
        }
        start = phase.endStep;
      }
      throw new Error('unreachable: the last phase always applies');
    });
  }
}
