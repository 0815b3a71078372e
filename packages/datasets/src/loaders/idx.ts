import { Tensor, ValueError, type DType } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { allocFor } from '../rows.js';
import { maybeGunzip } from './gunzip.js';
import { readSource, type ByteSource, type SourceOptions } from './read-source.js';

/** Element types of the IDX format (LeCun's MNIST files): the third byte of the magic number. */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

const TYPES: readonly { type: IdxType; code: number; bytes: number; dtype: DType; range?: [number, number] }[] = [
  { type: 'uint8', code: 0x08, bytes: 1, dtype: 'int32', range: [0, 255] },
  { type: 'int8', code: 0x09, bytes: 1, dtype: 'int32', range: [-128, 127] },
  { type: 'int16', code: 0x0b, bytes: 2, dtype: 'int32', range: [-32768, 32767] },
  { type: 'int32', code: 0x0c, bytes: 4, dtype: 'int32', range: [-2147483648, 2147483647] },
  { type: 'float32', code: 0x0d, bytes: 4, dtype: 'float32' },
  { type: 'float64', code: 0x0e, bytes: 8, dtype: 'float64' },
];

/** Big-endian (DataView's default) reads and writes of each IDX type. */
const ACCESS: Record<IdxType, [get: (v: DataView, o: number) => number, set: (v: DataView, o: number, x: number) => void]> = {
  uint8: [(v, o) => v.getUint8(o), (v, o, x) => v.setUint8(o, x)],
  int8: [(v, o) => v.getInt8(o), (v, o, x) => v.setInt8(o, x)],
  int16: [(v, o) => v.getInt16(o), (v, o, x) => v.setInt16(o, x)],
  int32: [(v, o) => v.getInt32(o), (v, o, x) => v.setInt32(o, x)],
  float32: [(v, o) => v.getFloat32(o), (v, o, x) => v.setFloat32(o, x)],
  float64: [(v, o) => v.getFloat64(o), (v, o, x) => v.setFloat64(o, x)],
};

/**
 * Parses IDX bytes (not gzipped): the magic number 00 00 <type> <rank>, `rank` big-endian uint32 sizes,
 * then the big-endian values. Integer types give int32 tensors (MNIST pixels 0..255, labels 0..9), float
 * types float32 or float64; `dtype` converts while parsing (say `'float32'` for images).
 *
 * @example
 * parseIdx(encodeIdx(tensor([1, 2, 3], 'int32'), 'uint8')).toArray(); // [1, 2, 3]
 */
export function parseIdx(bytes: Uint8Array, options: { dtype?: DType } = {}): Tensor {
  const op = 'parseIdx';
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    const head = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new DataFormatError(op, `magic number is ${head || '(empty)'}, expected 00 00 <type> <rank>${bytes[0] === 0x1f ? ' (the bytes are gzipped)' : ''}`);
  }
  const spec = TYPES.find((t) => t.code === bytes[2]);
  if (!spec) throw new DataFormatError(op, `type code 0x${bytes[2].toString(16)} is not one of 08, 09, 0b, 0c, 0d, 0e`);
  const rank = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) throw new DataFormatError(op, `header of rank ${rank} needs ${headerBytes} bytes, got ${bytes.length}`);
  const shape = Array.from({ length: rank }, (_, k) => view.getUint32(4 + 4 * k));
  const size = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + size * spec.bytes;
  if (bytes.length !== expected) {
    throw new DataFormatError(op, `shape [${shape.join(', ')}] of ${spec.type} needs ${expected} bytes, got ${bytes.length}`);
  }
  const dtype = options.dtype ?? spec.dtype;
  const out = allocFor(dtype, size);
  const [read] = ACCESS[spec.type];
  for (let i = 0; i < size; i++) out[i] = read(view, headerBytes + i * spec.bytes);
  return new Tensor(out, shape, dtype);
}

/**
 * Encodes a tensor as IDX bytes, the inverse of `parseIdx`. `type` defaults to the tensor's dtype (uint8
 * for bool); integer types check that every value fits.
 *
 * @example
 * const bytes = encodeIdx(labels, 'uint8'); // write with fs.writeFile to get an MNIST-style label file
 */
export function encodeIdx(t: Tensor, type?: IdxType): Uint8Array {
  const op = 'encodeIdx';
  const name = type ?? (t.dtype === 'bool' ? 'uint8' : (t.dtype as IdxType));
  const spec = TYPES.find((s) => s.type === name);
  if (!spec) throw new ValueError(op, `unknown IDX type '${name}', expected one of ${TYPES.map((s) => s.type).join(', ')}`);
  if (t.rank > 255) throw new ValueError(op, `IDX stores at most 255 dimensions, got ${t.rank}`);
  const headerBytes = 4 + 4 * t.rank;
  const bytes = new Uint8Array(headerBytes + t.size * spec.bytes);
  const view = new DataView(bytes.buffer);
  bytes[2] = spec.code;
  bytes[3] = t.rank;
  t.shape.forEach((s, k) => view.setUint32(4 + 4 * k, s));
  for (let i = 0; i < t.size; i++) {
    const v = Number(t.dataSync()[i]);
    if (spec.range && !(Number.isInteger(v) && v >= spec.range[0] && v <= spec.range[1])) {
      throw new ValueError(op, `value ${v} at index ${i} does not fit ${spec.type} (${spec.range[0]}..${spec.range[1]})`);
    }
    ACCESS[spec.type][1](view, headerBytes + i * spec.bytes, v);
  }
  return bytes;
}

/**
 * Loads an IDX file (MNIST, Fashion-MNIST, EMNIST) from a local path, an http(s) URL or bytes, gunzipping
 * `.gz` data (recognised by its content). URLs are fetched with `fetch` and, with `cacheDir`, cached on
 * disk; `sha256` checks the bytes as read or downloaded.
 *
 * @example
 * const images = await loadIdx('https://example.org/train-images-idx3-ubyte.gz', {
 *   cacheDir: '.cache/mnist', sha256: '…', dtype: 'float32',
 * }); // [60000, 28, 28]
 */
export async function loadIdx(source: ByteSource, options: SourceOptions & { dtype?: DType } = {}): Promise<Tensor> {
  const bytes = await maybeGunzip(await readSource('loadIdx', source, options));
  return parseIdx(bytes, options);
}
