import type { EpochLogs } from '../types.js';
import type { BatchLogs, Callback, TrainingContext } from './callback.js';

export type ProgressEvent =
  | { type: 'batch'; epoch: number; epochs: number; step: number; steps: number; loss: number; elapsedMs: number }
  | { type: 'epoch'; epoch: number; epochs: number; logs: EpochLogs; elapsedMs: number };

/**
 * Calls `onProgress` after every batch (with a running mean loss) and every epoch: the hook that the CLI
 * renders as a progress bar and the playground as a chart.
 */
export class ProgressCallback implements Callback {
  private epochStart = 0;
  private lossSum = 0;
  private seen = 0;

  constructor(private readonly onProgress: (event: ProgressEvent) => void) {}

  onEpochBegin(): void {
    this.epochStart = Date.now();
    this.lossSum = 0;
    this.seen = 0;
  }

  onBatchEnd(ctx: TrainingContext, logs: BatchLogs): void {
    this.lossSum += logs.loss * logs.size;
    this.seen += logs.size;
    this.onProgress({
      type: 'batch', epoch: ctx.epoch, epochs: ctx.epochs, step: logs.step, steps: ctx.stepsPerEpoch,
      loss: this.lossSum / this.seen, elapsedMs: Date.now() - this.epochStart,
    });
  }

  onEpochEnd(ctx: TrainingContext, logs: EpochLogs): void {
    this.onProgress({ type: 'epoch', epoch: ctx.epoch, epochs: ctx.epochs, logs, elapsedMs: Date.now() - this.epochStart });
  }
}
