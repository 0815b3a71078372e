import type { LastTimeStep } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportRule } from '../registry.js';

/**
 * `LastTimeStep`: `Gather(x, −1, axis = time)`. A scalar index drops the axis it gathers along, so this
 * is `x[:, -1]` (or `x[-1]`) in one node: the Slice + Squeeze pair it stands for. The time axis is 1 for
 * a batch-first `[N, T, H]` and 0 for `[T, N, H]` or an unbatched `[T, H]`; −1 counts from the end, so
 * the node reads any sequence length. The recurrent rules pass on the output sequence only (the
 * states are not exported), which is exactly what this layer reads from `[output, state]`.
 */
export const exportLastTimeStep: OnnxExportRule = (module, ctx) => {
  const layer = module as LastTimeStep;
  const rank = ctx.input.shape.length;
  if (rank !== 2 && rank !== 3) throw ctx.error(`expected a sequence of rank 3 (or unbatched rank 2), got shape [${ctx.input.shape.join(', ')}]`);
  const axis = rank === 3 && layer.batchFirst ? 1 : 0;
  return ctx.node('Gather', [ctx.input.name, ctx.int64('last_step', [-1], [])], { axis: attr.int(axis) })[0];
};
