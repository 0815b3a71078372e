import { describe, expect, it } from 'vitest';
import { Generator, randn, tensor, arange } from '@backprop/tensor';
import { decodeSafetensors, encodeSafetensors, ModelFileError } from '../src/index.js';

function headerOf(bytes: Uint8Array): Record<string, any> {
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
}

/** Builds a file from a raw header object and data bytes, for malformed-file tests. */
function rawFile(header: unknown, data: Uint8Array = new Uint8Array(), headerLength?: number): Uint8Array {
  const h = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

describe('safetensors round trip', () => {
  it('keeps names, shapes, dtypes, values and metadata', () => {
    const g = new Generator(0);
    const tensors = {
      'layer.weight': randn([3, 4], { generator: g }),
      'layer.bias': randn([4], { generator: g, dtype: 'float64' }),
      steps: tensor([7], 'int32'),
      mask: tensor([true, false, true]),
      scalar: tensor(2.5),
      empty: randn([0, 3], { generator: g }),
    };
    const bytes = encodeSafetensors(tensors, { format: 'test' });
    const { tensors: back, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ format: 'test' });
    for (const [name, t] of Object.entries(tensors)) {
      const b = back.get(name)!;
      expect(b.shape).toEqual(t.shape);
      expect(b.dtype).toBe(t.dtype);
      expect(Array.from(b.dataSync())).toEqual(Array.from(t.dataSync()));
    }
  });
  it('writes the header the format specifies, 8-byte aligned, in name order', () => {
    const bytes = encodeSafetensors({ b: arange(2, undefined, 1, { dtype: 'float32' }), a: tensor([1, 2, 3], 'float64') });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(n % 8).toBe(0);
    expect(headerOf(bytes)).toEqual({
      a: { dtype: 'F64', shape: [3], data_offsets: [0, 24] },
      b: { dtype: 'F32', shape: [2], data_offsets: [24, 32] },
    });
  });
  it('reads I64 tensors (PyTorch integer buffers) as int32', () => {
    const data = new Uint8Array(16);
    new DataView(data.buffer).setBigInt64(0, 5n, true);
    new DataView(data.buffer).setBigInt64(8, -3n, true);
    const { tensors } = decodeSafetensors(rawFile({ n: { dtype: 'I64', shape: [2], data_offsets: [0, 16] } }, data));
    expect(tensors.get('n')!.toArray()).toEqual([5, -3]);
  });
});

describe('safetensors validation', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than the length field', new Uint8Array(3), /starts with an 8-byte header length/],
    ['a header length past the end', rawFile({}, new Uint8Array(), 1000), /runs past the end.*truncated/],
    ['an absurd header length', rawFile({}, new Uint8Array(), 2 ** 40), /exceeds the limit/],
    ['a header that is not JSON', rawFile('{"a": '), /not valid JSON/],
    ['a header that is an array', rawFile([1, 2]), /must be a JSON object/],
    ['an unknown dtype', rawFile({ x: { dtype: 'Q7', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)), /tensor 'x': unknown dtype "Q7"/],
    ['a negative dimension', rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), /shape \[-1\] must be/],
    ['offsets past the data', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }, new Uint8Array(4)), /past the end of the data/],
    ['a size that does not match the shape', rawFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, new Uint8Array(8)), /needs 12 bytes but data_offsets span 8/],
    [
      'overlapping tensors',
      rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, y: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(4)),
      /overlap or gap/,
    ],
    ['trailing bytes', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, new Uint8Array(12)), /8 bytes after the last tensor/],
    ['non-string metadata', rawFile({ __metadata__: { a: 1 } }), /__metadata__ must be an object of string values/],
    ['a NaN weight', encodeSafetensors({ w: tensor([1, NaN]) }), /tensor 'w': value NaN at index 1 is not finite/],
    ['an out-of-range bool', rawFile({ m: { dtype: 'BOOL', shape: [1], data_offsets: [0, 1] } }, new Uint8Array([7])), /bool value 7/],
  ];
  for (const [name, bytes, message] of cases) {
    it(`rejects ${name}`, () => {
      expect(() => decodeSafetensors(bytes)).toThrow(ModelFileError);
      expect(() => decodeSafetensors(bytes)).toThrow(message);
    });
  }
  it('accepts non-finite values when asked', () => {
    expect(decodeSafetensors(encodeSafetensors({ w: tensor([Infinity]) }), { allowNonFinite: true }).tensors.get('w')!.item()).toBe(Infinity);
  });
});

describe('fuzzing the decoder', () => {
  it('either decodes or throws ModelFileError for thousands of mutated files', () => {
    const g = new Generator(2024);
    const valid = encodeSafetensors({ a: randn([4, 3], { generator: g }), b: tensor([1, 2], 'int32'), c: randn([5], { generator: g, dtype: 'float64' }) }, { k: 'v' });
    let decoded = 0;
    let rejected = 0;
    for (let trial = 0; trial < 4000; trial++) {
      const bytes = valid.slice();
      const kind = trial % 4;
      const flips = 1 + g.integer(0, 4);
      if (kind === 0) {
        // Flip bytes anywhere, biased to the header where the structure lives.
        for (let k = 0; k < flips; k++) bytes[g.integer(0, Math.min(bytes.length, 200))] = g.integer(0, 256);
      } else if (kind === 1) {
        for (let k = 0; k < flips; k++) bytes[g.integer(0, bytes.length)] ^= 1 << g.integer(0, 8);
      }
      const mutated = kind === 2 ? bytes.subarray(0, g.integer(0, bytes.length)) : kind === 3 ? concat(bytes, g) : bytes;
      try {
        decodeSafetensors(mutated);
        decoded++;
      } catch (e) {
        if (!(e instanceof ModelFileError)) throw new Error(`trial ${trial}: unexpected ${(e as Error).name}: ${(e as Error).message}`);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(1000);
    expect(decoded + rejected).toBe(4000);
  });
});

function concat(bytes: Uint8Array, g: Generator): Uint8Array {
  const extra = new Uint8Array(1 + g.integer(0, 16)).map(() => g.integer(0, 256));
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
}
