import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFormatError, DataLoader, ImageFolder, decodeImage } from '../src/index.js';

/** RGBA pixels of a w×h image whose pixel (x, y) is (10x, 20y, 7 + k, 200). */
function rgba(w: number, h: number, k: number): Uint8Array {
  const data = new Uint8Array(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) data.set([10 * x, 20 * y, 7 + k, 200], 4 * (y * w + x));
  }
  return data;
}

const png = (w: number, h: number, k: number): Uint8Array => {
  const image = new PNG({ width: w, height: h });
  image.data = Buffer.from(rgba(w, h, k));
  return new Uint8Array(PNG.sync.write(image));
};
const jpg = (w: number, h: number, k: number): Uint8Array =>
  new Uint8Array(jpeg.encode({ width: w, height: h, data: Buffer.from(rgba(w, h, k)) }, 100).data);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'bp-images-'));
  await mkdir(join(root, 'dog'));
  await mkdir(join(root, 'cat'));
  await writeFile(join(root, 'cat', 'b.png'), png(4, 3, 1));
  await writeFile(join(root, 'cat', 'a.png'), png(4, 3, 0));
  await writeFile(join(root, 'cat', 'notes.txt'), 'not an image');
  await writeFile(join(root, 'dog', 'c.jpg'), jpg(4, 3, 2));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('decodeImage', () => {
  it('decodes PNG exactly into [C, H, W] in [0, 1], with grey and RGBA variants', async () => {
    const rgb = await decodeImage(png(4, 3, 5));
    expect(rgb.shape).toEqual([3, 3, 4]);
    const v = rgb.toFlatArray();
    // Channel 0 at (x = 2, y = 1) is 20/255; channel 1 is 20/255; channel 2 is 12/255.
    expect(v[0 * 12 + 1 * 4 + 2]).toBeCloseTo(20 / 255, 6);
    expect(v[1 * 12 + 1 * 4 + 2]).toBeCloseTo(20 / 255, 6);
    expect(v[2 * 12 + 1 * 4 + 2]).toBeCloseTo(12 / 255, 6);
    expect((await decodeImage(png(4, 3, 5), { channels: 4 })).toFlatArray()[3 * 12]).toBeCloseTo(200 / 255, 6);
    const grey = await decodeImage(png(4, 3, 5), { channels: 1 });
    expect(grey.shape).toEqual([1, 3, 4]);
    expect(grey.toFlatArray()[1 * 4 + 2]).toBeCloseTo((20 * 299 + 20 * 587 + 12 * 114) / 1000 / 255, 6);
  });

  it('decodes JPEG (lossy, so within a few levels) and names what it cannot decode', async () => {
    const image = await decodeImage(jpg(8, 8, 3));
    expect(image.shape).toEqual([3, 8, 8]);
    expect(Math.abs(image.toFlatArray()[2 * 64] - 10 / 255)).toBeLessThan(8 / 255);
    await expect(decodeImage(new Uint8Array([1, 2, 3, 4]))).rejects.toBeInstanceOf(DataFormatError);
    await expect(decodeImage(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0, 0]))).rejects.toThrow(/cannot decode the PNG data/);
  });
});

describe('ImageFolder', () => {
  it('labels images by sorted folder name, lists files in order and batches through a DataLoader', async () => {
    const folder = await ImageFolder.open(root);
    expect(folder.classes).toEqual(['cat', 'dog']);
    expect(folder.samples.map((s) => [s.path.slice(root.length + 1), s.label])).toEqual([[join('cat', 'a.png'), 0], [join('cat', 'b.png'), 0], [join('dog', 'c.jpg'), 1]]);
    const [image, label] = folder.get(1);
    expect(image.shape).toEqual([3, 3, 4]);
    expect(label).toBe(0);
    const [[xb, yb]] = [...new DataLoader(folder, { batchSize: 3 })];
    expect(xb.shape).toEqual([3, 3, 3, 4]);
    expect(yb.toArray()).toEqual([0, 0, 1]);
  });

  it('applies its transform on every read, and checks its options', async () => {
    let reads = 0;
    const folder = await ImageFolder.open(root, { channels: 1, transform: (x) => (reads++, x.mul(2)) });
    folder.get(0);
    folder.get(0);
    expect(reads).toBe(2);
    expect(folder.get(0)[0].shape).toEqual([1, 3, 4]);
    await expect(ImageFolder.open(root, { channels: 2 as never })).rejects.toThrow(/channels must be 1, 3 or 4, got 2/);
    await expect(ImageFolder.open(join(root, 'cat'))).rejects.toThrow(/has no class folders/);
    await expect(ImageFolder.open(root, { extension: ['.png'] } as never)).rejects.toThrow(/unknown option "extension"; did you mean "extensions"/);
  });
});
