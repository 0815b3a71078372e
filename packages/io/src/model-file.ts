import { layerFromConfig, type AnyModule, type LayerConfig } from '@backprop/layers';
import type { Generator, Tensor } from '@backprop/tensor';
import { readFileBytes, writeFileAtomic } from './atomic-write.js';
import { ModelFileError } from './errors.js';
import { checkArchitecture } from './architecture.js';
import { LOADS_INTO, type SafetensorsDType } from './dtypes.js';
import { decodeSafetensors, encodeSafetensors } from './safetensors.js';
import { modelIOHandler } from './handlers/handlers.js';
import { registerTfjsLayers } from './tfjs/register.js';

/**
 * The model file format, version 1: a safetensors file whose tensors are the model's `stateDict()` under
 * PyTorch's names (so `safetensors.torch.load_file` gives a state_dict for the matching PyTorch model), and
 * whose `__metadata__` holds:
 * - `format`: `"backprop"`; `formatVersion`: `"1"`; `kind`: `"model"` or `"checkpoint"`;
 * - `config`: the architecture as JSON (`model.toConfig()`), rebuilt through the layer registry;
 * - `training` (checkpoints only): JSON of the optimizer state, epoch, step, RNG state and history;
 * - `user`: JSON of the caller's own metadata (for example input normalization statistics).
 */
export const FORMAT_VERSION = 1;

export interface SaveModelOptions {
  /** JSON-serializable data stored with the model and returned by `loadModel`. */
  metadata?: Record<string, unknown>;
}

export interface LoadedModel {
  model: AnyModule;
  metadata: Record<string, unknown>;
}

function modelConfig(model: AnyModule): LayerConfig {
  const toConfig = (model as { toConfig?: () => LayerConfig }).toConfig;
  if (typeof toConfig !== 'function') throw new ModelFileError(`cannot save a ${model.constructor.name}: it has no toConfig()`);
  return toConfig.call(model);
}

/** Encodes the header fields and tensors shared by model files and checkpoints. */
export function encodeModelFile(model: AnyModule, kind: 'model' | 'checkpoint', extra: Record<string, string>, state?: Map<string, Tensor>): Uint8Array {
  const tensors = state ?? model.stateDict();
  return encodeSafetensors(tensors, {
    format: 'backprop',
    formatVersion: String(FORMAT_VERSION),
    kind,
    config: JSON.stringify(modelConfig(model)),
    ...extra,
  });
}

/** JSON nesting allowed in the metadata fields a program receives (`user`, `training`): deeper would overflow its stack. */
const MAX_METADATA_NESTING = 264;

/** Parses a JSON metadata field, refusing invalid JSON and nesting deeper than `maxNesting`. */
export function parseJsonField(metadata: Record<string, string>, field: string, source?: string, maxNesting = MAX_METADATA_NESTING): unknown {
  let value: unknown;
  try {
    value = JSON.parse(metadata[field]);
  } catch (e) {
    throw new ModelFileError(`metadata field '${field}' is not valid JSON (${(e as Error).message})`, source);
  }
  // Iterative, so that measuring a hostile depth costs no stack either.
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxNesting) {
      throw new ModelFileError(`metadata field '${field}' nests deeper than ${maxNesting} JSON levels (the limit)`, source);
    }
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return value;
}

/** The caller's metadata (`user`): a JSON object when present. */
function userMetadata(metadata: Record<string, string>, source?: string): Record<string, unknown> {
  if (metadata.user === undefined) return {};
  const user = parseJsonField(metadata, 'user', source);
  if (user === null || typeof user !== 'object' || Array.isArray(user)) {
    throw new ModelFileError(`metadata field 'user' must be a JSON object, got ${JSON.stringify(user)?.slice(0, 80)}`, source);
  }
  return user as Record<string, unknown>;
}

/**
 * Every model tensor must come from a file dtype of its own kind: floats from F32/F16/BF16/F64, integers
 * from integer dtypes, bools from BOOL. Reading raw bytes as another kind (F32 weights declared I32)
 * would load numbers that mean nothing.
 */
function checkDtypes(model: AnyModule, dtypes: Map<string, SafetensorsDType>, source?: string): void {
  const problems: string[] = [];
  for (const [name, t] of model.stateDict()) {
    const stored = dtypes.get(name);
    if (stored !== undefined && !LOADS_INTO[t.dtype].includes(stored)) {
      problems.push(`tensor '${name}' is ${stored} in the file but the model's is ${t.dtype} (expected ${LOADS_INTO[t.dtype].join(', ')})`);
    }
  }
  if (problems.length > 0) {
    const more = problems.length > 10 ? `; and ${problems.length - 10} more` : '';
    throw new ModelFileError(`the stored weights have the wrong dtypes for the stored architecture: ${problems.slice(0, 10).join('; ')}${more}`, source);
  }
}

/**
 * Decodes and validates a model file or checkpoint, rebuilding the model and loading its weights. The
 * architecture is checked against the file's tensors before anything is built (see `checkArchitecture`),
 * so a hostile file costs time and memory bounded by its size.
 */
