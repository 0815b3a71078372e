/**
 * The ONNX model as plain objects, with the field names of `onnx.proto` in camelCase (`opType`,
 * `rawData`, `dimParam`). The exporter builds these, `validateOnnxModel` checks them and the codec
 * encodes them as protobuf; `decodeOnnx` gives them back.
 */

/** `TensorProto.DataType` values used here (the full list is in onnx.proto). */
export const OnnxDataType = {
  FLOAT: 1,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
} as const;

/** `AttributeProto.AttributeType`. */
export const OnnxAttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/** A tensor with its bytes stored little-endian in `rawData` (an initializer). */
export interface OnnxTensorProto {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}

/** One node attribute; exactly the field matching `type` is set. */
export interface OnnxAttributeProto {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  t?: OnnxTensorProto;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}

/** One operator application. Inputs and outputs are value names; `''` marks an omitted optional input. */
export interface OnnxNodeProto {
  name: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: OnnxAttributeProto[];
}

/** A dimension: a fixed size or a named symbol such as `'batch'`. */
export interface OnnxDimension {
  dimValue?: number;
  dimParam?: string;
}

/** A typed, shaped value: a graph input or output. */
export interface OnnxValueInfoProto {
  name: string;
  type?: { tensorType?: { elemType?: number; shape?: { dim?: OnnxDimension[] } } };
}

/** The computation: nodes in topological order over named values. */
export interface OnnxGraphProto {
  name: string;
  node: OnnxNodeProto[];
  initializer: OnnxTensorProto[];
  input: OnnxValueInfoProto[];
  output: OnnxValueInfoProto[];
  docString?: string;
}

/** An operator set the model uses; the default domain `''` is ONNX's own. */
export interface OnnxOperatorSetId {
  domain: string;
  version: number;
}

/** A whole `.onnx` file. */
export interface OnnxModelProto {
  irVersion: number;
  opsetImport: OnnxOperatorSetId[];
  producerName: string;
  producerVersion: string;
  docString?: string;
  graph: OnnxGraphProto;
}
