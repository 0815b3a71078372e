import * as T from '@backprop/tensor';
import type { Tensor } from '@backprop/tensor';
import type { ImportContext } from './context.js';
import type { OnnxImportRule } from './rules-basic.js';

const required = (inputs: readonly (Tensor | null)[], i: number, ctx: ImportContext): Tensor => inputs[i] ?? ctx.fail(`input ${i} is required`);

/**
 * Spatial padding for a window op: ONNX's `pads` is [begin…, end…]; `auto_pad` SAME_UPPER/SAME_LOWER/VALID
 * derive it from the input. Returns symmetric per-axis padding, and pads `x` explicitly when the two sides
 * differ (backprop's ops pad both sides alike), with `fill` for pooling's −∞.
 */
function spatialPadding(x: Tensor, ctx: ImportContext, kernel: number[], stride: number[], dilation: number[], fill = 0): { x: Tensor; padding: number[] } {
  const n = kernel.length;
  const auto = ctx.string('auto_pad', 'NOTSET');
  let pads = ctx.ints('pads') ?? new Array<number>(2 * n).fill(0);
  if (auto === 'VALID') pads = new Array<number>(2 * n).fill(0);
  else if (auto === 'SAME_UPPER' || auto === 'SAME_LOWER') {
    pads = new Array<number>(2 * n).fill(0);
    for (let i = 0; i < n; i++) {
      const size = x.shape[2 + i];
      const out = Math.ceil(size / stride[i]);
      const total = Math.max(0, (out - 1) * stride[i] + (kernel[i] - 1) * dilation[i] + 1 - size);
      const small = Math.floor(total / 2);
      pads[i] = auto === 'SAME_UPPER' ? small : total - small;
      pads[n + i] = total - pads[i];
    }
  }
  const begin = pads.slice(0, n);
  const end = pads.slice(n);
  if (begin.every((b, i) => b === end[i])) return { x, padding: begin };
  // F.pad order: last axis first, [left, right] per axis.
  const extra: number[] = [];
  for (let i = n - 1; i >= 0; i--) extra.push(begin[i], end[i]);
  return { x: T.pad(x, extra, 'constant', fill), padding: new Array<number>(n).fill(0) };
}

function windowAttrs(ctx: ImportContext, kernel: number[]): { stride: number[]; dilation: number[] } {
  const n = kernel.length;
  return { stride: ctx.ints('strides') ?? new Array<number>(n).fill(1), dilation: ctx.ints('dilations') ?? new Array<number>(n).fill(1) };
}

/** Runs a 2-D op on a 1-D input by adding a unit height. */
function as2d(x: Tensor, run: (x4: Tensor) => Tensor): Tensor {
  return run(x.unsqueeze(2)).squeeze(2);
}

const conv: OnnxImportRule = (inputs, ctx) => {
  const x0 = required(inputs, 0, ctx);
  let w = required(inputs, 1, ctx);
  const b = inputs[2];
  const kernel = ctx.ints('kernel_shape') ?? w.shape.slice(2);
  const { stride, dilation } = windowAttrs(ctx, kernel);
  const { x, padding } = spatialPadding(x0, ctx, kernel, stride, dilation);
  const groups = ctx.int('group', 1);
  if (kernel.length === 1) {
    w = w.unsqueeze(2);
    return as2d(x, (x4) => T.conv2d(x4, w, b, { stride: [1, stride[0]], padding: [0, padding[0]], dilation: [1, dilation[0]], groups }));
  }
  if (kernel.length !== 2) ctx.fail(`${kernel.length}-D convolution is not supported (1-D and 2-D are)`);
  return T.conv2d(x, w, b, { stride, padding, dilation, groups });
};

const convTranspose: OnnxImportRule = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const w = required(inputs, 1, ctx);
  const kernel = ctx.ints('kernel_shape') ?? w.shape.slice(2);
  if (kernel.length !== 2) ctx.fail(`${kernel.length}-D transposed convolution is not supported (2-D is)`);
  if (ctx.has('output_shape')) ctx.fail('output_shape is not supported: give pads and output_padding instead');
  const { stride, dilation } = windowAttrs(ctx, kernel);
  const pads = ctx.ints('pads') ?? [0, 0, 0, 0];
  if (pads[0] !== pads[2] || pads[1] !== pads[3]) ctx.fail(`asymmetric pads [${pads.join(', ')}] are not supported for ConvTranspose`);
  return T.convTranspose2d(x, w, inputs[2], { stride, padding: [pads[0], pads[1]], dilation, groups: ctx.int('group', 1), outputPadding: ctx.ints('output_padding') ?? [0, 0] });
};

const maxPool: OnnxImportRule = (inputs, ctx) => {
  const x0 = required(inputs, 0, ctx);
  const kernel = ctx.ints('kernel_shape') ?? ctx.fail('kernel_shape is required');
  const { stride, dilation } = windowAttrs(ctx, kernel);
  const { x, padding } = spatialPadding(x0, ctx, kernel, stride, dilation, -Infinity);
  const ceilMode = ctx.int('ceil_mode', 0) === 1;
  if (ctx.node.output && ctx.node.output.length > 1 && ctx.node.output[1]) ctx.fail('the Indices output is not supported');
  if (kernel.length === 1) return as2d(x, (x4) => T.maxPool2d(x4, { kernelSize: [1, kernel[0]], stride: [1, stride[0]], padding: [0, padding[0]], dilation: [1, dilation[0]], ceilMode }));
  return T.maxPool2d(x, { kernelSize: kernel, stride, padding, dilation, ceilMode });
};

