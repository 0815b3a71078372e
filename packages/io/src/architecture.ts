/**
 * Checks a stored architecture before anything is built from it. A model file is untrusted input: 300
 * bytes can declare `Linear(60000, 60000)`, 14 GB of weights that building would allocate and initialize
 * before the weights are even compared. So the config is walked first (iteratively: no stack for hostile
 * nesting) and, for every built-in layer with weights, a lower bound of the values and tensors it holds
 * is computed from its options. A model loads only if its state equals the file's tensors, so an
 * architecture needing more values or tensors than the file has is refused without building anything;
 * what remains to build is bounded by the file's own size.
 */

/**
 * Layers may nest this deep in a stored architecture (the limit `layerFromConfig` keeps too); a deeper
 * file is refused with an error naming the limit.
 *
 * @example
 * MAX_LAYER_NESTING; // 128: a Sequential in a Residual in … at most 128 levels
 */
export const MAX_LAYER_NESTING = 128;

/** JSON nesting allowed in a stored architecture (layers and their option values together). */
const MAX_JSON_NESTING = 2 * MAX_LAYER_NESTING + 8;

/** Lower bounds of what a layer holds: values (elements of every tensor) and tensors. */
interface Bound {
  values: number;
  tensors: number;
  /** Values it allocates that are not saved (a sinusoidal table), bounded separately. */
  scratch?: number;
  /** Modules it builds besides itself and the nested configs the walk sees (copies in a stack). */
  modules?: number;
}

/**
 * Modules a stored architecture may build: 2^15. A module costs about 1.3 KB however small its config
 * (24 bytes for an Identity), so this keeps a file under 1 MB under 50 MB of modules and a fraction of
 * a second; real models have a few thousand at most.
 */
export const MAX_MODULES = 2 ** 15;

/**
 * Values a stored architecture may allocate beyond its saved weights (positional tables): 2^23, 32 MB of
 * float32, enough for PyTorch's default 5000 positions of width 1024.
 */
export const MAX_UNSAVED_VALUES = 2 ** 23;

/** A positive integer option, or 0 when it is not one (the layer's own checks reject those). */
const int = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : 0);
/** An integer option whose default applies when it is missing: the layer is built with the default. */
const opt = (v: unknown, fallback: number): number => (v === undefined || v === null ? fallback : int(v));
const flag = (v: unknown): boolean => v !== false;
/** Product of an `int | int[]` option (kernel sizes, normalized shapes); a single int repeats `dims` times. */
const sizes = (v: unknown, dims: number): number => (Array.isArray(v) ? v.reduce((p: number, d) => p * int(d), 1) : int(v) ** dims);

function affine(weights: number, outputs: number, bias: unknown): Bound {
  return { values: weights + (flag(bias) ? outputs : 0), tensors: 1 };
}

function conv(c: Record<string, unknown>, dims: number, transposed: boolean): Bound {
  const [inC, outC, groups] = [int(c.inChannels), int(c.outChannels), Math.max(1, opt(c.groups, 1))];
  const perGroup = transposed ? inC * Math.floor(outC / groups) : outC * Math.floor(inC / groups);
  return affine(perGroup * sizes(c.kernelSize, dims), outC, c.bias);
}

function recurrent(c: Record<string, unknown>, gates: number): Bound {
  const [input, hidden, layers] = [int(c.inputSize), int(c.hiddenSize), Math.max(1, opt(c.numLayers, 1))];
  const directions = c.bidirectional === true ? 2 : 1;
  // An LSTM with a projection feeds back projSize values instead of hiddenSize.
  const fedBack = int(c.projSize) > 0 ? int(c.projSize) : hidden;
  // Weights W_ih and W_hh per layer and direction (the first layer reads the input, later ones the
  // previous layer's outputs of every direction); biases left out.
  const first = directions * gates * hidden * (input + fedBack);
  const later = (layers - 1) * directions * gates * hidden * (fedBack * directions + fedBack);
  return { values: first + later, tensors: 2 * layers * directions };
}

function norm(features: number, c: Record<string, unknown>, affineDefault: boolean, statsDefault: boolean): Bound {
  const affineOn = c.affine === undefined ? affineDefault : c.affine === true;
  const statsOn = c.trackRunningStats === undefined ? statsDefault : c.trackRunningStats === true;
  return { values: features * ((affineOn ? 2 : 0) + (statsOn ? 2 : 0)), tensors: 0 };
}

