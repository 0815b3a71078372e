import { lossFromConfig } from '@backprop/losses';
import { resolveMetric, type LossFn } from '@backprop/train';
import type { Task } from '../data/load-data.js';
import { ConfigError, messageOf } from '../errors.js';

export type LossSpec = string | { name: string; [option: string]: unknown };

/** The loss a config names (checked now, not at the first step); the task's usual loss by default. */
export function resolveLoss(spec: LossSpec | undefined, task: Task): { spec: LossSpec; fn: LossFn } {
  const chosen = spec ?? (task === 'classification' ? 'crossEntropy' : 'mseLoss');
  try {
    return { spec: chosen, fn: lossFromConfig(typeof chosen === 'string' ? { name: chosen } : chosen) as LossFn };
  } catch (e) {
    throw new ConfigError('$.loss', messageOf(e));
  }
}

/** Metric names, each checked; accuracy for classification and mae for regression by default. */
export function resolveMetrics(names: string[] | undefined, task: Task): string[] {
  const chosen = names ?? (task === 'classification' ? ['accuracy'] : ['mae']);
  chosen.forEach((name, i) => {
    try {
      resolveMetric(name);
    } catch (e) {
      throw new ConfigError(`$.metrics[${i}]`, messageOf(e));
    }
  });
  return chosen;
}
