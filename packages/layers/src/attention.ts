import {
  DTypeError, ShapeError, ValueError, arange, bernoulli, fmtShape, isFloat, logicalNot, matmul, zeros, type Generator, type Tensor,
} from '@backprop/tensor';
import { xavierUniform_, zeros_ } from '@backprop/init';
import { linear } from './affine.js';
import { checkBoolean, checkDtype, checkInt, checkNumber, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Linear } from './linear.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';

/** Options of `scaledDotProductAttention`, as `torch.nn.functional.scaled_dot_product_attention`. */
export interface ScaledDotProductAttentionOptions {
  /**
   * A bool mask (true = the query may attend to that key) or a float mask added to the scores; it
   * broadcasts to `[..., L, S]`. Default none.
   */
  attnMask?: Tensor | null;
  /** Dropout probability on the attention weights (default 0; applied whenever it is above 0, as PyTorch's function does). */
  dropoutP?: number;
  /** Query i attends to keys 0..i only (a lower-triangular mask); not together with `attnMask` (default false). */
  isCausal?: boolean;
  /** The factor on q·kᵀ (default 1/√E). */
  scale?: number;
  /** Where the dropout masks come from (default generator when omitted). */
  generator?: Generator;
}

/** `[..., L, S]` bool mask, true on and below the diagonal: query i sees keys 0..i (PyTorch's `tril`, top-left aligned). */
export function causalMask(queries: number, keys: number): Tensor {
  return arange(queries).reshape([queries, 1]).ge(arange(keys).reshape([1, keys]));
}

/** A float mask of the scores' dtype: bool true (allowed) → 0, false → −∞; a float mask as given. */
function additiveMask(op: string, mask: Tensor, dtype: Tensor['dtype'], allowedWhere: boolean): Tensor {
  if (mask.dtype === 'bool') {
    const blocked = allowedWhere ? logicalNot(mask) : mask;
    return zeros(mask.shape, { dtype }).maskedFill(blocked, -Infinity);
  }
  if (!isFloat(mask.dtype)) throw new DTypeError(op, `masks must be bool or float, got ${mask.dtype} of shape ${fmtShape(mask.shape)}`);
  return mask;
}

/**
 * softmax(q·kᵀ·scale + mask), dropout on it, and its product with v: the attention weights and the output.
 * `blockedWhereTrue` says which way a bool mask reads (true = blocked for `nn.MultiheadAttention`).
 */
export function attentionWeights(
  op: string,
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions & { blockedWhereTrue?: boolean; extraMask?: Tensor | null },
): [Tensor, Tensor] {
  const E = query.shape[query.rank - 1];
  if (query.rank < 2 || key.rank < 2 || value.rank < 2 || key.shape[key.rank - 1] !== E || key.shape[key.rank - 2] !== value.shape[value.rank - 2]) {
    throw new ShapeError(
      op,
      `expected query [..., L, E], key [..., S, E] and value [..., S, Ev], got ${fmtShape(query.shape)}, ${fmtShape(key.shape)} and ${fmtShape(value.shape)}`,
    );
  }
  const L = query.shape[query.rank - 2];
  const S = key.shape[key.rank - 2];
  const scale = options.scale ?? 1 / Math.sqrt(E);
  const dropoutP = checkNumber(op, 'dropoutP', options.dropoutP ?? 0, 0);
  if (dropoutP > 1) throw new ValueError(op, `dropoutP must be a probability in [0, 1], got ${dropoutP}`);
  let scores = matmul(query, key, false, true).mul(scale);
  if (options.isCausal) {
    if (options.attnMask) throw new ValueError(op, 'pass either attnMask or isCausal, not both');
    scores = scores.add(additiveMask(op, causalMask(L, S), scores.dtype, true));
  }
  if (options.attnMask) scores = scores.add(additiveMask(op, options.attnMask, scores.dtype, !options.blockedWhereTrue));
  if (options.extraMask) scores = scores.add(options.extraMask);
  let weights = scores.softmax(-1);
  if (dropoutP === 1) weights = weights.mul(0);
  else if (dropoutP > 0) {
    const keep = bernoulli(1 - dropoutP, weights.shape, { generator: options.generator, dtype: weights.dtype });
    weights = weights.mul(keep.mul(1 / (1 - dropoutP)));
  }
  return [matmul(weights, value), weights];
}

