import { ValueError, gelu, logicalNot, zeros, type Generator, type Tensor } from '@backprop/tensor';
import { xavierUniform_ } from '@backprop/init';
import { causalMask, MultiheadAttention } from './attention.js';
import { checkBoolean, checkChoice, checkDtype, checkInt, checkNumber, configOptions, type LayerConfig, type ParamDType } from './config.js';
import { Dropout } from './dropout.js';
import { LayerNorm } from './layer-norm.js';
import { Linear } from './linear.js';
import { Module, type AnyModule } from './module.js';
import { ModuleList } from './module-list.js';
import { layerFromConfig, type BuildContext } from './registry.js';

/** Options shared by `TransformerEncoderLayer` and `TransformerDecoderLayer`, with PyTorch's defaults. */
export interface TransformerLayerOptions {
  /** Hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout after attention, inside and after the feed-forward block, and on attention weights (default 0.1). */
  dropout?: number;
  /** The feed-forward activation: `'relu'` (default) or `'gelu'`. */
  activation?: 'relu' | 'gelu';
  /** LayerNorm's eps (default 1e-5). */
  layerNormEps?: number;
  /** Inputs are `[N, L, E]` instead of `[L, N, E]` (default false). */
  batchFirst?: boolean;
  /** Normalize before each block (pre-norm) instead of after the residual sum (default false). */
  normFirst?: boolean;
  /** Generator for the initial weights and the dropout masks (default generator when omitted). */
  generator?: Generator;
  /** Parameter dtype (default float32). */
  dtype?: ParamDType;
}

/** Options of `TransformerEncoderLayer.forward` (and `TransformerEncoder.forward`). */
export interface TransformerEncoderCallOptions {
  /** `[L, L]` or `[N·heads, L, L]` attention mask: bool true blocks, float is added (PyTorch's `src_mask`). */
  srcMask?: Tensor | null;
  /** `[N, L]`: true marks padding positions no query attends to. */
  srcKeyPaddingMask?: Tensor | null;
  /** Causal self-attention (position i sees 0..i) without building a mask (default false). */
  isCausal?: boolean;
}

/** Options of `TransformerDecoderLayer.forward` (and `TransformerDecoder.forward`). */
export interface TransformerDecoderCallOptions {
  /** Self-attention mask of the target `[T, T]`: bool true blocks, float is added. */
  tgtMask?: Tensor | null;
  /** Cross-attention mask `[T, S]`. */
  memoryMask?: Tensor | null;
  /** `[N, T]`: padding positions of the target. */
  tgtKeyPaddingMask?: Tensor | null;
  /** `[N, S]`: padding positions of the memory. */
  memoryKeyPaddingMask?: Tensor | null;
  /** Causal self-attention over the target (default false). */
  tgtIsCausal?: boolean;
}

const LAYER_FIELDS = ['dModel', 'nhead', 'dimFeedforward', 'dropout', 'activation', 'layerNormEps', 'batchFirst', 'normFirst', 'dtype'];

/** The checked options every transformer layer keeps, as stored fields. */
class LayerSettings {
  readonly dModel: number;
  readonly nhead: number;
  readonly dimFeedforward: number;
  readonly dropout: number;
  readonly activation: 'relu' | 'gelu';
  readonly layerNormEps: number;
  readonly batchFirst: boolean;
  readonly normFirst: boolean;
  readonly dtype: ParamDType;

  constructor(layer: string, dModel: number, nhead: number, o: TransformerLayerOptions) {
    this.dModel = checkInt(layer, 'dModel', dModel);
    this.nhead = checkInt(layer, 'nhead', nhead);
    this.dimFeedforward = checkInt(layer, 'dimFeedforward', o.dimFeedforward ?? 2048);
    this.dropout = checkNumber(layer, 'dropout', o.dropout ?? 0.1, 0);
    if (this.dropout > 1) throw new ValueError(layer, `dropout must be a probability in [0, 1], got ${this.dropout}`);
    this.activation = checkChoice(layer, 'activation', o.activation ?? 'relu', ['relu', 'gelu'] as const);
    this.layerNormEps = checkNumber(layer, 'layerNormEps', o.layerNormEps ?? 1e-5, 0);
    this.batchFirst = checkBoolean(layer, 'batchFirst', o.batchFirst ?? false);
    this.normFirst = checkBoolean(layer, 'normFirst', o.normFirst ?? false);
    this.dtype = checkDtype(layer, o.dtype);
  }

  config(type: string): LayerConfig {
    const { dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype } = this;
    return { type, dModel, nhead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst, dtype };
  }
}

