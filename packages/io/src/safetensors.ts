import { Tensor, type DType } from '@backprop/tensor';
import { bfloat16ToFloat32, halfToFloat32, isSafetensorsDType, READ_AS, SAFETENSORS_BITS, SAFETENSORS_DTYPES, type SafetensorsDType } from './dtypes.js';
import { ModelFileError } from './errors.js';
import { HeaderSyntaxError, JsonObject, parseHeaderJson, showJson, type JsonValue } from './header-json.js';
import { sniffFormat } from './sniff.js';

/**
 * The safetensors format (Hugging Face): an 8-byte little-endian header length N, N bytes of JSON mapping
 * each tensor name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets relative to the end of the
 * header) plus an optional `__metadata__` of string values, then the raw little-endian tensor bytes.
 */

const SAFETENSORS_DTYPE: Record<DType, string> = { float32: 'F32', float64: 'F64', int32: 'I32', bool: 'BOOL' };

/**
 * Headers larger than this (100,000,000 bytes, the reference Rust reader's limit) are refused before
 * parsing: a corrupt length must not allocate gigabytes.
 */
export const MAX_HEADER_BYTES: number = 100_000_000;

export interface DecodeOptions {
  /** Refuse NaN and ±Infinity in float tensors (default true: weights are never meant to hold them). */
  allowNonFinite?: boolean;
  /** Used in error messages. */
  source?: string;
}

export interface Safetensors {
  tensors: Map<string, Tensor>;
  metadata: Record<string, string>;
  /** The dtype each tensor has in the file (`F16`, `I64`, …), before it was read as a backprop dtype. */
  dtypes: Map<string, SafetensorsDType>;
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
    const bytes = t.dataSync().byteLength;
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
    const bytes = littleEndianBytes(t);
    out.set(bytes, pos);
    pos += bytes.byteLength;
  }
  return out;
}

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function littleEndianBytes(t: Tensor): Uint8Array {
  const data = t.dataSync();
  const raw = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (IS_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) return raw;
  const swapped = new Uint8Array(raw.length);
  const n = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < raw.length; i += n) for (let k = 0; k < n; k++) swapped[i + k] = raw[i + n - 1 - k];
  return swapped;
}

interface HeaderEntry {
  dtype: SafetensorsDType;
  shape: number[];
  begin: number;
  /** -1 when the file's end offset is before its begin. */
  end: number;
  /** Bytes the shape and dtype need. */
  bytes: bigint;
}

function fail(message: string, source?: string): never {
  throw new ModelFileError(message, source);
}

/** Fails with `message`, or with what the file looks like when it is some other format. */
function failEnvelope(bytes: Uint8Array, message: string, source?: string): never {
  const looksLike = sniffFormat(bytes);
  if (looksLike) fail(`this looks like ${looksLike.what}, not a safetensors file${looksLike.hint ? `: ${looksLike.hint}` : ''} (${message})`, source);
  fail(message, source);
}

function parseHeader(bytes: Uint8Array, source?: string): { header: JsonObject; dataStart: number } {
  if (bytes.length < 8) failEnvelope(bytes, `file is ${bytes.length} bytes long; a safetensors file starts with an 8-byte header length`, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) failEnvelope(bytes, `header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`, source);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) {
    failEnvelope(bytes, `header length ${headerLength} runs past the end of the ${bytes.length}-byte file (truncated?)`, source);
  }
  let text: string;
  try {
    // ignoreBOM keeps a byte-order mark in the text, where it is refused below, as the reference reader does.
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + headerLength));
  } catch {
    failEnvelope(bytes, 'header is not valid UTF-8', source);
  }
  if (text.charCodeAt(0) === 0xfeff) fail('header starts with a byte-order mark (EF BB BF); a safetensors header is JSON starting with \'{\'', source);
  let header: JsonValue;
  try {
    header = parseHeaderJson(text);
  } catch (e) {
    if (!(e instanceof HeaderSyntaxError)) throw e;
    failEnvelope(bytes, `header is not valid JSON (${e.message})`, source);
  }
  if (!(header instanceof JsonObject)) failEnvelope(bytes, `header must be a JSON object, got ${showJson(header)}`, source);
  return { header, dataStart: 8 + headerLength };
}

const U64_MAX = (1n << 64n) - 1n;

/** A non-negative integer below 2^64, as the reference reader's usize; floats (`4e0`, `0.0`) are refused. */
function unsigned(value: JsonValue): bigint | undefined {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? BigInt(value) : undefined;
  if (typeof value === 'bigint') return value >= 0n && value <= U64_MAX ? value : undefined;
  return undefined;
}

