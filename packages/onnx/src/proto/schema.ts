/**
 * The part of ONNX's `onnx.proto` (IR version 10) that a model file of feed-forward and recurrent networks
 * needs, as a protobufjs JSON descriptor. Field numbers are those of onnx.proto, so files written with
 * this schema read in any ONNX tool; fields left out (sparse tensors, training info, functions) are
 * skipped by the decoder, as protobuf requires. Enum fields are declared `int32`, which has the same
 * wire encoding and keeps the schema small.
 */
const f = (type: string, id: number, repeated = false) => (repeated ? { type, id, rule: 'repeated' } : { type, id });

export const ONNX_SCHEMA = {
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: f('int64', 1),
            producerName: f('string', 2),
            producerVersion: f('string', 3),
            domain: f('string', 4),
            modelVersion: f('int64', 5),
            docString: f('string', 6),
            graph: f('GraphProto', 7),
            opsetImport: f('OperatorSetIdProto', 8, true),
            metadataProps: f('StringStringEntryProto', 14, true),
          },
        },
        OperatorSetIdProto: { fields: { domain: f('string', 1), version: f('int64', 2) } },
        StringStringEntryProto: { fields: { key: f('string', 1), value: f('string', 2) } },
        GraphProto: {
          fields: {
            node: f('NodeProto', 1, true),
            name: f('string', 2),
            initializer: f('TensorProto', 5, true),
            docString: f('string', 10),
            input: f('ValueInfoProto', 11, true),
            output: f('ValueInfoProto', 12, true),
            valueInfo: f('ValueInfoProto', 13, true),
          },
        },
        NodeProto: {
          fields: {
            input: f('string', 1, true),
            output: f('string', 2, true),
            name: f('string', 3),
            opType: f('string', 4),
            attribute: f('AttributeProto', 5, true),
            docString: f('string', 6),
            domain: f('string', 7),
          },
        },
        AttributeProto: {
          fields: {
            name: f('string', 1),
            f: f('float', 2),
            i: f('int64', 3),
            s: f('bytes', 4),
            t: f('TensorProto', 5),
            g: f('GraphProto', 6),
            floats: f('float', 7, true),
            ints: f('int64', 8, true),
            strings: f('bytes', 9, true),
            tensors: f('TensorProto', 10, true),
            graphs: f('GraphProto', 11, true),
            docString: f('string', 13),
            type: f('int32', 20),
            refAttrName: f('string', 21),
          },
        },
        TensorProto: {
          fields: {
            dims: f('int64', 1, true),
            dataType: f('int32', 2),
            floatData: f('float', 4, true),
            int32Data: f('int32', 5, true),
            stringData: f('bytes', 6, true),
            int64Data: f('int64', 7, true),
            name: f('string', 8),
            rawData: f('bytes', 9),
            doubleData: f('double', 10, true),
            uint64Data: f('uint64', 11, true),
            docString: f('string', 12),
            dataLocation: f('int32', 14),
          },
        },
        ValueInfoProto: { fields: { name: f('string', 1), type: f('TypeProto', 2), docString: f('string', 3) } },
        TypeProto: {
          fields: { tensorType: f('TypeProtoTensor', 1), denotation: f('string', 6) },
        },
        // onnx.proto nests this as TypeProto.Tensor; nesting does not change the wire format.
        TypeProtoTensor: { fields: { elemType: f('int32', 1), shape: f('TensorShapeProto', 2) } },
        TensorShapeProto: { fields: { dim: f('TensorShapeDimension', 1, true) } },
        // TensorShapeProto.Dimension; dim_value and dim_param form a oneof, and we set only one of them.
        TensorShapeDimension: { fields: { dimValue: f('int64', 1), dimParam: f('string', 2), denotation: f('string', 3) } },
      },
    },
  },
};
