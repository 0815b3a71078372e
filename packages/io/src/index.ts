/**
 * @backprop/io: model files. Weights are stored in the safetensors format; saves are atomic.
 *
 * @packageDocumentation
 */
export { ModelFileError } from './errors.js';
export { encodeSafetensors, decodeSafetensors, MAX_HEADER_BYTES, type DecodeOptions, type Safetensors } from './safetensors.js';
export { writeFileAtomic, readFileBytes } from './atomic-write.js';
