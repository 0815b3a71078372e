import { chunk, concat, narrow, ones, permute, tensor, transpose, zeros, type Tensor } from '@backprop/tensor';
import {
  AdaptiveAvgPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Conv2d, Dropout, ELU, Embedding, Flatten, GRU, HardTanh, LSTM, LastTimeStep,
  AdaptiveMaxPool2d, LeakyReLU, Linear, MaxPool2d, Reshape, Mish, ReLU, SELU, Sequential, SiLU, Sigmoid, Softmax, Softplus, Softsign, Tanh, type Module,
} from '@backprop/layers';
import { ModelFileError } from '../errors.js';
import { Permute } from './permute.js';
import { registerTfjsLayers } from './register.js';
import { SamePad2d } from './same-pad.js';

/** Keras layer classes the importer converts. */
export const TFJS_LAYERS = [
  'InputLayer', 'Dense', 'Conv2D', 'MaxPooling2D', 'AveragePooling2D', 'GlobalAveragePooling2D', 'BatchNormalization', 'LSTM', 'GRU',
  'Embedding', 'Dropout', 'Flatten', 'Activation', 'LeakyReLU', 'ReLU', 'ELU', 'Softmax', 'GlobalMaxPooling2D', 'Reshape', 'Permute',
] as const;

/** Keras activation names the importer converts. */
export const TFJS_ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'softsign', 'swish', 'mish'] as const;

interface KerasLayer {
  class_name: string;
  config: Record<string, unknown>;
}

/**
 * Where the running tensor is: `keras` is the layout the tfjs model itself has there (channels last);
 * `nchw` is channels first, inside a run of convolutions, pooling and batch norm.
 */
type Layout = 'keras' | 'nchw';

class Converter {
  readonly modules: Module[] = [];
  layout: Layout = 'keras';
  /** Rank of the running tensor (batch included), when known. */
  rank: number | undefined;
  private readonly used = new Set<string>();

  constructor(
    private readonly weights: Map<string, Tensor>,
    private readonly source: string | undefined,
  ) {}

  fail(layer: KerasLayer, message: string): never {
    throw new ModelFileError(`${layer.class_name} layer '${String(layer.config.name)}': ${message}`, this.source);
  }

  /** The layer's weights by their last name part (`kernel`, `bias`, …): `dense/kernel`, `lstm/lstm_cell/kernel`. */
  layerWeights(layer: KerasLayer): Map<string, Tensor> {
    const name = String(layer.config.name);
    const out = new Map<string, Tensor>();
    for (const [full, t] of this.weights) {
      const parts = full.replace(/:0$/, '').split('/');
      if (parts.slice(0, -1).includes(name)) {
        out.set(parts[parts.length - 1], t);
        this.used.add(full);
      }
    }
    return out;
  }

  need(layer: KerasLayer, weights: Map<string, Tensor>, name: string): Tensor {
    const t = weights.get(name);
    if (t === undefined) this.fail(layer, `the weights manifest has no '${name}' for it (found: ${[...weights.keys()].join(', ') || 'none'})`);
    return t;
  }

  unused(): string[] {
    return [...this.weights.keys()].filter((n) => !this.used.has(n));
  }

  /** Puts the running tensor in `layout`, adding a permute when it is 4-D and in the other one. */
  to(layout: Layout): void {
    if (this.layout === layout) return;
    this.modules.push(new Permute(layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1]));
    this.layout = layout;
  }

  add(module: Module, state?: Map<string, Tensor>): void {
    if (state) module.loadStateDict(state);
    this.modules.push(module);
  }

  activation(layer: KerasLayer, value: unknown): void {
    const name = value === undefined || value === null ? 'linear' : value;
    const channelAxis = this.layout === 'nchw' ? 1 : -1;
    const make: Record<string, () => Module | null> = {
      linear: () => null,
      relu: () => new ReLU(),
      relu6: () => new HardTanh(0, 6),
      sigmoid: () => new Sigmoid(),
      tanh: () => new Tanh(),
      softmax: () => new Softmax(channelAxis),
      elu: () => new ELU(1),
      selu: () => new SELU(),
      softplus: () => new Softplus(),
      softsign: () => new Softsign(),
      swish: () => new SiLU(),
      mish: () => new Mish(),
    };
    if (typeof name !== 'string' || !Object.prototype.hasOwnProperty.call(make, name)) {
      this.fail(layer, `activation ${JSON.stringify(name)} is not supported; expected one of ${TFJS_ACTIVATIONS.join(', ')}`);
    }
    const module = make[name]();
    if (module) this.modules.push(module);
  }
}

