import { Residual, Sequential, layerFromConfig, listLayers, type AnyModule, type LayerConfig, type Module } from '@backprop/layers';
import { Generator } from '@backprop/tensor';
import { showValue } from '../config/format-issue.js';
import { ConfigError, messageOf } from '../errors.js';

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const onlyKeys = (v: Record<string, unknown>, keys: string[]) => Object.keys(v).every((k) => keys.includes(k));

/**
 * Builds one layer config, descending into Sequential and Residual itself so that an error inside names
 * the exact layer (`$.model.layers[2]`); the same generator in the same order gives the same weights as
 * `layerFromConfig` on the whole config.
 */
function build(config: unknown, path: string, generator: Generator): AnyModule {
  if (!isObject(config) || typeof config.type !== 'string') {
    throw new ConfigError(path, `expected a layer config { "type": "Linear", …options }, got ${showValue(config)}`);
  }
  if (config.type === 'Sequential' && Array.isArray(config.layers) && onlyKeys(config, ['type', 'layers'])) {
    if (config.layers.length === 0) throw new ConfigError(`${path}.layers`, 'expected at least one layer, got []');
    return new Sequential(...config.layers.map((c, i) => build(c, `${path}.layers[${i}]`, generator) as Module));
  }
  if (config.type === 'Residual' && onlyKeys(config, ['type', 'module']) && config.module !== undefined) {
    return new Residual(build(config.module, `${path}.module`, generator) as Module);
  }
  if (!listLayers().includes(config.type)) {
    throw new ConfigError(
      path,
      `unknown layer type ${JSON.stringify(config.type)}; known types: ${listLayers().join(', ')} (a plugin layer? load it with --plugin <module>)`,
    );
  }
  try {
    return layerFromConfig(config as LayerConfig, { generator });
  } catch (e) {
    throw new ConfigError(path, messageOf(e));
  }
}

/**
 * The model a config describes, with weights drawn from a generator seeded by `seed`. An array is short
 * for a Sequential of those layers.
 *
 * @example
 * buildModel([{ type: 'Linear', inFeatures: 4, outFeatures: 3 }], 0, '$.model');
 */
export function buildModel(config: unknown, seed: number, path = '$.model'): Module {
  if (Array.isArray(config) && config.length === 0) throw new ConfigError(path, 'expected at least one layer, got []');
  const generator = new Generator(seed);
  // Every layer a config can name maps tensors to a tensor (recurrent ones end in LastTimeStep).
  return build(Array.isArray(config) ? { type: 'Sequential', layers: config } : config, path, generator) as Module;
}

/** The config of a model given as an array or an object, in the object form that model files store. */
export function normalizeModelConfig(config: unknown): unknown {
  if (Array.isArray(config) && config.length === 0) throw new ConfigError('$.model', 'expected at least one layer, got []');
  return Array.isArray(config) ? { type: 'Sequential', layers: config } : config;
}
