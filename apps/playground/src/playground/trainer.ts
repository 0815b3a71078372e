// The playground's training engine, free of the DOM so the worker runs it and the unit tests drive it in
// Node. One epoch is one pass over the training points in shuffled mini-batches, as in TensorFlow
// Playground; after each epoch the mean losses on the whole training and test sets are recorded.
// Training only queues kernels; values are read with `await t.read()` once per snapshot (`settle`,
// `snapshot`), so the same code runs on cpu, on wasm and on a GPU, which cannot be read synchronously.
import { Generator, Tensor, copy_, getBackend, permutation, sigmoid, transpose } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { Identity, Linear, ReLU, Sequential, Sigmoid, Tanh, type Module } from '@backprop/layers';
import { binaryCrossEntropyWithLogits, l1Penalty, l2Penalty, mseLoss } from '@backprop/losses';
import { Adam, SGD, type Optimizer } from '@backprop/optim';
import { circle, gaussians, multiGaussian, plane, spiral, trainTestSplit, xor } from '@backprop/datasets';
import { onCpu } from './backend.js';
import { featureMatrix, gridPoints } from './features.js';
import { changeKind, problemOf, type ActivationName, type DatasetName, type PlaygroundConfig } from './state.js';

/** Points per data set, as in TensorFlow Playground. */
export const NUM_POINTS = 500;

const GENERATORS: Record<DatasetName, (n: number, o: { noise: number; seed: number }) => { x: Tensor; y: Tensor }> = {
  circle,
  xor,
  gaussian: gaussians,
  spiral,
  plane,
  multigaussian: multiGaussian,
};

/** A split of the data set: coordinates interleaved (x1, x2) and targets (0/1 classes or values). */
export interface PointSet {
  points: Float32Array;
  targets: Float32Array;
}

export interface DataSplit {
  train: PointSet;
  test: PointSet;
}

/** Draws the configured data set and splits it into training and test points (on the host, whatever trains). */
export function makeData(config: PlaygroundConfig): DataSplit {
  return onCpu(() => {
    const { x, y } = GENERATORS[config.dataset](NUM_POINTS, { noise: config.noise / 100, seed: config.seed });
    // The sets are ordered by class, so the split must shuffle; seeded apart from the points themselves.
    const split = trainTestSplit(x, y, { testSize: 1 - config.trainRatio / 100, seed: config.seed + 7919 });
    const asSet = (xs: Tensor, ys: Tensor): PointSet => ({ points: Float32Array.from(xs.dataSync()), targets: Float32Array.from(ys.dataSync()) });
    return { train: asSet(split.xTrain, split.yTrain), test: asSet(split.xTest, split.yTest) };
  });
}

function activationLayer(name: ActivationName): Module {
  switch (name) {
    case 'relu':
      return new ReLU();
    case 'tanh':
      return new Tanh();
    case 'sigmoid':
      return new Sigmoid();
    case 'linear':
      return new Identity();
  }
}

/**
 * The network: Linear + activation for each hidden layer, then a Linear to one output. The output is a
 * logit for classification (the loss applies the sigmoid) and the value itself for regression.
 */
export function buildNetwork(config: PlaygroundConfig, generator: Generator): Sequential {
  const net = new Sequential();
  let width = config.features.length;
  for (const size of config.layers) {
    net.append(new Linear(width, size, { generator }));
    net.append(activationLayer(config.activation));
    width = size;
  }
  net.append(new Linear(width, 1, { generator }));
  return net;
}

function buildOptimizer(config: PlaygroundConfig, params: Tensor[]): Optimizer<any, any> {
  switch (config.optimizer) {
    case 'sgd':
      return new SGD(params, { lr: config.learningRate });
    case 'momentum':
      return new SGD(params, { lr: config.learningRate, momentum: 0.9 });
    case 'adam':
      return new Adam(params, { lr: config.learningRate });
  }
}

/** One dense layer's parameters, copied: weight [out, in] row-major and bias [out]. */
export interface LayerWeights {
  inputs: number;
  outputs: number;
  weight: Float32Array;
  bias: Float32Array;
}

