import { resolveMetric } from '@backprop/train';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Task } from '../data/load-data.js';
import { ConfigError } from '../errors.js';
import type { LossSpec } from './losses-metrics.js';

/** Losses whose targets are class indices 0..C−1, one per sample. */
const CLASS_LABEL_LOSSES = ['crossEntropy', 'nllLoss', 'multiMarginLoss'];

/**
 * A loss that needs class labels on data with real-valued targets would train on nonsense (cross-entropy
 * of one output against floats is 0); refused before training, with what would fit.
 */
export function checkLossFitsTask(spec: LossSpec, task: Task): void {
  const name = typeof spec === 'string' ? spec : spec.name;
  if (task === 'regression' && CLASS_LABEL_LOSSES.includes(name)) {
    throw new ConfigError(
      '$.loss',
      `${name} needs integer class labels 0..C−1 as targets, but the data has real-valued (regression) targets; use a regression loss such as "mseLoss", or set "task": "classification" in $.data if the targets are labels`,
    );
  }
}

/** The names `fit` logs each epoch: loss and the metrics, and their `val` forms with validation data. */
function loggedNames(metrics: string[], validation: boolean): string[] {
  const names = ['loss', ...metrics.map((m) => resolveMetric(m).name)];
  return validation ? [...names, ...names.map((n) => `val${n[0].toUpperCase()}${n.slice(1)}`)] : names;
}

/**
 * Early stopping and plateau schedules watch a log by name; one that is never logged would fail after a
 * whole epoch, so it is refused now (`valLoss` without `validationSplit` most of all).
 */
export function checkMonitors(config: ResolvedConfig, metrics: string[]): void {
  const validation = config.validationSplit !== undefined;
  const logged = loggedNames(metrics, validation);
  const watched: [string, string | undefined][] = [
    ['$.earlyStopping.monitor', config.earlyStopping?.monitor],
    ['$.schedule.monitor', config.schedule?.monitor],
  ];
  for (const [path, monitor] of watched) {
    if (monitor === undefined || logged.includes(monitor)) continue;
    const why = monitor.startsWith('val') && !validation
      ? `"${monitor}" is logged only with validation data; set "validationSplit" (e.g. 0.1) or watch "${monitor[3].toLowerCase()}${monitor.slice(4)}"`
      : `"${monitor}" is not logged; the logs are ${logged.map((n) => JSON.stringify(n)).join(', ')}`;
    throw new ConfigError(path, why);
  }
}
