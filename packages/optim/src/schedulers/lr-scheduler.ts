import { ValueError } from '@backprop/tensor';

/** What a schedule needs of an optimizer: parameter groups with a writable `lr`. Every optimizer here fits. */
export interface SchedulableOptimizer {
  readonly paramGroups: { lr: number; initialLr?: number }[];
}

/** A schedule's state as plain data: its options and counters. `JSON.stringify` keeps it exactly. */
export interface SchedulerStateDict {
  lastEpoch: number;
  baseLrs: number[];
  lastLr: number[];
  options: Record<string, unknown>;
}

/**
 * Base of the epoch-indexed schedules, as PyTorch's `_LRScheduler` in its chainable form: each `step()`
 * advances `lastEpoch` and sets every group's `lr` from its current value, so schedules compose. The
 * constructor records each group's `initialLr` (once) and applies step 0.
 *
 * Call `optimizer.step()` before `scheduler.step()`, as in PyTorch.
 */
export abstract class LRScheduler<C extends object = Record<string, unknown>> {
  /** Steps taken; −1 before the constructor's initial step. */
  lastEpoch = -1;
  /** Each group's `initialLr`. */
  baseLrs: number[];
  protected lastLr: number[] = [];

  protected constructor(
    readonly name: string,
    readonly optimizer: SchedulableOptimizer,
    protected options: C,
  ) {
    if (!optimizer || !Array.isArray(optimizer.paramGroups)) {
      throw new ValueError(name, 'needs an optimizer (an object with paramGroups)');
    }
    for (const group of optimizer.paramGroups) group.initialLr ??= group.lr;
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.step();
  }

  /** The new learning rate of every group at `lastEpoch`, from the groups' current ones (chainable form). */
  protected abstract computeLr(): number[];

  /** Advances one epoch (or iteration) and sets each group's `lr`. */
  step(): void {
    this.lastEpoch += 1;
    this.setLrs(this.computeLr());
  }

  /**
   * Jumps to `epoch` and sets each group's `lr` to the schedule's value there, computed from the base
   * learning rates (PyTorch's `step(epoch)`, which `SequentialLR` uses at its milestones). Schedules with
   * a closed form use it; the others compute their step at `epoch` from the current learning rates.
   *
   * @example
   * sched.stepTo(0); // restart the schedule from its base learning rates
   */
  stepTo(epoch: number): void {
    this.lastEpoch = epoch;
    this.setLrs(this.closedFormLr() ?? this.computeLr());
  }

  /** The learning rate of every group at `lastEpoch` from the base learning rates, where a formula gives it. */
  protected closedFormLr(): number[] | undefined {
    return undefined;
  }

  /** Sets each group's `lr` and records them as the last learning rates. */
  protected setLrs(lrs: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]));
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rate of every group as the last `step()` set it. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The schedule's state as plain data, to resume it with `loadStateDict`. */
  stateDict(): SchedulerStateDict {
    return { lastEpoch: this.lastEpoch, baseLrs: [...this.baseLrs], lastLr: [...this.lastLr], options: structuredClone(this.options) as Record<string, unknown> };
  }

  /** Restores state saved by `stateDict()`, options included (as PyTorch does). */
  loadStateDict(state: SchedulerStateDict): void {
    if (!Array.isArray(state?.baseLrs) || state.baseLrs.length !== this.optimizer.paramGroups.length) {
      throw new ValueError(
        this.name,
        `loadStateDict: the saved state has ${state?.baseLrs?.length ?? 'no'} base learning rates, the optimizer has ${this.optimizer.paramGroups.length} groups`,
      );
    }
    this.lastEpoch = state.lastEpoch;
    this.baseLrs = [...state.baseLrs];
    this.lastLr = [...state.lastLr];
    this.options = structuredClone(state.options) as C;
  }

  /** The groups' current learning rates. */
  protected currentLrs(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }
}
