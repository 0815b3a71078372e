import type { Maxout } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';
import { exportAffine } from './affine.js';

/**
 * `Maxout`: the affine map to `outFeatures·pieces` units, Reshape to `[…, outFeatures, pieces]` (the
 * pieces of a unit are adjacent rows of the weight) and ReduceMax over the last axis. Leading
 * dimensions are copied with Reshape's 0, so the batch stays dynamic.
 */
export const exportMaxout: OnnxExportRule = (module, ctx) => {
  const layer = module as Maxout;
  const z = exportAffine(layer, ctx);
  const leading = ctx.input.shape.slice(0, -1).map(() => 0);
  const shape = ctx.int64('pieces_shape', [...leading, layer.outFeatures, layer.pieces]);
  const [grouped] = ctx.node('Reshape', [z, shape]);
  // ReduceMax took its axes as an attribute until opset 18, and as an input since.
  if (ctx.opset >= 18) return ctx.node('ReduceMax', [grouped, ctx.int64('reduce_axes', [-1])], { keepdims: attr.int(0) })[0];
  return ctx.node('ReduceMax', [grouped], { axes: attr.ints([-1]), keepdims: attr.int(0) })[0];
};