const averagePool: OnnxImportRule = (inputs, ctx) => {
  const x0 = required(inputs, 0, ctx);
  const kernel = ctx.ints('kernel_shape') ?? ctx.fail('kernel_shape is required');
  const { stride } = windowAttrs(ctx, kernel);
  const includePad = ctx.int('count_include_pad', 0) === 1;
  const { x, padding } = spatialPadding(x0, ctx, kernel, stride, kernel.map(() => 1));
  if (x !== x0 && !includePad) ctx.fail('asymmetric pads with count_include_pad = 0 are not supported');
  const options = { kernelSize: kernel, stride, padding, ceilMode: ctx.int('ceil_mode', 0) === 1, countIncludePad: includePad };
  if (kernel.length === 1) return T.avgPool1d(x, { ...options, kernelSize: kernel[0], stride: stride[0], padding: padding[0] });
  return T.avgPool2d(x, options);
};

/** Per-channel vectors broadcast over [N, C, ...]. */
const perChannel = (v: Tensor, rank: number): Tensor => v.reshape([1, v.size, ...new Array<number>(rank - 2).fill(1)]);

const batchNorm: OnnxImportRule = (inputs, ctx) => {
  const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((i) => required(inputs, i, ctx));
  if (ctx.int('training_mode', 0) === 1) ctx.fail('training_mode = 1 is not supported: export the model in eval mode');
  const eps = ctx.float('epsilon', 1e-5);
  // Inference form, with the statistics as constants: the imported model fine-tunes scale and bias.
  const inv = variance.add(eps).rsqrt().mul(scale);
  return x.sub(perChannel(mean, x.rank)).mul(perChannel(inv, x.rank)).add(perChannel(bias, x.rank));
};

const instanceNorm: OnnxImportRule = (inputs, ctx) => {
  const [x, scale, bias] = [0, 1, 2].map((i) => required(inputs, i, ctx));
  const axes = [...x.shape.keys()].slice(2);
  const centered = x.sub(x.mean(axes, true));
  const y = centered.mul(centered.square().mean(axes, true).add(ctx.float('epsilon', 1e-5)).rsqrt());
  return y.mul(perChannel(scale, x.rank)).add(perChannel(bias, x.rank));
};

const layerNorm: OnnxImportRule = (inputs, ctx) => {
  const x = required(inputs, 0, ctx);
  const axis = ctx.int('axis', -1);
  const start = axis < 0 ? axis + x.rank : axis;
  const axes = [...x.shape.keys()].slice(start);
  const centered = x.sub(x.mean(axes, true));
  let y = centered.mul(centered.square().mean(axes, true).add(ctx.float('epsilon', 1e-5)).rsqrt());
  if (inputs[1]) y = y.mul(inputs[1]);
  if (inputs[2]) y = y.add(inputs[2]);
  return y;
};

export const NN_RULES: Record<string, OnnxImportRule> = {
  Conv: conv,
  ConvTranspose: convTranspose,
  MaxPool: maxPool,
  AveragePool: averagePool,
  GlobalAveragePool: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    return x.mean([...x.shape.keys()].slice(2), true);
  },
  GlobalMaxPool: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    return T.amax(x, [...x.shape.keys()].slice(2), true);
  },
  BatchNormalization: batchNorm,
  InstanceNormalization: instanceNorm,
  LayerNormalization: layerNorm,
  PRelu: (inputs, ctx) => {
    const x = required(inputs, 0, ctx);
    const slope = required(inputs, 1, ctx);
    return T.where(x.gt(0), x, x.mul(slope.rank === 1 && x.rank > 2 && slope.size === x.shape[1] ? perChannel(slope, x.rank) : slope));
  },
  Upsample: (inputs, ctx) => resize(inputs, ctx, 1),
  Resize: (inputs, ctx) => resize(inputs, ctx, 2),
};

function resize(inputs: readonly (Tensor | null)[], ctx: ImportContext, scalesAt: number): Tensor {
  const x = required(inputs, 0, ctx);
  const mode = ctx.string('mode', 'nearest');
  const scales = inputs[scalesAt] && inputs[scalesAt]!.size > 0 ? Array.from(inputs[scalesAt]!.dataSync(), Number) : null;
  const sizes = inputs[3] && inputs[3]!.size > 0 ? Array.from(inputs[3]!.dataSync(), Number) : null;
  const size = sizes ? sizes.slice(2) : scales!.slice(2).map((s, i) => Math.floor(x.shape[2 + i] * s));
  if (mode === 'nearest') return T.interpolate(x, { size, mode: 'nearest' });
  const alignCorners = ctx.string('coordinate_transformation_mode', 'half_pixel') === 'align_corners';
  if (mode === 'linear') return T.interpolate(x, { size, mode: size.length === 2 ? 'bilinear' : 'linear', alignCorners });
  if (mode === 'cubic') return T.interpolate(x, { size, mode: 'bicubic', alignCorners });
  return ctx.fail(`mode '${mode}' is not supported`);
}
