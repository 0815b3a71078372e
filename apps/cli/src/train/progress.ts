import { SingleBar } from 'cli-progress';
import type { AnyModule } from '@backprop/layers';
import type { Tensor } from '@backprop/tensor';
import { resolveMetric, type Callback, type EpochLogs, type LossFn, type Metric, type TrainingContext } from '@backprop/train';
import { formatMetric, printJson, table } from '../output/format.js';

/** Widest bar drawn; on a narrow terminal it shrinks first, down to nothing. */
const MAX_BAR = 24;

/**
 * One progress line that fits a terminal `width` columns wide: `head`, a bar `fraction` full, `tail`.
 * The bar gives up its room first; if head and tail alone are too long, the line is cut. The last column
 * stays empty, as writing into it makes some terminals wrap.
 */
export function progressLine(width: number, head: string, fraction: number, tail: string): string {
  const room = width - 1 - head.length - tail.length - 2;
  const size = Math.max(0, Math.min(MAX_BAR, room));
  const done = Math.round(Math.min(1, Math.max(0, fraction)) * size);
  const line = size > 0 ? `${head} ${'█'.repeat(done)}${'░'.repeat(size - done)} ${tail}` : `${head} ${tail}`;
  return line.length > width - 1 ? line.slice(0, Math.max(0, width - 1)) : line;
}

/** Seconds left as `42s`, `3m05s` or `1h20m`; `-` until there is an estimate. */
export function formatEta(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`;
}

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
export function terminalProgress(model: AnyModule, metricName: string | undefined): Progress & { epochTable(): string; interrupted(): void } {
  const metric: Metric | null = metricName ? resolveMetric(metricName) : null;
  const rows: string[][] = [];
  const columns = new Set<string>();
  const logsByEpoch: EpochLogs[] = [];
  let bar: SingleBar | null = null;
  let stopped = false;
  let lossSum = 0;
  let seen = 0;
  // A GPU's batch counts arrive asynchronously; the next bar update waits for them.
  let counting: void | Promise<void>;
  const metricText = () => (metric && seen > 0 ? ` | ${metric.name} ${formatMetric(metric.name, metric.result())}` : '');
  return {
    wrapLoss: (loss) => (prediction: Tensor, target: Tensor) => {
      // Only training steps update the running metric: fit also calls the loss for validation (eval mode).
      if (metric && (model as { training?: boolean }).training) counting = metric.update(prediction, target);
      return loss(prediction, target);
    },
    callback: {
      onEpochBegin: (ctx) => {
        metric?.reset();
        lossSum = 0;
        seen = 0;
        const digits = String(ctx.epochs).length;
        const head = `epoch ${String(ctx.epoch + 1).padStart(digits)}/${ctx.epochs}`;
        bar = new SingleBar({
          // Built for the terminal's width at every redraw, so a resized or narrow terminal never wraps it.
          format: (_options, params, payload: { loss: string; metric: string }) => {
            const eta = formatEta(params.eta);
            const tail = `${params.value}/${params.total} | loss ${payload.loss}${payload.metric} | ETA ${eta}`;
            return progressLine(process.stdout.columns || 80, head, params.progress, tail);
          },
          stream: process.stdout,
          hideCursor: true,
          clearOnComplete: false,
        });
        bar.start(ctx.stepsPerEpoch, 0, { loss: '-', metric: '' });
      },
      onBatchEnd: async (_ctx, logs) => {
        await counting;
        if (stopped) return;
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
    // Ctrl-C: the bar's line ends here, so that the message below it starts on a line of its own.
    interrupted: () => {
      stopped = true;
      // Redrawing the bar covers the terminal's `^C`; between bars, the `^C` gets a line of its own.
      if (bar) bar.stop();
      else process.stdout.write('\n');
      bar = null;
    },
    epochTable: () => {
      const names = [...columns];
      for (const logs of logsByEpoch) rows.push([String(logs.epoch), ...names.map((k) => (logs[k] === undefined ? '' : formatMetric(k, logs[k])))]);
      return table(['epoch', ...names], rows);
    },
  };
}