/**
 * Attention as `torch.nn.functional.scaled_dot_product_attention` (PyTorch 2):
 * out = dropout(softmax(q·kᵀ·scale + M))·v for query `[..., L, E]`, key `[..., S, E]`, value `[..., S, Ev]`
 * → `[..., L, Ev]`, with scale = 1/√E by default. M is 0 where attention is allowed and −∞ where not: a
 * bool `attnMask` is true where the query may attend (the opposite of `MultiheadAttention`'s masks, as in
 * PyTorch), a float one is added as it is, and `isCausal` allows key j for query i only when j ≤ i.
 * Dropout (`dropoutP`, default 0) draws from `generator`; a row whose keys are all masked gives NaN, as
 * in PyTorch.
 *
 * @example
 * const q = randn([2, 4, 5, 8]);                                   // [N, heads, L, E]
 * scaledDotProductAttention(q, q, q, { isCausal: true }).shape;    // [2, 4, 5, 8]
 */
export function scaledDotProductAttention(query: Tensor, key: Tensor, value: Tensor, options: ScaledDotProductAttentionOptions = {}): Tensor {
  return attentionWeights('scaledDotProductAttention', query, key, value, options)[0];
}

/** Options of `MultiheadAttention`, with PyTorch's defaults. */
export interface MultiheadAttentionOptions {
  /** Dropout probability on the attention weights in training (default 0). */
  dropout?: number;
  /** Learn `in_proj_bias` and `out_proj.bias` (default true). */
  bias?: boolean;
  /** Inputs and outputs are `[N, L, E]` instead of `[L, N, E]` (default false). */
  batchFirst?: boolean;
  /** Features of the keys (default embedDim); with kdim or vdim ≠ embedDim the projections are separate. */
  kdim?: number;
  /** Features of the values (default embedDim). */
  vdim?: number;
  /** Generator for the initial weights and the dropout masks (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/** Options of `MultiheadAttention.forward`, as PyTorch's keyword arguments. */
export interface MultiheadAttentionCallOptions {
  /** `[N, S]` (or `[S]` unbatched): bool true (or a float added to the scores) marks keys to ignore, such as padding. */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too (default true); false returns `null` in their place. */
  needWeights?: boolean;
  /** `[L, S]` or `[N·heads, L, S]`: bool true blocks the pair; a float mask is added to the scores. */
  attnMask?: Tensor | null;
  /** Average the returned weights over heads (`[N, L, S]`, the default) or not (`[N, heads, L, S]`). */
  averageAttnWeights?: boolean;
  /** Apply a causal mask (query i sees keys 0..i), instead of passing one as `attnMask` (default false). */
  isCausal?: boolean;
}

/**
 * Multi-head attention, as PyTorch's `nn.MultiheadAttention`: for each head h,
 * headₕ = softmax(Qₕ·Kₕᵀ/√d + M)·Vₕ with Q = q·W_qᵀ + b_q, K = k·W_kᵀ + b_k, V = v·W_vᵀ + b_v split into
 * `numHeads` heads of d = embedDim/numHeads, and out = concat(heads)·W_oᵀ + b_o.
 *
 * Parameters as PyTorch's (so state_dicts move both ways): `in_proj_weight` `[3E, E]` (W_q, W_k, W_v
 * stacked) ~ xavier_uniform, `in_proj_bias` `[3E]` zeros, and the child `out_proj` (a `Linear(E, E)`:
 * `out_proj.weight`, `out_proj.bias` zeros). Defaults: dropout 0, bias true, batchFirst false.
 *
 * `forward(query, key, value, options?)` takes `[L, N, E]` query and `[S, N, E]` key/value (`[N, L, E]`
 * with `batchFirst`, or unbatched `[L, E]`) and returns `[output, weights]`: output like query, weights
 * `[N, L, S]` averaged over heads (see `MultiheadAttentionCallOptions`). `key` defaults to the query and
 * `value` to the key, so `mha.call(x)` is self-attention (an addition to PyTorch's signature). Masks read as in PyTorch: bool
 * true means *blocked*. With `kdim` or `vdim` other than embedDim (keys or values of other widths), the
 * projections are PyTorch's separate `q_proj_weight` `[E, E]`, `k_proj_weight` `[E, kdim]` and
 * `v_proj_weight` `[E, vdim]` instead of `in_proj_weight`.
 *
 * @example
 * const mha = new MultiheadAttention(8, 2, { batchFirst: true });
 * const x = randn([3, 5, 8]);
 * const [out, weights] = mha.call(x, x, x); // out [3, 5, 8], weights [3, 5, 5]
 */
export class MultiheadAttention extends Module<[Tensor, Tensor?, Tensor?, MultiheadAttentionCallOptions?], [Tensor, Tensor | null]> {
  readonly embedDim: number;
  readonly kdim: number;
  readonly vdim: number;
  readonly numHeads: number;
  readonly headDim: number;
  readonly dropout: number;
  readonly batchFirst: boolean;
  readonly dtype: ParamDType;
  /** The generator of the dropout masks, if one was given. */
  readonly generator: Generator | undefined;

