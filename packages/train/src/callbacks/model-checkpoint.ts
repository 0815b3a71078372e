import { TrainingError } from '../errors.js';
import type { EpochLogs } from '../types.js';
import type { Callback, TrainingContext, TrainingState } from './callback.js';

export interface ModelCheckpointOptions {
  /**
   * Writes one checkpoint. `@backprop/io`'s `saveCheckpoint` fits here; writes should be atomic so that an
   * interrupted save keeps the previous checkpoint.
   */
  save: (state: TrainingState, info: { epoch: number; logs: EpochLogs }) => Promise<void> | void;
  /** Save only when `monitor` improves (default false: every `everyEpochs` epochs). */
  saveBestOnly?: boolean;
  /** The log that decides "best" (default `'valLoss'`). */
  monitor?: string;
  mode?: 'min' | 'max';
  /** Save every n epochs (default 1). */
  everyEpochs?: number;
}

/**
 * Saves the full training state (weights, optimizer, data order, history) at the end of epochs, so that
 * `fit(…, { initialState })` resumes exactly.
 *
 * @example
 * new ModelCheckpoint({ save: (state) => saveCheckpoint('run.ckpt', model, state) });
 */
export class ModelCheckpoint implements Callback {
  private best = NaN;
  readonly monitor: string;
  readonly mode: 'min' | 'max';
  readonly everyEpochs: number;

  constructor(private readonly options: ModelCheckpointOptions) {
    if (typeof options?.save !== 'function') throw new TrainingError('ModelCheckpoint: needs a save function');
    this.monitor = options.monitor ?? 'valLoss';
    this.mode = options.mode ?? (/acc|f1|precision|recall|r2/i.test(this.monitor) ? 'max' : 'min');
    this.everyEpochs = options.everyEpochs ?? 1;
  }

  async onEpochEnd(ctx: TrainingContext, logs: EpochLogs): Promise<void> {
    if (this.options.saveBestOnly) {
      const value = logs[this.monitor];
      if (value === undefined) throw new TrainingError(`ModelCheckpoint: monitor '${this.monitor}' is not among the logs`);
      const better = Number.isNaN(this.best) || (this.mode === 'min' ? value < this.best : value > this.best);
      if (!better) return;
      this.best = value;
    } else if ((ctx.epoch + 1) % this.everyEpochs !== 0) {
      return;
    }
    await this.options.save(ctx.snapshot(), { epoch: ctx.epoch, logs });
  }
}