/** A transformer layer of width d and feed-forward width f: attention projections (4d² each) and the block (2df). */
const transformerLayer = (d: number, f: number, attentions: number): Bound => ({ values: attentions * 4 * d * d + 2 * d * f, tensors: 2 * attentions + 2 });

/** The stacks repeat their nested layer config `numLayers` times; the walk counts it once, this adds the rest. */
function stack(c: Record<string, unknown>, layerField: string): Bound {
  const layer = c[layerField] as Record<string, unknown> | undefined;
  const one = layer && typeof layer.type === 'string' && Object.prototype.hasOwnProperty.call(BOUNDS, layer.type) ? BOUNDS[layer.type](layer) : { values: 0, tensors: 0 };
  const extra = Math.max(0, int(c.numLayers) - 1);
  return { values: extra * one.values, tensors: extra * one.tensors, modules: extra };
}

/** Built-in layers that hold state, by config type. Layers absent here (activations, shape layers) hold none. */
const BOUNDS: Record<string, (c: Record<string, unknown>) => Bound> = {
  Linear: (c) => affine(int(c.inFeatures) * int(c.outFeatures), int(c.outFeatures), c.bias),
  Bilinear: (c) => affine(int(c.in1Features) * int(c.in2Features) * int(c.outFeatures), int(c.outFeatures), c.bias),
  Maxout: (c) => affine(int(c.inFeatures) * int(c.outFeatures) * int(c.pieces), int(c.outFeatures) * int(c.pieces), c.bias),
  Conv1d: (c) => conv(c, 1, false),
  Conv2d: (c) => conv(c, 2, false),
  ConvTranspose1d: (c) => conv(c, 1, true),
  ConvTranspose2d: (c) => conv(c, 2, true),
  BatchNorm1d: (c) => norm(int(c.numFeatures), c, true, true),
  BatchNorm2d: (c) => norm(int(c.numFeatures), c, true, true),
  InstanceNorm1d: (c) => norm(int(c.numFeatures), c, false, false),
  InstanceNorm2d: (c) => norm(int(c.numFeatures), c, false, false),
  GroupNorm: (c) => ({ values: flag(c.affine) ? 2 * int(c.numChannels) : 0, tensors: 0 }),
  LayerNorm: (c) => ({ values: flag(c.elementwiseAffine) ? 2 * sizes(c.normalizedShape, 1) : 0, tensors: 0 }),
  PReLU: (c) => ({ values: opt(c.numParameters, 1), tensors: 1 }),
  Embedding: (c) => ({ values: int(c.numEmbeddings) * int(c.embeddingDim), tensors: 1 }),
  LearnedPositionalEmbedding: (c) => ({ values: int(c.maxLen) * int(c.embeddingDim), tensors: 1 }),
  SinusoidalPositionalEmbedding: (c) => ({ values: 0, tensors: 0, scratch: opt(c.maxLen, 5000) * int(c.embeddingDim) }),
  RNN: (c) => recurrent(c, 1),
  GRU: (c) => recurrent(c, 3),
  LSTM: (c) => recurrent(c, 4),
  MultiheadAttention: (c) => ({ values: 4 * int(c.embedDim) ** 2, tensors: 2 }),
  TransformerEncoderLayer: (c) => transformerLayer(int(c.dModel), opt(c.dimFeedforward, 2048), 1),
  TransformerDecoderLayer: (c) => transformerLayer(int(c.dModel), opt(c.dimFeedforward, 2048), 2),
  TransformerEncoder: (c) => stack(c, 'encoderLayer'),
  TransformerDecoder: (c) => stack(c, 'decoderLayer'),
  Transformer: (c) => {
    const [d, f] = [opt(c.dModel, 512), opt(c.dimFeedforward, 2048)];
    const [enc, dec] = [transformerLayer(d, f, 1), transformerLayer(d, f, 2)];
    const [ne, nd] = [opt(c.numEncoderLayers, 6), opt(c.numDecoderLayers, 6)];
    return { values: ne * enc.values + nd * dec.values, tensors: ne * enc.tensors + nd * dec.tensors };
  },
};

