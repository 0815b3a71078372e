// The playground's whole configuration, and its round trip through the URL hash so that a link or a reload
// restores exactly the same experiment. Decoding never throws: a missing or malformed value takes its
// default, so an old or hand-edited link still opens.

/** The six data sets of TensorFlow Playground: four for classification, two for regression. */
export const DATASETS = ['circle', 'xor', 'gaussian', 'spiral', 'plane', 'multigaussian'] as const;
export type DatasetName = (typeof DATASETS)[number];

/** Display names of the data sets. */
export const DATASET_LABELS: Record<DatasetName, string> = {
  circle: 'Circle',
  xor: 'XOR',
  gaussian: 'Gaussian',
  spiral: 'Spiral',
  plane: 'Plane',
  multigaussian: 'Multi-Gaussian',
};

/** Whether the data set's targets are classes (0/1) or real values. */
export function problemOf(dataset: DatasetName): ProblemName {
  return dataset === 'plane' || dataset === 'multigaussian' ? 'regression' : 'classification';
}

export const PROBLEMS = ['classification', 'regression'] as const;
export type ProblemName = (typeof PROBLEMS)[number];

/** The data sets of one problem type, in the order of DATASETS (the first is picked on switching). */
export function datasetsOf(problem: ProblemName): DatasetName[] {
  return DATASETS.filter((d) => problemOf(d) === problem);
}

export const FEATURE_NAMES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'] as const;
export type FeatureName = (typeof FEATURE_NAMES)[number];

