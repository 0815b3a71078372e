import { concat, type Tensor } from '@backprop/tensor';
import type { RecurrentBase } from '@backprop/layers';
import { attr, type OnnxAttributeValue } from '../attributes.js';
import type { OnnxValue } from '../context.js';
import type { OnnxExportRule } from '../registry.js';

/**
 * Where each ONNX gate block comes from in PyTorch's weight rows. PyTorch stacks LSTM gates as
 * i, f, g, o and ONNX as i, o, f, c (c is PyTorch's g); GRU gates r, z, n become ONNX's z, r, h.
 */
const GATE_ORDER: Record<'RNN' | 'LSTM' | 'GRU', number[]> = { LSTM: [0, 3, 1, 2], GRU: [1, 0, 2], RNN: [0] };

/** The gate blocks of `[gates·H, …]` rearranged into ONNX's order. */
function reorderGates(t: Tensor, order: number[], hidden: number): Tensor {
  return concat(order.map((g) => t.narrow(0, g * hidden, hidden)), 0);
}

/**
 * `RNN`, `LSTM`, `GRU` → ONNX's RNN, LSTM and GRU ops, one per layer (ONNX's ops are single-layer):
 * W = weight_ih, R = weight_hh and B = bias_ih ‖ bias_hh, each with the gates reordered and the two
 * directions of a bidirectional layer stacked (forward first); GRU gets linear_before_reset = 1, since
 * PyTorch applies the reset gate after the hidden projection (r ⊙ (W_hn·h + b_hn)). Between layers
 * the `[T, directions, N, H]` output is made `[T, N, directions·H]`; inter-layer dropout is off in
 * inference. The value exported is the output sequence (the first element of the layer's result);
 * the final states are not graph outputs. A batch-first or unbatched input is transposed or given a
 * batch axis around the ops, so the ONNX layout is always the sequence-first default. A learned initial
 * state (`learnInitialState`) becomes `initial_h` (and `initial_c`), expanded to the input's batch; an
 * LSTM with `projSize` is refused, since ONNX's LSTM has no projection of h.
 */
export const recurrentRule = (typeName: 'RNN' | 'LSTM' | 'GRU'): OnnxExportRule => (module, ctx) => {
  const layer = module as RecurrentBase<unknown> & { nonlinearity?: 'tanh' | 'relu' };
  if (layer.projSize > 0) throw ctx.error(`projSize ${layer.projSize}: ONNX's LSTM op has no projection of the hidden state (weight_hr), so it cannot be exported`);
  const order = GATE_ORDER[typeName];
  const H = layer.hiddenSize;
  const directions = layer.directions;
  const rank = ctx.input.shape.length;
  let x = ctx.input.name;
  if (rank === 2) [x] = ctx.node('Unsqueeze', [x, ctx.int64('batch_axis', [1])]);
  else if (layer.batchFirst) [x] = ctx.node('Transpose', [x], { perm: attr.ints([1, 0, 2]) });

  const attributes: Record<string, OnnxAttributeValue> = {
    hidden_size: attr.int(H),
    direction: attr.string(layer.bidirectional ? 'bidirectional' : 'forward'),
  };
  if (typeName === 'GRU') attributes.linear_before_reset = attr.int(1);
  if (typeName === 'RNN') {
    const activation = layer.nonlinearity === 'relu' ? 'Relu' : 'Tanh';
    attributes.activations = attr.strings(new Array<string>(directions).fill(activation));
  }

  for (let k = 0; k < layer.numLayers; k++) {
    const suffixes = layer.bidirectional ? [`_l${k}`, `_l${k}_reverse`] : [`_l${k}`];
    const stackDirections = (make: (suffix: string) => Tensor) => concat(suffixes.map((s) => make(s).unsqueeze(0)), 0);
    const p = (name: string) => layer.getParameter(name) as Tensor;
    const W = ctx.param(`W_l${k}`, stackDirections((s) => reorderGates(p(`weight_ih${s}`), order, H)));
    const R = ctx.param(`R_l${k}`, stackDirections((s) => reorderGates(p(`weight_hh${s}`), order, H)));
    const inputs = [x, W, R];
    if (layer.bias) {
      inputs.push(ctx.param(`B_l${k}`, stackDirections((s) => concat([reorderGates(p(`bias_ih${s}`), order, H), reorderGates(p(`bias_hh${s}`), order, H)], 0))));
    }
    if (layer.learnInitialState) {
      // initial_h (and initial_c) [directions, N, H]: the learned rows of layer k, expanded to this batch.
      const [shape] = ctx.node('Shape', [x]);
      const [batch] = ctx.node('Gather', [shape, ctx.int64(`batch_index_l${k}`, [1])], { axis: attr.int(0) });
      const [target] = ctx.node('Concat', [ctx.int64(`directions_l${k}`, [directions]), batch, ctx.int64(`hidden_l${k}`, [H])], { axis: attr.int(0) });
      const initial = (name: 'h0' | 'c0') => {
        const rows = p(name).narrow(0, k * directions, directions).unsqueeze(1);
        return ctx.node('Expand', [ctx.param(`${name}_l${k}`, rows), target])[0];
      };
      if (inputs.length === 3) inputs.push('');
      inputs.push('', initial('h0'));
      if (typeName === 'LSTM') inputs.push(initial('c0'));
    }
    const outputs = typeName === 'LSTM' ? 3 : 2;
    const [y] = ctx.node(typeName, inputs, attributes, { outputs });
    // Y is [T, directions, N, H]; the next layer (and the caller) reads [T, N, directions·H].
    const [yt] = ctx.node('Transpose', [y], { perm: attr.ints([0, 2, 1, 3]) });
    [x] = ctx.node('Reshape', [yt, ctx.int64(`merge_directions_l${k}`, [0, 0, -1])]);
  }

  if (rank === 2) [x] = ctx.node('Squeeze', [x, ctx.int64('batch_axis_out', [1])]);
  else if (layer.batchFirst) [x] = ctx.node('Transpose', [x], { perm: attr.ints([1, 0, 2]) });
  const outShape = [...ctx.input.shape.slice(0, -1), directions * H];
  const result: OnnxValue = { name: x, shape: outShape, dtype: 'float32' };
  return result;
};