function layerOptions(o: Record<string, unknown>, context: BuildContext): TransformerLayerOptions {
  return { ...(o as TransformerLayerOptions), generator: context.generator };
}

/** The feed-forward block's children and the norms and dropouts both layer kinds share, registered in PyTorch's order. */
abstract class TransformerLayerBase<Args extends unknown[]> extends Module<Args, Tensor> {
  protected readonly settings: LayerSettings;

  protected constructor(layer: string, dModel: number, nhead: number, options: TransformerLayerOptions, norms: number) {
    super();
    const s = (this.settings = new LayerSettings(layer, dModel, nhead, options));
    const { generator } = options;
    const common = { dtype: s.dtype, generator };
    const attention = () => new MultiheadAttention(s.dModel, s.nhead, { dropout: s.dropout, batchFirst: s.batchFirst, ...common });
    this.registerModule('self_attn', attention());
    if (norms === 3) this.registerModule('multihead_attn', attention());
    this.registerModule('linear1', new Linear(s.dModel, s.dimFeedforward, common));
    this.registerModule('dropout', new Dropout(s.dropout, { generator }));
    this.registerModule('linear2', new Linear(s.dimFeedforward, s.dModel, common));
    for (let i = 1; i <= norms; i++) this.registerModule(`norm${i}`, new LayerNorm(s.dModel, { eps: s.layerNormEps, dtype: s.dtype }));
    for (let i = 1; i <= norms; i++) this.registerModule(`dropout${i}`, new Dropout(s.dropout, { generator }));
  }

  get dModel(): number { return this.settings.dModel; }
  get nhead(): number { return this.settings.nhead; }
  get dimFeedforward(): number { return this.settings.dimFeedforward; }
  get dropoutP(): number { return this.settings.dropout; }
  get activation(): 'relu' | 'gelu' { return this.settings.activation; }
  get layerNormEps(): number { return this.settings.layerNormEps; }
  get batchFirst(): boolean { return this.settings.batchFirst; }
  get normFirst(): boolean { return this.settings.normFirst; }
  get dtype(): ParamDType { return this.settings.dtype; }

  /** A child by its PyTorch name. */
  protected child<M extends AnyModule>(name: string): M {
    return this.getSubmodule(name) as M;
  }

  /** dropout2(linear2(dropout(act(linear1(x))))) for the encoder (dropout3 for the decoder). */
  protected feedForward(x: Tensor, lastDropout: string): Tensor {
    const h = this.child<Linear>('linear1').call(x);
    const act = this.settings.activation === 'relu' ? h.relu() : gelu(h);
    return this.child<Dropout>(lastDropout).call(this.child<Linear>('linear2').call(this.child<Dropout>('dropout').call(act)));
  }

  /** One residual block: x + f(norm(x)) with normFirst, else norm(x + f(x)). */
  protected residual(x: Tensor, norm: string, f: (y: Tensor) => Tensor): Tensor {
    const n = this.child<LayerNorm>(norm);
    return this.settings.normFirst ? x.add(f(n.call(x))) : n.call(x.add(f(x)));
  }
}

/**
 * One transformer encoder layer, as PyTorch's `nn.TransformerEncoderLayer`: self-attention, then a
 * feed-forward block, each with a residual connection and LayerNorm. Post-norm (the default):
 *
 *     x = norm1(x + dropout1(self_attn(x, x, x)))
 *     x = norm2(x + dropout2(linear2(dropout(act(linear1(x))))))
 *
 * and with `normFirst` x = x + dropout1(self_attn(norm1(x))), x = x + dropout2(ff(norm2(x))).
 * Children (and state_dict names) as PyTorch: `self_attn` (a `MultiheadAttention`), `linear1`
 * `[dimFeedforward, dModel]`, `dropout`, `linear2`, `norm1`, `norm2`, `dropout1`, `dropout2`.
 * Defaults: dimFeedforward 2048, dropout 0.1, activation relu, layerNormEps 1e-5, batchFirst false,
 * normFirst false. Input `[L, N, E]` (`[N, L, E]` with batchFirst, or unbatched `[L, E]`).
 *
 * @example
 * const layer = new TransformerEncoderLayer(16, 4, { dimFeedforward: 32, batchFirst: true });
 * layer.call(randn([2, 7, 16]), { isCausal: true }).shape; // [2, 7, 16]
 */
