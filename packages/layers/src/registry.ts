import { ValueError, type Generator } from '@backprop/tensor';
import type { LayerConfig } from './config.js';
import type { AnyModule } from './module.js';

/** What a layer factory receives besides its config. */
export interface BuildContext {
  /** Generator for the new layer's initial weights (the default generator when omitted). */
  generator?: Generator;
  /** Builds a nested config (Sequential's layers, Residual's module) with the same context. */
  build(config: LayerConfig): AnyModule;
}

/** Builds a layer from its config. */
export type LayerFactory = (config: LayerConfig, context: BuildContext) => AnyModule;

/** A layer class with a static `fromConfig`, as every built-in layer has. */
export interface LayerClass {
  fromConfig(config: LayerConfig, context: BuildContext): AnyModule;
}

const registry = new Map<string, LayerFactory>();

/**
 * Makes `layerFromConfig` able to rebuild configs of `type: name`: pass a class with a static
 * `fromConfig(config, context)` or a factory function `(config, context) => module`. Plugins register
 * their layers this way and they rebuild exactly like the built-ins. A name can be registered once.
 *
 * @example
 * registerLayer('Scale', (config) => new Scale(config.factor as number));
 * layerFromConfig({ type: 'Sequential', layers: [{ type: 'Scale', factor: 2 }] });
 */
export function registerLayer(name: string, layer: LayerClass | LayerFactory): void {
  if (typeof name !== 'string' || name === '') throw new ValueError('registerLayer', `name must be a non-empty string, got ${JSON.stringify(name)}`);
  if (registry.has(name)) throw new ValueError('registerLayer', `a layer named "${name}" is already registered`);
  if (typeof (layer as LayerClass).fromConfig === 'function') {
    const cls = layer as LayerClass;
    registry.set(name, (config, context) => cls.fromConfig(config, context));
  } else if (typeof layer === 'function' && !/^class[\s{]/.test(Function.prototype.toString.call(layer))) {
    registry.set(name, layer as LayerFactory);
  } else {
    throw new ValueError('registerLayer', `"${name}" must be a factory (config, context) => module or a class with a static fromConfig(config, context)`);
  }
}

/**
 * The names `layerFromConfig` understands, sorted.
 * @example listLayers().includes('Linear'); // true
 */
export function listLayers(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Rebuilds a layer (and any nested layers) from `toConfig()` output, with fresh weights drawn from
 * `generator`; load saved weights afterwards with `loadStateDict`.
 *
 * @example
 * const copy = layerFromConfig(JSON.parse(JSON.stringify(model.toConfig())), { generator: new Generator(0) });
 * copy.loadStateDict(model.stateDict());
 */
export function layerFromConfig(config: LayerConfig, options: { generator?: Generator } = {}): AnyModule {
  return buildNested(config, options, 1);
}

/**
 * How deeply layer configs may nest (a Sequential inside a Residual inside …). Real models nest a handful
 * of levels; a file nesting thousands would overflow the stack while building.
 */
const MAX_NESTING = 128;

function buildNested(config: LayerConfig, options: { generator?: Generator }, depth: number): AnyModule {
  if (depth > MAX_NESTING) {
    throw new ValueError('layerFromConfig', `layer configs nest more than ${MAX_NESTING} levels deep (the nesting limit); got a config nested deeper`);
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    throw new ValueError('layerFromConfig', `expected a config object { type, ...options }, got ${JSON.stringify(config)}`);
  }
  const factory = registry.get(config.type);
  if (!factory) {
    throw new ValueError('layerFromConfig', `unknown layer type ${JSON.stringify(config.type)}; known types: ${listLayers().join(', ')}`);
  }
  const context: BuildContext = { generator: options.generator, build: (c) => buildNested(c, options, depth + 1) };
  return factory(config, context);
}
