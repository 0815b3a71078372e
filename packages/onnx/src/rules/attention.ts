import type { MultiheadAttention, TransformerEncoder, TransformerEncoderLayer } from '@backprop/layers';
import { attr } from '../attributes.js';
import type { OnnxExportContext, OnnxValue } from '../context.js';
import type { OnnxExportRule } from '../registry.js';

/** x·Wᵀ + b with W a row block of a stacked projection, as MatMul with the transposed block and Add. */
function project(ctx: OnnxExportContext, x: string, layer: MultiheadAttention, block: number, name: string): string {
  const E = layer.embedDim;
  const w = layer.projectionWeights()[block].transpose(0, 1);
  let [y] = ctx.node('MatMul', [x, ctx.param(`${name}_weight_t`, w)]);
  const b = layer.inProjBias;
  if (b) [y] = ctx.node('Add', [y, ctx.param(`${name}_bias`, b.narrow(0, block * E, E))]);
  return y;
}

/**
 * `MultiheadAttention` as self-attention of its one input (what an export sees), from MatMul and Softmax:
 * Q, K, V = x·W_{q,k,v}ᵀ + b (the blocks of `in_proj_weight`), split into heads (Reshape, Transpose),
 * softmax(Q·Kᵀ/√d)·V, heads merged back and `out_proj` applied. The attention weights are not exported.
 * Masks are call arguments, which an export does not carry: the exported attention is unmasked.
 */
export const exportMultiheadAttention: OnnxExportRule = (module, ctx) => {
  const layer = module as MultiheadAttention;
  if (!layer.sameEmbedDims) throw ctx.error(`kdim ${layer.kdim} and vdim ${layer.vdim} differ from embedDim ${layer.embedDim}: keys and values are not the input, which is all an exported graph has`);
  const rank = ctx.input.shape.length;
  const { numHeads: h, headDim: d, embedDim: E } = layer;
  let x = ctx.input.name;
  // Batch-first [N, L, E] inside; an unbatched [L, E] gets a batch of one.
  if (rank === 2) [x] = ctx.node('Unsqueeze', [x, ctx.int64('batch_axis', [0])]);
  else if (!layer.batchFirst) [x] = ctx.node('Transpose', [x], { perm: attr.ints([1, 0, 2]) });
  const heads = (t: string, perm: number[]) => {
    const [split] = ctx.node('Reshape', [t, ctx.int64(`heads_shape`, [0, 0, h, d])]);
    return ctx.node('Transpose', [split], { perm: attr.ints(perm) })[0];
  };
  const q = heads(project(ctx, x, layer, 0, 'q_proj'), [0, 2, 1, 3]); // [N, h, L, d]
  const kT = heads(project(ctx, x, layer, 1, 'k_proj'), [0, 2, 3, 1]); // [N, h, d, S]
  const v = heads(project(ctx, x, layer, 2, 'v_proj'), [0, 2, 1, 3]); // [N, h, S, d]
  const [scores] = ctx.node('Mul', [ctx.node('MatMul', [q, kT])[0], ctx.constant('scale', [1 / Math.sqrt(d)], [])]);
  const [weights] = ctx.node('Softmax', [scores], { axis: attr.int(-1) });
  const [attended] = ctx.node('Transpose', [ctx.node('MatMul', [weights, v])[0]], { perm: attr.ints([0, 2, 1, 3]) });
  const [merged] = ctx.node('Reshape', [attended, ctx.int64('merged_shape', [0, 0, E])]);
  const out = ctx.exportChild('out_proj', { name: merged, shape: [1, 1, E], dtype: 'float32' }).name;
  let y = out;
  if (rank === 2) [y] = ctx.node('Squeeze', [y, ctx.int64('batch_axis_out', [0])]);
  else if (!layer.batchFirst) [y] = ctx.node('Transpose', [y], { perm: attr.ints([1, 0, 2]) });
  return { name: y, shape: ctx.input.shape, dtype: 'float32' };
};

/**
 * `TransformerEncoderLayer` → its children's graphs with the residual Adds between them: post-norm
 * norm2(h + ff(h)) with h = norm1(x + self_attn(x)), or pre-norm x + f(norm(x)) with `normFirst`; ff is
 * linear2(act(linear1(·))) with act Relu or GELU's Erf formula. Dropout is the identity in inference.
 */
export const exportTransformerEncoderLayer: OnnxExportRule = (module, ctx) => {
  const layer = module as TransformerEncoderLayer;
  const value = (name: string): OnnxValue => ({ name, shape: ctx.input.shape, dtype: 'float32' });
  const attend = (x: string) => ctx.exportChild('self_attn', value(x)).name;
  const feedForward = (x: string) => {
    const hidden = ctx.exportChild('linear1', value(x));
    let act: string;
    if (layer.activation === 'relu') [act] = ctx.node('Relu', [hidden.name]);
    else {
      const [erf] = ctx.node('Erf', [ctx.node('Div', [hidden.name, ctx.constant('sqrt2', [Math.SQRT2], [])])[0]]);
      const [onePlus] = ctx.node('Add', [erf, ctx.constant('one', [1], [])]);
      [act] = ctx.node('Mul', [ctx.node('Mul', [hidden.name, onePlus])[0], ctx.constant('half', [0.5], [])]);
    }
    return ctx.exportChild('linear2', { ...hidden, name: act }).name;
  };
  const residual = (x: string, norm: string, f: (y: string) => string) => {
    if (layer.normFirst) return ctx.node('Add', [x, f(ctx.exportChild(norm, value(x)).name)])[0];
    return ctx.exportChild(norm, value(ctx.node('Add', [x, f(x)])[0])).name;
  };
  const h = residual(ctx.input.name, 'norm1', attend);
  return value(residual(h, 'norm2', feedForward));
};

/** `TransformerEncoder` → each layer's graph in turn (`layers.0`, …), then the final norm if any. */
export const exportTransformerEncoder: OnnxExportRule = (module, ctx) => {
  const encoder = module as TransformerEncoder;
  let x = ctx.input;
  for (let i = 0; i < encoder.numLayers; i++) x = ctx.exportChild(`layers.${i}`, x);
  return encoder.norm ? ctx.exportChild('norm', x) : x;
};


/**
 * A rule for a layer that cannot be one step of a single-input graph: it explains why instead of the
 * generic "no rule" error. `Bilinear` and the decoder side of transformers read two inputs; `ModuleList`
 * and `ModuleDict` have no forward of their own.
 */
export const refuseExport = (reason: string): OnnxExportRule => (_module, ctx) => {
  throw ctx.error(reason);
};
