import { Tensor, type DType } from '@backprop/tensor';
import { bfloat16ToFloat32, halfToFloat32 } from '../dtypes.js';
import { ModelFileError } from '../errors.js';
import { readFileBytes } from '../atomic-write.js';
import { PyGlobal, PyTuple, unpickle, type PyValue } from './unpickle.js';
import { readZip } from './zip.js';

/** torch's storage classes: bytes per element, how one element is read, and the tensor dtype it becomes. */
const STORAGES: Record<string, { bytes: number; dtype: DType; read: (v: DataView, at: number) => number }> = {
  FloatStorage: { bytes: 4, dtype: 'float32', read: (v, at) => v.getFloat32(at, true) },
  DoubleStorage: { bytes: 8, dtype: 'float64', read: (v, at) => v.getFloat64(at, true) },
  HalfStorage: { bytes: 2, dtype: 'float32', read: (v, at) => halfToFloat32(v.getUint16(at, true)) },
  BFloat16Storage: { bytes: 2, dtype: 'float32', read: (v, at) => bfloat16ToFloat32(v.getUint16(at, true)) },
  LongStorage: { bytes: 8, dtype: 'int32', read: (v, at) => Number(v.getBigInt64(at, true)) },
  IntStorage: { bytes: 4, dtype: 'int32', read: (v, at) => v.getInt32(at, true) },
  ShortStorage: { bytes: 2, dtype: 'int32', read: (v, at) => v.getInt16(at, true) },
  CharStorage: { bytes: 1, dtype: 'int32', read: (v, at) => v.getInt8(at) },
  ByteStorage: { bytes: 1, dtype: 'int32', read: (v, at) => v.getUint8(at) },
  BoolStorage: { bytes: 1, dtype: 'bool', read: (v, at) => (v.getUint8(at) ? 1 : 0) },
};

interface StorageRef {
  readonly kind: 'storage';
  readonly type: string;
  readonly bytes: Uint8Array;
  readonly key: string;
}

/** What a PyTorch file held: its tensors by dotted path (`model.fc.weight`), and the whole object. */
export interface PytorchFile {
  /** Every tensor, named by its path through the saved dicts (a state_dict's own keys at the top level). */
  readonly tensors: Map<string, Tensor>;
  /** The unpickled object: Maps for dicts, arrays for lists, Tensors, numbers, strings, booleans, null. */
  readonly object: unknown;
}

const asInts = (v: PyValue, what: string, source?: string): number[] => {
  if (!(v instanceof PyTuple) || !v.items.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 0)) {
    throw new ModelFileError(`a tensor's ${what} is not a tuple of non-negative integers`, source);
  }
  return v.items as number[];
};

/**
 * Reads a file written by `torch.save` (PyTorch ≥ 1.6's zip format: `<name>/data.pkl` plus one member per
 * storage) without running any of it: the pickle is read by a restricted reader that rebuilds only
 * tensors and plain containers, and refuses any other callable (the property the safetensors format
 * exists for). float16 and bfloat16 become float32 and integer types int32 (int64 values must fit).
 *
 * @example
 * const { tensors } = readPytorchFile(readFileSync('model.pt'));
 * model.loadStateDict(tensors);
 */
