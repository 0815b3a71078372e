import { ELU, GELU, HardTanh, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from './activations.js';
import { Residual, Sequential } from './containers.js';
import { Linear } from './linear.js';
import { Maxout } from './maxout.js';
import { registerLayer, type LayerClass } from './registry.js';
import { Flatten, Identity, Reshape } from './shape-layers.js';

const BUILTINS: Record<string, LayerClass> = {
  Sequential,
  Residual,
  Linear,
  Maxout,
  Sigmoid,
  Tanh,
  HardTanh,
  ReLU,
  LeakyReLU,
  ELU,
  GELU,
  Softplus,
  Softmax,
  LogSoftmax,
  Flatten,
  Reshape,
  Identity,
};

/** Registers the layers of this package under their class names (once; the package entry point calls it). */
export function registerBuiltinLayers(): void {
  for (const [name, cls] of Object.entries(BUILTINS)) registerLayer(name, cls);
}