function checkEntry(name: string, value: JsonValue, source?: string): HeaderEntry {
  const where = `tensor '${name}'`;
  if (!(value instanceof JsonObject)) fail(`${where}: header entry must be an object { dtype, shape, data_offsets }, got ${showJson(value)}`, source);
  for (const field of ['dtype', 'shape', 'data_offsets']) {
    if (value.repeated.has(field)) fail(`${where}: field '${field}' appears more than once`, source);
  }
  const dtype = value.entries.get('dtype');
  if (!isSafetensorsDType(dtype)) {
    fail(`${where}: unknown dtype ${showJson(dtype)} (expected one of ${SAFETENSORS_DTYPES.join(', ')})`, source);
  }
  const shape = value.entries.get('shape');
  const dims = Array.isArray(shape) ? shape.map(unsigned) : undefined;
  if (!dims || dims.some((d) => d === undefined)) {
    fail(`${where}: shape ${showJson(shape)} must be an array of non-negative integers (written without a fraction or exponent)`, source);
  }
  const off = value.entries.get('data_offsets');
  const offsets = Array.isArray(off) && off.length === 2 ? off.map(unsigned) : undefined;
  if (!offsets || offsets.some((o) => o === undefined)) {
    fail(`${where}: data_offsets ${showJson(off)} must be [begin, end], two non-negative integers (written without a fraction or exponent)`, source);
  }
  // As the reference reader: multiply in order, refusing a product past 2^64 even if a later dimension is 0.
  let count = 1n;
  for (const d of dims as bigint[]) {
    count *= d;
    if (count > U64_MAX) fail(`${where}: shape ${showJson(shape)} has more than 2^64 elements (arithmetic overflow)`, source);
  }
  const bits = count * BigInt(SAFETENSORS_BITS[dtype]);
  if (bits > U64_MAX) fail(`${where}: shape ${showJson(shape)} of ${dtype} has more than 2^64 bits (arithmetic overflow)`, source);
  if (bits % 8n !== 0n) fail(`${where}: ${count} elements of ${dtype} (${SAFETENSORS_BITS[dtype]} bits each) do not fill whole bytes`, source);
  if ((dims as bigint[]).some((d) => d > BigInt(Number.MAX_SAFE_INTEGER))) {
    fail(`${where}: shape ${showJson(shape)} has a dimension above 2^53 − 1, the largest a backprop tensor can have`, source);
  }
  const [begin, end] = offsets as bigint[];
  return { dtype, shape: (dims as bigint[]).map(Number), begin: Number(begin), end: end < begin ? -1 : Number(end), bytes: bits / 8n };
}

/**
 * Decodes a safetensors file, validating everything first, with the rules of the reference Rust reader:
 * header length (at most 100,000,000 bytes), UTF-8 and strict JSON, dtypes, integer shapes and offsets,
 * offsets tiling the data exactly (no overlaps, gaps or trailing bytes), and (by default) finite values.
 * Any problem is a `ModelFileError` that says what is wrong; nothing in the file is ever executed. A file
 * of another format (a PyTorch `.pt`, an ONNX model, an HTML page) is named as such.
 *
 * Integer tensors (U8, I8, I16, U16, I32, U32, I64, U64) are read as int32 (a value that does not fit is
 * an error), F16 and BF16 as float32 (exactly), F32, F64 and BOOL as themselves; `dtypes` tells what each
 * tensor was in the file.
 *
 * @example
 * const { tensors, metadata, dtypes } = decodeSafetensors(bytes);
 */
