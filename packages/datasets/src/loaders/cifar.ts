import { Tensor, ValueError } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import type { LabelledSet } from '../real/labelled-set.js';
import { findFile, readLinesIfPresent } from './local-files.js';
import { readSource } from './read-source.js';

/** Options of `loadCifar10` and `loadCifar100`. */
export interface CifarOptions {
  /** 'train' (50,000 images) or 'test' (10,000), default 'train'. */
  split?: 'train' | 'test';
}

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];
const PIXELS = 3 * 32 * 32;

/** Decodes fixed-size records: `labelBytes` label bytes (the one kept at `labelAt`), then 3072 pixel bytes. */
function decodeRecords(op: string, files: { path: string; bytes: Uint8Array }[], labelBytes: number, labelAt: number, numClasses: number): { x: Tensor; y: Tensor } {
  const record = labelBytes + PIXELS;
  for (const f of files) {
    if (f.bytes.length % record !== 0) throw new DataFormatError(op, `${f.path} has ${f.bytes.length} bytes, not a whole number of ${record}-byte records`);
  }
  const n = files.reduce((s, f) => s + f.bytes.length / record, 0);
  const x = new Float32Array(n * PIXELS);
  const y = new Int32Array(n);
  let i = 0;
  for (const { path, bytes } of files) {
    for (let o = 0; o < bytes.length; o += record, i++) {
      const label = bytes[o + labelAt];
      if (label >= numClasses) throw new DataFormatError(op, `${path}: record ${o / record} has label ${label}, expected 0..${numClasses - 1}`);
      y[i] = label;
      const px = bytes.subarray(o + labelBytes, o + record);
      for (let k = 0; k < PIXELS; k++) x[i * PIXELS + k] = px[k] / 255;
    }
  }
  return { x: new Tensor(x, [n, 3, 32, 32], 'float32'), y: new Tensor(y, [n], 'int32') };
}

function splitOf(op: string, options: CifarOptions): 'train' | 'test' {
  checkOptionKeys(op, options, op === 'loadCifar100' ? ['split', 'labels'] : ['split']);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new ValueError(op, `split must be 'train' or 'test', got ${String(split)}`);
  return split;
}

/**
 * Loads CIFAR-10 from its binary version in a local folder (`cifar-10-batches-bin`: `data_batch_1.bin` …
 * `data_batch_5.bin`, `test_batch.bin`; nothing is fetched): images float32 [n, 3, 32, 32] in [0, 1]
 * (channels first, as stored), labels int32 [n], class names from `batches.meta.txt`.
 *
 * @example
 * const { x, y, classNames } = await loadCifar10('data/cifar-10-batches-bin', { split: 'test' }); // x [10000, 3, 32, 32]
 */
export async function loadCifar10(dir: string, options: CifarOptions = {}): Promise<LabelledSet> {
  const op = 'loadCifar10';
  const split = splitOf(op, options);
  const names = split === 'train' ? [1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`) : ['test_batch.bin'];
  const files = [];
  for (const name of names) {
    const path = await findFile(op, dir, [name], name);
    files.push({ path, bytes: await readSource(op, path) });
  }
  const { x, y } = decodeRecords(op, files, 1, 0, 10);
  const { join } = await import('node:path');
  const classNames = (await readLinesIfPresent(join(dir, 'batches.meta.txt'))) ?? [...CIFAR10_CLASSES];
  return { x, y, classNames, description: `CIFAR-10 ${split} split from ${dir}: ${x.shape[0]} images 32×32 RGB, 10 classes` };
}

/**
 * Loads CIFAR-100 from its binary version in a local folder (`cifar-100-binary`: `train.bin`, `test.bin`,
 * each record a coarse and a fine label byte and 3072 pixel bytes): images float32 [n, 3, 32, 32] in [0, 1],
 * the fine (100 classes, default) or coarse (20 superclasses) labels, names from `fine_label_names.txt` /
 * `coarse_label_names.txt` when present.
 *
 * @example
 * const { x, y } = await loadCifar100('data/cifar-100-binary', { labels: 'coarse' }); // y in 0..19
 */
export async function loadCifar100(dir: string, options: CifarOptions & { labels?: 'fine' | 'coarse' } = {}): Promise<LabelledSet> {
  const op = 'loadCifar100';
  const split = splitOf(op, options);
  const labels = options.labels ?? 'fine';
  if (labels !== 'fine' && labels !== 'coarse') throw new ValueError(op, `labels must be 'fine' or 'coarse', got ${String(labels)}`);
  const path = await findFile(op, dir, [`${split}.bin`], `${split}.bin`);
  const { x, y } = decodeRecords(op, [{ path, bytes: await readSource(op, path) }], 2, labels === 'coarse' ? 0 : 1, labels === 'coarse' ? 20 : 100);
  const { join } = await import('node:path');
  const classNames = (await readLinesIfPresent(join(dir, `${labels}_label_names.txt`))) ?? undefined;
  return { x, y, classNames, description: `CIFAR-100 ${split} split from ${dir}: ${x.shape[0]} images 32×32 RGB, ${labels} labels` };
}
