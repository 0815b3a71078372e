import { Tensor, type DType } from '@backprop/tensor';
import { ModelFileError } from './errors.js';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON mapping
 * each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the end of the
 * header) plus an optional `__metadata__` of string values, then the raw little-endian tensor bytes.
 */

const SAFETENSORS_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };
const ITEM_SIZE: Record<string, number> = { F32: 4, F64: 8, I32: 4, BOOL: 1, I64: 8, F16: 2, BF16: 2, I16: 2, I8: 1, U8: 1 };

/** Headers larger than this are refused before parsing: a corrupt length must not allocate gigabytes. */
export const MAX_HEADER_BYTES = 100 * 1024 * 1024;

export interface DecodeOptions {
  /** Refuse NaN and ±Infinity in float tensors (default true: weights are never meant to hold them). */
  allowNonFinite?: boolean;
  /** Used in error messages. */
  source?: string;
}

export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
}

/**
 * Encodes named tensors (and string metadata) as a safetensors file. Tensors are written in name order,
 * as the reference implementation does, so the same weights always give the same bytes.
 *
 * @example
 * const bytes = encodeSafetensors(new Map([['weight', ones([2, 2])]]), { note: 'hi' });
 */
export function encodeSafetensors(tensors: Map<string, Tensor> | Record<string, Tensor>, metadata: Record<string, string> = {}): Uint8Array {
  const entries = [...(tensors instanceof Map ? tensors.entries() : Object.entries(tensors))].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new ModelFileError(`a tensor cannot be named '__metadata__'`);
    const bytes = t.data.byteLength;
    header[name] = { dtype: SAFETENSORS_DTYPE[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, which lets readers map float64 arrays directly.
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const pad = (8 - (headerBytes.length % 8)) % 8;
  if (pad > 0) {
    json += ' '.repeat(pad);
    headerBytes = encoder.encode(json);
  }
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let pos = 8 + headerBytes.length;
  for (const [, t] of entries) {
    out.set(littleEndianBytes(t), pos);
    pos += t.data.byteLength;
  }
  return out;
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianBytes(t: Tensor): Uint8Array {
  const raw = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  if (IS_LITTLE_ENDIAN || t.data.BYTES_PER_ELEMENT === 1) return raw;
  const swapped = new Uint8Array(raw.length);
  const n = t.data.BYTES_PER_ELEMENT;
  for (let i = 0; i < raw.length; i += n) for (let k = 0; k < n; k++) swapped[i + k] = raw[i + n - 1 - k];
  return swapped;
}

interface HeaderEntry {
  dtype: string;
  shape: number[];
  data_offsets: [number, number];
}

function fail(message: string, source?: string): never {
  throw new ModelFileError(message, source);
}

function parseHeader(bytes: Uint8Array, source?: string): { header: Record<string, unknown>; dataStart: number } {
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length`, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`, source);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    fail(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated?)`, source);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    fail('header is not valid UTF-8', source);
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    fail(`header is not valid JSON (${(e as Error).message})`, source);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) fail('header must be a JSON object', source);
  return { header: header as Record<string, unknown>, dataStart: 8 + headerLength };
}

function checkEntry(name: string, value: unknown, source?: string): HeaderEntry {
  const where = `tensor '${name}'`;
  if (value === null || typeof value !== 'object') fail(`${where}: header entry must be an object`, source);
  const e = value as Record<string, unknown>;
  if (typeof e.dtype !== 'string' || !(e.dtype in ITEM_SIZE)) {
    fail(`${where}: unknown dtype ${JSON.stringify(e.dtype)} (expected one of F32, F64, I32, I64, BOOL, …)`, source);
  }
  if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${where}: shape ${JSON.stringify(e.shape)} must be an array of non-negative integers`, source);
  }
  const off = e.data_offsets;
  if (!Array.isArray(off) || off.length !== 2 || !off.every((o) => Number.isSafeInteger(o) && o >= 0) || off[0] > off[1]) {
    fail(`${where}: data_offsets ${JSON.stringify(off)} must be [begin, end] with 0 ≤ begin ≤ end`, source);
  }
  return e as unknown as HeaderEntry;
}

