import { ValueError } from '@backprop/tensor';
import { checkOptionKeys } from '../unknown-option.js';
import { LRScheduler, type SchedulableOptimizer, type SchedulerStateDict } from './lr-scheduler.js';

/** Options of `SequentialLR`. */
export interface SequentialLROptions {
  /** The schedules, in the order they take over; all on this optimizer. */
  schedulers: readonly LRScheduler<any>[];
  /** The epochs at which the next schedule takes over: one fewer than the schedules, increasing. */
  milestones: readonly number[];
}

/** `SequentialLR`'s and `ChainedScheduler`'s state: their own counters and every schedule's state. */
export interface CompositeSchedulerStateDict {
  lastEpoch: number;
  lastLr: number[];
  schedulers: SchedulerStateDict[];
}

function checkSchedulers(owner: string, optimizer: SchedulableOptimizer, schedulers: readonly LRScheduler<any>[]): void {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new ValueError(owner, 'schedulers must be a non-empty array of schedules');
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new ValueError(owner, `schedulers[${i}] is not an epoch-based schedule (ReduceLROnPlateau cannot be combined)`);
    if (s.optimizer !== optimizer) throw new ValueError(owner, `schedulers[${i}] belongs to another optimizer; all must share one`);
  });
}

/**
 * Runs schedules one after another, PyTorch's `SequentialLR`: `schedulers[0]` until `milestones[0]`, then
 * `schedulers[1]` restarted from its base learning rates (at its epoch 0), and so on; e.g. a linear warm-up
 * followed by cosine annealing. Building it undoes the initial steps of the schedules it is given and
 * replays the first one's. Step this one only.
 *
 * @example
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const cosine = new CosineAnnealingLR(opt, { tMax: 95 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, cosine], milestones: [5] });
 */
export class SequentialLR {
  lastEpoch: number;
  private lastLr: number[];
  private readonly schedulers: LRScheduler<any>[];
  private readonly milestones: number[];

  constructor(
    readonly optimizer: SchedulableOptimizer,
    options: SequentialLROptions,
  ) {
    const owner = 'SequentialLR';
    checkOptionKeys(owner, options, ['schedulers', 'milestones']);
    checkSchedulers(owner, optimizer, options.schedulers);
    const { milestones } = options;
    if (!Array.isArray(milestones) || milestones.length !== options.schedulers.length - 1) {
      throw new ValueError(owner, `needs ${options.schedulers.length - 1} milestones for ${options.schedulers.length} schedules, got ${JSON.stringify(milestones)}`);
    }
    if (milestones.some((m, i) => !Number.isInteger(m) || m < 1 || (i > 0 && m <= milestones[i - 1]))) {
      throw new ValueError(owner, `milestones must be increasing positive integers, got ${JSON.stringify(milestones)}`);
    }
    this.schedulers = [...options.schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = 0;
    for (const group of optimizer.paramGroups) group.lr = group.initialLr ?? group.lr;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0].step();
    this.lastLr = this.schedulers[0].getLastLr();
  }

  /** Advances one epoch, in the schedule whose turn it is. */
  step(): void {
    this.lastEpoch += 1;
    const index = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[index];
    if (index > 0 && this.milestones[index - 1] === this.lastEpoch) scheduler.stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
  }

  /** The learning rate of every group as the last step set it. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** Its counters and the state of every schedule, as plain data. */
  stateDict(): CompositeSchedulerStateDict {
    return { lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores state saved by `stateDict()` into a `SequentialLR` over the same kinds of schedules. */
  loadStateDict(state: CompositeSchedulerStateDict): void {
    restoreComposite('SequentialLR', this.schedulers, state);
    this.lastEpoch = state.lastEpoch;
    this.lastLr = [...state.lastLr];
  }
}

function restoreComposite(owner: string, schedulers: LRScheduler<any>[], state: CompositeSchedulerStateDict): void {
  if (!Array.isArray(state?.schedulers) || state.schedulers.length !== schedulers.length) {
    throw new ValueError(owner, `loadStateDict: the saved state has ${state?.schedulers?.length ?? 'no'} schedules, this one has ${schedulers.length}`);
  }
  schedulers.forEach((s, i) => s.loadStateDict(state.schedulers[i]));
}

/**
 * Steps several schedules at once, PyTorch's `ChainedScheduler`: each `step()` steps every schedule in
 * order, so their (chainable) factors multiply, e.g. a warm-up on top of an exponential decay.
 *
 * @example
 * const sched = new ChainedScheduler([new LinearLR(opt, { startFactor: 0.1 }), new ExponentialLR(opt, { gamma: 0.9 })]);
 */
export class ChainedScheduler {
  readonly optimizer: SchedulableOptimizer;
  private lastLr: number[];
  private readonly schedulers: LRScheduler<any>[];

  constructor(schedulers: readonly LRScheduler<any>[]) {
    checkSchedulers('ChainedScheduler', schedulers?.[0]?.optimizer, schedulers);
    this.schedulers = [...schedulers];
    this.optimizer = schedulers[0].optimizer;
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** Steps every schedule once, in order. */
  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of every group as the last step set it. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state of every schedule, as plain data (`lastEpoch` is unused: −1). */
  stateDict(): CompositeSchedulerStateDict {
    return { lastEpoch: -1, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores state saved by `stateDict()` into a chain of the same kinds of schedules. */
  loadStateDict(state: CompositeSchedulerStateDict): void {
    restoreComposite('ChainedScheduler', this.schedulers, state);
    this.lastLr = [...state.lastLr];
  }
}
