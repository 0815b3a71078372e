/**
 * @backprop/io: model files (architecture as JSON + weights as safetensors), checkpoints, and PyTorch
 * weight interchange. Saves are atomic.
 *
 * @packageDocumentation
 */
export { ModelFileError } from './errors.js';
export { encodeSafetensors, decodeSafetensors, MAX_HEADER_BYTES, type DecodeOptions, type Safetensors } from './safetensors.js';
export { SAFETENSORS_DTYPES, type SafetensorsDType } from './dtypes.js';
export { MAX_LAYER_NESTING } from './architecture.js';
export { writeFileAtomic, readFileBytes } from './atomic-write.js';
export {
  FORMAT_VERSION, saveModel, loadModel, modelToBytes, modelFromBytes, modelToBlob, modelFromBlob, loadWeights, saveWeights,
  type SaveModelOptions, type LoadedModel,
} from './model-file.js';
export { saveCheckpoint, loadCheckpoint, type CheckpointState, type LoadedCheckpoint } from './checkpoint.js';
export { readPytorchFile, loadPytorchStateDict, type PytorchFile } from './pytorch/pt-file.js';
export { exportPytorch, pytorchModuleSource } from './pytorch/export.js';
export { loadTfjsModel, loadTfjsModelFromFiles, loadTfjsModelFromUrl } from './tfjs/load.js';
export { TFJS_LAYERS, TFJS_ACTIVATIONS } from './tfjs/convert.js';
export { Permute } from './tfjs/permute.js';
export type { TfjsModelJson, TfjsWeightsGroup, TfjsWeightSpec } from './tfjs/weights.js';
export {
  modelIOHandler, MODEL_URL_SCHEMES, INDEXEDDB_DATABASE, INDEXEDDB_STORE, LOCALSTORAGE_PREFIX, type ModelIOHandler,
} from './handlers/handlers.js';
export { SamePad2d } from './tfjs/same-pad.js';
