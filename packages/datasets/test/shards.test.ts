import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { arange } from '@backprop/tensor';
import { DataFormatError, DataLoader, TensorDataset, readShards, writeShards } from '../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bp-shards-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

// 23 rows: x float32 [23, 2, 2] with row i holding 4i … 4i + 3, y int32 [23] = i.
const x = arange(0, 92, 1, { dtype: 'float32' }).reshape([23, 2, 2]);
const y = arange(23);
const rowsOf = (batches: { toFlatArray(): number[] }[][]) => batches.flatMap(([, yb]) => yb.toFlatArray());

describe('shards', () => {
  it('regroups batches into shards of rowsPerShard rows and reads them back in order, batches across shards', async () => {
    const out = join(dir, 'plain');
    const written = await writeShards(out, new DataLoader(new TensorDataset(x, y), { batchSize: 7 }), { rowsPerShard: 10 });
    expect(written).toEqual({ rows: 23, shards: 3 });
    expect((await readdir(out)).sort()).toEqual(['index.json', 'shard-00000.bin', 'shard-00001.bin', 'shard-00002.bin']);
    const batches = await readShards(out, { batchSize: 8 }).toArray();
    expect(batches.map(([xb, yb]) => [xb.shape, yb.shape, xb.dtype, yb.dtype])).toEqual([
      [[8, 2, 2], [8], 'float32', 'int32'],
      [[8, 2, 2], [8], 'float32', 'int32'],
      [[7, 2, 2], [7], 'float32', 'int32'],
    ]);
    expect(batches.flatMap(([xb]) => xb.toFlatArray())).toEqual(x.toFlatArray());
    expect(await readShards(out, { batchSize: 8, dropLast: true }).toArray()).toHaveLength(2);
  });

  it('shuffles shards and rows anew every pass, the same sequence for the same seed', async () => {
    const out = join(dir, 'shuffled');
    await writeShards(out, [[x, y]], { rowsPerShard: 5 });
    const a = readShards(out, { batchSize: 4, shuffle: true, seed: 3 });
    const b = readShards(out, { batchSize: 4, shuffle: true, seed: 3 });
    const [a1, a2] = [rowsOf(await a.toArray()), rowsOf(await a.toArray())];
    expect([a1, a2]).toEqual([rowsOf(await b.toArray()), rowsOf(await b.toArray())]);
    expect([...a1].sort((p, q) => p - q)).toEqual(y.toFlatArray());
    expect(a1).not.toEqual(a2);
  });

  it('checks what it writes and what it reads', async () => {
    const out = join(dir, 'bad');
    await expect(writeShards(out, [[x, y], [y, y]])).rejects.toThrow(/batch 2, tensor 0 is int32 \[23\]; expected float32 \[23, 2, 2\]/);
    await expect(writeShards(out, [], {})).rejects.toThrow(/nothing to write/);
    await writeShards(out, [[x, y]], { rowsPerShard: 100 });
    await writeFile(join(out, 'shard-00000.bin'), new Uint8Array(20));
    await expect(readShards(out).toArray()).rejects.toBeInstanceOf(DataFormatError);
    expect(() => readShards(out, { batch: 3 } as never)).toThrow(/unknown option "batch"/);
  });
});
