import type { GroupNorm, InstanceNorm, PReLU, SinusoidalPositionalEmbedding, LearnedPositionalEmbedding, Unflatten } from '@backprop/layers';
import { SELU_ALPHA, SELU_SCALE } from '@backprop/layers';
import { zeros, type Tensor } from '@backprop/tensor';
import { attr } from '../attributes.js';
import type { OnnxExportContext } from '../context.js';
import type { OnnxExportRule } from '../registry.js';
import { withBatch } from './conv.js';

/** `SiLU` → x·Sigmoid(x). */
export const exportSiLU: OnnxExportRule = (_layer, ctx) => ctx.node('Mul', [ctx.input.name, ctx.node('Sigmoid', [ctx.input.name])[0]])[0];

/** `Mish` → Mish from opset 18; before, x·Tanh(Softplus(x)). */
export const exportMish: OnnxExportRule = (_layer, ctx) => {
  const x = ctx.input.name;
  if (ctx.opset >= 18) return ctx.node('Mish', [x])[0];
  return ctx.node('Mul', [x, ctx.node('Tanh', [ctx.node('Softplus', [x])[0]])[0]])[0];
};

/** `Hardswish` → HardSwish (opset 14 on): x·max(0, min(1, x/6 + 1/2)), PyTorch's formula. */
export const exportHardswish: OnnxExportRule = (_layer, ctx) => {
  if (ctx.opset < 14) throw ctx.error(`HardSwish needs opset 14 or later, got ${ctx.opset}`);
  return ctx.node('HardSwish', [ctx.input.name])[0];
};

/** `Softsign` → Softsign: x/(1 + |x|). */
export const exportSoftsign: OnnxExportRule = (_layer, ctx) => ctx.node('Softsign', [ctx.input.name])[0];

/** `SELU` → Selu with PyTorch's α and λ written out (ONNX's defaults are their float32 roundings). */
export const exportSELU: OnnxExportRule = (_layer, ctx) =>
  ctx.node('Selu', [ctx.input.name], { alpha: attr.float(SELU_ALPHA), gamma: attr.float(SELU_SCALE) })[0];

/** `PReLU` → PRelu; per-channel slopes are shaped `[C, 1, …]` to broadcast over dimension 1 (0 for a 1-D input). */
export const exportPReLU: OnnxExportRule = (module, ctx) => {
  const layer = module as PReLU;
  const rank = ctx.input.shape.length;
  const slope = layer.numParameters > 1 ? layer.weight.reshape([layer.numParameters, ...new Array<number>(Math.max(0, rank - 2)).fill(1)]) : layer.weight;
  return ctx.node('PRelu', [ctx.input.name, ctx.param('weight', slope)])[0];
};

/** `Dropout1d`, `Dropout2d` → Identity (inference). */
export const exportIdentityInference: OnnxExportRule = (_layer, ctx) => ctx.node('Identity', [ctx.input.name])[0];

/** The per-channel `[C, 1, …]` scale or shift of an `[N, C, *]` value, as an initializer. */
function channelParam(ctx: OnnxExportContext, name: string, values: Tensor, rank: number): string {
  return ctx.param(name, values.reshape([values.size, ...new Array<number>(rank - 2).fill(1)]));
}

/**
 * `GroupNorm` → Reshape to `[N, G, −1]`, InstanceNormalization with unit scale (each group normalized over
 * its channels and positions), Reshape back to the input's own shape, then the per-channel affine.
 */
export const exportGroupNorm: OnnxExportRule = (module, ctx) => {
  const layer = module as GroupNorm;
  const rank = ctx.input.shape.length;
  const x = ctx.input.name;
  const [grouped] = ctx.node('Reshape', [x, ctx.int64('group_shape', [0, layer.numGroups, -1])]);
  const ones = ctx.constant('group_scale', new Array<number>(layer.numGroups).fill(1));
  const zeros = ctx.constant('group_bias', new Array<number>(layer.numGroups).fill(0));
  const [normalized] = ctx.node('InstanceNormalization', [grouped, ones, zeros], { epsilon: attr.float(layer.eps) });
  let [y] = ctx.node('Reshape', [normalized, ctx.node('Shape', [x])[0]]);
  if (layer.weight && layer.bias) {
    [y] = ctx.node('Mul', [y, channelParam(ctx, 'weight', layer.weight, rank)]);
    [y] = ctx.node('Add', [y, channelParam(ctx, 'bias', layer.bias, rank)]);
  }
  return y;
};

/**
 * `InstanceNorm1d`/`InstanceNorm2d` → InstanceNormalization (scale and bias: the affine parameters, or 1
 * and 0); with running statistics, eval mode normalizes with them, so BatchNormalization. Unbatched
 * inputs get a batch of one around the op.
 */
export const exportInstanceNorm: OnnxExportRule = (module, ctx) => {
  const layer = module as InstanceNorm;
  const c = layer.numFeatures;
  const spatial = layer.toConfig().type === 'InstanceNorm1d' ? 1 : 2;
  const scale = layer.weight ? ctx.param('weight', layer.weight) : ctx.constant('weight', new Array<number>(c).fill(1));
  const bias = layer.bias ? ctx.param('bias', layer.bias) : ctx.constant('bias', new Array<number>(c).fill(0));
  return withBatch(ctx, spatial, (x) => {
    if (layer.trackRunningStats) {
      const inputs = [x, scale, bias, ctx.param('running_mean', layer.runningMean!), ctx.param('running_var', layer.runningVar!)];
      return ctx.node('BatchNormalization', inputs, { epsilon: attr.float(layer.eps) })[0];
    }
    return ctx.node('InstanceNormalization', [x, scale, bias], { epsilon: attr.float(layer.eps) })[0];
  });
};

/** `Unflatten` → Reshape to the example output's shape, with the batch dimension copied (0) so it stays dynamic. */
export const exportUnflatten: OnnxExportRule = (module, ctx) => {
  const out = (module as Unflatten).forward(zeros([...ctx.input.shape])).shape;
  const dim = (module as Unflatten).dim;
  const splitsBatch = dim === 0 || dim === -ctx.input.shape.length;
  const target = out.map((d, i) => (i === 0 && !splitsBatch ? 0 : d));
  return ctx.node('Reshape', [ctx.input.name, ctx.int64('shape', target)])[0];
};

/**
 * The positional embeddings → Add(x, table[:L]): the first L rows are sliced at run time from the input's
 * own length (Shape, Gather, Slice), so any length up to maxLen runs; a sequence-first input gets the
 * rows as `[L, 1, E]` to broadcast over the batch.
 */
export const exportPositional: OnnxExportRule = (module, ctx) => {
  const layer = module as SinusoidalPositionalEmbedding | LearnedPositionalEmbedding;
  const rank = ctx.input.shape.length;
  const table = 'weight' in layer ? ctx.param('weight', layer.weight) : ctx.param('pe', layer.getBuffer('pe')!);
  const lengthAxis = rank === 2 || layer.batchFirst ? rank - 2 : 0;
  const x = ctx.input.name;
  const [shape] = ctx.node('Shape', [x]);
  const [length] = ctx.node('Gather', [shape, ctx.int64('length_axis', [lengthAxis])], { axis: attr.int(0) });
  let [rows] = ctx.node('Slice', [table, ctx.int64('start', [0]), length, ctx.int64('axes', [0])]);
  if (rank === 3 && !layer.batchFirst) [rows] = ctx.node('Unsqueeze', [rows, ctx.int64('batch_axis', [1])]);
  return ctx.node('Add', [x, rows])[0];
};
