import { Tensor, ValueError, type DType, type TypedArray } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { Pipeline } from '../pipeline.js';
import { resolveGenerator, shuffleInPlace, type SeedOptions } from '../random-source.js';
import { allocFor } from '../rows.js';
import { readSource } from './read-source.js';

/**
 * The shard format: `index.json` lists the shards and the columns (dtype and per-row shape); each
 * `shard-NNNNN.bin` holds the 8 magic bytes `BPSHARD1`, a little-endian uint32 header length, a JSON header
 * `{ rows, columns: [{ offset, byteLength }] }`, then every column's values, little-endian, each at an offset
 * that is a multiple of 8.
 */
interface ShardIndex {
  format: 'backprop-shards';
  version: 1;
  rows: number;
  columns: { dtype: DType; rowShape: number[] }[];
  shards: { file: string; rows: number }[];
}

const MAGIC = 'BPSHARD1';

/** Options of `writeShards`. */
export interface WriteShardsOptions {
  /** Rows per shard file (default 10,000); the last may be smaller. */
  rowsPerShard?: number;
}

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function encodeShard(columns: TypedArray[], rows: number): Uint8Array {
  const offsets: { offset: number; byteLength: number }[] = [];
  let offset = 0;
  for (const c of columns) {
    offsets.push({ offset, byteLength: c.byteLength });
    offset += Math.ceil(c.byteLength / 8) * 8;
  }
  const header = new TextEncoder().encode(JSON.stringify({ rows, columns: offsets }));
  const start = Math.ceil((12 + header.length) / 8) * 8;
  const out = new Uint8Array(start + offset);
  out.set(new TextEncoder().encode(MAGIC));
  new DataView(out.buffer).setUint32(8, header.length, true);
  out.set(header, 12);
  // Typed arrays are in platform byte order, little-endian on every platform Node and browsers run on.
  columns.forEach((c, k) => out.set(new Uint8Array(c.buffer, c.byteOffset, c.byteLength), start + offsets[k].offset));
  return out;
}

/**
 * Writes prepared data as shards in `dir` (Node): the rows of `batches` (lists of tensors sharing their
 * first axis, such as a `DataLoader`'s, `streamCsv`'s or a `Pipeline`'s) regrouped into files of
 * `rowsPerShard` rows, and an `index.json`. Only one shard is in memory at a time, so a stream larger than
 * memory can be converted once (parsing, decoding, tokenizing) and then read fast with `readShards`.
 *
 * @example
 * await writeShards('prepared/train', streamCsv('big.csv', { labelColumn: 'y', batchSize: 4096 }), { rowsPerShard: 50_000 });
 */
export async function writeShards(
  dir: string,
  batches: Iterable<readonly Tensor[]> | AsyncIterable<readonly Tensor[]>,
  options: WriteShardsOptions = {},
): Promise<{ rows: number; shards: number }> {
  const op = 'writeShards';
  checkOptionKeys(op, options, ['rowsPerShard']);
  const rowsPerShard = options.rowsPerShard ?? 10_000;
  if (!(Number.isInteger(rowsPerShard) && rowsPerShard >= 1)) throw new ValueError(op, `rowsPerShard must be a positive integer, got ${rowsPerShard}`);
  const [fs, { join }] = await Promise.all([import('node:fs/promises'), import('node:path')]);
  await fs.mkdir(dir, { recursive: true });
  let columns: ShardIndex['columns'] | null = null;
  let buffers: TypedArray[] = [];
  let filled = 0;
  const index: ShardIndex = { format: 'backprop-shards', version: 1, rows: 0, columns: [], shards: [] };
  const flush = async () => {
    if (filled === 0 || !columns) return;
    const file = `shard-${String(index.shards.length).padStart(5, '0')}.bin`;
    const parts = buffers.map((b, k) => b.subarray(0, filled * product(columns![k].rowShape)));
    await fs.writeFile(join(dir, file), encodeShard(parts, filled));
    index.shards.push({ file, rows: filled });
    index.rows += filled;
    filled = 0;
  };
  let b = 0;
  for await (const batch of batches as AsyncIterable<readonly Tensor[]>) {
    const list = batch instanceof Tensor ? [batch] : [...batch];
    if (list.length === 0 || list.some((t) => !(t instanceof Tensor) || t.rank === 0)) throw new ValueError(op, `batch ${b + 1} is not a list of tensors with a sample axis`);
    const n = list[0].shape[0];
    if (columns === null) {
      columns = list.map((t) => ({ dtype: t.dtype, rowShape: t.shape.slice(1) }));
      index.columns = columns;
      buffers = columns.map((c) => allocFor(c.dtype, rowsPerShard * product(c.rowShape)));
    }
    list.forEach((t, k) => {
      const c = columns![k];
      if (t.dtype !== c.dtype || t.shape[0] !== n || t.shape.slice(1).join() !== c.rowShape.join()) {
        throw new ValueError(op, `batch ${b + 1}, tensor ${k} is ${t.dtype} [${t.shape.join(', ')}]; expected ${c.dtype} [${n}, ${c.rowShape.join(', ')}] as in batch 1`);
      }
    });
    if (list.length !== columns.length) throw new ValueError(op, `batch ${b + 1} has ${list.length} tensors, batch 1 had ${columns.length}`);
    const values = list.map((t) => t.dataSync());
    for (let row = 0; row < n; ) {
      const take = Math.min(n - row, rowsPerShard - filled);
      values.forEach((v, k) => {
        const size = product(columns![k].rowShape);
        buffers[k].set(v.subarray(row * size, (row + take) * size) as never, filled * size);
      });
      filled += take;
      row += take;
      if (filled === rowsPerShard) await flush();
    }
    b++;
  }
  await flush();
  if (!columns) throw new ValueError(op, 'the batches were empty; nothing to write');
  await fs.writeFile(join(dir, 'index.json'), JSON.stringify(index, null, 1));
  return { rows: index.rows, shards: index.shards.length };
}

