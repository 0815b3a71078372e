import { tensor, type Tensor } from '@backprop/tensor';
import { ModelFileError } from '../errors.js';
import { halfToFloat32 } from '../dtypes.js';

/** One entry of a tfjs `weightsManifest` group: a tensor's name, shape and stored dtype. */
export interface TfjsWeightSpec {
  /** `<layer name>/<weight>` (`dense_Dense1/kernel`; converted Keras files: `lstm/lstm_cell/kernel`). */
  name: string;
  /** The tensor's shape in Keras' layout (a Dense kernel is `[in, out]`). */
  shape: number[];
  /** `float32` or `int32` (others are refused): the dtype after dequantization. */
  dtype: string;
  /**
   * How a quantized weight is stored (`tensorflowjs_converter --quantize_*`): `uint8`/`uint16` codes q
   * meaning q · scale + min, or `float16` halves.
   */
  quantization?: { dtype: string; scale?: number; min?: number };
}

/** A tfjs weights manifest group: shard files whose concatenated bytes hold `weights` in order. */
export interface TfjsWeightsGroup {
  /** Shard file names, relative to the model.json, in the order their bytes concatenate. */
  paths: string[];
  /** The tensors those bytes hold, one after another. */
  weights: TfjsWeightSpec[];
}

/** The parts of a tfjs `model.json` the importer reads. */
export interface TfjsModelJson {
  /** The Keras model config: `{ class_name: 'Sequential', config: { layers } }` (or wrapped in `model_config`). */
  modelTopology: unknown;
  /** Where the weights are: groups of shards. */
  weightsManifest: TfjsWeightsGroup[];
  /** `layers-model` for tfjs-layers files (graph models are refused). */
  format?: string;
  /** The library that wrote the file (`TensorFlow.js tfjs-layers v4.22.0`). */
  generatedBy?: string;
  /** The converter, for Keras files converted by `tensorflowjs_converter`. */
  convertedBy?: string | null;
}

const BYTES: Record<string, number> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/**
 * Reads every tensor of a weights manifest from its shards (name → tensor). Each group's shards are
 * concatenated and its weights read one after another, as tfjs writes them (little-endian).
 */
export function readTfjsWeights(manifest: TfjsWeightsGroup[], shards: ReadonlyMap<string, Uint8Array>, source?: string): Map<string, Tensor> {
  if (!Array.isArray(manifest)) throw new ModelFileError(`model.json: 'weightsManifest' must be an array of { paths, weights }, got ${typeof manifest}`, source);
  const out = new Map<string, Tensor>();
  for (const [g, group] of manifest.entries()) {
    if (!Array.isArray(group?.paths) || !Array.isArray(group?.weights)) {
      throw new ModelFileError(`model.json: weightsManifest[${g}] must have 'paths' and 'weights' arrays`, source);
    }
    const parts = group.paths.map((p) => {
      const bytes = shards.get(p);
      if (bytes === undefined) throw new ModelFileError(`model.json names the weight shard '${p}', which was not given (have: ${[...shards.keys()].join(', ') || 'none'})`, source);
      return bytes;
    });
    const buffer = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      buffer.set(p, at);
      at += p.length;
    }
    let offset = 0;
    for (const spec of group.weights) {
      if (spec.dtype !== 'float32' && spec.dtype !== 'int32') {
        throw new ModelFileError(`weight '${spec.name}' has dtype ${JSON.stringify(spec.dtype)}; expected float32 or int32`, source);
      }
      if (!Array.isArray(spec.shape) || spec.shape.some((d) => !Number.isInteger(d) || d < 0)) {
        throw new ModelFileError(`weight '${spec.name}' has shape ${JSON.stringify(spec.shape)}; expected a list of sizes`, source);
      }
      const stored = spec.quantization === undefined ? spec.dtype : spec.quantization?.dtype;
      const bytesPer = typeof stored === 'string' && Object.prototype.hasOwnProperty.call(BYTES, stored) ? BYTES[stored] : undefined;
      if (bytesPer === undefined) {
        throw new ModelFileError(`weight '${spec.name}' is quantized as ${JSON.stringify(spec.quantization)}; expected dtype uint8, uint16 or float16`, source);
      }
      const size = spec.shape.reduce((p, d) => p * d, 1);
      const length = size * bytesPer;
      if (offset + length > buffer.length) {
        throw new ModelFileError(`weight '${spec.name}' ends at byte ${offset + length} but the shards of group ${g} hold ${buffer.length} bytes`, source);
      }
      // A copy: typed arrays need aligned storage, whatever the weight's offset in the shard.
      out.set(spec.name, decodeWeight(spec, buffer.slice(offset, offset + length).buffer, source));
      offset += length;
    }
  }
  return out;
}

/** One weight's tensor from its bytes, dequantized as tfjs does (little-endian). */
function decodeWeight(spec: TfjsWeightSpec, bytes: ArrayBuffer, source?: string): Tensor {
  const q = spec.quantization;
  if (q === undefined) return tensor(spec.dtype === 'float32' ? new Float32Array(bytes) : new Int32Array(bytes), spec.shape);
  if (q.dtype === 'float16') {
    if (spec.dtype !== 'float32') throw new ModelFileError(`weight '${spec.name}' is float16-quantized ${spec.dtype}; float16 holds float32 weights only`, source);
    return tensor(Float32Array.from(new Uint16Array(bytes), halfToFloat32), spec.shape);
  }
  const { scale, min } = q;
  if (typeof scale !== 'number' || typeof min !== 'number' || !Number.isFinite(scale) || !Number.isFinite(min)) {
    throw new ModelFileError(`weight '${spec.name}' is ${q.dtype}-quantized but its scale and min are ${JSON.stringify(scale)} and ${JSON.stringify(min)}; expected finite numbers`, source);
  }
  // The codes as int32 (exact), then value = q · scale + min with tensor ops.
  const codes = tensor(Int32Array.from(q.dtype === 'uint8' ? new Uint8Array(bytes) : new Uint16Array(bytes)), spec.shape);
  const values = codes.astype('float32').mul(scale).add(min);
  return spec.dtype === 'int32' ? values.round().astype('int32') : values;
}
