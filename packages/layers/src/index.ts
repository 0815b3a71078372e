/**
 * @backprop/layers: neural-network modules with PyTorch's names, defaults and `state_dict` layouts: the
 * `Module` base class, `Sequential`, `Linear`, `Maxout`, activations, shape layers, a registry that
 * rebuilds layers from JSON configs, and `summary`.
 *
 * @packageDocumentation
 */
import { registerBuiltinLayers } from './builtins.js';

registerBuiltinLayers();

export {
  Module,
  type AnyModule,
  type ForwardHook,
  type RemovableHandle,
  type BufferOptions,
  type LoadStateDictOptions,
} from './module.js';
export { StateDictError, type StateDict, type StateDictMismatch, type LoadResult } from './state-dict.js';
export { type LayerConfig, type ConfigValue, type ParamDType } from './config.js';
export { registerLayer, layerFromConfig, listLayers, type LayerFactory, type LayerClass, type BuildContext } from './registry.js';
export { functionalCall } from './functional-call.js';
export { AffineModule, linear, type LinearOptions } from './affine.js';
export { Linear } from './linear.js';
export { Maxout } from './maxout.js';
export { Sigmoid, Tanh, HardTanh, ReLU, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax } from './activations.js';
export { Flatten, Reshape, Identity } from './shape-layers.js';
export { Sequential, Residual } from './containers.js';
export { summary, type SummaryRow, type ModelSummary } from './summary.js';
