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
  type ForwardPreHook,
  type BackwardHook,
  type RemovableHandle,
  type BufferOptions,
  type LoadStateDictOptions,
} from './module.js';
export { StateDictError, type StateDict, type StateDictMismatch, type LoadResult } from './state-dict.js';
export { type LayerConfig, type ConfigValue, type ParamDType } from './config.js';
export { registerLayer, layerFromConfig, listLayers, type LayerFactory, type LayerClass, type BuildContext } from './registry.js';
export { functionalCall } from './functional-call.js';
export { AffineModule, linear, type LinearOptions } from './affine.js';
export { WeightBiasModule, type WeightBiasOptions } from './weight-bias.js';
export { Linear } from './linear.js';
export { Maxout } from './maxout.js';
export { Sigmoid, Tanh, HardTanh, ReLU, LeakyReLU, ELU, GELU, Softplus, Softmax, LogSoftmax } from './activations.js';
export { Flatten, Reshape, Identity } from './shape-layers.js';
export { Sequential, Residual } from './containers.js';
export { summary, type SummaryRow, type ModelSummary } from './summary.js';
export { type SpatialSize } from './spatial.js';
export { ConvNd, Conv1d, Conv2d, type ConvLayerOptions } from './conv.js';
export { ConvTransposeNd, ConvTranspose1d, ConvTranspose2d, type ConvTranspose1dOptions, type ConvTranspose2dOptions } from './conv-transpose.js';
export { MaxPoolNd, MaxPool1d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, type MaxPoolLayerOptions, type AvgPool2dOptions } from './pooling.js';
export { AvgPool1d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, type AvgPool1dOptions } from './pooling-1d-adaptive-max.js';
export { Upsample, type UpsampleLayerOptions } from './upsample.js';
export { BatchNorm, BatchNorm1d, BatchNorm2d, type BatchNormOptions } from './batch-norm.js';
export { LayerNorm, type LayerNormOptions } from './layer-norm.js';
export { Dropout, type DropoutOptions } from './dropout.js';
export { Embedding, type EmbeddingOptions } from './embedding.js';
export { RecurrentBase, type RecurrentOptions, type RecurrentOutput, type CellState, type StepWeights } from './recurrent/rnn-base.js';
export { RNN, type RNNOptions } from './recurrent/rnn.js';
export { LSTM, type LSTMOptions } from './recurrent/lstm.js';
export {
  PackedSequence,
  packPaddedSequence,
  padPackedSequence,
  padSequence,
  type PackOptions,
  type PadPackedOptions,
  type PadSequenceOptions,
} from './recurrent/packed-sequence.js';
export { GRU } from './recurrent/gru.js';
export { LastTimeStep, type LastTimeStepOptions } from './last-time-step.js';
export {
  scaledDotProductAttention,
  causalMask,
  MultiheadAttention,
  type ScaledDotProductAttentionOptions,
  type MultiheadAttentionOptions,
  type MultiheadAttentionCallOptions,
} from './attention.js';
export { ModuleList, ModuleDict } from './module-list.js';
export {
  TransformerEncoderLayer,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerDecoder,
  Transformer,
  type TransformerLayerOptions,
  type TransformerEncoderCallOptions,
  type TransformerDecoderCallOptions,
  type TransformerStackOptions,
  type TransformerOptions,
  type TransformerCallOptions,
} from './transformer.js';
export { SinusoidalPositionalEmbedding, LearnedPositionalEmbedding, type PositionalEmbeddingOptions } from './positional.js';
export { SiLU, Mish, Hardswish, Softsign, SELU, PReLU, SELU_ALPHA, SELU_SCALE, type PReLUOptions } from './activations-extra.js';
export { GroupNorm, InstanceNorm, InstanceNorm1d, InstanceNorm2d, type GroupNormOptions, type InstanceNormOptions } from './group-instance-norm.js';
export { ChannelDropout, Dropout1d, Dropout2d } from './dropout-channels.js';
export { Bilinear, type BilinearOptions } from './bilinear.js';
export { Unflatten } from './unflatten.js';
