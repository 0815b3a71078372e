import type { DType } from '@backprop/tensor';

/**
 * A dtype name as a safetensors header writes it: every dtype of the format (safetensors 0.8).
 *
 * @example
 * const { dtypes } = decodeSafetensors(bytes);
 * dtypes.get('weight') === 'BF16'; // stored as bfloat16, read as float32
 */
export type SafetensorsDType =
  | 'BOOL' | 'F4' | 'F6_E2M3' | 'F6_E3M2' | 'U8' | 'I8' | 'F8_E5M2' | 'F8_E4M3' | 'F8_E8M0' | 'F8_E4M3FNUZ' | 'F8_E5M2FNUZ'
  | 'I16' | 'U16' | 'F16' | 'BF16' | 'I32' | 'U32' | 'F32' | 'C64' | 'F64' | 'I64' | 'U64';

/** Each dtype's width in bits. */
export const SAFETENSORS_BITS: Record<SafetensorsDType, number> = {
  BOOL: 8, F4: 4, F6_E2M3: 6, F6_E3M2: 6, U8: 8, I8: 8, F8_E5M2: 8, F8_E4M3: 8, F8_E8M0: 8, F8_E4M3FNUZ: 8, F8_E5M2FNUZ: 8,
  I16: 16, U16: 16, F16: 16, BF16: 16, I32: 32, U32: 32, F32: 32, C64: 64, F64: 64, I64: 64, U64: 64,
};

/**
 * The dtype names, in the format's order (smallest alignment first), as error messages list them.
 *
 * @example
 * SAFETENSORS_DTYPES.includes('U32'); // true
 */
export const SAFETENSORS_DTYPES = Object.keys(SAFETENSORS_BITS) as SafetensorsDType[];

/** The dtypes backprop reads, and the tensor dtype each becomes. */
export const READ_AS: Partial<Record<SafetensorsDType, DType>> = {
  BOOL: 'bool', U8: 'int32', I8: 'int32', I16: 'int32', U16: 'int32', I32: 'int32', U32: 'int32', I64: 'int32', U64: 'int32',
  F16: 'float32', BF16: 'float32', F32: 'float32', F64: 'float64',
};

/** The file dtypes that may fill a model tensor of each dtype: floats from floats, integers from integers. */
export const LOADS_INTO: Record<DType, readonly SafetensorsDType[]> = {
  float32: ['F32', 'F16', 'BF16', 'F64'],
  float64: ['F64', 'F32', 'F16', 'BF16'],
  int32: ['I32', 'I64', 'I16', 'I8', 'U8', 'U16', 'U32', 'U64'],
  bool: ['BOOL'],
};

export function isSafetensorsDType(name: unknown): name is SafetensorsDType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(SAFETENSORS_BITS, name);
}

let halfTable: Float32Array | undefined;

/**
 * IEEE 754 binary16 → float32, exactly (every half value is a float32 value). One table of all 65,536
 * patterns, built on first use: sign, 5 exponent bits (bias 15), 10 fraction bits; exponent 0 is zero or
 * subnormal (fraction · 2⁻²⁴), exponent 31 is ±Infinity or NaN (payload kept).
 */
export function halfToFloat32(bits: number): number {
  halfTable ??= buildHalfTable();
  return halfTable[bits & 0xffff];
}

function buildHalfTable(): Float32Array {
  const table = new Float32Array(65536);
  const asBits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) {
    const sign = (h & 0x8000) << 16;
    const exponent = (h >> 10) & 0x1f;
    const fraction = h & 0x3ff;
    if (exponent === 0) table[h] = (sign ? -1 : 1) * fraction * 2 ** -24;
    else if (exponent === 31) asBits[h] = (sign | 0x7f800000 | (fraction << 13)) >>> 0;
    else asBits[h] = (sign | ((exponent - 15 + 127) << 23) | (fraction << 13)) >>> 0;
  }
  return table;
}

const bfloatScratch = new Uint32Array(1);
const bfloatView = new Float32Array(bfloatScratch.buffer);

/** bfloat16 → float32, exactly: bfloat16 is the top half of a float32's bits. */
export function bfloat16ToFloat32(bits: number): number {
  bfloatScratch[0] = (bits & 0xffff) << 16;
  return bfloatView[0];
}
