import { DTypeError, Tensor, ValueError, copy_, indexSelect, where, zeros, type Generator } from '@backprop/tensor';
import { normal_ } from '@backprop/init';
import { checkDtype, checkInt, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Module } from './module.js';
import type { BuildContext } from './registry.js';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** Index whose row stays zero at initialization and receives no gradient (default none); negative counts from the end. */
  paddingIdx?: number | null;
  /** Generator for the initial weights (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/**
 * A lookup table, as PyTorch's `nn.Embedding`: for int32 indices of any shape S, out = weight[indices]
 * of shape [...S, embeddingDim]. `weight [numEmbeddings, embeddingDim]` ~ N(0, 1); the `paddingIdx` row
 * (if given) starts at zero and gets no gradient, so it stays whatever it is (e.g. a padding token's
 * all-zero vector). Gradients of repeated indices add up.
 *
 * @example
 * const emb = new Embedding(10, 3, { paddingIdx: 0 });
 * emb.call(tensor([[1, 2, 0]], undefined, 'int32')).shape; // [1, 3, 3]; the last row is zeros
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding index, normalized to 0 … numEmbeddings − 1 (as PyTorch stores it), or `null`. */
  readonly paddingIdx: number | null;
  readonly dtype: ParamDType;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingOptions = {}) {
    super();
    this.numEmbeddings = checkInt('Embedding', 'numEmbeddings', numEmbeddings);
    this.embeddingDim = checkInt('Embedding', 'embeddingDim', embeddingDim);
    const pad = options.paddingIdx ?? null;
    if (pad !== null && (!Number.isInteger(pad) || pad >= numEmbeddings || pad < -numEmbeddings)) {
      throw new ValueError('Embedding', `paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings - 1}] or null, got ${String(pad)}`);
    }
    this.paddingIdx = pad === null ? null : pad < 0 ? pad + numEmbeddings : pad;
    this.dtype = checkDtype('Embedding', options.dtype);
    this.registerParameter('weight', zeros([this.numEmbeddings, this.embeddingDim], { dtype: this.dtype }).requiresGrad_());
    this.resetParameters(options.generator);
  }

  /** `[numEmbeddings, embeddingDim]`. */
  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  /** Draws the weights again from N(0, 1) and zeroes the padding row (PyTorch's `reset_parameters`). */
  resetParameters(generator?: Generator): void {
    normal_(this.weight, { generator });
    if (this.paddingIdx !== null) {
      // Zero the padding row through ops (a row mask), so the table may live in a backend's memory.
      const keep = new Uint8Array(this.numEmbeddings).fill(1);
      keep[this.paddingIdx] = 0;
      copy_(this.weight, where(new Tensor(keep, [this.numEmbeddings, 1], 'bool'), this.weight, 0));
    }
  }

  forward(indices: Tensor): Tensor {
    if (indices.dtype !== 'int32') throw new DTypeError('Embedding', `indices must be int32, got ${indices.dtype} of shape [${indices.shape.join(', ')}]`);
    // Host indices, which is what users pass, are checked; indices a device computed stay there (reading
    // them back would stall it), and the lookup's kernel keeps within the table.
    const values = indices.storage.isHost ? indices.dataSync() : [];
    for (let i = 0; i < values.length; i++) {
      const v = Number(values[i]);
      if (v < 0 || v >= this.numEmbeddings) {
        throw new ValueError('Embedding', `index ${v} at position ${i} is out of range for ${this.numEmbeddings} embeddings`);
      }
    }
    const flat = indices.reshape([indices.size]);
    let rows = indexSelect(this.weight, 0, flat);
    if (this.paddingIdx !== null) {
      // Padding positions read the same values from a detached view of the table, so no gradient reaches that row.
      const isPad = flat.eq(this.paddingIdx).reshape([indices.size, 1]);
      rows = where(isPad, indexSelect(this.weight.detach(), 0, flat), rows);
    }
    return rows.reshape([...indices.shape, this.embeddingDim]);
  }

  override toConfig(): LayerConfig {
    return { type: 'Embedding', numEmbeddings: this.numEmbeddings, embeddingDim: this.embeddingDim, paddingIdx: this.paddingIdx, dtype: this.dtype };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Embedding {
    const o = configOptions('Embedding', config, ['numEmbeddings', 'embeddingDim', 'paddingIdx', 'dtype']);
    return new Embedding(o.numEmbeddings as number, o.embeddingDim as number, {
      paddingIdx: o.paddingIdx as number | null | undefined,
      dtype: o.dtype as ParamDType | undefined,
      generator: context.generator,
    });
  }
}
