/**
 * @backprop/onnx: exports backprop models to ONNX, so they run in onnxruntime (Node, web, mobile) and
 * every other ONNX runtime. One export rule per layer type, a registry for plugin layers, and a
 * validator that catches what a runtime would reject before a file is written.
 *
 * @packageDocumentation
 */
import { registerBuiltinExporters } from './rules/index.js';

registerBuiltinExporters();

export { exportOnnx, toOnnxModel, type ExportOnnxOptions } from './export.js';
export { saveOnnx } from './save.js';
export { registerOnnxExporter, listOnnxExporters, getOnnxExporter, type OnnxExportRule } from './registry.js';
export { type OnnxExportContext, type OnnxValue } from './context.js';
export { OnnxGraphBuilder } from './graph-builder.js';
export { attr, type OnnxAttributeValue } from './attributes.js';
export { validateOnnxModel } from './validate.js';
export { registerOnnxOp, MIN_OPSET, MAX_OPSET } from './opset.js';
export { decodeOnnx } from './proto/codec.js';
export { OnnxExportError, OnnxValidationError } from './errors.js';
export {
  OnnxDataType,
  OnnxAttributeType,
  type OnnxModelProto,
  type OnnxGraphProto,
  type OnnxNodeProto,
  type OnnxTensorProto,
  type OnnxAttributeProto,
  type OnnxValueInfoProto,
  type OnnxDimension,
  type OnnxOperatorSetId,
} from './onnx-model.js';
export { importOnnx, type ImportOnnxOptions } from './import/import.js';
export { OnnxModule, type OnnxProgram } from './import/onnx-module.js';
export { registerOnnxImporter, listOnnxImporters } from './import/registry.js';
export { ImportContext, type DecodedNode } from './import/context.js';
export { type DecodedTensor } from './import/tensors.js';
export { type OnnxImportRule } from './import/rules-basic.js';
export { OnnxImportError } from './import/errors.js';
