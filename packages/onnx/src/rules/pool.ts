import type { AdaptiveAvgPool2d, AdaptiveMaxPool1d, AdaptiveMaxPool2d, AvgPool1d, AvgPool2d, MaxPoolNd } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';
import { withBatch } from './conv.js';

/** `MaxPool1d`/`MaxPool2d` → MaxPool (padding counts as −∞ in both; ceil_mode and dilations since opset 10). */
export const exportMaxPool: OnnxExportRule = (module, ctx) => {
  const layer = module as MaxPoolNd;
  return withBatch(ctx, layer.kernelSize.length, (x) =>
    ctx.node('MaxPool', [x], {
      kernel_shape: attr.ints(layer.kernelSize),
      strides: attr.ints(layer.stride),
      pads: attr.ints([...layer.padding, ...layer.padding]),
      dilations: attr.ints(layer.dilation),
      ceil_mode: attr.int(layer.ceilMode ? 1 : 0),
    })[0],
  );
};

/**
 * `AvgPool2d` → AveragePool with count_include_pad. ONNX has no divisor_override: with one, the
 * average over the full window (count_include_pad = 1) is rescaled by kH·kW/divisor, which is exact
 * unless ceilMode makes windows run past the padding, so that combination is refused.
 */
export const exportAvgPool: OnnxExportRule = (module, ctx) => {
  const layer = module as AvgPool2d;
  const divisor = layer.divisorOverride;
  if (divisor !== null && layer.ceilMode) throw ctx.error('divisorOverride with ceilMode has no ONNX equivalent (AveragePool has no divisor_override)');
  return withBatch(ctx, 2, (x) => {
    const [pooled] = ctx.node('AveragePool', [x], {
      kernel_shape: attr.ints(layer.kernelSize),
      strides: attr.ints(layer.stride),
      pads: attr.ints([...layer.padding, ...layer.padding]),
      ceil_mode: attr.int(layer.ceilMode ? 1 : 0),
      count_include_pad: attr.int(layer.countIncludePad || divisor !== null ? 1 : 0),
    });
    if (divisor === null) return pooled;
    const scale = (layer.kernelSize[0] * layer.kernelSize[1]) / divisor;
    return ctx.node('Mul', [pooled, ctx.constant('divisor_scale', [scale], [])])[0];
  });
};

/**
 * `AdaptiveAvgPool2d` → GlobalAveragePool for output size 1×1; otherwise AveragePool with kernel =
 * stride = input/output per dimension, which is what adaptive pooling computes when the output size
 * divides the input size. Other sizes make uneven windows, which ONNX cannot express; they are refused.
 */
export const exportAdaptiveAvgPool: OnnxExportRule = (module, ctx) => {
  const layer = module as AdaptiveAvgPool2d;
  const spatialIn = ctx.input.shape.slice(-2);
  const out = layer.outputSize.map((s, i) => s ?? spatialIn[i]);
  return withBatch(ctx, 2, (x) => {
    if (out[0] === 1 && out[1] === 1) return ctx.node('GlobalAveragePool', [x])[0];
    if (out.some((o, i) => spatialIn[i] % o !== 0)) {
      throw ctx.error(`output size [${out.join(', ')}] does not divide the input size [${spatialIn.join(', ')}]: uneven adaptive windows have no ONNX equivalent`);
    }
    const kernel = out.map((o, i) => spatialIn[i] / o);
    return ctx.node('AveragePool', [x], { kernel_shape: attr.ints(kernel), strides: attr.ints(kernel) })[0];
  });
};

/** `AvgPool1d` → AveragePool over one spatial axis, with count_include_pad. */
export const exportAvgPool1d: OnnxExportRule = (module, ctx) => {
  const layer = module as AvgPool1d;
  return withBatch(ctx, 1, (x) =>
    ctx.node('AveragePool', [x], {
      kernel_shape: attr.ints(layer.kernelSize),
      strides: attr.ints(layer.stride),
      pads: attr.ints([...layer.padding, ...layer.padding]),
      ceil_mode: attr.int(layer.ceilMode ? 1 : 0),
      count_include_pad: attr.int(layer.countIncludePad ? 1 : 0),
    })[0],
  );
};

/**
 * `AdaptiveMaxPool1d`/`2d` → GlobalMaxPool for output size 1; otherwise MaxPool with kernel = stride =
 * input/output per dimension, which is what adaptive pooling computes when the output size divides the
 * input size. Uneven windows have no ONNX equivalent and are refused.
 */
export const exportAdaptiveMaxPool: OnnxExportRule = (module, ctx) => {
  const layer = module as AdaptiveMaxPool1d | AdaptiveMaxPool2d;
  const sizes = typeof layer.outputSize === 'number' ? [layer.outputSize] : layer.outputSize;
  const spatialIn = ctx.input.shape.slice(-sizes.length);
  const out = sizes.map((s, i) => s ?? spatialIn[i]);
  return withBatch(ctx, sizes.length, (x) => {
    if (out.every((o) => o === 1)) return ctx.node('GlobalMaxPool', [x])[0];
    if (out.some((o, i) => spatialIn[i] % o !== 0)) {
      throw ctx.error(`output size [${out.join(', ')}] does not divide the input size [${spatialIn.join(', ')}]: uneven adaptive windows have no ONNX equivalent`);
    }
    const kernel = out.map((o, i) => spatialIn[i] / o);
    return ctx.node('MaxPool', [x], { kernel_shape: attr.ints(kernel), strides: attr.ints(kernel) })[0];
  });
};