const pair = (v: unknown): [number, number] => (Array.isArray(v) ? [v[0] as number, v[1] as number] : [v as number, v as number]);

function checkChannelsLast(c: Converter, layer: KerasLayer): void {
  const format = layer.config.data_format;
  if (format !== undefined && format !== null && format !== 'channels_last') {
    c.fail(layer, `data_format ${JSON.stringify(format)} is not supported; expected 'channels_last' (the Keras default)`);
  }
}

function spatialInput(c: Converter, layer: KerasLayer): void {
  checkChannelsLast(c, layer);
  if (c.rank !== undefined && c.rank !== 4) c.fail(layer, `expects a 4-D input [batch, height, width, channels], got rank ${c.rank}`);
  c.to('nchw');
  c.rank = 4;
}

/** Pooling's padding: 'valid', or 'same' for a max pooling (a −∞ border, which TensorFlow's max ignores). */
function poolPadding(c: Converter, layer: KerasLayer, size: [number, number], stride: [number, number], max: boolean): void {
  const padding = layer.config.padding ?? 'valid';
  if (padding === 'same' && max) c.modules.push(new SamePad2d(size, stride, 1, -Infinity));
  else if (padding !== 'valid') {
    c.fail(layer, `padding ${JSON.stringify(padding)} is not supported; expected 'valid'${max ? " or 'same'" : " (TensorFlow's 'same' average leaves the border out of each mean)"}`);
  }
}

function recurrentChecks(c: Converter, layer: KerasLayer): void {
  const cfg = layer.config;
  const activation = cfg.activation ?? 'tanh';
  const recurrent = cfg.recurrent_activation ?? 'sigmoid';
  if (activation !== 'tanh') c.fail(layer, `activation ${JSON.stringify(activation)} is not supported; expected 'tanh'`);
  if (recurrent !== 'sigmoid') {
    c.fail(layer, `recurrent_activation ${JSON.stringify(recurrent)} is not supported; expected 'sigmoid' (tfjs-layers defaults to 'hard_sigmoid': build with recurrentActivation: 'sigmoid')`);
  }
  for (const flag of ['go_backwards', 'stateful', 'return_state', 'time_major']) {
    if (cfg[flag] === true) c.fail(layer, `${flag}=true is not supported`);
  }
  if (c.layout === 'nchw') c.to('keras');
  if (c.rank !== undefined && c.rank !== 3) c.fail(layer, `expects a 3-D input [batch, time, features], got rank ${c.rank}`);
}

function finishRecurrent(c: Converter, layer: KerasLayer): void {
  if (layer.config.return_sequences === true) c.rank = 3;
  else {
    c.modules.push(new LastTimeStep({ batchFirst: true }));
    c.rank = 2;
  }
}

/** A global pooling: one value per channel, `[N, C]` (Keras' channels-last result needs no permute back). */
function globalPool(c: Converter, layer: KerasLayer, pool: Module): void {
  if (layer.config.keepdims === true) c.fail(layer, 'keepdims=true is not supported');
  spatialInput(c, layer);
  c.add(pool);
  c.add(new Flatten(1));
  c.layout = 'keras';
  c.rank = 2;
}

/** Keras gate blocks along the last axis of a kernel, reordered (`order` lists source block indices). */
const reorderGates = (t: Tensor, gates: number, order: readonly number[]): Tensor => {
  const blocks = chunk(t, gates, t.rank - 1);
  return concat(order.map((i) => blocks[i]), t.rank - 1);
};