  constructor(embedDim: number, numHeads: number, options: MultiheadAttentionOptions = {}) {
    super();
    this.embedDim = checkInt('MultiheadAttention', 'embedDim', embedDim);
    this.numHeads = checkInt('MultiheadAttention', 'numHeads', numHeads);
    if (embedDim % numHeads !== 0) throw new ValueError('MultiheadAttention', `embedDim (${embedDim}) must be divisible by numHeads (${numHeads})`);
    this.headDim = embedDim / numHeads;
    this.dropout = checkNumber('MultiheadAttention', 'dropout', options.dropout ?? 0, 0);
    if (this.dropout > 1) throw new ValueError('MultiheadAttention', `dropout must be a probability in [0, 1], got ${this.dropout}`);
    this.batchFirst = checkBoolean('MultiheadAttention', 'batchFirst', options.batchFirst ?? false);
    const bias = checkBoolean('MultiheadAttention', 'bias', options.bias ?? true);
    this.dtype = checkDtype('MultiheadAttention', options.dtype);
    this.generator = options.generator;
    const dtype = this.dtype;
    this.kdim = checkInt('MultiheadAttention', 'kdim', options.kdim ?? embedDim);
    this.vdim = checkInt('MultiheadAttention', 'vdim', options.vdim ?? embedDim);
    const param = (shape: number[]) => zeros(shape, { dtype }).requiresGrad_();
    if (this.sameEmbedDims) {
      this.registerParameter('in_proj_weight', param([3 * embedDim, embedDim]));
    } else {
      // PyTorch's registration order: the three projections, then the absent stacked one.
      this.registerParameter('q_proj_weight', param([embedDim, embedDim]));
      this.registerParameter('k_proj_weight', param([embedDim, this.kdim]));
      this.registerParameter('v_proj_weight', param([embedDim, this.vdim]));
      this.registerParameter('in_proj_weight', null);
    }
    this.registerParameter('in_proj_bias', bias ? zeros([3 * embedDim], { dtype }).requiresGrad_() : null);
    this.registerModule('out_proj', new Linear(embedDim, embedDim, { bias, dtype, generator: options.generator }));
    this.resetParameters(options.generator);
  }

  /** Whether keys and values have embedDim features, so the three projections are stacked in `in_proj_weight`. */
  get sameEmbedDims(): boolean {
    return this.kdim === this.embedDim && this.vdim === this.embedDim;
  }

  /** `[3E, E]`: the query, key and value projections stacked (`null` with kdim/vdim ≠ embedDim). */
  get inProjWeight(): Tensor | null {
    return this.getParameter('in_proj_weight') ?? null;
  }

  /** The query, key and value projection weights `[E, E]`, `[E, kdim]`, `[E, vdim]` (blocks of `in_proj_weight` when stacked). */
  projectionWeights(): [Tensor, Tensor, Tensor] {
    const E = this.embedDim;
    const w = this.inProjWeight;
    if (w) return [w.narrow(0, 0, E), w.narrow(0, E, E), w.narrow(0, 2 * E, E)];
    const p = (name: string) => this.getParameter(name) as Tensor;
    return [p('q_proj_weight'), p('k_proj_weight'), p('v_proj_weight')];
  }

  /** `[3E]`, or `null` without bias. */
  get inProjBias(): Tensor | null {
    return this.getParameter('in_proj_bias') ?? null;
  }

  /** The output projection. */
  get outProj(): Linear {
    return this.getSubmodule('out_proj') as Linear;
  }

  /** Whether the projections have biases. */
  get bias(): boolean {
    return this.inProjBias !== null;
  }

  /** PyTorch's `_reset_parameters`: xavier_uniform on `in_proj_weight`, zeros on both biases (`out_proj.weight` keeps Linear's init). */
  resetParameters(generator?: Generator): void {
    if (this.inProjWeight) xavierUniform_(this.inProjWeight, { generator });
    else for (const name of ['q_proj_weight', 'k_proj_weight', 'v_proj_weight']) xavierUniform_(this.getParameter(name)!, { generator });
    if (this.inProjBias) zeros_(this.inProjBias);
    if (this.outProj.bias) zeros_(this.outProj.bias);
  }