export function readPytorchFile(bytes: Uint8Array, source?: string): PytorchFile {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (!starts(0x50, 0x4b, 0x03, 0x04)) {
    const legacy = bytes[0] === 0x80 && bytes[1] >= 2 && bytes[1] <= 5;
    throw new ModelFileError(
      legacy
        ? 'this is a legacy (pre-1.6, non-zip) torch.save file; load it in PyTorch and save it again with torch.save(obj, path)'
        : 'not a PyTorch .pt/.pth file: expected the zip archive torch.save writes',
      source,
    );
  }
  const entries = readZip(bytes, source);
  const pkl = [...entries.keys()].find((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (!pkl) throw new ModelFileError('this zip has no <name>/data.pkl member, so it was not written by torch.save', source);
  const prefix = pkl.slice(0, -'data.pkl'.length);
  const storages = new Map<string, StorageRef>();
  const object = unpickle(entries.get(pkl)!.data, {
    source,
    values: new Set(Object.keys(STORAGES).map((s) => `torch.${s}`)),
    persistentLoad(pid) {
      // ('storage', torch.FloatStorage, key, location, numel)
      const [tag, type, key] = pid instanceof PyTuple ? pid.items : [];
      if (tag !== 'storage' || !(type instanceof PyGlobal) || typeof key !== 'string') {
        throw new ModelFileError('the pickle refers to a persistent object that is not a tensor storage', source);
      }
      let ref = storages.get(key);
      if (!ref) {
        const member = entries.get(`${prefix}data/${key}`);
        if (!member) throw new ModelFileError(`the pickle refers to storage '${key}', but the zip has no ${prefix}data/${key}`, source);
        ref = { kind: 'storage', type: type.name, bytes: member.data, key };
        storages.set(key, ref);
      }
      return ref;
    },
    rebuilders: {
      'collections.OrderedDict': () => new Map(),
      'torch._utils._rebuild_tensor_v2': ([storage, offset, size, stride]) => tensorFrom(storage as unknown as StorageRef, offset, size, stride, source) as never,
      'torch._utils._rebuild_parameter': ([data]) => data,
    },
  });
  const tensors = new Map<string, Tensor>();
  const walk = (value: unknown, path: string): unknown => {
    if (value instanceof Tensor) {
      tensors.set(path, value);
      return value;
    }
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value) out.set(k, walk(v, path ? `${path}.${String(k)}` : String(k)));
      return out;
    }
    if (value instanceof PyTuple) return value.items.map((v, i) => walk(v, `${path}.${i}`));
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`));
    return value;
  };
  return { tensors, object: walk(object, '') };
}

function tensorFrom(storage: StorageRef, offsetValue: PyValue, sizeValue: PyValue, strideValue: PyValue, source?: string): Tensor {
  const spec = STORAGES[storage?.type];
  if (!spec) throw new ModelFileError(`a tensor uses storage type '${storage?.type}', which is not supported`, source);
  const shape = asInts(sizeValue, 'size', source);
  const stride = asInts(strideValue, 'stride', source);
  const offset = typeof offsetValue === 'number' && Number.isInteger(offsetValue) && offsetValue >= 0 ? offsetValue : -1;
  if (offset < 0 || stride.length !== shape.length) throw new ModelFileError(`a tensor of storage '${storage.key}' has a malformed offset or stride`, source);
  const available = Math.floor(storage.bytes.length / spec.bytes);
  const size = shape.reduce((a, b) => a * b, 1);
  // The furthest element the strides reach must lie inside the storage.
  const last = offset + shape.reduce((acc, d, i) => acc + (d > 0 ? (d - 1) * stride[i] : 0), 0);
  if (size > 0 && last >= available) {
    throw new ModelFileError(`a tensor of shape [${shape.join(', ')}] reaches element ${last} of storage '${storage.key}', which holds ${available}`, source);
  }
  const view = new DataView(storage.bytes.buffer, storage.bytes.byteOffset, storage.bytes.byteLength);
  const out = spec.dtype === 'float64' ? new Float64Array(size) : spec.dtype === 'float32' ? new Float32Array(size) : spec.dtype === 'bool' ? new Uint8Array(size) : new Int32Array(size);
  const index = new Array<number>(shape.length).fill(0);
  let at = offset;
  for (let i = 0; i < size; i++) {
    const v = spec.read(view, at * spec.bytes);
    if (spec.dtype === 'int32' && (v > 2147483647 || v < -2147483648)) {
      throw new ModelFileError(`storage '${storage.key}' holds ${v}, outside the int32 range backprop's integer tensors use`, source);
    }
    out[i] = v;
    // Advance the multi-index in row-major order, moving `at` by the strides.
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]++;
      at += stride[d];
      if (index[d] < shape[d]) break;
      at -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return new Tensor(out, shape, spec.dtype);
}

/**
 * The tensors of a `torch.save(model.state_dict(), path)` file, by their state_dict names, ready for
 * `model.loadStateDict(...)`. Nothing in the file is executed (see `readPytorchFile`).
 *
 * @example
 * model.loadStateDict(await loadPytorchStateDict('resnet.pth'));
 */
export async function loadPytorchStateDict(path: string): Promise<Map<string, Tensor>> {
  return readPytorchFile(await readFileBytes(path), path).tensors;
}