/** What the page draws after some training. */
export interface Snapshot {
  /** Where the network's parameters live: the backend whose memory holds them ('cpu' for host arrays). */
  device: string;
  epoch: number;
  /** Training points of the next epoch already trained on (0 between epochs). */
  pointsIntoEpoch: number;
  trainLoss: number;
  testLoss: number;
  /** Losses after every epoch so far, as pairs (train, test), thinned to at most `MAX_HISTORY` pairs. */
  history: Float32Array;
  /** Side of the output heat map. */
  outputDensity: number;
  /** The network's prediction over the grid: 2p − 1 for classification (so −1..1), the value for regression. */
  output: Float32Array;
  /** Side of the neuron heat maps. */
  neuronDensity: number;
  /** Per hidden layer, the post-activation value of each neuron over the grid, neuron after neuron. */
  neurons: Float32Array[];
  layers: LayerWeights[];
}

/** History beyond this many epochs is thinned by dropping every other pair, so snapshots stay small. */
export const MAX_HISTORY = 1000;

/** Losses computed (kernels queued) and not read yet; `record` adds them to the history (an epoch's end). */
interface PendingLosses {
  train: Tensor;
  test: Tensor | null;
  record: boolean;
}

export class Trainer {
  private config: PlaygroundConfig;
  private data!: DataSplit;
  private trainX!: Tensor;
  private trainY!: Tensor;
  private testX!: Tensor;
  private testY!: Tensor;
  private net!: Sequential;
  private optimizer!: Optimizer<any, any>;
  private shuffle!: Generator;
  /** The current epoch's order of the training points, and how many of them it has trained on. */
  private order: Int32Array | null = null;
  private cursor = 0;
  private historyStep = 1;
  private history: number[] = [];
  private pending: PendingLosses[] = [];
  /** The last batch's loss: reading it waits for every kernel queued before it. */
  private lastLoss: Tensor | null = null;
  /** Counts resets, so that losses read across one are dropped. */
  private generation = 0;
  epoch = 0;
  /** The losses as of the last `settle()` (or `snapshot()`): NaN before the first. */
  trainLoss = NaN;
  testLoss = NaN;

  constructor(config: PlaygroundConfig) {
    this.config = structuredClone(config);
    this.loadData();
    this.reset();
  }

  /** The current data split (the page draws its points). */
  get split(): DataSplit {
    return this.data;
  }

  get currentConfig(): PlaygroundConfig {
    return this.config;
  }

  /** Applies a new configuration; returns what had to be rebuilt. */
  configure(next: PlaygroundConfig): ReturnType<typeof changeKind> {
    const kind = changeKind(this.config, next);
    this.config = structuredClone(next);
    if (kind === 'data') {
      this.loadData();
      this.reset();
    } else if (kind === 'network') {
      this.prepareTensors();
      this.reset();
    } else if (kind === 'optimizer') {
      this.optimizer = buildOptimizer(this.config, this.net.parameters());
    } else {
      for (const group of this.optimizer.paramGroups) group.lr = this.config.learningRate;
    }
    return kind;
  }

  /** New initial weights (seeded by the configuration, so a shared link replays the same run), epoch 0. */
  reset(): void {
    const generator = new Generator(this.config.seed * 2 + 1);
    this.net = buildNetwork(this.config, generator);
    this.optimizer = buildOptimizer(this.config, this.net.parameters());
    this.shuffle = new Generator(this.config.seed * 3 + 2);
    this.epoch = 0;
    this.order = null;
    this.cursor = 0;
    this.history = [];
    this.historyStep = 1;
    this.pending = [];
    this.lastLoss = null;
    this.generation++;
    this.measure(true);
  }

  /**
   * Sets one weight of dense layer `layer` (0 = the first hidden layer), at row `out` and column `in` of its
   * [out, in] matrix, to `value`; training goes on from it. Out-of-range positions or a non-finite value reject.
   */
  async setWeight(layer: number, out: number, inp: number, value: number): Promise<void> {
    const dense = (this.net.children() as Module[]).filter((m): m is Linear => m instanceof Linear);
    const target = dense[layer];
    if (!target || out < 0 || out >= target.outFeatures || inp < 0 || inp >= target.inFeatures || !Number.isFinite(value)) {
      throw new Error(
        `setWeight: no weight [${out}, ${inp}] = ${value} in dense layer ${layer}; expected a layer below ${dense.length}, ` +
          `a position inside its [${target?.outFeatures ?? 0}, ${target?.inFeatures ?? 0}] matrix and a finite value`,
      );
    }
    const values = Float32Array.from((await target.weight.read()) as Float32Array);
    values[out * target.inFeatures + inp] = value;
    noGrad(() => copy_(target.weight, new Tensor(values, target.weight.shape, 'float32')));
    this.measure(false);
  }