/** Built-in layers known to hold no state: with BOUNDS, every built-in (a test keeps the two lists complete). */
export const STATELESS_LAYERS = [
  'Sequential', 'Residual', 'ModuleList', 'ModuleDict', 'Sigmoid', 'Tanh', 'HardTanh', 'ReLU', 'LeakyReLU', 'ELU', 'GELU', 'SELU', 'SiLU',
  'Mish', 'Hardswish', 'Softsign', 'Softplus', 'Softmax', 'LogSoftmax', 'Flatten', 'Unflatten', 'Reshape', 'Identity', 'MaxPool1d',
  'MaxPool2d', 'AvgPool1d', 'AvgPool2d', 'AdaptiveAvgPool2d', 'AdaptiveMaxPool1d', 'AdaptiveMaxPool2d', 'Upsample', 'Dropout', 'Dropout1d',
  'Dropout2d', 'LastTimeStep',
  // Registered by this package for imported TensorFlow.js models.
  'Permute', 'SamePad2d',
];

/** The layer types whose state `checkArchitecture` bounds. */
export const BOUNDED_LAYERS = Object.keys(BOUNDS);

/** What `checkArchitecture` found wrong: a message for a `ModelFileError`. */
export type ArchitectureProblem = string;

/**
 * Walks `config` (parsed JSON) and returns a problem, or undefined when building it is bounded by the
 * file: nesting within the limits, and no more values or tensors than the file holds.
 */
export function checkArchitecture(config: unknown, file: { values: number; tensors: number }): ArchitectureProblem | undefined {
  if (config === null || typeof config !== 'object' || Array.isArray(config) || typeof (config as { type?: unknown }).type !== 'string') {
    return `the stored architecture must be a layer config { type, ...options }, got ${preview(config)}`;
  }
  let values = 0;
  let tensors = 0;
  let scratch = 0;
  let modules = 0;
  let largest: { path: string; type: string; values: number } | undefined;
  // Depth-first with an explicit stack: [value, path, JSON depth, layer depth].
  const stack: [unknown, string, number, number][] = [[config, 'config', 1, 1]];
  while (stack.length > 0) {
    const [value, path, depth, layers] = stack.pop()!;
    if (depth > MAX_JSON_NESTING) return `the stored architecture nests deeper than ${MAX_JSON_NESTING} JSON levels (at ${brief(path)}); the limit is ${MAX_JSON_NESTING}`;
    if (value === null || typeof value !== 'object') continue;
    let layerDepth = layers;
    if (!Array.isArray(value) && typeof (value as { type?: unknown }).type === 'string') {
      layerDepth = layers + (path === 'config' ? 0 : 1);
      if (layerDepth > MAX_LAYER_NESTING) {
        return `the stored architecture nests layers more than ${MAX_LAYER_NESTING} levels deep (at ${brief(path)}); the nesting limit is ${MAX_LAYER_NESTING} levels`;
      }
      const type = (value as { type: string }).type;
      modules++;
      const bound = Object.prototype.hasOwnProperty.call(BOUNDS, type) ? BOUNDS[type](value as Record<string, unknown>) : undefined;
      if (bound) {
        values += bound.values;
        tensors += bound.tensors;
        scratch += bound.scratch ?? 0;
        modules += bound.modules ?? 0;
        if (!largest || bound.values > largest.values) largest = { path, type, values: bound.values };
      }
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push([value[i], `${path}[${i}]`, depth + 1, layerDepth]);
    } else {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) stack.push([(value as Record<string, unknown>)[keys[i]], `${path}.${keys[i]}`, depth + 1, layerDepth]);
    }
  }
  if (values > file.values) {
    const at = largest ? `; the largest is the ${largest.type} at ${largest.path}, with at least ${fmt(largest.values)}` : '';
    return `the stored architecture holds at least ${fmt(values)} weight values but the file's tensors hold ${fmt(file.values)}${at}: refusing to build it`;
  }
  if (modules > MAX_MODULES) {
    return `the stored architecture builds at least ${fmt(modules)} modules; the limit is ${fmt(MAX_MODULES)}: refusing to build it`;
  }
  if (scratch > MAX_UNSAVED_VALUES) {
    return `the stored architecture allocates ${fmt(scratch)} values besides its weights (positional tables); the limit is ${fmt(MAX_UNSAVED_VALUES)}: refusing to build it`;
  }
  if (tensors > file.tensors) {
    return `the stored architecture holds at least ${fmt(tensors)} tensors but the file has ${fmt(file.tensors)}: refusing to build it`;
  }
  return undefined;
}

/** A config path short enough for a message. */
const brief = (path: string): string => (path.length > 100 ? `${path.slice(0, 60)}…${path.slice(-30)}` : path);

const fmt = (n: number): string => (n < 1e15 ? n.toLocaleString('en-US') : n.toExponential(2));

function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = Array.isArray(value) ? `an array of ${value.length}` : typeof value === 'object' && value !== null ? 'an object without a string type' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
