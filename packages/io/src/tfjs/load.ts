import type { Sequential } from '@backprop/layers';
import { readFileBytes } from '../atomic-write.js';
import { ModelFileError } from '../errors.js';
import { convertTfjsTopology } from './convert.js';
import { readTfjsWeights, type TfjsModelJson } from './weights.js';

function checkModelJson(modelJson: unknown, source?: string): TfjsModelJson {
  if (modelJson === null || typeof modelJson !== 'object' || Array.isArray(modelJson)) {
    throw new ModelFileError(`a tfjs model.json must be a JSON object, got ${Array.isArray(modelJson) ? 'an array' : typeof modelJson}`, source);
  }
  const json = modelJson as Partial<TfjsModelJson>;
  if (json.format !== undefined && json.format !== 'layers-model') {
    throw new ModelFileError(`model.json has format ${JSON.stringify(json.format)}; only tfjs-layers models ('layers-model') can be imported (a graph model holds no layers)`, source);
  }
  if (json.modelTopology === undefined) throw new ModelFileError("model.json has no 'modelTopology' (is it a tfjs-layers model saved with model.save()?)", source);
  if (json.weightsManifest === undefined) throw new ModelFileError("model.json has no 'weightsManifest'", source);
  return json as TfjsModelJson;
}

/**
 * Imports a TensorFlow.js (tfjs-layers) or Keras Sequential model saved with `model.save()`: the parsed
 * `model.json` and its weight shards by the file names the manifest lists. The result is a `Sequential`
 * of backprop layers in eval mode that gives the tfjs model's outputs for the same inputs (within float32
 * rounding), including Keras' channels-last images (`[N, H, W, C]`): it permutes to channels-first for
 * the convolutions and back before a `Flatten` or `Dense`. Embedding inputs are int32 indices.
 *
 * Converted layers: Dense, Conv2D (`valid` or `same`), MaxPooling2D (`valid` or `same`), AveragePooling2D
 * (`valid`), GlobalAveragePooling2D, BatchNormalization (Keras' epsilon kept, momentum
 * m becomes PyTorch's 1 − m), LSTM and GRU (`reset_after=true`, sigmoid recurrent activation; the last
 * step when `return_sequences` is false), Embedding, Dropout, Flatten, Reshape, Permute, GlobalMaxPooling2D,
 * Activation, ReLU, LeakyReLU, ELU and Softmax (`TFJS_LAYERS`), with the
 * activations listed in `TFJS_ACTIVATIONS`. Anything else is a `ModelFileError` naming the layer's class
 * and name.
 *
 * @example
 * const modelJson = JSON.parse(await (await fetch('model/model.json')).text());
 * const shard = new Uint8Array(await (await fetch('model/group1-shard1of1.bin')).arrayBuffer());
 * const model = loadTfjsModel(modelJson, new Map([['group1-shard1of1.bin', shard]]));
 * model.call(tensor(pixels, [1, 28, 28, 1]));
 */
export function loadTfjsModel(modelJson: unknown, weightShards: ReadonlyMap<string, Uint8Array> | Record<string, Uint8Array>, options: { source?: string } = {}): Sequential {
  const source = options.source;
  const json = checkModelJson(modelJson, source);
  const shards = weightShards instanceof Map ? weightShards : new Map(Object.entries(weightShards));
  return convertTfjsTopology(json.modelTopology, readTfjsWeights(json.weightsManifest, shards, source), source);
}

/**
 * Imports a tfjs-layers model from a `model.json` path and the shard files next to it (Node); see
 * `loadTfjsModel`.
 *
 * @example
 * const model = await loadTfjsModelFromFiles('exported/model.json');
 */
export async function loadTfjsModelFromFiles(pathToModelJson: string): Promise<Sequential> {
  const { dirname, join } = await import('node:path');
  const text = new TextDecoder().decode(await readFileBytes(pathToModelJson));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFileError(`not valid JSON (${(e as Error).message})`, pathToModelJson);
  }
  const modelJson = checkModelJson(json, pathToModelJson);
  const shards = new Map<string, Uint8Array>();
  if (!Array.isArray(modelJson.weightsManifest)) throw new ModelFileError("model.json: 'weightsManifest' must be an array", pathToModelJson);
  for (const group of modelJson.weightsManifest) {
    for (const path of Array.isArray(group?.paths) ? group.paths : []) {
      if (typeof path !== 'string' || shards.has(path)) continue;
      // A model.json is untrusted: its shards must lie beside it or below, not anywhere on the disk.
      if (path.startsWith('/') || path.includes('\\') || path.split('/').includes('..')) {
        throw new ModelFileError(`weight shard path ${JSON.stringify(path)} must be relative and stay in the model.json's folder`, pathToModelJson);
      }
      shards.set(path, await readFileBytes(join(dirname(pathToModelJson), path)));
    }
  }
  return loadTfjsModel(modelJson, shards, { source: pathToModelJson });
}

async function fetchOk(url: string, what: string, source: string): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url);
  } catch (e) {
    throw new ModelFileError(`fetching ${what} ${url} failed (${(e as Error).message})`, source);
  }
  if (!response.ok) throw new ModelFileError(`fetching ${what} ${url} failed: HTTP ${response.status} ${response.statusText}`.trimEnd(), source);
  return response;
}

/**
 * Imports a tfjs-layers model from the URL of its `model.json` (browsers and Node ≥ 18: `fetch`),
 * fetching the shards the manifest lists relative to that URL, as `tf.loadLayersModel(url)` does; see
 * `loadTfjsModel`.
 *
 * @example
 * const model = await loadTfjsModelFromUrl('https://example.com/mnist/model.json');
 */
export async function loadTfjsModelFromUrl(url: string): Promise<Sequential> {
  const response = await fetchOk(url, 'the model.json', url);
  let json: unknown;
  try {
    json = JSON.parse(await response.text());
  } catch (e) {
    throw new ModelFileError(`not valid JSON (${(e as Error).message})`, url);
  }
  const modelJson = checkModelJson(json, url);
  if (!Array.isArray(modelJson.weightsManifest)) throw new ModelFileError("model.json: 'weightsManifest' must be an array", url);
  const shards = new Map<string, Uint8Array>();
  for (const group of modelJson.weightsManifest) {
    for (const path of Array.isArray(group?.paths) ? group.paths : []) {
      if (typeof path !== 'string' || shards.has(path)) continue;
      const shard = await fetchOk(new URL(path, url).href, 'the weight shard', url);
      shards.set(path, new Uint8Array(await shard.arrayBuffer()));
    }
  }
  return loadTfjsModel(modelJson, shards, { source: url });
}
