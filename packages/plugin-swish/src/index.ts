/**
 * @backprop/plugin-swish: Swish with a learnable β, x·σ(βx), as a backprop plugin. The op `swish` is
 * defined with `defineOp` and a hand-written gradient; the layer `Swish` is registered with the layer
 * registry when this module is imported (and by `register()`, which the CLI's `--plugin` calls), so saved
 * models and configs that use it load like built-in ones. Built only on the public exports of
 * `@backprop/tensor`, `@backprop/autograd` and `@backprop/layers`.
 *
 * @packageDocumentation
 */
import { register } from './register.js';

register();

export { swish, SWISH_OP } from './swish-op.js';
export { Swish, type SwishOptions } from './swish-layer.js';
export { register, type PluginHost } from './register.js';
