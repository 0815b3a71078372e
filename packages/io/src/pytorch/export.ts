import { join } from 'node:path';
import type { AnyModule, LayerConfig } from '@backprop/layers';
import { ModelFileError } from '../errors.js';
import { writeFileAtomic } from '../atomic-write.js';
import { encodeSafetensors } from '../safetensors.js';
import { PYTHON_HELPERS, PYTHON_PRELUDE } from './export-python.js';

// A backprop architecture written out as a PyTorch nn.Module: the same submodules under the same names,
// so the model's state_dict, saved as safetensors beside it, loads with load_state_dict and trains with
// PyTorch's own engine (DistributedDataParallel included); the weights come back with loadWeights.

type Emit = (config: LayerConfig, path: string) => string;

const py = (v: unknown): string => {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : v > 0 ? "float('inf')" : "float('-inf')";
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(', ')})`;
  throw new Error(`exportPytorch: cannot write ${JSON.stringify(v)} as Python`);
};

/** `name=value` arguments for the config fields that differ from PyTorch's defaults (or always, when `always`). */
function kwargs(config: LayerConfig, fields: Record<string, string>, always: readonly string[] = []): string {
  return Object.entries(fields)
    .filter(([ours]) => config[ours] !== undefined && (always.includes(ours) || config[ours] !== null))
    .map(([ours, theirs]) => `${theirs}=${py(config[ours])}`)
    .join(', ');
}

function call(cls: string, positional: unknown[], named = ''): string {
  return `${cls}(${[...positional.map(py), named].filter((s) => s !== '').join(', ')})`;
}

/** Refuses config fields the PyTorch module has no counterpart for. */
function only(config: LayerConfig, path: string, allowed: readonly string[], notes: Record<string, unknown> = {}): void {
  for (const [key, value] of Object.entries(config)) {
    if (key === 'type' || allowed.includes(key)) continue;
    if (key in notes && notes[key] === value) continue;
    throw new ModelFileError(`exportPytorch: ${config.type} at '${path || 'the root'}' sets ${key} = ${JSON.stringify(value)}, which PyTorch's module has no counterpart for`);
  }
}

const indent = (source: string): string => source.replace(/^/gm, '    ');
const dtypeArg = (config: LayerConfig): string => (config.dtype === 'float64' ? 'dtype=torch.float64' : '');
const join2 = (...parts: string[]): string => parts.filter((p) => p !== '').join(', ');

const CONV: Record<string, string> = { stride: 'stride', padding: 'padding', dilation: 'dilation', groups: 'groups', bias: 'bias' };
const RECURRENT: Record<string, string> = { numLayers: 'num_layers', bias: 'bias', batchFirst: 'batch_first', dropout: 'dropout', bidirectional: 'bidirectional' };

