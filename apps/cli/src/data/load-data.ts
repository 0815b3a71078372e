import { access } from 'node:fs/promises';
import {
  blobs, circle, gaussians, loadCsv, loadDigits, loadIdx, loadIris, moons, multiGaussian, plane, spiral, xor,
} from '@backprop/datasets';
import { fmtShape, sizeOf, type Tensor } from '@backprop/tensor';
import type { DatasetConfig } from '../config/data-schema.js';
import { ConfigError, UsageError, messageOf } from '../errors.js';
import { sequenceTask } from './sequence.js';

export type Task = 'classification' | 'regression';

/** A dataset ready for training: targets are int32 `[N]` class indices or float32 `[N, k]` values. */
export interface LoadedData {
  x: Tensor;
  y: Tensor;
  task: Task;
  /** Classification: the number of classes (labels are 0..numClasses−1). */
  numClasses?: number;
  classNames?: string[];
  /** Column names of a CSV, to pick the same columns when predicting. */
  featureNames?: string[];
  description: string;
}

const GENERATORS = { circle, xor, gaussians, spiral, moons, plane, multiGaussian } as const;

async function mustExist(path: string, where: string): Promise<void> {
  try {
    await access(path);
  } catch {
    throw new ConfigError(where, `file ${path} does not exist`);
  }
}

async function loadRaw(data: DatasetConfig, prefix: string): Promise<{ x: Tensor; y: Tensor; classNames?: string[]; featureNames?: string[]; description: string }> {
  if ('name' in data) {
    if (data.name === 'iris') {
      const set = loadIris();
      return { x: set.x, y: set.y, classNames: set.classNames, featureNames: set.featureNames, description: 'iris' };
    }
    const set = loadDigits();
    return { x: set.x, y: set.y, classNames: set.classNames, description: 'digits' };
  }
  if ('synthetic' in data) {
    const options = { noise: data.noise, seed: data.seed };
    const set = data.synthetic === 'blobs' ? blobs(data.classes, data.n, options) : GENERATORS[data.synthetic](data.n, options);
    return { ...set, description: `${data.synthetic} (n ${data.n}, noise ${data.noise}, seed ${data.seed})` };
  }
  if ('csv' in data) {
    await mustExist(data.csv, `${prefix}.csv`);
    const set = await loadCsv(data.csv, { header: data.header, delimiter: data.delimiter, labelColumn: data.labelColumn });
    if (!set.y) throw new ConfigError(`${prefix}.labelColumn`, `column ${JSON.stringify(data.labelColumn)} was not found in ${data.csv}`);
    return { x: set.x, y: set.y, classNames: set.classNames, featureNames: set.featureNames, description: data.csv };
  }
  if ('idx' in data) {
    await mustExist(data.idx.images, `${prefix}.idx.images`);
    await mustExist(data.idx.labels, `${prefix}.idx.labels`);
    const images = await loadIdx(data.idx.images, { dtype: 'float32' });
    const labels = await loadIdx(data.idx.labels, { dtype: 'int32' });
    if (images.shape[0] !== labels.shape[0]) {
      throw new ConfigError(`${prefix}.idx`, `${data.idx.images} holds ${images.shape[0]} images but ${data.idx.labels} holds ${labels.shape[0]} labels; they must pair up one to one`);
    }
    if (labels.rank !== 1) throw new ConfigError(`${prefix}.idx.labels`, `expected one label per image (shape [n]), got shape ${fmtShape(labels.shape)}`);
    // A CNN asks for its own shape through `shape`; flat rows suit the default MLP.
    const x = images.reshape([images.shape[0], sizeOf(images.shape.slice(1))]);
    return { x, y: labels, description: `${data.idx.images} (${fmtShape(images.shape)})` };
  }
  return { ...sequenceTask(data.sequence, data.n, data.length, data.seed), description: `${data.sequence} sequences (length ${data.length})` };
}

/**
 * Loads the dataset a config describes. Integer targets make a classification task (unless the config
 * says otherwise), float targets a regression task with targets shaped `[N, k]` so that they match a
 * model's `[N, k]` output exactly (the losses refuse to broadcast `[N]` against `[N, 1]`).
 */
export async function loadData(data: DatasetConfig, prefix = '$.data'): Promise<LoadedData> {
  let raw;
  try {
    raw = await loadRaw(data, prefix);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot load the dataset ${JSON.stringify(data)}: ${messageOf(e)}`);
  }
  let { x, y } = raw;
  if (x.shape[0] !== y.shape[0]) throw new ConfigError(prefix, `the dataset has ${x.shape[0]} samples but ${y.shape[0]} targets`);
  if (x.shape[0] === 0) throw new ConfigError(prefix, 'the dataset has no samples');
  if ('shape' in data && data.shape) {
    const perSample = sizeOf(x.shape.slice(1));
    if (sizeOf(data.shape) !== perSample) {
      throw new ConfigError(`${prefix}.shape`, `${fmtShape(data.shape)} holds ${sizeOf(data.shape)} values but each sample has ${perSample} (shape ${fmtShape(x.shape.slice(1))})`);
    }
    x = x.reshape([x.shape[0], ...data.shape]);
  }
  const declared = 'task' in data ? data.task : undefined;
  const task: Task = declared ?? (y.dtype === 'int32' ? 'classification' : 'regression');
  if (task === 'classification') {
    const labels = Array.from(y.dataSync() as ArrayLike<number>);
    if (labels.some((v) => !Number.isInteger(v) || v < 0)) {
      throw new ConfigError(prefix, 'classification needs class labels 0, 1, 2, …; the targets hold other values (set "task": "regression"?)');
    }
    y = y.dtype === 'int32' ? y : y.astype('int32');
    const numClasses = labels.reduce((m, v) => Math.max(m, v + 1), raw.classNames?.length ?? 0);
    return { x, y, task, numClasses, classNames: raw.classNames, featureNames: raw.featureNames, description: raw.description };
  }
  y = y.dtype === 'float32' ? y : y.astype('float32');
  if (y.rank === 1) y = y.reshape([y.shape[0], 1]);
  return { x, y, task, featureNames: raw.featureNames, description: raw.description };
}
