import type { GELU } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';

/**
 * `GELU`: ONNX's Gelu op from opset 20; before that the formula from ops every runtime has:
 * x·Φ(x) = 0.5·x·(1 + erf(x/√2)), or with `approximate: 'tanh'`
 * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))).
 */
export const exportGelu: OnnxExportRule = (layer, ctx) => {
  const { approximate } = layer as GELU;
  const x = ctx.input.name;
  if (ctx.opset >= 20) return ctx.node('Gelu', [x], { approximate: attr.string(approximate) })[0];
  const one = ctx.constant('one', [1], []);
  const half = ctx.constant('half', [0.5], []);
  let inner: string;
  if (approximate === 'tanh') {
    const [x2] = ctx.node('Mul', [x, x]);
    const [x3] = ctx.node('Mul', [x2, x]);
    const [cubic] = ctx.node('Mul', [x3, ctx.constant('coeff', [0.044715], [])]);
    const [sum] = ctx.node('Add', [x, cubic]);
    const [scaled] = ctx.node('Mul', [sum, ctx.constant('sqrt_2_over_pi', [Math.sqrt(2 / Math.PI)], [])]);
    [inner] = ctx.node('Tanh', [scaled]);
  } else {
    const [scaled] = ctx.node('Div', [x, ctx.constant('sqrt2', [Math.SQRT2], [])]);
    [inner] = ctx.node('Erf', [scaled]);
  }
  const [onePlus] = ctx.node('Add', [inner, one]);
  const [times] = ctx.node('Mul', [x, onePlus]);
  return ctx.node('Mul', [times, half])[0];
};