export class TransformerEncoderLayer extends TransformerLayerBase<[Tensor, TransformerEncoderCallOptions?]> {
  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super('TransformerEncoderLayer', dModel, nhead, options, 2);
  }

  /** The self-attention module. */
  get selfAttn(): MultiheadAttention {
    return this.child('self_attn');
  }

  forward(src: Tensor, options: TransformerEncoderCallOptions = {}): Tensor {
    const attend = (y: Tensor) =>
      this.child<Dropout>('dropout1').call(
        this.selfAttn.call(y, y, y, { attnMask: options.srcMask, keyPaddingMask: options.srcKeyPaddingMask, isCausal: options.isCausal, needWeights: false })[0],
      );
    const x = this.residual(src, 'norm1', attend);
    return this.residual(x, 'norm2', (y) => this.feedForward(y, 'dropout2'));
  }

  override toConfig(): LayerConfig {
    return this.settings.config('TransformerEncoderLayer');
  }

  static fromConfig(config: LayerConfig, context: BuildContext): TransformerEncoderLayer {
    const o = configOptions('TransformerEncoderLayer', config, LAYER_FIELDS);
    return new TransformerEncoderLayer(o.dModel as number, o.nhead as number, layerOptions(o, context));
  }
}

/**
 * One transformer decoder layer, as PyTorch's `nn.TransformerDecoderLayer`: self-attention over the
 * target, cross-attention to the encoder's `memory`, and a feed-forward block, each with a residual
 * connection and LayerNorm (post-norm by default):
 *
 *     x = norm1(x + dropout1(self_attn(x, x, x)))
 *     x = norm2(x + dropout2(multihead_attn(x, memory, memory)))
 *     x = norm3(x + dropout3(linear2(dropout(act(linear1(x))))))
 *
 * Children as PyTorch: `self_attn`, `multihead_attn`, `linear1`, `dropout`, `linear2`, `norm1..3`,
 * `dropout1..3`. Defaults as `TransformerEncoderLayer`.
 *
 * @example
 * const layer = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * layer.call(randn([5, 2, 8]), randn([6, 2, 8]), { tgtIsCausal: true }).shape; // [5, 2, 8]
 */
export class TransformerDecoderLayer extends TransformerLayerBase<[Tensor, Tensor, TransformerDecoderCallOptions?]> {
  constructor(dModel: number, nhead: number, options: TransformerLayerOptions = {}) {
    super('TransformerDecoderLayer', dModel, nhead, options, 3);
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderCallOptions = {}): Tensor {
    const selfAttn = this.child<MultiheadAttention>('self_attn');
    const crossAttn = this.child<MultiheadAttention>('multihead_attn');
    let x = this.residual(tgt, 'norm1', (y) =>
      this.child<Dropout>('dropout1').call(
        selfAttn.call(y, y, y, { attnMask: options.tgtMask, keyPaddingMask: options.tgtKeyPaddingMask, isCausal: options.tgtIsCausal, needWeights: false })[0],
      ),
    );
    x = this.residual(x, 'norm2', (y) =>
      this.child<Dropout>('dropout2').call(
        crossAttn.call(y, memory, memory, { attnMask: options.memoryMask, keyPaddingMask: options.memoryKeyPaddingMask, needWeights: false })[0],
      ),
    );
    return this.residual(x, 'norm3', (y) => this.feedForward(y, 'dropout3'));
  }

  override toConfig(): LayerConfig {
    return this.settings.config('TransformerDecoderLayer');
  }

  static fromConfig(config: LayerConfig, context: BuildContext): TransformerDecoderLayer {
    const o = configOptions('TransformerDecoderLayer', config, LAYER_FIELDS);
    return new TransformerDecoderLayer(o.dModel as number, o.nhead as number, layerOptions(o, context));
  }
}

/** `numLayers` copies of `layer` with equal weights (PyTorch deep-copies the layer it is given). */
function clones(layer: AnyModule, numLayers: number, generator: Generator | undefined): ModuleList {
  const config = layer.toConfig();
  const state = layer.stateDict();
  return new ModuleList(
    Array.from({ length: numLayers }, () => {
      const copy = layerFromConfig(config, { generator });
      copy.loadStateDict(state);
      return copy;
    }),
  );
}

/** Options of `TransformerEncoder` and `TransformerDecoder`. */
export interface TransformerStackOptions {
  /** A final normalization after the last layer (default none; `Transformer` passes a LayerNorm). */
  norm?: LayerNorm | null;
  /** Generator for the copies' dropout masks (default generator when omitted). */
  generator?: Generator;
}