  forward(query: Tensor, key: Tensor = query, value: Tensor = key, options: MultiheadAttentionCallOptions = {}): [Tensor, Tensor | null] {
    const E = this.embedDim;
    const unbatched = query.rank === 2;
    const rank = unbatched ? 2 : 3;
    for (const [name, t, F] of [['query', query, E], ['key', key, this.kdim], ['value', value, this.vdim]] as const) {
      if (t.rank !== rank || t.shape[rank - 1] !== F) {
        const layout = unbatched ? `[L, ${F}]` : this.batchFirst ? `[N, L, ${F}]` : `[L, N, ${F}]`;
        throw new ShapeError('MultiheadAttention', `expected ${name} of shape ${layout} (like query ${fmtShape(query.shape)}), got ${fmtShape(t.shape)}`);
      }
    }
    // Everything below works batch-first: [N, L, E].
    const toBatchFirst = (t: Tensor) => (unbatched ? t.unsqueeze(0) : this.batchFirst ? t : t.transpose(0, 1));
    const [q, k, v] = [query, key, value].map(toBatchFirst);
    const [N, L] = q.shape;
    const S = k.shape[1];
    if (k.shape[0] !== N || v.shape[0] !== N || v.shape[1] !== S) {
      throw new ShapeError('MultiheadAttention', `key ${fmtShape(key.shape)} and value ${fmtShape(value.shape)} must share batch and length, with query ${fmtShape(query.shape)}'s batch`);
    }
    const w = this.projectionWeights();
    const b = this.inProjBias;
    const project = (x: Tensor, i: number) => linear(x, w[i], b ? b.narrow(0, i * E, E) : null);
    const heads = (x: Tensor, length: number) => x.reshape([N, length, this.numHeads, this.headDim]).transpose(1, 2);
    const qh = heads(project(q, 0), L);
    const kh = heads(project(k, 1), S);
    const vh = heads(project(v, 2), S);
    const extraMask = this.masks(options, N, L, S, qh.dtype);
    const [attended, weights] = attentionWeights('MultiheadAttention', qh, kh, vh, {
      isCausal: options.isCausal,
      extraMask,
      dropoutP: this.training ? this.dropout : 0,
      generator: this.generator,
    });
    let out = this.outProj.call(attended.transpose(1, 2).reshape([N, L, E]));
    out = unbatched ? out.squeeze(0) : this.batchFirst ? out : out.transpose(0, 1);
    if (options.needWeights === false) return [out, null];
    let returned = (options.averageAttnWeights ?? true) ? weights.mean(1) : weights;
    if (unbatched) returned = returned.squeeze(0);
    return [out, returned];
  }

  /** attnMask and keyPaddingMask merged into one float mask `[N, heads, L, S]` (broadcastable), or null. */
  private masks(options: MultiheadAttentionCallOptions, N: number, L: number, S: number, dtype: Tensor['dtype']): Tensor | null {
    let mask: Tensor | null = null;
    const { attnMask, keyPaddingMask } = options;
    if (attnMask) {
      if (options.isCausal) throw new ValueError('MultiheadAttention', 'pass either attnMask or isCausal, not both');
      const ok2 = attnMask.rank === 2 && attnMask.shape[0] === L && attnMask.shape[1] === S;
      const ok3 = attnMask.rank === 3 && attnMask.shape[0] === N * this.numHeads && attnMask.shape[1] === L && attnMask.shape[2] === S;
      if (!ok2 && !ok3) {
        throw new ShapeError('MultiheadAttention', `expected attnMask of shape [${L}, ${S}] or [${N * this.numHeads}, ${L}, ${S}] (N·heads, L, S), got ${fmtShape(attnMask.shape)}`);
      }
      const m = additiveMask('MultiheadAttention', attnMask, dtype, false);
      mask = ok3 ? m.reshape([N, this.numHeads, L, S]) : m;
    }
    if (keyPaddingMask) {
      const batched = keyPaddingMask.rank === 2 && keyPaddingMask.shape[0] === N && keyPaddingMask.shape[1] === S;
      const single = keyPaddingMask.rank === 1 && N === 1 && keyPaddingMask.shape[0] === S;
      if (!batched && !single) throw new ShapeError('MultiheadAttention', `expected keyPaddingMask of shape [${N}, ${S}] (N, S), got ${fmtShape(keyPaddingMask.shape)}`);
      const m = additiveMask('MultiheadAttention', keyPaddingMask, dtype, false).reshape([N, 1, 1, S]);
      mask = mask ? mask.add(m) : m;
    }
    return mask;
  }

  override toConfig(): LayerConfig {
    return {
      type: 'MultiheadAttention',
      embedDim: this.embedDim,
      numHeads: this.numHeads,
      dropout: this.dropout,
      bias: this.bias,
      batchFirst: this.batchFirst,
      // Written only when they differ from embedDim, so configs of the common case read as before.
      ...(this.kdim !== this.embedDim ? { kdim: this.kdim } : {}),
      ...(this.vdim !== this.embedDim ? { vdim: this.vdim } : {}),
      dtype: this.dtype,
    };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): MultiheadAttention {
    const o = configOptions('MultiheadAttention', config, ['embedDim', 'numHeads', 'dropout', 'bias', 'batchFirst', 'kdim', 'vdim', 'dtype']);
    return new MultiheadAttention(o.embedDim as number, o.numHeads as number, {
      dropout: o.dropout as number | undefined,
      bias: o.bias as boolean | undefined,
      batchFirst: o.batchFirst as boolean | undefined,
      kdim: o.kdim as number | undefined,
      vdim: o.vdim as number | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
