import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tensor } from '@backprop/tensor';
import { DataFormatError, encodeIdx, loadCifar10, loadCifar100, loadMnist, streamIdx, streamMnist } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bp-sets-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** n images 28×28 whose pixel (r, c) of image i is (i + r + c) mod 256, and labels i mod 10. */
function mnistLike(n: number): { images: Uint8Array; labels: Uint8Array } {
  const px = new Int32Array(n * 28 * 28);
  for (let i = 0; i < n; i++) for (let r = 0; r < 28; r++) for (let c = 0; c < 28; c++) px[i * 784 + r * 28 + c] = (i + r + c) % 256;
  return {
    images: encodeIdx(new Tensor(px, [n, 28, 28], 'int32'), 'uint8'),
    labels: encodeIdx(new Tensor(Int32Array.from({ length: n }, (_, i) => i % 10), [n], 'int32'), 'uint8'),
  };
}

describe('streamIdx and MNIST files', () => {
  it('streams IDX items in batches across chunk boundaries, gzipped or not, as parseIdx reads them', async () => {
    const { images } = mnistLike(7);
    for (const source of [images, gzipSync(images)]) {
      const chunks = function* () {
        for (let i = 0; i < source.length; i += 100) yield source.subarray(i, i + 100);
      };
      const batches = await streamIdx(chunks(), { batchSize: 3, dtype: 'float32', scale: 255 }).toArray();
      expect(batches.map((b) => b.shape)).toEqual([[3, 28, 28], [3, 28, 28], [1, 28, 28]]);
      expect(batches[2].toFlatArray()[1 * 28 + 2]).toBeCloseTo((6 + 1 + 2) / 255, 6);
    }
    await expect(streamIdx([images.subarray(0, images.length - 5)]).toArray()).rejects.toThrow(/the data ends inside item 7 of 7/);
    await expect(streamIdx([images, new Uint8Array(3)], { batchSize: 10 }).toArray()).rejects.toBeInstanceOf(DataFormatError);
    expect(() => streamIdx(images as never, { scale: 255 })).toThrow(/scale needs dtype 'float32'/);
  });

  it('loadMnist and streamMnist read the standard file names from a folder, nothing downloaded', async () => {
    const mnist = join(dir, 'mnist');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(mnist);
    const train = mnistLike(12);
    await writeFile(join(mnist, 'train-images-idx3-ubyte.gz'), gzipSync(train.images));
    await writeFile(join(mnist, 'train-labels-idx1-ubyte'), train.labels);
    const set = await loadMnist(mnist, { variant: 'fashion' });
    expect(set.x.shape).toEqual([12, 1, 28, 28]);
    expect(set.x.dtype).toBe('float32');
    expect(set.y.toArray()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
    expect(set.classNames?.[9]).toBe('Ankle boot');
    const streamed = await streamMnist(mnist, { batchSize: 5 }).toArray();
    expect(streamed.map(([x, y]) => [x.shape, y.shape])).toEqual([[[5, 1, 28, 28], [5]], [[5, 1, 28, 28], [5]], [[2, 1, 28, 28], [2]]]);
    expect(streamed.flatMap(([x]) => x.toFlatArray())).toEqual(set.x.toFlatArray());
    await expect(loadMnist(mnist, { split: 'test' })).rejects.toThrow(/no image file in .*looked for t10k-images-idx3-ubyte/);
    expect(() => streamMnist(mnist, { splt: 'test' } as never)).toThrow(/unknown option "splt"/);
  });
});

describe('CIFAR binary batches', () => {
  /** Records of `labelBytes` labels then 3072 pixels; record i has labels (i mod 10, 10 + i) and pixels (i + k) mod 256. */
  const records = (n: number, labelBytes: number) => {
    const out = new Uint8Array(n * (labelBytes + 3072));
    for (let i = 0; i < n; i++) {
      const o = i * (labelBytes + 3072);
      out[o] = i % 10;
      if (labelBytes === 2) out[o + 1] = 10 + i;
      for (let k = 0; k < 3072; k++) out[o + labelBytes + k] = (i + k) % 256;
    }
    return out;
  };

  it('loadCifar10 reads the five training batches (or the test batch) with class names', async () => {
    const c10 = join(dir, 'cifar-10-batches-bin');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(c10);
    for (let k = 1; k <= 5; k++) await writeFile(join(c10, `data_batch_${k}.bin`), records(2, 1));
    await writeFile(join(c10, 'test_batch.bin'), records(3, 1));
    const train = await loadCifar10(c10);
    expect(train.x.shape).toEqual([10, 3, 32, 32]);
    expect(train.y.toArray()).toEqual([0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    expect(train.classNames?.[3]).toBe('cat');
    const test = await loadCifar10(c10, { split: 'test' });
    expect(test.x.toFlatArray()[2 * 3072 + 1]).toBeCloseTo(3 / 255, 6);
    await writeFile(join(c10, 'test_batch.bin'), records(1, 1).subarray(0, 100));
    await expect(loadCifar10(c10, { split: 'test' })).rejects.toThrow(/not a whole number of 3073-byte records/);
  });

  it('loadCifar100 picks the fine or the coarse label', async () => {
    const c100 = join(dir, 'cifar-100-binary');
    const { mkdir } = await import('node:fs/promises');
    await mkdir(c100);
    await writeFile(join(c100, 'train.bin'), records(4, 2));
    await writeFile(join(c100, 'fine_label_names.txt'), Array.from({ length: 100 }, (_, k) => `fine${k}`).join('\n'));
    const fine = await loadCifar100(c100);
    expect(fine.y.toArray()).toEqual([10, 11, 12, 13]);
    expect(fine.classNames?.[12]).toBe('fine12');
    expect((await loadCifar100(c100, { labels: 'coarse' })).y.toArray()).toEqual([0, 1, 2, 3]);
    expect((await loadCifar100(c100, { labels: 'coarse' })).classNames).toBeUndefined();
  });
});

