import type { Flatten, Reshape } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';

/**
 * `Flatten(startDim, endDim)`: ONNX's Flatten (always 2-D) when it matches, i.e. flattening everything
 * after the batch; otherwise Reshape to a constant shape in which the batch is 0 ("copy the input's
 * size") or, when the batch is merged into the flattened dimension, that dimension is −1, so the batch
 * stays dynamic either way.
 */
export const exportFlatten: OnnxExportRule = (module, ctx) => {
  const layer = module as Flatten;
  const shape = ctx.input.shape;
  const rank = shape.length;
  if (rank === 0) throw ctx.error('needs an input with at least one dimension');
  const start = layer.startDim < 0 ? layer.startDim + rank : layer.startDim;
  const end = layer.endDim < 0 ? layer.endDim + rank : layer.endDim;
  if (start < 0 || end >= rank || start > end) {
    throw ctx.error(`startDim ${layer.startDim} and endDim ${layer.endDim} do not fit an input of rank ${rank}`);
  }
  if (start === 1 && end === rank - 1) return ctx.node('Flatten', [ctx.input.name], { axis: attr.int(1) })[0];
  const merged = shape.slice(start, end + 1).reduce((a, b) => a * b, 1);
  const target = [...shape.slice(0, start), start === 0 ? -1 : merged, ...shape.slice(end + 1)];
  if (start > 0) target[0] = 0;
  return ctx.node('Reshape', [ctx.input.name, ctx.int64('shape', target)])[0];
};

/** `Reshape(shape)`: ONNX Reshape to `[0, ...shape]`: 0 copies the batch size, a −1 in `shape` is kept. */
export const exportReshape: OnnxExportRule = (module, ctx) =>
  ctx.node('Reshape', [ctx.input.name, ctx.int64('shape', [0, ...(module as Reshape).shape])])[0];

/** `Identity`: ONNX Identity (kept as a node so every layer appears in the graph). */
export const exportIdentity: OnnxExportRule = (_layer, ctx) => ctx.node('Identity', [ctx.input.name])[0];
