import { TensorError, ValueError, type Tensor } from '@backprop/tensor';
import type { Dataset } from '../dataset.js';
import { checkOptionKeys } from '../options.js';
import { checkChannels, decodeWith, loadDecoders, type ImageChannels, type ImageDecoders } from './decode-image.js';

/** Options of `ImageFolder.open`. */
export interface ImageFolderOptions {
  /** File endings that count as images, case-insensitive (default .png, .jpg, .jpeg). */
  extensions?: string[];
  /** 1 (grey), 3 (RGB, default) or 4 (RGBA). */
  channels?: ImageChannels;
  /** Applied to every image as it is read (augmentation, normalization): again on every epoch. */
  transform?: (image: Tensor) => Tensor;
}

/** One image file and its class. */
export interface ImageFolderSample {
  path: string;
  label: number;
}

/**
 * Images in class folders, as torchvision's `ImageFolder`: `root/cat/001.png`, `root/dog/xyz.jpg`, … The
 * classes are the sub-folder names in sorted order (label k is `classes[k]`), files are listed in sorted
 * order, and item i is `[image, label]` with the image decoded when read (PNG by pngjs, JPEG by jpeg-js) to
 * float32 [C, H, W] in [0, 1]. Node only (it reads files); nothing is held in memory but the file list.
 * Batching stacks images, so they must share a size, or `transform` must give them one.
 *
 * @example
 * const train = await ImageFolder.open('data/pets/train', { channels: 3 });
 * const loader = new DataLoader(train, { batchSize: 32, shuffle: true, seed: 0 });
 */
export class ImageFolder implements Dataset<[Tensor, number]> {
  private constructor(
    readonly root: string,
    readonly classes: readonly string[],
    readonly samples: readonly ImageFolderSample[],
    private readonly channels: ImageChannels,
    private readonly transform: ((image: Tensor) => Tensor) | undefined,
    private readonly decoders: ImageDecoders,
    private readonly readFile: (path: string) => Uint8Array,
  ) {}

  /** Lists `root`'s class folders and their images, and loads the decoders. */
  static async open(root: string, options: ImageFolderOptions = {}): Promise<ImageFolder> {
    const op = 'ImageFolder';
    checkOptionKeys(op, options, ['extensions', 'channels', 'transform']);
    const channels = options.channels ?? 3;
    checkChannels(op, channels);
    const extensions = (options.extensions ?? ['.png', '.jpg', '.jpeg']).map((e) => e.toLowerCase());
    const [fs, fsSync, { join }] = await Promise.all([import('node:fs/promises'), import('node:fs'), import('node:path')]);
    let entries;
    try {
      entries = await fs.readdir(root, { withFileTypes: true });
    } catch (e) {
      throw new TensorError(op, `cannot list ${root}: ${(e as Error).message}`);
    }
    const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const classes = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort(byName);
    if (classes.length === 0) throw new ValueError(op, `${root} has no class folders; expected root/<class>/<image>`);
    const samples: ImageFolderSample[] = [];
    for (const [label, cls] of classes.entries()) {
      const files = (await fs.readdir(join(root, cls), { withFileTypes: true }))
        .filter((e) => e.isFile() && extensions.some((ext) => e.name.toLowerCase().endsWith(ext)))
        .map((e) => e.name)
        .sort(byName);
      for (const f of files) samples.push({ path: join(root, cls, f), label });
    }
    if (samples.length === 0) throw new ValueError(op, `no files ending in ${extensions.join(', ')} under the class folders of ${root}`);
    const read = (path: string) => new Uint8Array(fsSync.readFileSync(path));
    return new ImageFolder(root, classes, samples, channels, options.transform, await loadDecoders(), read);
  }

  get length(): number {
    return this.samples.length;
  }

  get(index: number): [Tensor, number] {
    if (!Number.isInteger(index) || index < 0 || index >= this.samples.length) {
      throw new ValueError('ImageFolder.get', `index ${index} is outside [0, ${this.samples.length})`);
    }
    const { path, label } = this.samples[index];
    const image = decodeWith('ImageFolder', this.decoders, this.readFile(path), this.channels, path);
    return [this.transform ? this.transform(image) : image, label];
  }
}