  /**
   * Carries the network and the optimizer's state over to the backend now active when they live in the
   * memory of a device the active backend cannot read (a GPU's, after switching away from webgpu): reads
   * them back and rebuilds both from the values, so training goes on exactly where it was.
   */
  async adoptBackend(): Promise<void> {
    await this.settle();
    const active = getBackend();
    const elsewhere = (t: Tensor): boolean => t.device !== 'cpu' && t.device !== active;
    const oldParams = this.net.parameters();
    if (!oldParams.some(elsewhere)) return;
    const toHost = async (t: Tensor): Promise<Tensor> => new Tensor(Float32Array.from((await t.read()) as Float32Array), t.shape, t.dtype);
    const weights = new Map<string, Tensor>();
    for (const [name, t] of this.net.stateDict()) weights.set(name, await toHost(t));
    const states: [number, Record<string, unknown>][] = [];
    for (const [param, state] of this.optimizer.state) {
      const copy: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(state as Record<string, unknown>)) copy[key] = value instanceof Tensor ? await toHost(value) : value;
      states.push([oldParams.indexOf(param), copy]);
    }
    const lr = this.optimizer.paramGroups.map((group) => group.lr);
    this.net = buildNetwork(this.config, new Generator(0));
    this.net.loadStateDict(weights);
    this.optimizer = buildOptimizer(this.config, this.net.parameters());
    const params = this.net.parameters();
    for (const [i, state] of states) this.optimizer.state.set(params[i], state as never);
    this.optimizer.paramGroups.forEach((group, i) => (group.lr = lr[i]));
  }

  private loadData(): void {
    this.data = makeData(this.config);
    this.prepareTensors();
  }

  private prepareTensors(): void {
    const { train, test, } = this.data;
    const k = this.config.features.length;
    this.trainX = new Tensor(featureMatrix(train.points, this.config.features), [train.targets.length, k], 'float32');
    this.trainY = new Tensor(Float32Array.from(train.targets), [train.targets.length], 'float32');
    this.testX = new Tensor(featureMatrix(test.points, this.config.features), [test.targets.length, k], 'float32');
    this.testY = new Tensor(Float32Array.from(test.targets), [test.targets.length], 'float32');
  }

  private dataLoss(prediction: Tensor, target: Tensor): Tensor {
    const p = prediction.reshape([prediction.shape[0]]);
    return problemOf(this.config.dataset) === 'classification' ? binaryCrossEntropyWithLogits(p, target) : mseLoss(p, target);
  }

  private penalty(): Tensor | null {
    const { regularization, regularizationRate } = this.config;
    if (regularization === 'none' || regularizationRate === 0) return null;
    // Weights only, not biases, as in TensorFlow Playground.
    const weights = this.net.namedParameters().filter(([name]) => name.endsWith('weight')).map(([, p]) => p);
    return (regularization === 'l1' ? l1Penalty(weights) : l2Penalty(weights)).mul(regularizationRate);
  }

  /**
   * Trains on the next mini-batch of the current epoch (drawing a new shuffled order at an epoch's start);
   * after the epoch's last batch, counts the epoch and records the losses. Returns whether an epoch ended.
   * The worker trains batch by batch, so a pause is handled within an epoch of a large network.
   */
  trainBatch(): boolean {
    const n = this.trainX.shape[0];
    const k = this.trainX.shape[1];
    const batch = Math.max(1, Math.min(this.config.batchSize, n));
    this.order ??= Int32Array.from(permutation(n, { generator: this.shuffle }).dataSync());
    const xs = this.trainX.dataSync() as Float32Array;
    const ys = this.trainY.dataSync() as Float32Array;
    const start = this.cursor;
    const size = Math.min(batch, n - start);
    const bx = new Float32Array(size * k);
    const by = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const r = this.order[start + i];
      bx.set(xs.subarray(r * k, (r + 1) * k), i * k);
      by[i] = ys[r];
    }
    this.optimizer.zeroGrad();
    let loss = this.dataLoss(this.net.call(new Tensor(bx, [size, k], 'float32')), new Tensor(by, [size], 'float32'));
    const penalty = this.penalty();
    if (penalty) loss = loss.add(penalty);
    loss.backward();
    this.optimizer.step();
    this.lastLoss = loss.detach();
    this.cursor = start + size;
    if (this.cursor < n) return false;
    this.order = null;
    this.cursor = 0;
    this.epoch++;
    this.measure(true);
    return true;
  }

  /** Training points of the current epoch already trained on (0 between epochs). */
  get pointsIntoEpoch(): number {
    return this.cursor;
  }

  /** Trains until the current epoch ends (a whole epoch when none is under way) and records the losses. */
  trainEpoch(): void {
    while (!this.trainBatch());
  }

  /** Queues the losses on the whole training and test sets; `settle()` reads them. */
  private measure(record: boolean): void {
    noGrad(() => {
      const train = this.dataLoss(this.net.call(this.trainX), this.trainY);
      const test = this.testY.shape[0] > 0 ? this.dataLoss(this.net.call(this.testX), this.testY) : null;
      this.pending.push({ train, test, record: record && this.epoch % this.historyStep === 0 });
    });
  }

  /**
   * Waits for the kernels queued so far (on a GPU, training only queues them) and reads the losses measured
   * since the last call into `trainLoss`, `testLoss` and the history. On cpu it resolves at once.
   */
  async settle(): Promise<void> {
    const { pending, lastLoss, generation } = this;
    this.pending = [];
    this.lastLoss = null;
    const [values] = await Promise.all([
      Promise.all(pending.map(async (p) => [(await p.train.read())[0], p.test ? (await p.test.read())[0] : NaN] as const)),
      lastLoss?.read(),
    ]);
    if (generation !== this.generation) return;
    values.forEach(([train, test], i) => {
      this.trainLoss = Number(train);
      this.testLoss = Number(test);
      if (!pending[i].record) return;
      this.history.push(this.trainLoss, this.testLoss);
      if (this.history.length > 2 * MAX_HISTORY) {
        this.history = this.history.filter((_, j) => j % 4 < 2);
        this.historyStep *= 2;
      }
    });
  }

  /**
   * Runs the network over grids of the domain and reads everything the page draws (after `settle()`): the
   * kernels are all queued first, then read together, so a GPU is waited for once per snapshot.
   */
  async snapshot(outputDensity = 50, neuronDensity = 20): Promise<Snapshot> {
    const classification = problemOf(this.config.dataset) === 'classification';
    const layers = this.net.children() as Module[];
    const { epoch, cursor } = this;
    const k = this.config.features.length;
    const overGrid = (density: number): { hidden: Tensor[]; output: Tensor } =>
      noGrad(() => {
        let h = new Tensor(featureMatrix(gridPoints(density), this.config.features), [density * density, k], 'float32');
        const hidden: Tensor[] = [];
        layers.forEach((layer, i) => {
          h = layer.call(h);
          // Odd positions are activations: each neuron's map, neuron-major.
          if (i % 2 === 1) hidden.push(transpose(h, 0, 1));
        });
        // Classification shows 2p − 1 (so −1..1), regression the value itself.
        return { hidden, output: classification ? sigmoid(h).mul(2).sub(1) : h };
      });
    const output = overGrid(outputDensity).output;
    const hidden = overGrid(neuronDensity).hidden;
    const dense = layers.filter((m): m is Linear => m instanceof Linear);
    const copyOf = async (t: Tensor): Promise<Float32Array> => Float32Array.from((await t.read()) as Float32Array);
    const [, out, neurons, weights] = await Promise.all([
      this.settle(),
      copyOf(output),
      Promise.all(hidden.map(copyOf)),
      Promise.all(dense.map(async (l) => [await copyOf(l.weight), l.bias ? await copyOf(l.bias) : new Float32Array(l.outFeatures)] as const)),
    ]);
    return {
      device: dense[0].weight.device,
      epoch,
      pointsIntoEpoch: cursor,
      trainLoss: this.trainLoss,
      testLoss: this.testLoss,
      history: Float32Array.from(this.history),
      outputDensity,
      output: out,
      neuronDensity,
      neurons,
      layers: dense.map((l, i) => ({ inputs: l.inFeatures, outputs: l.outFeatures, weight: weights[i][0], bias: weights[i][1] })),
    };
  }
}