const CONVERT: Record<string, (c: Converter, layer: KerasLayer) => void> = {
  InputLayer: () => {},
  Dropout: (c, layer) => c.add(new Dropout(Number(layer.config.rate ?? 0))),
  Activation: (c, layer) => c.activation(layer, layer.config.activation),
  LeakyReLU: (c, layer) => c.add(new LeakyReLU(Number(layer.config.alpha ?? layer.config.negative_slope ?? 0.3))),
  Dense: (c, layer) => {
    c.to('keras');
    const w = c.layerWeights(layer);
    const kernel = c.need(layer, w, 'kernel');
    const bias = layer.config.use_bias !== false;
    const [inF, outF] = kernel.shape;
    const state = new Map([['weight', transpose(kernel, 0, 1)]]);
    if (bias) state.set('bias', c.need(layer, w, 'bias'));
    c.add(new Linear(inF, outF, { bias }), state);
    c.activation(layer, layer.config.activation);
  },
  Conv2D: (c, layer) => {
    spatialInput(c, layer);
    const cfg = layer.config;
    const w = c.layerWeights(layer);
    const kernel = c.need(layer, w, 'kernel'); // [kh, kw, in, out]
    const [kh, kw, inC, outC] = kernel.shape;
    const stride = pair(cfg.strides ?? 1);
    const dilation = pair(cfg.dilation_rate ?? 1);
    if ((cfg.groups ?? 1) !== 1) c.fail(layer, `groups=${String(cfg.groups)} is not supported; expected 1`);
    let padding: 'same' | 0 = 0;
    if (cfg.padding === 'same') {
      // With stride 1 a Conv2d's 'same' pads as TensorFlow does (an odd extra row or column at the end);
      // strided, TensorFlow's border depends on the input size, so SamePad2d computes it per call.
      if (stride.every((s) => s === 1)) padding = 'same';
      else c.modules.push(new SamePad2d([kh, kw], stride, dilation, 0));
    } else if ((cfg.padding ?? 'valid') !== 'valid') {
      c.fail(layer, `padding ${JSON.stringify(cfg.padding)} is not supported; expected 'valid' or 'same'`);
    }
    const bias = cfg.use_bias !== false;
    const state = new Map([['weight', permute(kernel, [3, 2, 0, 1])]]);
    if (bias) state.set('bias', c.need(layer, w, 'bias'));
    c.add(new Conv2d(inC, outC, [kh, kw], { stride, padding, dilation, bias }), state);
    c.activation(layer, cfg.activation);
  },
  MaxPooling2D: (c, layer) => {
    spatialInput(c, layer);
    const size = pair(layer.config.pool_size ?? 2);
    const stride = pair(layer.config.strides ?? size);
    poolPadding(c, layer, size, stride, true);
    c.add(new MaxPool2d(size, { stride }));
  },
  AveragePooling2D: (c, layer) => {
    spatialInput(c, layer);
    const size = pair(layer.config.pool_size ?? 2);
    const stride = pair(layer.config.strides ?? size);
    poolPadding(c, layer, size, stride, false);
    c.add(new AvgPool2d(size, { stride }));
  },
  GlobalAveragePooling2D: (c, layer) => globalPool(c, layer, new AdaptiveAvgPool2d(1)),
  GlobalMaxPooling2D: (c, layer) => globalPool(c, layer, new AdaptiveMaxPool2d(1)),
  ReLU: (c, layer) => {
    const { max_value: max, negative_slope: slope, threshold } = layer.config;
    if ((slope ?? 0) !== 0 || (threshold ?? 0) !== 0) {
      c.fail(layer, `negative_slope ${JSON.stringify(slope)} and threshold ${JSON.stringify(threshold)} are not supported; expected 0 (use LeakyReLU for a slope)`);
    }
    c.add(max === undefined || max === null ? new ReLU() : new HardTanh(0, Number(max)));
  },
  ELU: (c, layer) => c.add(new ELU(Number(layer.config.alpha ?? 1))),
  Softmax: (c, layer) => {
    c.to('keras');
    c.add(new Softmax(Number(layer.config.axis ?? -1)));
  },
  Reshape: (c, layer) => {
    const target = layer.config.target_shape;
    if (!Array.isArray(target)) c.fail(layer, `target_shape must be a list of sizes, got ${JSON.stringify(target)}`);
    const shape = target as number[];
    c.to('keras');
    c.add(new Reshape(shape));
    c.rank = 1 + shape.length;
  },
  Permute: (c, layer) => {
    const dims = layer.config.dims;
    if (!Array.isArray(dims)) c.fail(layer, `dims must be a list of axes, got ${JSON.stringify(dims)}`);
    c.to('keras');
    // Keras counts axes from 1, leaving the batch out.
    c.add(new Permute([0, ...(dims as number[])]));
  },
  Flatten: (c, layer) => {
    checkChannelsLast(c, layer);
    c.to('keras');
    c.add(new Flatten(1));
    c.rank = 2;
  },
  BatchNormalization: (c, layer) => {
    const cfg = layer.config;
    const axis = Array.isArray(cfg.axis) && cfg.axis.length === 1 ? cfg.axis[0] : (cfg.axis ?? -1);
    const rank = c.rank ?? c.fail(layer, 'the rank of its input is unknown (no batch_input_shape before it)');
    if (axis !== -1 && axis !== rank - 1) c.fail(layer, `axis ${JSON.stringify(cfg.axis)} is not supported; expected -1 (the channels)`);
    if (rank !== 2 && rank !== 4) c.fail(layer, `a ${rank}-D input is not supported; expected 2-D [batch, features] or 4-D [batch, height, width, channels]`);
    if (rank === 4) c.to('nchw');
    const w = c.layerWeights(layer);
    const mean = c.need(layer, w, 'moving_mean');
    const n = mean.shape[0];
    const state = new Map<string, Tensor>([
      ['weight', cfg.scale === false ? ones([n]) : c.need(layer, w, 'gamma')],
      ['bias', cfg.center === false ? zeros([n]) : c.need(layer, w, 'beta')],
      ['running_mean', mean],
      ['running_var', c.need(layer, w, 'moving_variance')],
      ['num_batches_tracked', tensor(0, 'int32')],
    ]);
    // Keras keeps `momentum` of the old statistics; PyTorch's momentum is the new batch's weight.
    const options = { eps: Number(cfg.epsilon ?? 1e-3), momentum: 1 - Number(cfg.momentum ?? 0.99) };
    c.add(rank === 4 ? new BatchNorm2d(n, options) : new BatchNorm1d(n, options), state);
  },
  Embedding: (c, layer) => {
    if (layer.config.mask_zero === true) c.fail(layer, 'mask_zero=true is not supported (the mask would change the layers after it)');
    c.to('keras');
    const table = c.need(layer, c.layerWeights(layer), 'embeddings');
    c.add(new Embedding(table.shape[0], table.shape[1]), new Map([['weight', table]]));
    if (c.rank !== undefined) c.rank += 1;
  },
  LSTM: (c, layer) => {
    recurrentChecks(c, layer);
    const w = c.layerWeights(layer);
    const kernel = c.need(layer, w, 'kernel'); // [in, 4H], gates i, f, c, o: PyTorch's i, f, g, o
    const hidden = Number(layer.config.units);
    const bias = layer.config.use_bias !== false;
    const state = new Map([
      ['weight_ih_l0', transpose(kernel, 0, 1)],
      ['weight_hh_l0', transpose(c.need(layer, w, 'recurrent_kernel'), 0, 1)],
    ]);
    if (bias) {
      state.set('bias_ih_l0', c.need(layer, w, 'bias'));
      state.set('bias_hh_l0', zeros([4 * hidden]));
    }
    c.add(new LSTM(kernel.shape[0], hidden, { batchFirst: true, outputOnly: true, bias }), state);
    finishRecurrent(c, layer);
  },
  GRU: (c, layer) => {
    recurrentChecks(c, layer);
    if (layer.config.reset_after !== true) {
      c.fail(layer, 'reset_after=false (the reset gate applied before the recurrent matmul, as tfjs-layers builds GRUs) has no PyTorch GRU equivalent; only reset_after=true (the TF2 Keras default) is supported');
    }
    const w = c.layerWeights(layer);
    // Keras gates z, r, h; PyTorch r, z, n. With reset_after both compute
    // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)) and h' = (1 − z) ⊙ n + z ⊙ h.
    const order = [1, 0, 2];
    const kernel = c.need(layer, w, 'kernel');
    const hidden = Number(layer.config.units);
    const bias = layer.config.use_bias !== false;
    const state = new Map([
      ['weight_ih_l0', transpose(reorderGates(kernel, 3, order), 0, 1)],
      ['weight_hh_l0', transpose(reorderGates(c.need(layer, w, 'recurrent_kernel'), 3, order), 0, 1)],
    ]);
    if (bias) {
      const b = c.need(layer, w, 'bias');
      if (b.rank !== 2 || b.shape[0] !== 2) c.fail(layer, `bias has shape [${b.shape.join(', ')}]; with reset_after it must be [2, ${3 * hidden}] (input and recurrent biases)`);
      const [bIn, bRec] = [narrow(b, 0, 0, 1).reshape([3 * hidden]), narrow(b, 0, 1, 1).reshape([3 * hidden])];
      state.set('bias_ih_l0', reorderGates(bIn, 3, order));
      state.set('bias_hh_l0', reorderGates(bRec, 3, order));
    }
    c.add(new GRU(kernel.shape[0], hidden, { batchFirst: true, outputOnly: true, bias }), state);
    finishRecurrent(c, layer);
  },
};

