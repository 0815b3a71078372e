import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { decodeSafetensors, encodeSafetensors, MAX_HEADER_BYTES, ModelFileError, SAFETENSORS_DTYPES } from '../src/index.js';

/** A file from raw header text (exactly as given) and data bytes. */
function fileOf(header: string | Uint8Array, data: Uint8Array = new Uint8Array()): Uint8Array {
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

const bytesOf = (...values: number[]) => new Uint8Array(values);
const f32 = (...values: number[]) => new Uint8Array(new Float32Array(values).buffer);

const rejects = (bytes: Uint8Array, message: RegExp) => {
  expect(() => decodeSafetensors(bytes)).toThrow(ModelFileError);
  expect(() => decodeSafetensors(bytes)).toThrow(message);
};

// What the reference reader (huggingface/safetensors 0.8, Rust with serde_json) decides for each file;
// these are the cases where an earlier version of this decoder decided otherwise.
describe('safetensors: the same verdicts as the reference Rust reader', () => {
  it('rejects float literals in shapes and offsets, even integral ones', () => {
    rejects(fileOf('{"x":{"dtype":"F32","shape":[1.0],"data_offsets":[0,4]}}', f32(1)), /tensor 'x': shape \[1\.0\] must be an array of non-negative integers/);
    rejects(fileOf('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0.0,4e0]}}', f32(1)), /data_offsets \[0\.0, 4e0\] must be \[begin, end\]/);
    // Unknown fields are ignored, floats included, as serde ignores them.
    expect(decodeSafetensors(fileOf('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"scale":0.5}}', f32(3))).tensors.get('x')!.item()).toBe(3);
  });
  it('rejects a shape whose running product overflows 64 bits, even when a later dimension is 0', () => {
    rejects(fileOf(`{"x":{"dtype":"F32","shape":[${2 ** 32},${2 ** 32},0],"data_offsets":[0,0]}}`), /more than 2\^64 elements/);
    // With the zero first the product never overflows: an empty tensor, valid.
    expect(decodeSafetensors(fileOf(`{"x":{"dtype":"F32","shape":[0,${2 ** 32},${2 ** 20}],"data_offsets":[0,0]}}`)).tensors.get('x')!.shape).toEqual([0, 2 ** 32, 2 ** 20]);
  });
  it('rejects a byte-order mark before the header object', () => {
    const header = new TextEncoder().encode('{}      ');
    rejects(fileOf(new Uint8Array([0xef, 0xbb, 0xbf, ...header])), /byte-order mark/);
  });
  it('rejects escapes that decode to lone UTF-16 surrogates, and accepts proper pairs', () => {
    rejects(fileOf('{"__metadata__":{"k":"\\ud800"}}'), /lone leading surrogate/);
    rejects(fileOf('{"__metadata__":{"k":"\\udc00x"}}'), /lone trailing surrogate/);
    rejects(fileOf('{"\\ud83dx":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)), /lone leading surrogate/);
    expect(decodeSafetensors(fileOf('{"__metadata__":{"k":"\\ud83d\\ude00"}}')).metadata.k).toBe('😀');
  });
  it('rejects a repeated __metadata__ and repeated fields of a tensor entry', () => {
    rejects(fileOf('{"__metadata__":{"a":"1"},"__metadata__":{"b":"2"}}'), /__metadata__ appears more than once/);
    rejects(fileOf('{"x":{"dtype":"F32","dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32(1)), /field 'dtype' appears more than once/);
  });
  it('limits the header to 100,000,000 bytes', () => {
    expect(MAX_HEADER_BYTES).toBe(100_000_000);
    const claim = (n: number) => {
      const b = new Uint8Array(16);
      new DataView(b.buffer).setBigUint64(0, BigInt(n), true);
      return b;
    };
    rejects(claim(100_000_001), /header length 100000001 exceeds the limit of 100000000 bytes/);
    // 100 MiB was the old limit: now too large.
    rejects(claim(100 * 1024 * 1024), /exceeds the limit/);
    rejects(claim(100_000_000), /runs past the end/);
  });
  it('accepts an empty tensor at the same offset as the tensor listed before it', () => {
    const { tensors } = decodeSafetensors(
      fileOf('{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}', f32(2)),
    );
    expect(tensors.get('x')!.item()).toBe(2);
    expect(tensors.get('e')!.shape).toEqual([0]);
  });
  it('reads __metadata__: null as no metadata', () => {
    expect(decodeSafetensors(fileOf('{"__metadata__":null}')).metadata).toEqual({});
  });
  it('limits JSON nesting as serde_json does', () => {
    const deep = (n: number) => `{"__metadata__":null,"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4],"z":${'['.repeat(n)}${']'.repeat(n)}}}`;
    expect(decodeSafetensors(fileOf(deep(125), f32(1))).tensors.size).toBe(1);
    rejects(fileOf(deep(126), f32(1)), /nesting deeper than 127 levels/);
  });
  it('knows every reference dtype by name, and reads U32', () => {
    expect(SAFETENSORS_DTYPES).toEqual(
      expect.arrayContaining(['BOOL', 'U8', 'I8', 'I16', 'U16', 'F16', 'BF16', 'I32', 'U32', 'F32', 'F64', 'I64', 'U64', 'F8_E4M3', 'F8_E5M2', 'F4', 'C64']),
    );
    const u32 = new Uint8Array(new Uint32Array([7, 2_000_000_000]).buffer);
    expect(decodeSafetensors(fileOf('{"u":{"dtype":"U32","shape":[2],"data_offsets":[0,8]}}', u32)).tensors.get('u')!.toArray()).toEqual([7, 2_000_000_000]);
    rejects(fileOf('{"x":{"dtype":"Q7","shape":[1],"data_offsets":[0,4]}}', f32(1)), /unknown dtype "Q7" \(expected one of BOOL, F4, .*U32.*\)/);
    rejects(fileOf('{"x":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[0,1]}}', bytesOf(0)), /F8_E4M3 is valid safetensors but not supported by backprop/);
    rejects(fileOf('{"x":{"dtype":"F4","shape":[3],"data_offsets":[0,2]}}', bytesOf(0, 0)), /do not fill whole bytes/);
  });
});

describe('safetensors: reduced-precision and integer dtypes', () => {
  const u16 = (...bits: number[]) => new Uint8Array(new Uint16Array(bits).buffer);
  it('decodes F16 exactly: normals, subnormals, signed zero, the largest value', () => {
    // 1, -2, 65504 (largest), 2^-14 (smallest normal), 2^-24 (smallest subnormal), 0.333251953125, -0.
    const bits = [0x3c00, 0xc000, 0x7bff, 0x0400, 0x0001, 0x3555, 0x8000];
    const { tensors } = decodeSafetensors(fileOf(`{"h":{"dtype":"F16","shape":[7],"data_offsets":[0,14]}}`, u16(...bits)));
    const h = tensors.get('h')!;
    expect(h.dtype).toBe('float32');
    expect(h.toArray()).toEqual([1, -2, 65504, 2 ** -14, 2 ** -24, 0.333251953125, -0]);
    expect(Object.is(h.dataSync()[6], -0)).toBe(true);
  });
  it('decodes F16 infinities and NaN (refused unless allowed)', () => {
    const file = fileOf(`{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]}}`, u16(0x7c00, 0xfc00, 0x7e00));
    rejects(file, /value Infinity at index 0 is not finite/);
    const values = decodeSafetensors(file, { allowNonFinite: true }).tensors.get('h')!.toArray() as number[];
    expect(values.slice(0, 2)).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(values[2])).toBe(true);
  });
  it('F16 decoding is increasing over every finite positive pattern', () => {
    const all = Array.from({ length: 0x7c00 }, (_, i) => i);
    const values = decodeSafetensors(fileOf(`{"h":{"dtype":"F16","shape":[${all.length}],"data_offsets":[0,${2 * all.length}]}}`, u16(...all))).tensors.get('h')!.dataSync();
    for (let i = 1; i < values.length; i++) if (!(values[i] > values[i - 1])) throw new Error(`not increasing at pattern ${i}`);
    expect(values[values.length - 1]).toBe(65504);
  });
  it('decodes BF16 as the top half of a float32', () => {
    // 1, -2, 3.140625, 2^-133 (a subnormal), the largest finite bfloat16.
    const { tensors } = decodeSafetensors(fileOf(`{"b":{"dtype":"BF16","shape":[5],"data_offsets":[0,10]}}`, u16(0x3f80, 0xc000, 0x4049, 0x0001, 0x7f7f)));
    expect(tensors.get('b')!.toArray()).toEqual([1, -2, 3.140625, 2 ** -133, 3.3895313892515355e38]);
  });
  it('reads U8, I8, I16, U16 and I64 as int32 and BOOL as bool, refusing values that do not fit', () => {
    const file = (dtype: string, data: Uint8Array, n: number) => fileOf(`{"t":{"dtype":"${dtype}","shape":[${n}],"data_offsets":[0,${data.length}]}}`, data);
    expect(decodeSafetensors(file('U8', bytesOf(0, 255), 2)).tensors.get('t')!.toArray()).toEqual([0, 255]);
    expect(decodeSafetensors(file('I8', bytesOf(0x80, 0x7f), 2)).tensors.get('t')!.toArray()).toEqual([-128, 127]);
    expect(decodeSafetensors(file('I16', new Uint8Array(new Int16Array([-300, 300]).buffer), 2)).tensors.get('t')!.toArray()).toEqual([-300, 300]);
    expect(decodeSafetensors(file('U16', u16(65535), 1)).tensors.get('t')!.toArray()).toEqual([65535]);
    expect(decodeSafetensors(file('BOOL', bytesOf(1, 0), 2)).tensors.get('t')!.toArray()).toEqual([true, false]);
    rejects(file('U32', new Uint8Array(new Uint32Array([2 ** 32 - 1]).buffer), 1), /U32 value 4294967295 at index 0 does not fit in int32/);
    rejects(file('U64', new Uint8Array(new BigUint64Array([2n ** 40n]).buffer), 1), /U64 value 1099511627776/);
  });
  it('tells which dtype each tensor had in the file', () => {
    const { dtypes } = decodeSafetensors(fileOf('{"h":{"dtype":"F16","shape":[1],"data_offsets":[0,2]},"w":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}', bytesOf(0, 0x3c, 0, 0, 0x80, 0x3f)));
    expect(Object.fromEntries(dtypes)).toEqual({ h: 'F16', w: 'F32' });
    expect(Object.fromEntries(decodeSafetensors(encodeSafetensors({ a: tensor([1], 'int32') })).dtypes)).toEqual({ a: 'I32' });
  });
});

describe('files of other formats are named', () => {
  const withTail = (head: number[] | string) => {
    const h = typeof head === 'string' ? new TextEncoder().encode(head) : new Uint8Array(head);
    const out = new Uint8Array(Math.max(h.length, 64));
    out.set(h);
    return out;
  };
  const text = (t: string) => new TextEncoder().encode(t);
  const zipEntry = (name: string) => {
    const n = new TextEncoder().encode(name);
    const b = new Uint8Array(30 + n.length + 16);
    b.set([0x50, 0x4b, 0x03, 0x04]);
    b[26] = n.length;
    b.set(n, 30);
    return b;
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['a PyTorch zip checkpoint', zipEntry('model/data.pkl'), /this looks like a PyTorch zip checkpoint \(\.pt\/\.pth\), not a safetensors file: read it with loadPytorchStateDict/],
    ['another zip archive', zipEntry('readme.txt'), /this looks like a zip archive/],
    ['a legacy pickle', withTail([0x80, 0x02, 0x8a, 0x0a]), /this looks like a Python pickle/],
    ['an ONNX model', withTail([0x08, 0x07, 0x12, 0x07, 0x70, 0x79, 0x74, 0x6f, 0x72, 0x63, 0x68]), /this looks like an ONNX model/],
    ['a gzip file', withTail([0x1f, 0x8b, 0x08, 0x00]), /this looks like a gzip-compressed file/],
    ['JSON text', text('{"type": "Sequential", "layers": []}\n'), /this looks like JSON text/],
    ['CSV text', text('sepal_length,sepal_width,label\n5.1,3.5,0\n4.9,3.0,0\n'), /this looks like CSV text/],
    ['an HTML page', text('<!DOCTYPE html><html><head><title>Sign in</title></head>'), /this looks like an HTML page/],
    ['an HDF5 file', withTail([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), /this looks like an HDF5 file/],
  ];
  for (const [name, bytes, message] of cases) {
    it(name, () => rejects(bytes, message));
  }
  it('keeps the plain message for a damaged safetensors file', () => {
    const good = encodeSafetensors({ w: tensor([1, 2]) });
    const message = (() => {
      try {
        decodeSafetensors(good.subarray(0, good.length - 1));
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/past the end of the data/);
    expect(message).not.toMatch(/looks like/);
  });
});
