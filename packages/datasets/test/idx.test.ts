import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { ChecksumError, DataFormatError, encodeIdx, loadIdx, parseIdx, type IdxType } from '../src/index.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** A tiny MNIST-like image file: 3 images of 2×4 pixels, 0..255. */
const images = tensor(Array.from({ length: 24 }, (_, i) => (i * 37) % 256), [3, 2, 4], 'int32');
const imagesIdx = encodeIdx(images, 'uint8');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'backprop-idx-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('IDX encoding and parsing', () => {
  it('writes the MNIST header: magic 00 00 08 <rank>, big-endian sizes, then the bytes', () => {
    expect(Array.from(imagesIdx.subarray(0, 16))).toEqual([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 4]);
    expect(imagesIdx.length).toBe(16 + 24);
    expect(imagesIdx[16 + 5]).toBe((5 * 37) % 256);
  });

  const cases: [IdxType, number[]][] = [
    ['uint8', [0, 7, 255]],
    ['int8', [-128, -1, 127]],
    ['int16', [-32768, 300, 32767]],
    ['int32', [-2147483648, 70000, 2147483647]],
    ['float32', [-1.5, 0.25, 3e38]],
    ['float64', [-1e300, Math.PI, 5e-324]],
  ];
  for (const [type, values] of cases) {
    it(`round-trips ${type}`, () => {
      const dtype = type === 'float32' ? 'float32' : type === 'float64' ? 'float64' : 'int32';
      const t = tensor(values, [3, 1], dtype);
      const back = parseIdx(encodeIdx(t, type));
      expect(back.shape).toEqual([3, 1]);
      expect(back.dtype).toBe(dtype);
      expect(back.toArray()).toEqual(t.toArray());
    });
  }

  it('converts while parsing and explains malformed bytes', () => {
    expect(parseIdx(imagesIdx, { dtype: 'float32' }).dtype).toBe('float32');
    expect(() => parseIdx(new Uint8Array([1, 2, 3, 4]))).toThrow(/parseIdx: magic number is 01 02 03 04, expected 00 00 <type> <rank>/);
    expect(() => parseIdx(gzipSync(imagesIdx))).toThrow(/the bytes are gzipped/);
    expect(() => parseIdx(new Uint8Array([0, 0, 0x0a, 1]))).toThrow(/type code 0xa is not one of/);
    expect(() => parseIdx(imagesIdx.subarray(0, 30))).toThrow(DataFormatError);
    expect(() => parseIdx(imagesIdx.subarray(0, 30))).toThrow(/shape \[3, 2, 4\] of uint8 needs 40 bytes, got 30/);
    expect(() => encodeIdx(tensor([256], 'int32'), 'uint8')).toThrow(/value 256 at index 0 does not fit uint8 \(0..255\)/);
  });
});

describe('loadIdx from paths and bytes', () => {
  it('reads plain and gzipped files, and ArrayBuffers', async () => {
    const plain = join(dir, 'images-idx3-ubyte');
    const gz = join(dir, 'images-idx3-ubyte.gz');
    await writeFile(plain, imagesIdx);
    await writeFile(gz, gzipSync(imagesIdx));
    expect((await loadIdx(plain)).toArray()).toEqual(images.toArray());
    expect((await loadIdx(gz)).toArray()).toEqual(images.toArray());
    const copy = imagesIdx.slice().buffer;
    expect((await loadIdx(copy)).shape).toEqual([3, 2, 4]);
    await expect(loadIdx(join(dir, 'missing'))).rejects.toThrow(/loadIdx: cannot read .*missing/);
  });

  it('checks SHA-256 and names both digests on a mismatch', async () => {
    const digest = sha256(imagesIdx);
    expect((await loadIdx(imagesIdx, { sha256: digest.toUpperCase() })).shape).toEqual([3, 2, 4]);
    const wrong = '0'.repeat(64);
    const error = await loadIdx(imagesIdx, { sha256: wrong }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ChecksumError);
    expect((error as ChecksumError).message).toBe(`loadIdx: SHA-256 of the given bytes is ${digest}, expected ${wrong}`);
    expect((error as ChecksumError).actual).toBe(digest);
  });
});

describe('loadIdx from URLs', () => {
  let server: Server;
  let base: string;
  const hits: Record<string, number> = {};
  const gzBytes = gzipSync(imagesIdx);

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits[req.url ?? ''] = (hits[req.url ?? ''] ?? 0) + 1;
      if (req.url?.endsWith('.gz')) res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(gzBytes);
      else res.writeHead(404).end('not here');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('fetches, verifies and caches; the second load reads the cache', async () => {
    const cacheDir = join(dir, 'cache');
    const url = `${base}/a/train-images-idx3-ubyte.gz`;
    const first = await loadIdx(url, { cacheDir, sha256: sha256(gzBytes) });
    expect(first.toArray()).toEqual(images.toArray());
    expect(hits['/a/train-images-idx3-ubyte.gz']).toBe(1);
    const second = await loadIdx(url, { cacheDir, sha256: sha256(gzBytes) });
    expect(second.toArray()).toEqual(images.toArray());
    expect(hits['/a/train-images-idx3-ubyte.gz']).toBe(1);
    const files = await readdir(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^[0-9a-f]{12}-train-images-idx3-ubyte\.gz$/);
    // The same file name under another URL (Fashion-MNIST vs MNIST) gets its own cache entry.
    await loadIdx(`${base}/b/train-images-idx3-ubyte.gz`, { cacheDir });
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('refetches a corrupted cache file, and never caches bytes with the wrong digest', async () => {
    const cacheDir = join(dir, 'cache2');
    const url = `${base}/c/labels.gz`;
    await loadIdx(url, { cacheDir });
    const [cached] = await readdir(cacheDir);
    await writeFile(join(cacheDir, cached), 'garbage');
    expect((await loadIdx(url, { cacheDir, sha256: sha256(gzBytes) })).shape).toEqual([3, 2, 4]);
    expect(hits['/c/labels.gz']).toBe(2);

    const otherDir = join(dir, 'cache3');
    await expect(loadIdx(`${base}/d/x.gz`, { cacheDir: otherDir, sha256: 'ab'.repeat(32) })).rejects.toThrow(
      new RegExp(`SHA-256 of ${base}/d/x.gz is ${sha256(gzBytes)}, expected ${'ab'.repeat(32)}`),
    );
    await expect(readdir(otherDir)).rejects.toThrow();
  });

  it('reports HTTP errors with the URL and status', async () => {
    await expect(loadIdx(`${base}/missing`)).rejects.toThrow(new RegExp(`loadIdx: fetching ${base}/missing failed: HTTP 404`));
  });
});