/** Options of `readShards`. */
export interface ReadShardsOptions extends SeedOptions {
  /** Rows per batch (default 256); batches run across shard boundaries. */
  batchSize?: number;
  /** Visit shards in a random order and rows in a random order within each shard, anew every pass (default false). */
  shuffle?: boolean;
  dropLast?: boolean;
}

function decodeShard(op: string, name: string, bytes: Uint8Array, columns: ShardIndex['columns']): { rows: number; data: TypedArray[] } {
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) throw new DataFormatError(op, `${name} does not start with ${MAGIC}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(12, 12 + headerLength))) as { rows: number; columns: { offset: number; byteLength: number }[] };
  const start = Math.ceil((12 + headerLength) / 8) * 8;
  const data = columns.map((c, k) => {
    const { offset, byteLength } = header.columns[k] ?? { offset: -1, byteLength: -1 };
    const expected = header.rows * product(c.rowShape) * allocFor(c.dtype, 0).BYTES_PER_ELEMENT;
    if (byteLength !== expected || start + offset + byteLength > bytes.length) {
      throw new DataFormatError(op, `${name}: column ${k} holds ${byteLength} bytes where ${header.rows} rows of ${c.dtype} [${c.rowShape.join(', ')}] need ${expected}`);
    }
    const out = allocFor(c.dtype, expected / allocFor(c.dtype, 0).BYTES_PER_ELEMENT);
    new Uint8Array(out.buffer).set(bytes.subarray(start + offset, start + offset + byteLength));
    return out;
  });
  return { rows: header.rows, data };
}

/**
 * Reads shards that `writeShards` wrote (a folder path, or an http(s) URL of the folder) as batches of
 * tensors, one shard in memory at a time. With `shuffle`, each pass visits the shards in a new order and
 * the rows of each shard in a new order, drawn from one generator (`seed`), as WebDataset-style shuffling:
 * not a uniform permutation of all rows, but one that costs a shard of memory.
 *
 * @example
 * const train = readShards('prepared/train', { batchSize: 512, shuffle: true, seed: 0 });
 * await fit(model, { data: train, loss: 'crossEntropy', optimizer, epochs: 10 });
 */
export function readShards(dir: string | URL, options: ReadShardsOptions = {}): Pipeline<Tensor[]> {
  const op = 'readShards';
  checkOptionKeys(op, options, ['batchSize', 'shuffle', 'dropLast', 'seed', 'generator']);
  const batchSize = options.batchSize ?? 256;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) throw new ValueError(op, `batchSize must be a positive integer, got ${batchSize}`);
  const shuffle = options.shuffle ?? false;
  const g = shuffle ? resolveGenerator(op, options) : null;
  const base = String(dir).replace(/\/+$/, '');
  const at = (file: string) => `${base}/${file}`;
  let indexPromise: Promise<ShardIndex> | null = null;
  const loadIndex = async (): Promise<ShardIndex> => {
    const index = JSON.parse(new TextDecoder().decode(await readSource(op, at('index.json')))) as ShardIndex;
    if (index.format !== 'backprop-shards' || index.version !== 1) throw new DataFormatError(op, `${at('index.json')} is not a version 1 backprop shard index`);
    return index;
  };
  return Pipeline.from(async function* () {
    indexPromise ??= loadIndex();
    const index = await indexPromise;
    const order = index.shards.map((_, k) => k);
    if (g) shuffleInPlace(order, g);
    const sizes = index.columns.map((c) => product(c.rowShape));
    let pending: TypedArray[] = index.columns.map((c) => allocFor(c.dtype, batchSize * product(c.rowShape)));
    let filled = 0;
    const emit = (rows: number): Tensor[] => index.columns.map((c, k) => new Tensor(pending[k].slice(0, rows * sizes[k]), [rows, ...c.rowShape], c.dtype));
    for (const s of order) {
      const { file } = index.shards[s];
      const { rows, data } = decodeShard(op, at(file), await readSource(op, at(file)), index.columns);
      const rowOrder = Array.from({ length: rows }, (_, i) => i);
      if (g) shuffleInPlace(rowOrder, g);
      for (const r of rowOrder) {
        data.forEach((d, k) => pending[k].set(d.subarray(r * sizes[k], (r + 1) * sizes[k]) as never, filled * sizes[k]));
        if (++filled === batchSize) {
          yield emit(filled);
          pending = index.columns.map((c) => allocFor(c.dtype, batchSize * product(c.rowShape)));
          filled = 0;
        }
      }
    }
    if (filled > 0 && !options.dropLast) yield emit(filled);
  });
}
