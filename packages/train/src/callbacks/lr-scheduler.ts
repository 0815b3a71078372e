import type { EpochLogs } from '../types.js';
import type { Callback, TrainingContext } from './callback.js';

/** A learning-rate schedule of `@backprop/optim` (StepLR, CosineAnnealingLR, ReduceLROnPlateau, …). */
export interface SchedulerLike {
  // Plateau schedules require the metric, epoch schedules take none: both fit `(metric: number) => void`.
  step(metric: number): void;
  stateDict?(): unknown;
  loadStateDict?(state: any): void;
}

/**
 * Steps a schedule at the end of every epoch (or every batch with `perBatch`); a plateau schedule gets
 * the value of `monitor` (default `'valLoss'`, falling back to `'loss'`).
 *
 * @example
 * callbacks: [new LearningRateScheduler(new StepLR(optimizer, { stepSize: 10 }))]
 */
export class LearningRateScheduler implements Callback {
  readonly stateKey = 'lrScheduler';

  constructor(
    readonly scheduler: SchedulerLike,
    private readonly options: { perBatch?: boolean; monitor?: string } = {},
  ) {}

  onBatchEnd(): void {
    // Per-batch schedules are epoch-style schedules, which take no metric.
    if (this.options.perBatch) (this.scheduler.step as (metric?: number) => void).call(this.scheduler);
  }

  onEpochEnd(_ctx: TrainingContext, logs: EpochLogs): void {
    if (this.options.perBatch) return;
    const monitor = this.options.monitor ?? ('valLoss' in logs ? 'valLoss' : 'loss');
    // Plateau schedules take the metric; epoch schedules ignore the argument.
    this.scheduler.step(logs[monitor]);
  }

  getState(): unknown {
    return this.scheduler.stateDict?.() ?? null;
  }

  setState(state: unknown): void {
    if (state !== null) this.scheduler.loadStateDict?.(state);
  }
}
