import { SingleBar } from 'cli-progress';
import type { AnyModule } from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { resolveMetric, type Callback, type EpochLogs, type LossFn, type Metric, type TrainingContext } from '@backprop/train';
import { formatMetric, printJson, table } from '../output/format.js';

/** How training reports itself: a callback for `fit`, and the loss it should use. */
export interface Progress {
  callback: Callback;
  /** The loss `fit` should call; the terminal view also reads running metrics from it. */
  wrapLoss(loss: LossFn): LossFn;
}

const lrOf = (ctx: TrainingContext) => ctx.optimizer.paramGroups[0]?.lr;

/** One JSON line per epoch on stdout, for scripts (`--json`, or stdout not a terminal). */
export function jsonProgress(): Progress {
  let started = 0;
  return {
    wrapLoss: (loss) => loss,
    callback: {
      onEpochBegin: () => void (started = Date.now()),
      onEpochEnd: (ctx: TrainingContext, logs: EpochLogs) =>
        printJson({ event: 'epoch', epoch: ctx.epoch + 1, epochs: ctx.epochs, ...logs, lr: lrOf(ctx), elapsedMs: Date.now() - started }),
    },
  };
}

/**
 * A progress bar per epoch on a terminal: batches done, running loss and metric, ETA; each finished
 * epoch's bar stays as its line, and a table of all epochs follows at the end.
 */
export function terminalProgress(model: AnyModule, metricName: string | undefined): Progress & { epochTable(): string } {
  const metric: Metric | null = metricName ? resolveMetric(metricName) : null;
  const rows: string[][] = [];
  const columns = new Set<string>();
  const logsByEpoch: EpochLogs[] = [];
  let bar: SingleBar | null = null;
  let lossSum = 0;
  let seen = 0;
  const metricText = () => (metric && seen > 0 ? ` | ${metric.name} ${formatMetric(metric.name, metric.result())}` : '');
  return {
    wrapLoss: (loss) => (prediction: Tensor, target: Tensor) => {
      // Only training steps update the running metric: fit also calls the loss for validation (eval mode).
      if (metric && (model as { training?: boolean }).training) metric.update(prediction, target);
      return loss(prediction, target);
    },
    callback: {
      onEpochBegin: (ctx) => {
        metric?.reset();
        lossSum = 0;
        seen = 0;
        const width = String(ctx.epochs).length;
        bar = new SingleBar({
          format: `epoch ${String(ctx.epoch + 1).padStart(width)}/${ctx.epochs} {bar} {value}/{total} | loss {loss}{metric} | ETA {eta_formatted}`,
          stream: process.stdout,
          barsize: 24,
          hideCursor: true,
          clearOnComplete: false,
          barCompleteChar: '█',
          barIncompleteChar: '░',
        });
        bar.start(ctx.stepsPerEpoch, 0, { loss: '-', metric: '' });
      },
      onBatchEnd: (_ctx, logs) => {
        lossSum += logs.loss * logs.size;
        seen += logs.size;
        bar?.update(logs.step + 1, { loss: (lossSum / seen).toFixed(4), metric: metricText() });
      },
      onEpochEnd: (ctx, logs) => {
        const extra = Object.entries(logs).filter(([k]) => k.startsWith('val')).map(([k, v]) => ` | ${k} ${formatMetric(k, v)}`).join('');
        bar?.update({ loss: logs.loss.toFixed(4), metric: metricText() + extra });
        bar?.stop();
        bar = null;
        Object.keys(logs).forEach((k) => columns.add(k));
        logsByEpoch.push({ epoch: ctx.epoch + 1, ...logs });
      },
      onTrainEnd: () => {
        bar?.stop();
        bar = null;
      },
    },
    epochTable: () => {
      const names = [...columns];
      for (const logs of logsByEpoch) rows.push([String(logs.epoch), ...names.map((k) => (logs[k] === undefined ? '' : formatMetric(k, logs[k])))]);
      return table(['epoch', ...names], rows);
    },
  };
}
