import { Tensor, ValueError, type DType } from '@backprop/tensor';
import { DataFormatError } from '../errors.js';
import { checkOptionKeys } from '../options.js';
import { Pipeline } from '../pipeline.js';
import { allocFor } from '../rows.js';
import { ByteReader } from './byte-reader.js';
import { byteChunks, type StreamSource, type StreamSourceOptions } from './byte-stream.js';

/** Options of `streamIdx`. */
export interface IdxStreamOptions extends StreamSourceOptions {
  /** Items (first-axis rows) per batch (default 256). */
  batchSize?: number;
  /** dtype of the batches (default: int32 for integer types, as `parseIdx`; say 'float32' for images). */
  dtype?: DType;
  /** Divide values by this while converting (say 255 for MNIST pixels in [0, 1]); needs a float dtype. */
  scale?: number;
}

const SPECS: Record<number, { name: string; bytes: number; dtype: DType; read: (v: DataView, o: number) => number }> = {
  0x08: { name: 'uint8', bytes: 1, dtype: 'int32', read: (v, o) => v.getUint8(o) },
  0x09: { name: 'int8', bytes: 1, dtype: 'int32', read: (v, o) => v.getInt8(o) },
  0x0b: { name: 'int16', bytes: 2, dtype: 'int32', read: (v, o) => v.getInt16(o) },
  0x0c: { name: 'int32', bytes: 4, dtype: 'int32', read: (v, o) => v.getInt32(o) },
  0x0d: { name: 'float32', bytes: 4, dtype: 'float32', read: (v, o) => v.getFloat32(o) },
  0x0e: { name: 'float64', bytes: 8, dtype: 'float64', read: (v, o) => v.getFloat64(o) },
};

/**
 * Reads an IDX file (MNIST, Fashion-MNIST, EMNIST; gzipped or not) in chunks and yields its first-axis
 * items in batches: for `train-images-idx3-ubyte` of shape [60000, 28, 28], tensors [batchSize, 28, 28].
 * Only one chunk and one batch are in memory. Each pass reads the source again. Pair images with labels
 * with `Pipeline.zip`. A file shorter than its header promises is a `DataFormatError`.
 *
 * @example
 * const images = streamIdx('mnist/train-images-idx3-ubyte.gz', { batchSize: 128, dtype: 'float32', scale: 255 });
 * const labels = streamIdx('mnist/train-labels-idx1-ubyte.gz', { batchSize: 128 });
 * await fit(model, { data: Pipeline.zip(images, labels), loss: 'crossEntropy', optimizer, epochs: 1 });
 */
export function streamIdx(source: StreamSource, options: IdxStreamOptions = {}): Pipeline<Tensor> {
  const op = 'streamIdx';
  checkOptionKeys(op, options, ['batchSize', 'dtype', 'scale', 'chunkSize']);
  const batchSize = options.batchSize ?? 256;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new ValueError(op, `batchSize must be a positive integer, got ${batchSize}`);
  const scale = options.scale ?? 1;
  if (!(scale > 0)) throw new ValueError(op, `scale must be positive, got ${scale}`);
  if (scale !== 1 && options.dtype !== 'float32' && options.dtype !== 'float64') throw new ValueError(op, "scale needs dtype 'float32' or 'float64'");
  return Pipeline.from(async function* () {
    const reader = new ByteReader(byteChunks(op, source, options));
    try {
      const magic = await reader.read(op, 4, 'the magic number');
      if (magic[0] !== 0 || magic[1] !== 0) {
        throw new DataFormatError(op, `magic number is ${Array.from(magic, (b) => b.toString(16).padStart(2, '0')).join(' ')}, expected 00 00 <type> <rank>`);
      }
      const spec = SPECS[magic[2]];
      if (!spec) throw new DataFormatError(op, `type code 0x${magic[2].toString(16)} is not one of 08, 09, 0b, 0c, 0d, 0e`);
      const rank = magic[3];
      if (rank === 0) throw new DataFormatError(op, 'a rank-0 IDX file has no items to stream');
      const dims = await reader.read(op, 4 * rank, `the header of rank ${rank}`);
      const dv = new DataView(dims.buffer, dims.byteOffset, dims.byteLength);
      const shape = Array.from({ length: rank }, (_, k) => dv.getUint32(4 * k));
      const itemShape = shape.slice(1);
      const itemSize = itemShape.reduce((a, b) => a * b, 1);
      const itemBytes = itemSize * spec.bytes;
      const dtype = options.dtype ?? spec.dtype;
      for (let done = 0; done < shape[0]; ) {
        const count = Math.min(batchSize, shape[0] - done);
        const bytes = await reader.read(op, count * itemBytes, `item ${done + count} of ${shape[0]} (shape [${shape.join(', ')}] of ${spec.name})`);
        const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        const out = allocFor(dtype, count * itemSize);
        if (spec.bytes === 1 && spec.name === 'uint8') for (let i = 0; i < out.length; i++) out[i] = bytes[i] / scale;
        else for (let i = 0; i < out.length; i++) out[i] = spec.read(view, i * spec.bytes) / scale;
        yield new Tensor(out, [count, ...itemShape], dtype);
        done += count;
      }
      if (!(await reader.atEnd())) throw new DataFormatError(op, `the data goes on after the ${shape[0]} items of shape [${shape.join(', ')}] its header promises`);
    } finally {
      await reader.close();
    }
  });
}
