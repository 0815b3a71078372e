import type { BatchNorm, LayerNorm } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportContext } from '../context.js';
import type { OnnxExportRule } from '../registry.js';

/**
 * `BatchNorm1d`/`BatchNorm2d` → BatchNormalization in inference form: (x − running_mean)/√(running_var + eps)
 * · weight + bias per channel (axis 1). Without `affine`, weight 1 and bias 0 are written as constants.
 * A layer without running statistics normalizes with the batch's own even in eval mode, which the
 * inference op cannot do, so it is refused.
 */
export const exportBatchNorm: OnnxExportRule = (module, ctx) => {
  const layer = module as BatchNorm;
  if (!layer.trackRunningStats || !layer.runningMean || !layer.runningVar) {
    throw ctx.error('trackRunningStats is false, so eval mode normalizes with batch statistics; ONNX BatchNormalization (inference) needs running statistics');
  }
  const c = layer.numFeatures;
  const scale = layer.weight ? ctx.param('weight', layer.weight) : ctx.constant('weight', new Array<number>(c).fill(1));
  const bias = layer.bias ? ctx.param('bias', layer.bias) : ctx.constant('bias', new Array<number>(c).fill(0));
  const inputs = [ctx.input.name, scale, bias, ctx.param('running_mean', layer.runningMean), ctx.param('running_var', layer.runningVar)];
  return ctx.node('BatchNormalization', inputs, { epsilon: attr.float(layer.eps) })[0];
};

/** ReduceMean over `axes`, keeping them: axes are an attribute before opset 18 and an input from 18. */
function reduceMean(ctx: OnnxExportContext, x: string, axes: number[], label: string): string {
  if (ctx.opset >= 18) return ctx.node('ReduceMean', [x, ctx.int64(label, axes)], { keepdims: attr.int(1) })[0];
  return ctx.node('ReduceMean', [x], { axes: attr.ints(axes), keepdims: attr.int(1) })[0];
}

/**
 * `LayerNorm` → LayerNormalization (opset 17 on) over the last `normalizedShape.length` axes; before
 * opset 17 the same formula, (x − mean)/√(var + eps)·weight + bias with the biased variance, from
 * ReduceMean, Sub, Mul, Add, Sqrt and Div.
 */
export const exportLayerNorm: OnnxExportRule = (module, ctx) => {
  const layer = module as LayerNorm;
  const k = layer.normalizedShape.length;
  const shape = [...layer.normalizedShape];
  const weight = layer.weight ? ctx.param('weight', layer.weight) : undefined;
  const bias = layer.bias ? ctx.param('bias', layer.bias) : undefined;
  const x = ctx.input.name;
  if (ctx.opset >= 17) {
    const size = shape.reduce((a, b) => a * b, 1);
    const scale = weight ?? ctx.constant('weight', new Array<number>(size).fill(1), shape);
    return ctx.node('LayerNormalization', bias ? [x, scale, bias] : [x, scale], { axis: attr.int(-k), epsilon: attr.float(layer.eps) })[0];
  }
  const axes = Array.from({ length: k }, (_, i) => i - k);
  const [centered] = ctx.node('Sub', [x, reduceMean(ctx, x, axes, 'mean_axes')]);
  const [squared] = ctx.node('Mul', [centered, centered]);
  const [variance] = ctx.node('Add', [reduceMean(ctx, squared, axes, 'var_axes'), ctx.constant('eps', [layer.eps], [])]);
  const [std] = ctx.node('Sqrt', [variance]);
  let [y] = ctx.node('Div', [centered, std]);
  if (weight) [y] = ctx.node('Mul', [y, weight]);
  if (bias) [y] = ctx.node('Add', [y, bias]);
  return y;
};
