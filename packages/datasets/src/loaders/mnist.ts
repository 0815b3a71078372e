import { Tensor, ValueError } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { Pipeline } from '../pipeline.js';
import type { LabelledSet } from '../real/labelled-set.js';
import { loadIdx } from './idx.js';
import { streamIdx } from './idx-stream.js';
import { findFile } from './local-files.js';

/** Options of `loadMnist` and `streamMnist`. */
export interface MnistOptions {
  /** 'train' (60,000 images) or 'test' (10,000; the `t10k` files), default 'train'. */
  split?: 'train' | 'test';
  /** Which set the files are, for `classNames` (default 'mnist'); both use the same file names. */
  variant?: 'mnist' | 'fashion';
}

const FASHION_CLASSES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

function names(op: string, options: MnistOptions): { images: string[]; labels: string[]; classNames: string[] } {
  checkOptionKeys(op, options, ['split', 'variant', 'batchSize']);
  const split = options.split ?? 'train';
  if (split !== 'train' && split !== 'test') throw new ValueError(op, `split must be 'train' or 'test', got ${String(split)}`);
  const variant = options.variant ?? 'mnist';
  if (variant !== 'mnist' && variant !== 'fashion') throw new ValueError(op, `variant must be 'mnist' or 'fashion', got ${String(variant)}`);
  const prefix = split === 'train' ? 'train' : 't10k';
  // The files as distributed, and with the dot that some mirrors and unpackers put before idx.
  const variants = (kind: string) => [`${prefix}-${kind}-ubyte`, `${prefix}-${kind}-ubyte.gz`, `${prefix}-${kind.replace('-', '.')}-ubyte`, `${prefix}-${kind.replace('-', '.')}-ubyte.gz`];
  return {
    images: variants('images-idx3'),
    labels: variants('labels-idx1'),
    classNames: variant === 'fashion' ? [...FASHION_CLASSES] : Array.from({ length: 10 }, (_, k) => String(k)),
  };
}

/**
 * Loads MNIST or Fashion-MNIST from the IDX files in a local folder (Node; plain or `.gz`, as downloaded
 * from the sets' pages; nothing is fetched): images float32 [n, 1, 28, 28] scaled to [0, 1] and labels
 * int32 [n].
 *
 * @example
 * const { x, y } = await loadMnist('data/fashion-mnist', { split: 'test', variant: 'fashion' }); // [10000, 1, 28, 28]
 */
export async function loadMnist(dir: string, options: MnistOptions = {}): Promise<LabelledSet> {
  const op = 'loadMnist';
  const files = names(op, options);
  const images = await loadIdx(await findFile(op, dir, files.images, 'image file'), { dtype: 'float32' });
  const labels = await loadIdx(await findFile(op, dir, files.labels, 'label file'), { dtype: 'int32' });
  if (images.rank !== 3 || labels.rank !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new DataFormatError(op, `images [${images.shape.join(', ')}] and labels [${labels.shape.join(', ')}] are not [n, h, w] and [n]`);
  }
  const [n, h, w] = images.shape;
  return {
    x: images.div(255).reshape([n, 1, h, w]),
    y: labels,
    classNames: files.classNames,
    description: `${options.variant === 'fashion' ? 'Fashion-MNIST' : 'MNIST'} ${options.split ?? 'train'} split from ${dir}: ${n} images ${h}×${w}`,
  };
}

/**
 * Streams MNIST or Fashion-MNIST from local IDX files in batches `[x, y]` (x float32 [b, 1, 28, 28] in
 * [0, 1], y int32 [b]), reading both files in chunks.
 *
 * @example
 * await fit(model, { data: streamMnist('data/mnist', { batchSize: 128 }), loss: 'crossEntropy', optimizer, epochs: 2 });
 */
export function streamMnist(dir: string, options: MnistOptions & { batchSize?: number } = {}): Pipeline<[Tensor, Tensor]> {
  const op = 'streamMnist';
  const files = names(op, options);
  const batchSize = options.batchSize ?? 256;
  const open = async () => [await findFile(op, dir, files.images, 'image file'), await findFile(op, dir, files.labels, 'label file')];
  let paths: Promise<string[]> | null = null;
  return Pipeline.from(async function* () {
    paths ??= open();
    const [imagePath, labelPath] = await paths;
    const images = streamIdx(imagePath, { batchSize, dtype: 'float32', scale: 255 });
    const labels = streamIdx(labelPath, { batchSize, dtype: 'int32' });
    for await (const [x, y] of Pipeline.zip(images, labels)) {
      if (x.shape[0] !== y.shape[0]) throw new DataFormatError(op, `the image file has ${x.shape[0]} items in a batch where the label file has ${y.shape[0]}`);
      yield [x.reshape([x.shape[0], 1, ...x.shape.slice(1)]), y] as [Tensor, Tensor];
    }
  });
}
