import { Tensor, type DType } from '@backprop/tensor';
import { OnnxImportError } from './errors.js';

/** A TensorProto as decodeOnnx gives it: raw little-endian bytes, or one of the typed value lists. */
export interface DecodedTensor {
  name?: string;
  dims?: number[];
  dataType?: number;
  rawData?: Uint8Array;
  floatData?: number[];
  int32Data?: number[];
  int64Data?: number[];
  doubleData?: number[];
  dataLocation?: number;
}

// TensorProto.DataType: the element types ONNX files from torch and tf2onnx use for weights and shapes.
const FLOAT = 1, UINT8 = 2, INT8 = 3, INT16 = 5, INT32 = 6, INT64 = 7, BOOL = 9, FLOAT16 = 10, DOUBLE = 11;

const DTYPE_OF: Record<number, DType> = { [FLOAT]: 'float32', [FLOAT16]: 'float32', [DOUBLE]: 'float64', [UINT8]: 'int32', [INT8]: 'int32', [INT16]: 'int32', [INT32]: 'int32', [INT64]: 'int32', [BOOL]: 'bool' };

function half(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >> 10) & 0x1f;
  const f = bits & 0x3ff;
  if (e === 0) return sign * f * 2 ** -24;
  if (e === 31) return f ? NaN : sign * Infinity;
  return sign * (1 + f / 1024) * 2 ** (e - 15);
}

/** The backprop dtype an ONNX element type becomes (integers are int32, float16 is float32). */
export function dtypeOfOnnx(dataType: number, where: string): DType {
  const dtype = DTYPE_OF[dataType];
  if (!dtype) throw new OnnxImportError(where, `tensor element type ${dataType} is not supported (float, double, float16, the integers and bool are)`);
  return dtype;
}

/** An ONNX TensorProto as a backprop tensor; int64 values must fit in int32. */
export function tensorFromProto(proto: DecodedTensor, where: string): Tensor {
  if (proto.dataLocation === 1) throw new OnnxImportError(where, `tensor '${proto.name}' keeps its data in an external file, which is not supported: save the model with its weights inside`);
  const dims = (proto.dims ?? []).map(Number);
  const size = dims.reduce((a, b) => a * b, 1);
  const type = proto.dataType ?? FLOAT;
  const dtype = dtypeOfOnnx(type, where);
  const out = dtype === 'float64' ? new Float64Array(size) : dtype === 'float32' ? new Float32Array(size) : dtype === 'bool' ? new Uint8Array(size) : new Int32Array(size);
  const raw = proto.rawData;
  if (raw && raw.length > 0) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width = { [FLOAT]: 4, [FLOAT16]: 2, [DOUBLE]: 8, [UINT8]: 1, [INT8]: 1, [INT16]: 2, [INT32]: 4, [INT64]: 8, [BOOL]: 1 }[type]!;
    if (raw.length !== size * width) throw new OnnxImportError(where, `tensor '${proto.name}' of shape [${dims.join(', ')}] has ${raw.length} bytes, expected ${size * width}`);
    for (let i = 0; i < size; i++) {
      const at = i * width;
      out[i] =
        type === FLOAT ? view.getFloat32(at, true)
        : type === DOUBLE ? view.getFloat64(at, true)
        : type === FLOAT16 ? half(view.getUint16(at, true))
        : type === INT64 ? int32(Number(view.getBigInt64(at, true)), proto, where)
        : type === INT32 ? view.getInt32(at, true)
        : type === INT16 ? view.getInt16(at, true)
        : type === INT8 ? view.getInt8(at)
        : view.getUint8(at);
    }
  } else {
    const list = proto.floatData?.length ? proto.floatData : proto.doubleData?.length ? proto.doubleData : proto.int64Data?.length ? proto.int64Data : proto.int32Data ?? [];
    if (list.length !== size) throw new OnnxImportError(where, `tensor '${proto.name}' of shape [${dims.join(', ')}] holds ${list.length} values, expected ${size}`);
    for (let i = 0; i < size; i++) out[i] = type === INT64 ? int32(Number(list[i]), proto, where) : type === FLOAT16 ? half(list[i]) : Number(list[i]);
  }
  return new Tensor(out, dims, dtype);
}

function int32(v: number, proto: DecodedTensor, where: string): number {
  // ONNX writes "to the end" and "everything" as int64 extremes (Slice ends); clamp those, refuse others.
  if (v > 2147483647) return 2147483647;
  if (v < -2147483648) return -2147483648;
  if (!Number.isFinite(v)) throw new OnnxImportError(where, `tensor '${proto.name}' holds ${v}`);
  return v;
}
