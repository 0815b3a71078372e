import type { ELU, HardTanh, LeakyReLU, LogSoftmax, Softmax } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';

/** Activations that are one ONNX op with the same formula and parameters. */
export const activationRules: Record<string, OnnxExportRule> = {
  Sigmoid: (_layer, ctx) => ctx.node('Sigmoid', [ctx.input.name])[0],
  Tanh: (_layer, ctx) => ctx.node('Tanh', [ctx.input.name])[0],
  ReLU: (_layer, ctx) => ctx.node('Relu', [ctx.input.name])[0],
  LeakyReLU: (layer, ctx) => ctx.node('LeakyRelu', [ctx.input.name], { alpha: attr.float((layer as LeakyReLU).negativeSlope) })[0],
  ELU: (layer, ctx) => ctx.node('Elu', [ctx.input.name], { alpha: attr.float((layer as ELU).alpha) })[0],
  // Clip has taken min and max as inputs (not attributes) since opset 11.
  HardTanh: (layer, ctx) => {
    const { minVal, maxVal } = layer as HardTanh;
    return ctx.node('Clip', [ctx.input.name, ctx.constant('min_val', [minVal], []), ctx.constant('max_val', [maxVal], [])])[0];
  },
  // Since opset 13 Softmax and LogSoftmax normalize along exactly `axis`, as PyTorch's dim.
  Softmax: (layer, ctx) => ctx.node('Softmax', [ctx.input.name], { axis: attr.int((layer as Softmax).dim) })[0],
  LogSoftmax: (layer, ctx) => ctx.node('LogSoftmax', [ctx.input.name], { axis: attr.int((layer as LogSoftmax).dim) })[0],
};
