import * as layers from '@backprop/layers';
import { Swish } from './swish-layer.js';

/**
 * What a host may pass to `register`: the backprop CLI passes `{ registerLayer, layers }`, the
 * `@backprop/layers` it runs on. Only used to check that host and plugin share one copy of it.
 */
export interface PluginHost {
  layers?: { Module?: unknown };
}

let registered = false;

/**
 * Registers the `Swish` layer with `@backprop/layers`, so `layerFromConfig`, `loadModel` and the CLI rebuild
 * `{ type: 'Swish', … }` configs like a built-in layer. Idempotent: importing the package already calls it,
 * and the CLI's `--plugin` calls it again, which does nothing.
 *
 * Given a host (the CLI passes its `@backprop/layers`), it checks that the host runs on the same copy of
 * `@backprop/layers` as this plugin: with two copies (two installs, or the ESM and CommonJS builds of one)
 * there are two registries and two `Module` classes, and a Swish would not fit in the host's models.
 *
 * @example
 * import { register } from '@backprop/plugin-swish';
 * register();
 * layerFromConfig({ type: 'Swish', numFeatures: 8 });
 */
export function register(host: PluginHost = {}): void {
  const hostModule = host.layers?.Module;
  if (hostModule !== undefined && hostModule !== layers.Module) {
    throw new Error(
      '@backprop/plugin-swish: the host runs on a different copy of @backprop/layers than this plugin imports; ' +
        'expected one shared copy: load the plugin through the same module system as the host (its ESM build from ESM, ' +
        'its CommonJS build from CommonJS) and install it next to the host so its peer dependencies resolve to the same packages',
    );
  }
  if (registered) return;
  if (layers.listLayers().includes('Swish')) {
    // Someone else's 'Swish' (another plugin, or a second copy of this one): refuse rather than guess.
    throw new Error(
      "@backprop/plugin-swish: register() found a layer named 'Swish' registered already, not by this copy of the plugin; " +
        'expected to register it itself (is another plugin, or a second installed copy of this one, loaded?)',
    );
  }
  layers.registerLayer('Swish', Swish);
  registered = true;
}