const EMITTERS: Record<string, Emit> = {
  Sequential: (c, path) => {
    const layers = (c.layers as LayerConfig[]).map((layer, i) => `${indent(emit(layer, path ? `${path}.${i}` : String(i)))},`);
    return layers.length === 0 ? 'nn.Sequential()' : `nn.Sequential(\n${layers.join('\n')}\n)`;
  },
  Residual: (c, path) => `Residual(${emit(c.module as LayerConfig, `${path}.module`)})`,
  Linear: (c, p) => (only(c, p, ['inFeatures', 'outFeatures', 'bias', 'dtype']), call('nn.Linear', [c.inFeatures, c.outFeatures], join2(kwargs(c, { bias: 'bias' }), dtypeArg(c)))),
  Identity: () => 'nn.Identity()',
  Sigmoid: () => 'nn.Sigmoid()',
  Tanh: () => 'nn.Tanh()',
  ReLU: () => 'nn.ReLU()',
  SiLU: () => 'nn.SiLU()',
  Mish: () => 'nn.Mish()',
  Hardswish: () => 'nn.Hardswish()',
  SELU: () => 'nn.SELU()',
  Softsign: () => 'nn.Softsign()',
  HardTanh: (c) => call('nn.Hardtanh', [c.minVal, c.maxVal]),
  LeakyReLU: (c) => call('nn.LeakyReLU', [c.negativeSlope]),
  ELU: (c) => call('nn.ELU', [c.alpha]),
  GELU: (c) => call('nn.GELU', [], kwargs(c, { approximate: 'approximate' })),
  Softplus: (c) => call('nn.Softplus', [], kwargs(c, { beta: 'beta', threshold: 'threshold' })),
  Softmax: (c) => call('nn.Softmax', [], kwargs(c, { dim: 'dim' })),
  LogSoftmax: (c) => call('nn.LogSoftmax', [], kwargs(c, { dim: 'dim' })),
  Flatten: (c) => call('nn.Flatten', [c.startDim, c.endDim]),
  Unflatten: (c) => call('nn.Unflatten', [c.dim, c.unflattenedSize]),
  Reshape: (c) => call('Reshape', [c.shape]),
  Dropout: (c) => call('nn.Dropout', [c.p]),
  Conv1d: (c, p) => (only(c, p, ['inChannels', 'outChannels', 'kernelSize', 'dtype', ...Object.keys(CONV)]), call('nn.Conv1d', [c.inChannels, c.outChannels, c.kernelSize], join2(kwargs(c, CONV), dtypeArg(c)))),
  Conv2d: (c, p) => (only(c, p, ['inChannels', 'outChannels', 'kernelSize', 'dtype', ...Object.keys(CONV)]), call('nn.Conv2d', [c.inChannels, c.outChannels, c.kernelSize], join2(kwargs(c, CONV), dtypeArg(c)))),
  ConvTranspose2d: (c) => call('nn.ConvTranspose2d', [c.inChannels, c.outChannels, c.kernelSize], join2(kwargs(c, { ...CONV, outputPadding: 'output_padding' }), dtypeArg(c))),
  MaxPool1d: (c) => call('nn.MaxPool1d', [c.kernelSize], kwargs(c, { stride: 'stride', padding: 'padding', dilation: 'dilation', ceilMode: 'ceil_mode' })),
  MaxPool2d: (c) => call('nn.MaxPool2d', [c.kernelSize], kwargs(c, { stride: 'stride', padding: 'padding', dilation: 'dilation', ceilMode: 'ceil_mode' })),
  AvgPool1d: (c) => call('nn.AvgPool1d', [c.kernelSize], kwargs(c, { stride: 'stride', padding: 'padding', ceilMode: 'ceil_mode', countIncludePad: 'count_include_pad' })),
  AvgPool2d: (c) => call('nn.AvgPool2d', [c.kernelSize], kwargs(c, { stride: 'stride', padding: 'padding', ceilMode: 'ceil_mode', countIncludePad: 'count_include_pad', divisorOverride: 'divisor_override' })),
  AdaptiveAvgPool2d: (c) => call('nn.AdaptiveAvgPool2d', [c.outputSize]),
  AdaptiveMaxPool1d: (c) => call('nn.AdaptiveMaxPool1d', [c.outputSize]),
  AdaptiveMaxPool2d: (c) => call('nn.AdaptiveMaxPool2d', [c.outputSize]),
  Upsample: (c) => call('nn.Upsample', [], kwargs(c, { size: 'size', scaleFactor: 'scale_factor', mode: 'mode' })),
  BatchNorm1d: (c) => call('nn.BatchNorm1d', [c.numFeatures], join2(kwargs(c, { eps: 'eps', momentum: 'momentum', affine: 'affine', trackRunningStats: 'track_running_stats' }, ['momentum']), dtypeArg(c))),
  BatchNorm2d: (c) => call('nn.BatchNorm2d', [c.numFeatures], join2(kwargs(c, { eps: 'eps', momentum: 'momentum', affine: 'affine', trackRunningStats: 'track_running_stats' }, ['momentum']), dtypeArg(c))),
  LayerNorm: (c) => call('nn.LayerNorm', [c.normalizedShape], join2(kwargs(c, { eps: 'eps', elementwiseAffine: 'elementwise_affine' }), dtypeArg(c))),
  GroupNorm: (c) => call('nn.GroupNorm', [c.numGroups, c.numChannels], join2(kwargs(c, { eps: 'eps', affine: 'affine' }), dtypeArg(c))),
  Embedding: (c) => call('nn.Embedding', [c.numEmbeddings, c.embeddingDim], join2(kwargs(c, { paddingIdx: 'padding_idx' }), dtypeArg(c))),
  RNN: (c, p) => recurrent('RNN', c, p, { nonlinearity: 'nonlinearity' }),
  LSTM: (c, p) => recurrent('LSTM', c, p, { projSize: 'proj_size' }),
  GRU: (c, p) => recurrent('GRU', c, p, {}),
  LastTimeStep: (c) => call('LastTimeStep', [], kwargs(c, { batchFirst: 'batch_first' })),
};

function recurrent(kind: string, c: LayerConfig, path: string, extra: Record<string, string>): string {
  only(c, path, ['inputSize', 'hiddenSize', 'dtype', 'outputOnly', ...Object.keys(RECURRENT), ...Object.keys(extra)], { learnInitialState: false });
  // PyTorch's recurrent modules return (output, state); the OutputOnly subclasses keep only the output.
  const cls = c.outputOnly ? `${kind}OutputOnly` : `nn.${kind}`;
  return call(cls, [c.inputSize, c.hiddenSize], join2(kwargs(c, { ...RECURRENT, ...extra }), dtypeArg(c)));
}

function emit(config: LayerConfig, path: string): string {
  const emitter = EMITTERS[config.type];
  if (!emitter) {
    throw new ModelFileError(
      `exportPytorch: no PyTorch module is known for layer type '${config.type}' at '${path || 'the root'}' (supported: ${Object.keys(EMITTERS).join(', ')})`,
    );
  }
  return emitter(config, path);
}

/**
 * The Python source of a `torch.nn.Module` with the same architecture and state_dict names as `model`,
 * plus `load_safetensors`/`save_safetensors` helpers (Debian's python3-torch has no safetensors module)
 * and `build()`, which returns the module.
 *
 * @example
 * writeFileSync('model.py', pytorchModuleSource(model));
 */
export function pytorchModuleSource(model: AnyModule): string {
  const body = emit(model.toConfig(), '');
  return `${PYTHON_PRELUDE}\n${PYTHON_HELPERS}\n\ndef build():\n    """The backprop model's architecture as a torch module (state_dict names match)."""\n    return ${body.replace(/\n/g, '\n    ')}\n`;
}

/**
 * Writes `<name>.py` (the module, see `pytorchModuleSource`) and `<name>.safetensors` (the model's weights)
 * into `dir`, atomically. In Python: `import <name>; m = <name>.build();
 * m.load_state_dict(<name>.load_safetensors('<name>.safetensors'))`.
 *
 * @example
 * await exportPytorch(model, 'out', { name: 'digits_mlp' });
 */
export async function exportPytorch(model: AnyModule, dir: string, { name = 'model' }: { name?: string } = {}): Promise<{ module: string; weights: string }> {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new ModelFileError(`exportPytorch: name '${name}' is not a Python module name (letters, digits, _)`);
  const source = pytorchModuleSource(model);
  const module = join(dir, `${name}.py`);
  const weights = join(dir, `${name}.safetensors`);
  await writeFileAtomic(weights, encodeSafetensors(model.stateDict()));
  await writeFileAtomic(module, new TextEncoder().encode(source));
  return { module, weights };
}