function buildStack(name: string, config: LayerConfig, context: BuildContext, field: string): [AnyModule, number, TransformerStackOptions] {
  const o = configOptions(name, config, [field, 'numLayers', 'norm']);
  const layerConfig = o[field];
  if (layerConfig === null || typeof layerConfig !== 'object' || Array.isArray(layerConfig)) {
    throw new ValueError(name, `${field} must be a layer config, got ${JSON.stringify(layerConfig)}`);
  }
  const norm = o.norm ? (context.build(o.norm as LayerConfig) as LayerNorm) : null;
  return [context.build(layerConfig as LayerConfig), o.numLayers as number, { norm, generator: context.generator }];
}

/**
 * A stack of `numLayers` encoder layers, as PyTorch's `nn.TransformerEncoder`: each layer is a copy of
 * `encoderLayer` (children `layers.0`, `layers.1`, …, starting with equal weights as PyTorch's deep
 * copies do), then the optional `norm`. `forward(src, options?)` passes the same masks to every layer.
 *
 * @example
 * const encoder = new TransformerEncoder(new TransformerEncoderLayer(16, 4, { dimFeedforward: 32 }), 2);
 * encoder.call(randn([7, 3, 16]), { isCausal: true }).shape; // [7, 3, 16]
 * encoder.namedParameters()[0][0];                           // 'layers.0.self_attn.in_proj_weight'
 */
export class TransformerEncoder extends Module<[Tensor, TransformerEncoderCallOptions?], Tensor> {
  readonly numLayers: number;

  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super();
    if (!(encoderLayer instanceof TransformerEncoderLayer)) throw new ValueError('TransformerEncoder', `encoderLayer must be a TransformerEncoderLayer, got ${String(encoderLayer)}`);
    this.numLayers = checkInt('TransformerEncoder', 'numLayers', numLayers);
    this.registerModule('layers', clones(encoderLayer, numLayers, options.generator));
    this.registerModule('norm', options.norm ?? null);
  }

  /** The layers. */
  get layers(): TransformerEncoderLayer[] {
    return [...(this.getSubmodule('layers') as ModuleList)] as TransformerEncoderLayer[];
  }

  /** The final normalization, or null. */
  get norm(): LayerNorm | null {
    return (this.namedChildren().find(([n]) => n === 'norm')?.[1] as LayerNorm | undefined) ?? null;
  }

  forward(src: Tensor, options: TransformerEncoderCallOptions = {}): Tensor {
    let x = src;
    for (const layer of this.layers) x = layer.call(x, options);
    return this.norm ? this.norm.call(x) : x;
  }

  override toConfig(): LayerConfig {
    return { type: 'TransformerEncoder', encoderLayer: this.layers[0].toConfig(), numLayers: this.numLayers, norm: this.norm?.toConfig() ?? null };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): TransformerEncoder {
    const [layer, n, options] = buildStack('TransformerEncoder', config, context, 'encoderLayer');
    return new TransformerEncoder(layer as TransformerEncoderLayer, n, options);
  }
}

/**
 * A stack of `numLayers` decoder layers, as PyTorch's `nn.TransformerDecoder` (children `layers.0`, …,
 * then the optional `norm`); `forward(tgt, memory, options?)` passes the same masks to every layer.
 *
 * @example
 * const decoder = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2);
 * decoder.call(randn([4, 2, 8]), randn([6, 2, 8]), { tgtIsCausal: true }).shape; // [4, 2, 8]
 */
export class TransformerDecoder extends Module<[Tensor, Tensor, TransformerDecoderCallOptions?], Tensor> {
  readonly numLayers: number;

  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options: TransformerStackOptions = {}) {
    super();
    if (!(decoderLayer instanceof TransformerDecoderLayer)) throw new ValueError('TransformerDecoder', `decoderLayer must be a TransformerDecoderLayer, got ${String(decoderLayer)}`);
    this.numLayers = checkInt('TransformerDecoder', 'numLayers', numLayers);
    this.registerModule('layers', clones(decoderLayer, numLayers, options.generator));
    this.registerModule('norm', options.norm ?? null);
  }

  /** The layers. */
  get layers(): TransformerDecoderLayer[] {
    return [...(this.getSubmodule('layers') as ModuleList)] as TransformerDecoderLayer[];
  }

  /** The final normalization, or null. */
  get norm(): LayerNorm | null {
    return (this.namedChildren().find(([n]) => n === 'norm')?.[1] as LayerNorm | undefined) ?? null;
  }

  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderCallOptions = {}): Tensor {
    let x = tgt;
    for (const layer of this.layers) x = layer.call(x, memory, options);
    return this.norm ? this.norm.call(x) : x;
  }

  override toConfig(): LayerConfig {
    return { type: 'TransformerDecoder', decoderLayer: this.layers[0].toConfig(), numLayers: this.numLayers, norm: this.norm?.toConfig() ?? null };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): TransformerDecoder {
    const [layer, n, options] = buildStack('TransformerDecoder', config, context, 'decoderLayer');
    return new TransformerDecoder(layer as TransformerDecoderLayer, n, options);
  }
}