export function decodeModelFile(bytes: Uint8Array, options: { source?: string; generator?: Generator; expectKind?: 'checkpoint' } = {}) {
  const source = options.source;
  const { tensors, metadata, dtypes } = decodeSafetensors(bytes, { source });
  if (metadata.format !== 'backprop' || metadata.config === undefined) {
    throw new ModelFileError(
      'this safetensors file has no backprop model config (plain weights? load them with loadWeights and model.loadStateDict)',
      source,
    );
  }
  if (!/^[0-9]+$/.test(metadata.formatVersion ?? '') || Number(metadata.formatVersion) < 1) {
    throw new ModelFileError(`metadata field 'formatVersion' must be a version number such as '1', got ${JSON.stringify(metadata.formatVersion)}`, source);
  }
  const version = Number(metadata.formatVersion);
  if (version > FORMAT_VERSION) {
    throw new ModelFileError(
      `the file has format version ${version}, written by a newer backprop; this version reads format versions up to ${FORMAT_VERSION}: upgrade @backprop/io`,
      source,
    );
  }
  if (metadata.kind !== 'model' && metadata.kind !== 'checkpoint') {
    throw new ModelFileError(`metadata field 'kind' must be 'model' or 'checkpoint', got ${JSON.stringify(metadata.kind)}`, source);
  }
  if (options.expectKind === 'checkpoint' && metadata.kind !== 'checkpoint') {
    throw new ModelFileError(`expected a checkpoint but the file is a '${metadata.kind}' file`, source);
  }
  // The architecture's nesting is checked by checkArchitecture, which names the layer nesting limit.
  const config = parseJsonField(metadata, 'config', source, Infinity) as LayerConfig;
  let values = 0;
  for (const t of tensors.values()) values += t.size;
  const problem = checkArchitecture(config, { values, tensors: tensors.size });
  if (problem) throw new ModelFileError(problem, source);
  let model: AnyModule;
  // Imported TensorFlow.js models use two layers of this package (Permute, SamePad2d).
  registerTfjsLayers();
  try {
    model = layerFromConfig(config, { generator: options.generator });
  } catch (e) {
    throw new ModelFileError(`the stored architecture cannot be rebuilt: ${(e as Error).message}`, source);
  }
  checkDtypes(model, dtypes, source);
  try {
    // Validates every key and shape first, listing all problems in one error, before any weight changes.
    model.loadStateDict(tensors);
  } catch (e) {
    throw new ModelFileError(`the stored weights do not fit the stored architecture: ${(e as Error).message}`, source);
  }
  return { model, metadata: userMetadata(metadata, source), raw: metadata, tensors };
}

/**
 * The model as bytes (architecture + weights), for browsers (`new Blob([bytes])`) or any storage.
 *
 * @example
 * const bytes = modelToBytes(model);
 * const { model: copy } = modelFromBytes(bytes);
 */
export function modelToBytes(model: AnyModule, options: SaveModelOptions = {}): Uint8Array {
  const extra: Record<string, string> = {};
  if (options.metadata) extra.user = JSON.stringify(options.metadata);
  return encodeModelFile(model, 'model', extra);
}

/** Rebuilds a model from `modelToBytes` output (or a file's contents). */
export function modelFromBytes(bytes: Uint8Array | ArrayBuffer, options: { generator?: Generator } = {}): LoadedModel {
  const { model, metadata } = decodeModelFile(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), options);
  return { model, metadata };
}

/** Reads a model from a `Blob` (a browser download, a file input). */
export async function modelFromBlob(blob: Blob): Promise<LoadedModel> {
  return modelFromBytes(new Uint8Array(await blob.arrayBuffer()));
}

/** The model file as a `Blob`, ready for a browser download. */
export function modelToBlob(model: AnyModule, options: SaveModelOptions = {}): Blob {
  return new Blob([modelToBytes(model, options) as BlobPart], { type: 'application/octet-stream' });
}

/**
 * Saves the architecture and weights to `path`, atomically (Node), or to a model URL: `https://…`
 * (POSTs the file's bytes), `indexeddb://name`, `localstorage://name` or `downloads://name` (browsers).
 *
 * @example
 * await saveModel(model, 'digits.safetensors', { metadata: { classes: 10 } });
 * await saveModel(model, 'indexeddb://digits'); // in a browser
 */
export async function saveModel(model: AnyModule, path: string, options: SaveModelOptions = {}): Promise<void> {
  const handler = modelIOHandler(path);
  if (handler) return handler.save(modelToBytes(model, options));
  await writeFileAtomic(path, modelToBytes(model, options));
}

/** Loads a model saved by `saveModel`: a file path (Node), `http(s)://` (fetch), `indexeddb://` or `localstorage://`. */
export async function loadModel(path: string, options: { generator?: Generator } = {}): Promise<LoadedModel> {
  const handler = modelIOHandler(path);
  const bytes = handler ? await handler.load() : await readFileBytes(path);
  const { model, metadata } = decodeModelFile(bytes, { source: path, ...options });
  return { model, metadata };
}

/**
 * Reads plain weights (any safetensors file, e.g. one written by PyTorch's `safetensors.torch.save_file`)
 * as a name → tensor map, for `model.loadStateDict`.
 *
 * @example
 * model.loadStateDict(await loadWeights('torch_model.safetensors'));
 */
export async function loadWeights(path: string): Promise<Map<string, Tensor>> {
  return decodeSafetensors(await readFileBytes(path), { source: path }).tensors;
}

/** Writes a model's `stateDict()` alone, as PyTorch's `safetensors.torch.save_file(model.state_dict())` does. */
export async function saveWeights(model: AnyModule, path: string): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(model.stateDict()));
}
