import type { Embedding, Upsample } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';

/** `Dropout` → Identity: an export is for inference, where dropout passes its input through. */
export const exportDropout: OnnxExportRule = (_layer, ctx) => ctx.node('Identity', [ctx.input.name])[0];

/**
 * `Embedding` → Gather(weight, indices, axis 0): row i of the table for index i. The padding row only
 * matters for training. Export with `inputDtype: 'int32'`.
 */
export const exportEmbedding: OnnxExportRule = (module, ctx) => {
  if (ctx.input.dtype !== 'int32') throw ctx.error(`reads int32 token indices; export with inputDtype: 'int32' (got ${ctx.input.dtype})`);
  return ctx.node('Gather', [ctx.param('weight', (module as Embedding).weight), ctx.input.name], { axis: attr.int(0) })[0];
};

/**
 * `Upsample` (nearest) → Resize with mode nearest, coordinate_transformation_mode asymmetric and
 * nearest_mode floor: source index ⌊dst / scale⌋, PyTorch's 'nearest'. A scale factor goes in as
 * `scales`; an output size as `sizes` assembled from the input's own batch and channel sizes (Shape,
 * Slice, Concat), so the batch stays dynamic.
 */
export const exportUpsample: OnnxExportRule = (module, ctx) => {
  const layer = module as Upsample;
  const rank = ctx.input.shape.length;
  const lead = rank - 2;
  const attributes = {
    mode: attr.string('nearest'),
    coordinate_transformation_mode: attr.string('asymmetric'),
    nearest_mode: attr.string('floor'),
  };
  const x = ctx.input.name;
  if (layer.scaleFactor) {
    const scales = ctx.constant('scales', [...new Array<number>(lead).fill(1), ...layer.scaleFactor]);
    return ctx.node('Resize', [x, '', scales], attributes)[0];
  }
  const [shape] = ctx.node('Shape', [x]);
  const [leading] = ctx.node('Slice', [shape, ctx.int64('slice_start', [0]), ctx.int64('slice_end', [lead])]);
  const [sizes] = ctx.node('Concat', [leading, ctx.int64('size', [...layer.size!])], { axis: attr.int(0) });
  return ctx.node('Resize', [x, '', '', sizes], attributes)[0];
};