/** Options of `Transformer`: the layer options and the stack sizes, with PyTorch's defaults. */
export interface TransformerOptions extends TransformerLayerOptions {
  /** Model width (default 512). */
  dModel?: number;
  /** Attention heads (default 8). */
  nhead?: number;
  /** Encoder layers (default 6). */
  numEncoderLayers?: number;
  /** Decoder layers (default 6). */
  numDecoderLayers?: number;
}

/** Options of `Transformer.forward`: the encoder's and the decoder's. */
export interface TransformerCallOptions extends TransformerDecoderCallOptions {
  /** Encoder self-attention mask `[S, S]`. */
  srcMask?: Tensor | null;
  /** `[N, S]`: padding positions of the source. */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * An encoder-decoder transformer, as PyTorch's `nn.Transformer`: `encoder` (a `TransformerEncoder` of
 * `numEncoderLayers` layers with a final LayerNorm) and `decoder` (likewise); every parameter of rank
 * ≥ 2 is then drawn again with xavier_uniform, as PyTorch's `_reset_parameters`. `forward(src, tgt,
 * options?)` = decoder(tgt, encoder(src)). Defaults: dModel 512, nhead 8, 6 + 6 layers, dimFeedforward
 * 2048, dropout 0.1, relu, layerNormEps 1e-5, batchFirst false, normFirst false.
 *
 * @example
 * const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 });
 * model.call(randn([6, 2, 8]), randn([4, 2, 8]), { tgtMask: Transformer.generateSquareSubsequentMask(4) }).shape; // [4, 2, 8]
 */
export class Transformer extends Module<[Tensor, Tensor, TransformerCallOptions?], Tensor> {
  readonly numEncoderLayers: number;
  readonly numDecoderLayers: number;
  private readonly settings: LayerSettings;

  constructor(options: TransformerOptions = {}) {
    super();
    const { dModel = 512, nhead = 8, numEncoderLayers = 6, numDecoderLayers = 6, ...layer } = options;
    this.settings = new LayerSettings('Transformer', dModel, nhead, layer);
    this.numEncoderLayers = checkInt('Transformer', 'numEncoderLayers', numEncoderLayers);
    this.numDecoderLayers = checkInt('Transformer', 'numDecoderLayers', numDecoderLayers);
    const norm = () => new LayerNorm(dModel, { eps: this.settings.layerNormEps, dtype: this.settings.dtype });
    const { generator } = options;
    this.registerModule('encoder', new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layer), numEncoderLayers, { norm: norm(), generator }));
    this.registerModule('decoder', new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layer), numDecoderLayers, { norm: norm(), generator }));
    for (const p of this.parameters()) if (p.rank > 1) xavierUniform_(p, { generator });
  }

  /**
   * A `[size, size]` float mask with −∞ above the diagonal and 0 elsewhere: causal self-attention for
   * the target (PyTorch's `generate_square_subsequent_mask`).
   */
  static generateSquareSubsequentMask(size: number, dtype: ParamDType = 'float32'): Tensor {
    return zeros([size, size], { dtype }).maskedFill(logicalNot(causalMask(size, size)), -Infinity);
  }

  get encoder(): TransformerEncoder {
    return this.getSubmodule('encoder') as TransformerEncoder;
  }

  get decoder(): TransformerDecoder {
    return this.getSubmodule('decoder') as TransformerDecoder;
  }

  forward(src: Tensor, tgt: Tensor, options: TransformerCallOptions = {}): Tensor {
    const memory = this.encoder.call(src, { srcMask: options.srcMask, srcKeyPaddingMask: options.srcKeyPaddingMask });
    return this.decoder.call(tgt, memory, options);
  }

  override toConfig(): LayerConfig {
    const { type: _type, ...layer } = this.settings.config('Transformer');
    return { type: 'Transformer', ...layer, numEncoderLayers: this.numEncoderLayers, numDecoderLayers: this.numDecoderLayers };
  }

  static fromConfig(config: LayerConfig, context: BuildContext): Transformer {
    const o = configOptions('Transformer', config, [...LAYER_FIELDS, 'numEncoderLayers', 'numDecoderLayers']);
    return new Transformer({ ...(o as TransformerOptions), generator: context.generator });
  }
}
