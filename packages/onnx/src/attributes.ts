import { OnnxAttributeType, type OnnxAttributeProto } from './onnx-model.js';

/**
 * A node attribute value with its ONNX type made explicit: a JavaScript number cannot say whether
 * `alpha: 1` is a FLOAT or an INT, and onnxruntime rejects the wrong one.
 */
export type OnnxAttributeValue = Omit<OnnxAttributeProto, 'name'>;

/**
 * Builders for typed attribute values, for `graph.node(op, inputs, attributes)`.
 *
 * @example graph.node('LeakyRelu', [x], { alpha: attr.float(0.01) });
 */
export const attr = {
  /** A FLOAT attribute. */
  float: (value: number): OnnxAttributeValue => ({ type: OnnxAttributeType.FLOAT, f: value }),
  /** An INT attribute (int64 in the file). */
  int: (value: number): OnnxAttributeValue => ({ type: OnnxAttributeType.INT, i: value }),
  /** A STRING attribute (UTF-8 bytes in the file). */
  string: (value: string): OnnxAttributeValue => ({ type: OnnxAttributeType.STRING, s: new TextEncoder().encode(value) }),
  /** A STRINGS attribute. */
  strings: (values: readonly string[]): OnnxAttributeValue => ({ type: OnnxAttributeType.STRINGS, strings: values.map((v) => new TextEncoder().encode(v)) }),
  /** A FLOATS attribute. */
  floats: (values: readonly number[]): OnnxAttributeValue => ({ type: OnnxAttributeType.FLOATS, floats: [...values] }),
  /** An INTS attribute. */
  ints: (values: readonly number[]): OnnxAttributeValue => ({ type: OnnxAttributeType.INTS, ints: [...values] }),
};