export const ACTIVATIONS = ['relu', 'tanh', 'sigmoid', 'linear'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export const OPTIMIZERS = ['sgd', 'momentum', 'adam'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

/**
 * Where the worker runs the kernels: the pure-TypeScript `cpu` backend, `wasm` (@backprop/backend-wasm's
 * SIMD kernels, when the browser can compile them) or `webgpu` (@backprop/backend-webgpu's compute
 * shaders, where `navigator.gpu` gives an adapter); the worker reports which one is in use.
 */
export const BACKENDS = ['cpu', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export const REGULARIZATIONS = ['none', 'l1', 'l2'] as const;
export type RegularizationName = (typeof REGULARIZATIONS)[number];

/** The learning rates and regularization rates offered, as in TensorFlow Playground. */
export const LEARNING_RATES = [0.00001, 0.0001, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const REGULARIZATION_RATES = [0, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;

/** Limits of the editable network. */
export const MAX_LAYERS = 6;
export const MAX_NEURONS = 8;

/** Limits of the data sliders (noise and the training share are percentages). */
export const NOISE_RANGE = { min: 0, max: 50 } as const;
export const RATIO_RANGE = { min: 10, max: 90 } as const;
export const BATCH_RANGE = { min: 1, max: 30 } as const;

/** One playground experiment. */
export interface PlaygroundConfig {
  dataset: DatasetName;
  /** Noise in percent, 0..50 (the data sets' `noise` option times 100). */
  noise: number;
  /** Share of the points used for training, in percent, 10..90. */
  trainRatio: number;
  batchSize: number;
  /** Input features in the order of FEATURE_NAMES; at least one. */
  features: FeatureName[];
  /** Neurons per hidden layer; may be empty (a linear or logistic model). */
  layers: number[];
  activation: ActivationName;
  learningRate: number;
  optimizer: OptimizerName;
  regularization: RegularizationName;
  regularizationRate: number;
  /** Seeds the data and the initial weights; "regenerate" changes it. */
  seed: number;
  showTestData: boolean;
  /** Draws the output map in two colours only (the sign of the prediction), as TensorFlow Playground's checkbox. */
  discretize: boolean;
  /** The backend asked for; switching it keeps the network and its training state. */
  backend: BackendName;
}

export const DEFAULT_CONFIG: Readonly<PlaygroundConfig> = Object.freeze({
  dataset: 'circle',
  noise: 0,
  trainRatio: 50,
  batchSize: 10,
  features: ['x1', 'x2'],
  layers: [4, 2],
  activation: 'tanh',
  learningRate: 0.03,
  optimizer: 'sgd',
  regularization: 'none',
  regularizationRate: 0,
  seed: 1,
  showTestData: false,
  discretize: false,
  backend: 'cpu',
} satisfies PlaygroundConfig);

/** A fresh, mutable copy of the defaults. */
export function defaultConfig(): PlaygroundConfig {
  return { ...DEFAULT_CONFIG, features: [...DEFAULT_CONFIG.features], layers: [...DEFAULT_CONFIG.layers] };
}

/** The URL hash (without '#') that holds `config`; defaults are written too, so a link is explicit. */
export function encodeConfig(config: PlaygroundConfig): string {
  const p = new URLSearchParams();
  p.set('dataset', config.dataset);
  p.set('noise', String(config.noise));
  p.set('ratio', String(config.trainRatio));
  p.set('batch', String(config.batchSize));
  p.set('features', config.features.join(','));
  p.set('layers', config.layers.join(','));
  p.set('activation', config.activation);
  p.set('lr', String(config.learningRate));
  p.set('optimizer', config.optimizer);
  p.set('reg', config.regularization);
  p.set('regRate', String(config.regularizationRate));
  p.set('seed', String(config.seed));
  p.set('test', config.showTestData ? '1' : '0');
  p.set('discretize', config.discretize ? '1' : '0');
  p.set('backend', config.backend);
  // URLSearchParams writes ',' as %2C; commas are legal in a fragment and read better in a shared link.
  return p.toString().replace(/%2C/g, ',');
}

function oneOf<T extends string>(allowed: readonly T[], value: string | null, fallback: T): T {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : fallback;
}

function intIn(value: string | null, min: number, max: number, fallback: number): number {
  if (value === null || !/^-?\d+$/.test(value.trim())) return fallback;
  const n = Number(value);
  return n >= min && n <= max ? n : fallback;
}

function choice(allowed: readonly number[], value: string | null, fallback: number): number {
  if (value === null || value.trim() === '') return fallback;
  const n = Number(value);
  return allowed.includes(n) ? n : fallback;
}

/**
 * The configuration in a URL hash (with or without '#'). Every field is checked on its own: an invalid one
 * falls back to its default and the others are kept.
 */
export function decodeConfig(hash: string): PlaygroundConfig {
  const p = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const d = defaultConfig();

  let features = d.features;
  const rawFeatures = p.get('features');
  if (rawFeatures !== null) {
    const wanted = new Set(rawFeatures.split(','));
    const picked = FEATURE_NAMES.filter((f) => wanted.has(f));
    if (picked.length > 0) features = picked;
  }

  let layers = d.layers;
  const rawLayers = p.get('layers');
  if (rawLayers !== null) {
    const parts = rawLayers === '' ? [] : rawLayers.split(',');
    const sizes = parts.map((s) => intIn(s, 1, MAX_NEURONS, -1));
    if (sizes.length <= MAX_LAYERS && sizes.every((s) => s > 0)) layers = sizes;
  }

  return {
    dataset: oneOf(DATASETS, p.get('dataset'), d.dataset),
    noise: intIn(p.get('noise'), NOISE_RANGE.min, NOISE_RANGE.max, d.noise),
    trainRatio: intIn(p.get('ratio'), RATIO_RANGE.min, RATIO_RANGE.max, d.trainRatio),
    batchSize: intIn(p.get('batch'), BATCH_RANGE.min, BATCH_RANGE.max, d.batchSize),
    features,
    layers,
    activation: oneOf(ACTIVATIONS, p.get('activation'), d.activation),
    learningRate: choice(LEARNING_RATES, p.get('lr'), d.learningRate),
    optimizer: oneOf(OPTIMIZERS, p.get('optimizer'), d.optimizer),
    regularization: oneOf(REGULARIZATIONS, p.get('reg'), d.regularization),
    regularizationRate: choice(REGULARIZATION_RATES, p.get('regRate'), d.regularizationRate),
    seed: intIn(p.get('seed'), 0, 2 ** 31 - 1, d.seed),
    showTestData: p.has('test') ? p.get('test') === '1' : d.showTestData,
    discretize: p.has('discretize') ? p.get('discretize') === '1' : d.discretize,
    backend: oneOf(BACKENDS, p.get('backend'), d.backend),
  };
}

/**
 * What a change from `before` to `after` requires of the trainer, from most to least drastic: new data
 * (and so a new network), a new network, a new optimizer (its state depends on its kind), or nothing but
 * reading the new values at the next step (learning rate, batch size, regularization, display, backend:
 * the worker carries the weights and the optimizer's state over to the other backend, so training simply
 * continues there).
 */
export type ChangeKind = 'data' | 'network' | 'optimizer' | 'live';

export function changeKind(before: PlaygroundConfig, after: PlaygroundConfig): ChangeKind {
  if (before.dataset !== after.dataset || before.noise !== after.noise || before.trainRatio !== after.trainRatio || before.seed !== after.seed) {
    return 'data';
  }
  if (before.features.join() !== after.features.join() || before.layers.join() !== after.layers.join() || before.activation !== after.activation) {
    return 'network';
  }
  if (before.optimizer !== after.optimizer) return 'optimizer';
  return 'live';
}
