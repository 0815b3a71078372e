import { ELU, GELU, HardTanh, LeakyReLU, LogSoftmax, ReLU, Sigmoid, Softmax, Softplus, Tanh } from './activations.js';
import { Residual, Sequential } from './containers.js';
import { Linear } from './linear.js';
import { Maxout } from './maxout.js';
import { registerLayer, type LayerClass } from './registry.js';
import { Flatten, Identity, Reshape } from './shape-layers.js';
import { Conv1d, Conv2d } from './conv.js';
import { ConvTranspose1d, ConvTranspose2d } from './conv-transpose.js';
import { AdaptiveAvgPool2d, AvgPool2d, MaxPool1d, MaxPool2d } from './pooling.js';
import { AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d } from './pooling-1d-adaptive-max.js';
import { Upsample } from './upsample.js';
import { BatchNorm1d, BatchNorm2d } from './batch-norm.js';
import { LayerNorm } from './layer-norm.js';
import { Dropout } from './dropout.js';
import { Embedding } from './embedding.js';
import { RNN } from './recurrent/rnn.js';
import { LSTM } from './recurrent/lstm.js';
import { GRU } from './recurrent/gru.js';
import { LastTimeStep } from './last-time-step.js';
import { MultiheadAttention } from './attention.js';
import { ModuleDict, ModuleList } from './module-list.js';
import { Transformer, TransformerDecoder, TransformerDecoderLayer, TransformerEncoder, TransformerEncoderLayer } from './transformer.js';
import { LearnedPositionalEmbedding, SinusoidalPositionalEmbedding } from './positional.js';
import { Hardswish, Mish, PReLU, SELU, SiLU, Softsign } from './activations-extra.js';
import { GroupNorm, InstanceNorm1d, InstanceNorm2d } from './group-instance-norm.js';
import { Dropout1d, Dropout2d } from './dropout-channels.js';
import { Bilinear } from './bilinear.js';
import { Unflatten } from './unflatten.js';

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
  Conv1d,
  Conv2d,
  ConvTranspose2d,
  MaxPool1d,
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  AvgPool1d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  Upsample,
  BatchNorm1d,
  BatchNorm2d,
  LayerNorm,
  Dropout,
  Embedding,
  RNN,
  LSTM,
  GRU,
  LastTimeStep,
  MultiheadAttention,
  ModuleList,
  ModuleDict,
  TransformerEncoderLayer,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerDecoder,
  Transformer,
  SinusoidalPositionalEmbedding,
  LearnedPositionalEmbedding,
  SiLU,
  Mish,
  Hardswish,
  Softsign,
  SELU,
  PReLU,
  GroupNorm,
  InstanceNorm1d,
  InstanceNorm2d,
  Dropout1d,
  Dropout2d,
  ConvTranspose1d,
  Bilinear,
  Unflatten,
};

/** Registers the layers of this package under their class names (once; the package entry point calls it). */
export function registerBuiltinLayers(): void {
  for (const [name, cls] of Object.entries(BUILTINS)) registerLayer(name, cls);
}
