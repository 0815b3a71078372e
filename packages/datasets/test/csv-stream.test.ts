import { execFile } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DataFormatError, parseCsv, streamCsv } from '../src/index.js';

const text = 'a,b,label\n1,2,cat\n3,4,dog\n\n5,6,cat\r\n7,8,dog\n9,10,cat';

/** Byte chunks of `s` of `size` bytes, cutting lines (and a multi-byte character) anywhere. */
function* chunksOf(s: string, size: number): Generator<Uint8Array> {
  const bytes = new TextEncoder().encode(s);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe('streamCsv', () => {
  it('yields the batches parseCsv would give, whatever the chunk boundaries', async () => {
    const whole = parseCsv(text, { labelColumn: 'label' });
    for (const size of [1, 3, 7, 1000]) {
      const batches = await streamCsv(chunksOf(text, size), { labelColumn: 'label', classNames: ['cat', 'dog'], batchSize: 2 }).toArray();
      expect(batches.map(([x]) => x.shape)).toEqual([[2, 2], [2, 2], [1, 2]]);
      expect(batches.flatMap(([x]) => x.toArray())).toEqual(whole.x.toArray());
      expect(batches.flatMap(([, y]) => y.toArray())).toEqual(whole.y!.toArray());
      expect(batches[0][1].dtype).toBe('int32');
    }
  });

  it('reads files, gzipped files, Blobs, web streams and Node streams, files once per pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bp-csv-'));
    try {
      const plain = join(dir, 'a.csv');
      const gz = join(dir, 'a.csv.gz');
      await writeFile(plain, text);
      await writeFile(gz, gzipSync(text));
      const nodeStream = createReadStream(gz, { highWaterMark: 5 });
      for (const source of [plain, gz, new Blob([text]), new Response(text).body!, nodeStream]) {
        const p = streamCsv(source, { labelColumn: 2, classNames: ['cat', 'dog'], batchSize: 10, chunkSize: 4 });
        const [[x, y]] = await p.toArray();
        expect(x.toArray()).toEqual([[1, 2], [3, 4], [5, 6], [7, 8], [9, 10]]);
        expect(y.toArray()).toEqual([0, 1, 0, 1, 0]);
        if (typeof source === 'string') expect((await p.toArray())[0][0].shape).toEqual([5, 2]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the line and column of a bad row, and rejects unknown options', async () => {
    const bad = 'a,b\n1,2\n3,x\n';
    await expect(streamCsv(chunksOf(bad, 4), { batchSize: 1 }).toArray()).rejects.toThrow(/line 3, column 'b': 'x' is not a number/);
    await expect(streamCsv(chunksOf('a,b\n1\n', 4)).toArray()).rejects.toBeInstanceOf(DataFormatError);
    await expect(streamCsv(chunksOf('a,label\n1,bird\n', 4), { labelColumn: 'label', classNames: ['cat'] }).toArray()).rejects.toThrow(
      /line 2: label 'bird' is not one of classNames \(cat\)/,
    );
    expect(() => streamCsv('x.csv', { batchsize: 3 } as never)).toThrow(/unknown option "batchsize"; did you mean "batchSize"/);
  });

  it('streams a CSV several times larger than its heap cap in flat memory', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bp-big-csv-'));
    const path = join(dir, 'big.csv');
    try {
      // 1,000 distinct rows of 12 numbers repeated: fast to write, and the label sum is known.
      const block: string[] = [];
      let blockLabels = 0;
      for (let r = 0; r < 1000; r++) {
        const values = Array.from({ length: 12 }, (_, k) => (Math.sin(r * 13 + k) * 100).toFixed(4));
        block.push(`${values.join(',')},${r % 10}`);
        blockLabels += r % 10;
      }
      const blockText = block.join('\n') + '\n';
      const repeats = Math.ceil((300 * 2 ** 20) / blockText.length);
      const out = createWriteStream(path);
      out.write(`${Array.from({ length: 12 }, (_, k) => `f${k}`).join(',')},label\n`);
      for (let k = 0; k < repeats; k++) if (!out.write(blockText)) await new Promise<void>((r) => out.once('drain', () => r()));
      await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
      const size = (await stat(path)).size;
      expect(size).toBeGreaterThan(300 * 2 ** 20);

      const child = new URL('./fixtures/stream-csv-child.mjs', import.meta.url);
      const { stdout } = await promisify(execFile)(process.execPath, ['--max-old-space-size=64', child.pathname, path, '1024'], { timeout: 120_000 });
      const result = JSON.parse(stdout) as { rows: number; labelSum: number; early: number; peak: number; final: number };
      expect(result.rows).toBe(repeats * 1000);
      expect(result.labelSum).toBe(repeats * blockLabels);
      // Flat: the peak after the first 200 batches (20 MB of the file) stays within 48 MB of the level then,
      // and the whole process (Node itself, a 64 MB heap, a chunk and a batch) stays under 200 MB.
      expect(result.peak - result.early).toBeLessThan(48 * 2 ** 20);
      expect(result.peak).toBeLessThan(200 * 2 ** 20);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
