import type { ConvNd, ConvTransposeNd } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportContext } from '../context.js';
import type { OnnxExportRule } from '../registry.js';

/**
 * ONNX pads are [begin₁, …, beginₙ, end₁, …, endₙ]. PyTorch's 'same' pads dilation·(kernel − 1) in total
 * with the odd one at the end, which is ONNX's SAME_UPPER; we write the numbers out instead of auto_pad,
 * whose handling has differed between runtimes.
 */
function convPads(layer: ConvNd): number[] {
  if (layer.padding === 'valid') return [...layer.kernelSize, ...layer.kernelSize].map(() => 0);
  if (layer.padding === 'same') {
    const total = layer.kernelSize.map((k, i) => layer.dilation[i] * (k - 1));
    return [...total.map((t) => Math.floor(t / 2)), ...total.map((t) => t - Math.floor(t / 2))];
  }
  return [...layer.padding, ...layer.padding];
}

/** A batch of one is added and removed around the op for PyTorch's unbatched `[C, …]` inputs. */
export function withBatch(ctx: OnnxExportContext, spatial: number, op: (x: string) => string): string {
  if (ctx.input.shape.length === spatial + 2) return op(ctx.input.name);
  const [batched] = ctx.node('Unsqueeze', [ctx.input.name, ctx.int64('batch_axis', [0])]);
  return ctx.node('Squeeze', [op(batched), ctx.int64('batch_axis_out', [0])])[0];
}

/**
 * `Conv1d`/`Conv2d` → Conv. The weight `[out, in/groups, …kernel]` is ONNX's layout already; stride,
 * dilation, groups and padding (numbers, 'same' or 'valid') map to attributes.
 */
export const exportConv: OnnxExportRule = (module, ctx) => {
  const layer = module as ConvNd;
  const inputs = [ctx.param('weight', layer.weight), ...(layer.bias ? [ctx.param('bias', layer.bias)] : [])];
  return withBatch(ctx, layer.kernelSize.length, (x) =>
    ctx.node('Conv', [x, ...inputs], {
      kernel_shape: attr.ints(layer.kernelSize),
      strides: attr.ints(layer.stride),
      pads: attr.ints(convPads(layer)),
      dilations: attr.ints(layer.dilation),
      group: attr.int(layer.groups),
    })[0],
  );
};

/**
 * `ConvTranspose1d`/`ConvTranspose2d` → ConvTranspose. The weight `[in, out/groups, …kernel]` is ONNX's layout; ONNX's
 * output size formula, stride·(in − 1) + output_padding + dilation·(k − 1) + 1 − pads, is PyTorch's.
 */
export const exportConvTranspose: OnnxExportRule = (module, ctx) => {
  const layer = module as ConvTransposeNd;
  const inputs = [ctx.param('weight', layer.weight), ...(layer.bias ? [ctx.param('bias', layer.bias)] : [])];
  return withBatch(ctx, layer.kernelSize.length, (x) =>
    ctx.node('ConvTranspose', [x, ...inputs], {
      kernel_shape: attr.ints(layer.kernelSize),
      strides: attr.ints(layer.stride),
      pads: attr.ints([...layer.padding, ...layer.padding]),
      output_padding: attr.ints(layer.outputPadding),
      dilations: attr.ints(layer.dilation),
      group: attr.int(layer.groups),
    })[0],
  );
};

