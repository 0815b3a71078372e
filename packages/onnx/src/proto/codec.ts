import protobuf from 'protobufjs/light.js';
import type { OnnxModelProto } from '../onnx-model.js';
import { ONNX_SCHEMA } from './schema.js';

let modelType: protobuf.Type | undefined;

/** The `ModelProto` message type, built once from the JSON schema on first use. */
function getModelType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA).lookupType('onnx.ModelProto');
  return modelType;
}

/**
 * Serializes a model to `.onnx` bytes without checking it (`exportOnnx` validates first; tests use this
 * directly to build deliberately broken files).
 */
export function encodeOnnxModel(model: OnnxModelProto): Uint8Array {
  const type = getModelType();
  const bytes = type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
  // In Node protobufjs returns a Buffer; callers get the plain Uint8Array the signature promises.
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Parses `.onnx` bytes back into plain objects (int64 fields as numbers, bytes as `Uint8Array`), to
 * inspect an exported file.
 *
 * @example
 * const model = decodeOnnx(exportOnnx(mlp, { inputShape: [1, 4] }));
 * model.graph.node.map((n) => n.opType); // ['Gemm', 'Tanh', 'Gemm']
 */
export function decodeOnnx(bytes: Uint8Array): OnnxModelProto {
  const type = getModelType();
  const object = type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array, arrays: true, defaults: false });
  const model = object as unknown as OnnxModelProto;
  // proto3 leaves empty strings out of the wire format; the default domain reads back as ''.
  model.opsetImport = (model.opsetImport ?? []).map((o) => ({ domain: o.domain ?? '', version: o.version }));
  return model;
}
