import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as layers from '@backprop/layers';
import type { registerOnnxExporter } from '@backprop/onnx';
import { CliError, UsageError, messageOf } from './errors.js';

/** What a plugin's `register` receives: the registries of the very packages this CLI runs on. */
export interface PluginContext {
  registerLayer: typeof layers.registerLayer;
  layers: typeof layers;
  /** For `backprop export`: the ONNX rule of a plugin layer (`@backprop/onnx`'s, as the CLI loads it). */
  registerOnnxExporter: typeof registerOnnxExporter;
}

const looksLikePath = (spec: string) => /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/])/.test(spec) || /\.[cm]?js$/.test(spec);

/** The ESM entry a package's manifest declares: `exports["."].import`, else `module`, else `main`. */
function esmEntry(manifest: Record<string, any>): string | undefined {
  const root = typeof manifest.exports === 'object' && manifest.exports !== null ? (manifest.exports['.'] ?? manifest.exports) : undefined;
  const imp = root?.import;
  return (typeof imp === 'string' ? imp : imp?.default) ?? manifest.module ?? manifest.main;
}

/**
 * The URL to import: a path relative to the cwd, or a package resolved from the cwd. A package is loaded
 * through its ESM entry: `require.resolve` would pick the CommonJS build, whose copies of `@backprop/*`
 * are not the ones this CLI registers layers in.
 */
function pluginUrl(spec: string): string {
  if (looksLikePath(spec)) return pathToFileURL(resolve(spec)).href;
  try {
    const manifestPath = createRequire(resolve('package.json')).resolve(`${spec}/package.json`);
    const entry = esmEntry(JSON.parse(readFileSync(manifestPath, 'utf8')));
    if (entry) return pathToFileURL(join(dirname(manifestPath), entry)).href;
  } catch {
    // Not resolvable from the cwd (or no package.json export): let import() resolve it from the CLI.
  }
  return spec;
}

/**
 * Imports each plugin module; importing registers its layers (or ops), and an exported `register`
 * function is called with the CLI's registries, which avoids registering into a second copy of a package.
 */
export async function loadPlugins(specs: readonly string[]): Promise<void> {
  if (specs.length === 0) return;
  // Loaded only for plugins: commands without them need no ONNX code.
  const onnx = await import('@backprop/onnx');
  for (const spec of specs) {
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pluginUrl(spec))) as Record<string, unknown>;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new UsageError(`plugin ${spec} was not found (${messageOf(e).split('\n')[0]})`);
      throw new CliError(`plugin ${spec} failed to load: ${messageOf(e)}`);
    }
    const register = mod.register ?? (mod.default as Record<string, unknown> | undefined)?.register;
    if (typeof register === 'function') {
      try {
        await register({ registerLayer: layers.registerLayer, layers, registerOnnxExporter: onnx.registerOnnxExporter } satisfies PluginContext);
      } catch (e) {
        throw new CliError(`plugin ${spec}: register() failed: ${messageOf(e)}`);
      }
    }
  }
}