export function decodeSafetensors(bytes: Uint8Array, options: DecodeOptions = {}): Safetensors {
  const source = options.source;
  const { header, dataStart } = parseHeader(bytes, source);
  const dataLength = bytes.length - dataStart;
  if (header.repeated.has('__metadata__')) fail('__metadata__ appears more than once in the header', source);
  let metadata: Record<string, string> = {};
  const entries: [string, HeaderEntry][] = [];
  for (const [name, value] of header.entries) {
    if (name === '__metadata__') {
      // `null` is an absent metadata map, as in the reference reader (its field is an Option).
      if (value === null) continue;
      if (!(value instanceof JsonObject) || [...value.entries.values()].some((v) => typeof v !== 'string')) {
        fail(`__metadata__ must be an object of string values, got ${showJson(value)}`, source);
      }
      metadata = Object.fromEntries(value.entries) as Record<string, string>;
      continue;
    }
    entries.push([name, checkEntry(name, value, source)]);
  }
  // Offsets must tile the data section exactly: no overlaps (aliasing) and no gaps (hidden bytes). Sorted
  // by (begin, end), as the reference reader does, so an empty tensor may sit at another tensor's start.
  const sorted = [...entries].sort((a, b) => a[1].begin - b[1].begin || a[1].end - b[1].end);
  let expected = 0;
  for (const [name, e] of sorted) {
    if (e.begin !== expected || e.end < e.begin) {
      fail(`tensor '${name}': data_offsets [${e.begin}, ${e.end < 0 ? '< begin' : e.end}] must start where the previous tensor ends (${expected}) and not end before they start (overlap or gap)`, source);
    }
    if (e.end > dataLength) fail(`tensor '${name}': data_offsets end ${e.end} is past the end of the data (${dataLength} bytes; truncated?)`, source);
    if (BigInt(e.end - e.begin) !== e.bytes) {
      fail(`tensor '${name}': shape [${e.shape.join(', ')}] of ${e.dtype} needs ${e.bytes} bytes but data_offsets span ${e.end - e.begin}`, source);
    }
    expected = e.end;
  }
  if (expected !== dataLength) fail(`${dataLength - expected} bytes after the last tensor are not described by the header`, source);

  const tensors = new Map<string, Tensor>();
  const dtypes = new Map<string, SafetensorsDType>();
  for (const [name, e] of entries) {
    tensors.set(name, readTensor(name, e, bytes.subarray(dataStart + e.begin, dataStart + e.end), options));
    dtypes.set(name, e.dtype);
  }
  return { tensors, metadata, dtypes };
}

/** Integer readers: byte width and how to read element i (as a number or bigint). */
const INTEGERS: Partial<Record<SafetensorsDType, [number, (v: DataView, i: number) => number | bigint]>> = {
  U8: [1, (v, i) => v.getUint8(i)],
  I8: [1, (v, i) => v.getInt8(i)],
  I16: [2, (v, i) => v.getInt16(i * 2, true)],
  U16: [2, (v, i) => v.getUint16(i * 2, true)],
  I32: [4, (v, i) => v.getInt32(i * 4, true)],
  U32: [4, (v, i) => v.getUint32(i * 4, true)],
  I64: [8, (v, i) => v.getBigInt64(i * 8, true)],
  U64: [8, (v, i) => v.getBigUint64(i * 8, true)],
};

function readTensor(name: string, e: HeaderEntry, raw: Uint8Array, options: DecodeOptions): Tensor {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const n = Number(e.bytes) / (SAFETENSORS_BITS[e.dtype] / 8);
  const source = options.source;
  const integer = INTEGERS[e.dtype];
  if (integer) {
    const d = new Int32Array(n);
    const read = integer[1];
    for (let i = 0; i < n; i++) {
      const v = read(view, i);
      if (v > 2147483647 || v < -2147483648) fail(`tensor '${name}': ${e.dtype} value ${v} at index ${i} does not fit in int32, backprop's integer type`, source);
      d[i] = Number(v);
    }
    return new Tensor(d, e.shape, 'int32');
  }
  if (e.dtype === 'BOOL') {
    const d = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (raw[i] > 1) fail(`tensor '${name}': bool value ${raw[i]} at index ${i} is neither 0 nor 1`, source);
      d[i] = raw[i];
    }
    return new Tensor(d, e.shape, 'bool');
  }
  let d: Float32Array | Float64Array;
  switch (e.dtype) {
    case 'F32':
      d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = view.getFloat32(i * 4, true);
      break;
    case 'F64':
      d = new Float64Array(n);
      for (let i = 0; i < n; i++) d[i] = view.getFloat64(i * 8, true);
      break;
    case 'F16':
      d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = halfToFloat32(view.getUint16(i * 2, true));
      break;
    case 'BF16':
      d = new Float32Array(n);
      for (let i = 0; i < n; i++) d[i] = bfloat16ToFloat32(view.getUint16(i * 2, true));
      break;
    default:
      fail(
        `tensor '${name}': dtype ${e.dtype} is valid safetensors but not supported by backprop (supported: ${Object.keys(READ_AS).join(', ')})`,
        source,
      );
  }
  if (!options.allowNonFinite) {
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(d[i])) fail(`tensor '${name}': value ${d[i]} at index ${i} is not finite`, source);
    }
  }
  return new Tensor(d, e.shape, d instanceof Float64Array ? 'float64' : 'float32');
}
