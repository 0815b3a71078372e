import { ShapeError, arange, fmtShape, stack, zeros, type Generator, type Tensor } from '@backprop/tensor';
import { normal_ } from '@backprop/init';
import { checkBoolean, checkDtype, checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';

/** Options of the positional embeddings. */
export interface PositionalEmbeddingOptions {
  /** Inputs are `[N, L, E]` instead of `[L, N, E]` (default false, as the transformer layers). */
  batchFirst?: boolean;
  /** Generator for the initial weights (learned embedding only; default generator when omitted). */
  generator?: Generator;
  /** dtype of the table (default float32). */
  dtype?: ParamDType;
}

/** x + table[:L], the table's rows broadcast over the batch axis. */
function addPositions(layer: string, x: Tensor, table: Tensor, batchFirst: boolean): Tensor {
  const [maxLen, E] = table.shape;
  const unbatched = x.rank === 2;
  const axis = unbatched || batchFirst ? x.rank - 2 : 0;
  if ((x.rank !== 2 && x.rank !== 3) || x.shape[x.rank - 1] !== E || x.shape[axis] > maxLen) {
    const layout = unbatched ? `[L, ${E}]` : batchFirst ? `[N, L, ${E}]` : `[L, N, ${E}]`;
    throw new ShapeError(layer, `expected input of shape ${layout} with L ≤ maxLen ${maxLen}, got ${fmtShape(x.shape)}`);
  }
  const rows = table.narrow(0, 0, x.shape[axis]);
  return x.add(unbatched || batchFirst ? rows : rows.unsqueeze(1));
}

/**
 * Adds the fixed sinusoidal position encoding of "Attention Is All You Need" (Vaswani et al., 2017):
 * PE[p, 2i] = sin(p / 10000^(2i/E)), PE[p, 2i+1] = cos(p / 10000^(2i/E)); y = x + PE[:L]. The table is
 * a non-persistent buffer `pe` `[maxLen, E]` (computed, so it is not in the state dict). Input
 * `[L, N, E]` (`[N, L, E]` with batchFirst, or unbatched `[L, E]`). Defaults: maxLen 5000, batchFirst false.
 * PyTorch has no such layer; this is the tutorials' `PositionalEncoding` without its dropout.
 *
 * @example
 * const pe = new SinusoidalPositionalEmbedding(16, { maxLen: 64, batchFirst: true });
 * pe.call(zeros([2, 10, 16])).shape; // [2, 10, 16]
 */
export class SinusoidalPositionalEmbedding extends Module {
  readonly embeddingDim: number;
  readonly maxLen: number;
  readonly batchFirst: boolean;
  readonly dtype: ParamDType;

  constructor(embeddingDim: number, options: PositionalEmbeddingOptions & { maxLen?: number } = {}) {
    super();
    this.embeddingDim = checkInt('SinusoidalPositionalEmbedding', 'embeddingDim', embeddingDim);
    this.maxLen = checkInt('SinusoidalPositionalEmbedding', 'maxLen', options.maxLen ?? 5000);
    this.batchFirst = checkBoolean('SinusoidalPositionalEmbedding', 'batchFirst', options.batchFirst ?? false);
    this.dtype = checkDtype('SinusoidalPositionalEmbedding', options.dtype);
    const half = Math.ceil(embeddingDim / 2);
    const position = arange(this.maxLen, undefined, 1, { dtype: 'float64' }).reshape([this.maxLen, 1]);
    const frequency = arange(0, 2 * half, 2, { dtype: 'float64' }).mul(-Math.log(10000) / embeddingDim).exp();
    const angle = position.mul(frequency);
    // Interleave sin and cos: [maxLen, half, 2] → [maxLen, 2·half], then drop the last column for odd E.
    const pe = stack([angle.sin(), angle.cos()], 2).reshape([this.maxLen, 2 * half]).narrow(1, 0, embeddingDim).astype(this.dtype);
    this.registerBuffer('pe', pe, { persistent: false });
  }

  forward(x: Tensor): Tensor {
    return addPositions('SinusoidalPositionalEmbedding', x, this.getBuffer('pe')!, this.batchFirst);
  }

  override toConfig(): LayerConfig {
    return { type: 'SinusoidalPositionalEmbedding', embeddingDim: this.embeddingDim, maxLen: this.maxLen, batchFirst: this.batchFirst, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig): SinusoidalPositionalEmbedding {
    const o = configOptions('SinusoidalPositionalEmbedding', config, ['embeddingDim', 'maxLen', 'batchFirst', 'dtype']);
    return new SinusoidalPositionalEmbedding(o.embeddingDim as number, o as PositionalEmbeddingOptions & { maxLen?: number });
  }
}

/**
 * Adds a learned position embedding: y = x + weight[:L], with `weight` `[maxLen, E]` ~ N(0, 1) as
 * `nn.Embedding`'s (what PyTorch code writes as `x + pos_emb(arange(L))`, GPT-style). Input `[L, N, E]`
 * (`[N, L, E]` with batchFirst, or unbatched `[L, E]`); L ≤ maxLen. Default batchFirst false.
 *
 * @example
 * const pos = new LearnedPositionalEmbedding(32, 16, { batchFirst: true });
 * pos.call(zeros([2, 10, 16])).shape; // [2, 10, 16]
 */
export class LearnedPositionalEmbedding extends Module {
  readonly maxLen: number;
  readonly embeddingDim: number;
  readonly batchFirst: boolean;
  readonly dtype: ParamDType;

  constructor(maxLen: number, embeddingDim: number, options: PositionalEmbeddingOptions = {}) {
    super();
    this.maxLen = checkInt('LearnedPositionalEmbedding', 'maxLen', maxLen);
    this.embeddingDim = checkInt('LearnedPositionalEmbedding', 'embeddingDim', embeddingDim);
    this.batchFirst = checkBoolean('LearnedPositionalEmbedding', 'batchFirst', options.batchFirst ?? false);
    this.dtype = checkDtype('LearnedPositionalEmbedding', options.dtype);
    this.registerParameter('weight', zeros([maxLen, embeddingDim], { dtype: this.dtype }).requiresGrad_());
    normal_(this.weight, { generator: options.generator });
  }

  /** `[maxLen, embeddingDim]`. */
  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  forward(x: Tensor): Tensor {
    return addPositions('LearnedPositionalEmbedding', x, this.weight, this.batchFirst);
  }

  override toConfig(): LayerConfig {
    return { type: 'LearnedPositionalEmbedding', maxLen: this.maxLen, embeddingDim: this.embeddingDim, batchFirst: this.batchFirst, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): LearnedPositionalEmbedding {
    const o = configOptions('LearnedPositionalEmbedding', config, ['maxLen', 'embeddingDim', 'batchFirst', 'dtype']);
    return new LearnedPositionalEmbedding(o.maxLen as number, o.embeddingDim as number, {
      batchFirst: o.batchFirst as boolean | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