/** The Sequential model config inside a tfjs `modelTopology` (tfjs's own, or a converted Keras file's). */
function sequentialLayers(topology: unknown, source?: string): KerasLayer[] {
  let t = topology as Record<string, unknown> | null;
  if (t && typeof t === 'object' && 'model_config' in t) t = t.model_config as Record<string, unknown>;
  if (!t || typeof t !== 'object' || typeof t.class_name !== 'string') {
    throw new ModelFileError("model.json: 'modelTopology' must be a Keras model config ({ class_name, config })", source);
  }
  if (t.class_name !== 'Sequential') {
    throw new ModelFileError(`model.json: a ${t.class_name} model is not supported; only Sequential models can be imported`, source);
  }
  const config = t.config as Record<string, unknown> | unknown[];
  const layers = Array.isArray(config) ? config : (config as Record<string, unknown>)?.layers;
  if (!Array.isArray(layers)) throw new ModelFileError("model.json: the Sequential config has no 'layers' list", source);
  return layers as KerasLayer[];
}

/** Builds the Sequential equivalent of a tfjs-layers topology from its named weights. */
export function convertTfjsTopology(topology: unknown, weights: Map<string, Tensor>, source?: string): Sequential {
  registerTfjsLayers();
  const c = new Converter(weights, source);
  for (const [i, layer] of sequentialLayers(topology, source).entries()) {
    if (!layer || typeof layer.class_name !== 'string' || !layer.config || typeof layer.config !== 'object') {
      throw new ModelFileError(`model.json: layer ${i} must be { class_name, config }`, source);
    }
    const shape = layer.config.batch_input_shape;
    if (Array.isArray(shape) && c.rank === undefined) c.rank = shape.length;
    const convert = Object.prototype.hasOwnProperty.call(CONVERT, layer.class_name) ? CONVERT[layer.class_name] : undefined;
    if (!convert) {
      throw new ModelFileError(`unsupported layer ${layer.class_name} '${String(layer.config.name)}'; supported layers: ${TFJS_LAYERS.join(', ')}`, source);
    }
    try {
      convert(c, layer);
    } catch (e) {
      if (e instanceof ModelFileError) throw e;
      c.fail(layer, (e as Error).message);
    }
  }
  // A model ending inside a convolution run hands back channels-last, as the tfjs model does.
  if (c.rank === 4) c.to('keras');
  const unused = c.unused();
  if (unused.length > 0) throw new ModelFileError(`the weights manifest has weights no layer uses: ${unused.slice(0, 10).join(', ')}`, source);
  const model = new Sequential(...c.modules);
  model.eval();
  return model;
}