/**
 * Decodes a safetensors file, validating everything first: header length and JSON, dtypes, shapes,
 * offsets inside the file, sizes matching shapes, no overlaps or gaps, and (by default) finite values.
 * Any problem is a `ModelFileError` that says what is wrong; nothing in the file is ever executed.
 * I64 tensors (PyTorch's default integer type) are read as int32 when every value fits.
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): Safetensors {
  const source = options.source;
  const { header, dataStart } = parseHeader(bytes, source);
  const dataLength = bytes.length - dataStart;
  let metadata: Record<string, string> = {};
  const entries: [string, HeaderEntry][] = [];
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.values(value).every((v) => typeof v === 'string')) {
        fail('__metadata__ must be an object of string values', source);
      }
      metadata = value as Record<string, string>;
      continue;
    }
    entries.push([name, checkEntry(name, value, source)]);
  }
  // Offsets must tile the data section exactly: no overlaps (aliasing) and no gaps (hidden bytes).
  const sorted = [...entries].sort((a, b) => a[1].data_offsets[0] - b[1].data_offsets[0]);
  let expected = 0;
  for (const [name, e] of sorted) {
    const [begin, end] = e.data_offsets;
    if (begin !== expected) fail(`tensor '${name}': data starts at ${begin} but the previous tensor ends at ${expected} (overlap or gap)`, source);
    if (end > dataLength) fail(`tensor '${name}': data_offsets end ${end} is past the end of the data (${dataLength} bytes; truncated?)`, source);
    const count = e.shape.reduce((a, b) => a * b, 1);
    const needed = count * ITEM_SIZE[e.dtype];
    if (end - begin !== needed) {
      fail(`tensor '${name}': shape [${e.shape.join(', ')}] of ${e.dtype} needs ${needed} bytes but data_offsets span ${end - begin}`, source);
    }
    expected = end;
  }
  if (expected !== dataLength) fail(`${dataLength - expected} bytes after the last tensor are not described by the header`, source);

  const tensors = new Map<string, Tensor>();
  for (const [name, e] of entries) {
    tensors.set(name, readTensor(name, e, bytes.subarray(dataStart + e.data_offsets[0], dataStart + e.data_offsets[1]), options));
  }
  return { tensors, metadata };
}

function readTensor(name: string, e: HeaderEntry, raw: Uint8Array, options: DecodeOptions): Tensor {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = e.shape.reduce((a, b) => a * b, 1);
  const source = options.source;
  let t: Tensor;
  switch (e.dtype) {
    case 'F32': {
      const d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = view.getFloat32(i * 4, true);
      t = new Tensor(d, e.shape, 'float32');
      break;
    }
    case 'F64': {
      const d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = view.getFloat64(i * 8, true);
      t = new Tensor(d, e.shape, 'float64');
      break;
    }
    case 'I32': {
      const d = new Int32Array(n);
      for (let i = 0; i < n; i++) d[i] = view.getInt32(i * 4, true);
      t = new Tensor(d, e.shape, 'int32');
      break;
    }
    case 'I64': {
      const d = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const v = view.getBigInt64(i * 8, true);
        if (v > 2147483647n || v < -2147483648n) fail(`tensor '${name}': int64 value ${v} at index ${i} does not fit in int32`, source);
        d[i] = Number(v);
      }
      t = new Tensor(d, e.shape, 'int32');
      break;
    }
    case 'BOOL': {
      const d = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (raw[i] > 1) fail(`tensor '${name}': bool value ${raw[i]} at index ${i} is neither 0 nor 1`, source);
        d[i] = raw[i];
      }
      t = new Tensor(d, e.shape, 'bool');
      break;
    }
    default:
      fail(`tensor '${name}': dtype ${e.dtype} is valid safetensors but not supported by backprop (use F32, F64, I32, I64 or BOOL)`, source);
  }
  if (!options.allowNonFinite && (t.dtype === 'float32' || t.dtype === 'float64')) {
    const d = t.data;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) fail(`tensor '${name}': value ${d[i]} at index ${i} is not finite`, source);
    }
  }
  return t;
}
