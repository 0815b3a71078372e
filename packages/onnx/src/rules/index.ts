import { registerOnnxExporter, type OnnxExportRule } from '../registry.js';
import { activationRules } from './activations.js';
import { exportResidual, exportSequential } from './containers.js';
import { exportGelu } from './gelu.js';
import { exportLinear } from './linear.js';
import { exportMaxout } from './maxout.js';
import { exportFlatten, exportIdentity, exportReshape } from './shape.js';
import { exportSoftplus } from './softplus.js';
import { exportConv, exportConvTranspose } from './conv.js';
import { exportAdaptiveAvgPool, exportAdaptiveMaxPool, exportAvgPool, exportAvgPool1d, exportMaxPool } from './pool.js';
import { exportBatchNorm, exportLayerNorm } from './normalization.js';
import { exportDropout, exportEmbedding, exportUpsample } from './simple-layers.js';
import { recurrentRule } from './recurrent.js';
import { exportLastTimeStep } from './last-time-step.js';
import {
  exportGroupNorm, exportHardswish, exportIdentityInference, exportInstanceNorm, exportMish, exportPositional, exportPReLU, exportSELU,
  exportSiLU, exportSoftsign, exportUnflatten,
} from './modern.js';
import { exportMultiheadAttention, exportTransformerEncoder, exportTransformerEncoderLayer, refuseExport } from './attention.js';

const BUILTIN_RULES: Record<string, OnnxExportRule> = {
  Sequential: exportSequential,
  Residual: exportResidual,
  Linear: exportLinear,
  Maxout: exportMaxout,
  ...activationRules,
  GELU: exportGelu,
  Softplus: exportSoftplus,
  Flatten: exportFlatten,
  Reshape: exportReshape,
  Identity: exportIdentity,
  Conv1d: exportConv,
  Conv2d: exportConv,
  ConvTranspose2d: exportConvTranspose,
  MaxPool1d: exportMaxPool,
  MaxPool2d: exportMaxPool,
  AvgPool2d: exportAvgPool,
  AdaptiveAvgPool2d: exportAdaptiveAvgPool,
  AvgPool1d: exportAvgPool1d,
  AdaptiveMaxPool1d: exportAdaptiveMaxPool,
  AdaptiveMaxPool2d: exportAdaptiveMaxPool,
  BatchNorm1d: exportBatchNorm,
  BatchNorm2d: exportBatchNorm,
  LayerNorm: exportLayerNorm,
  Dropout: exportDropout,
  Embedding: exportEmbedding,
  Upsample: exportUpsample,
  RNN: recurrentRule('RNN'),
  LSTM: recurrentRule('LSTM'),
  GRU: recurrentRule('GRU'),
  LastTimeStep: exportLastTimeStep,
  SiLU: exportSiLU,
  Mish: exportMish,
  Hardswish: exportHardswish,
  Softsign: exportSoftsign,
  SELU: exportSELU,
  PReLU: exportPReLU,
  Dropout1d: exportIdentityInference,
  Dropout2d: exportIdentityInference,
  GroupNorm: exportGroupNorm,
  InstanceNorm1d: exportInstanceNorm,
  InstanceNorm2d: exportInstanceNorm,
  ConvTranspose1d: exportConvTranspose,
  Unflatten: exportUnflatten,
  SinusoidalPositionalEmbedding: exportPositional,
  LearnedPositionalEmbedding: exportPositional,
  MultiheadAttention: exportMultiheadAttention,
  TransformerEncoderLayer: exportTransformerEncoderLayer,
  TransformerEncoder: exportTransformerEncoder,
  Bilinear: refuseExport('reads two inputs, and an exported graph has one; export the model around it as a custom rule'),
  TransformerDecoderLayer: refuseExport('reads the target and the encoder memory (two inputs), and an exported graph has one'),
  TransformerDecoder: refuseExport('reads the target and the encoder memory (two inputs), and an exported graph has one'),
  Transformer: refuseExport('reads a source and a target (two inputs), and an exported graph has one; export its encoder on its own'),
  ModuleList: refuseExport('has no forward of its own: export the module that iterates it, with a rule for that module'),
  ModuleDict: refuseExport('has no forward of its own: export the module that uses it, with a rule for that module'),
};

/** Registers the rules for the layers of @backprop/layers (the package entry point calls it once). */
export function registerBuiltinExporters(): void {
  for (const [name, rule] of Object.entries(BUILTIN_RULES)) registerOnnxExporter(name, rule);
}
