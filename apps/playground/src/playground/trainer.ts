// The playground's training engine, free of the DOM so the worker runs it and the unit tests drive it in
// Node. One epoch is one pass over the training points in shuffled mini-batches, as in TensorFlow
// Playground; after each epoch the mean losses on the whole training and test sets are recorded.
import { Generator, Tensor, copy_, permutation } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { Identity, Linear, ReLU, Sequential, Sigmoid, Tanh, type Module } from '@backprop/layers';
import { binaryCrossEntropyWithLogits, l1Penalty, l2Penalty, mseLoss } from '@backprop/losses';
import { Adam, SGD, type Optimizer } from '@backprop/optim';
import { circle, gaussians, multiGaussian, plane, spiral, trainTestSplit, xor } from '@backprop/datasets';
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

/** Draws the configured data set and splits it into training and test points. */
export function makeData(config: PlaygroundConfig): DataSplit {
  const { x, y } = GENERATORS[config.dataset](NUM_POINTS, { noise: config.noise / 100, seed: config.seed });
  // The sets are ordered by class, so the split must shuffle; seeded apart from the points themselves.
  const split = trainTestSplit(x, y, { testSize: 1 - config.trainRatio / 100, seed: config.seed + 7919 });
  const asSet = (xs: Tensor, ys: Tensor): PointSet => ({ points: Float32Array.from(xs.dataSync()), targets: Float32Array.from(ys.dataSync()) });
  return { train: asSet(split.xTrain, split.yTrain), test: asSet(split.xTest, split.yTest) };
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
  epoch = 0;
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
    this.measure();
  }

  /**
   * Sets one weight of dense layer `layer` (0 = the first hidden layer), at row `out` and column `in` of its
   * [out, in] matrix, to `value`; training goes on from it. Out-of-range positions or a non-finite value throw.
   */
  setWeight(layer: number, out: number, inp: number, value: number): void {
    const dense = (this.net.children() as Module[]).filter((m): m is Linear => m instanceof Linear);
    const target = dense[layer];
    if (!target || out < 0 || out >= target.outFeatures || inp < 0 || inp >= target.inFeatures || !Number.isFinite(value)) {
      throw new Error(
        `setWeight: no weight [${out}, ${inp}] = ${value} in dense layer ${layer}; expected a layer below ${dense.length}, ` +
          `a position inside its [${target?.outFeatures ?? 0}, ${target?.inFeatures ?? 0}] matrix and a finite value`,
      );
    }
    const values = Float32Array.from(target.weight.dataSync() as Float32Array);
    values[out * target.inFeatures + inp] = value;
    noGrad(() => copy_(target.weight, new Tensor(values, target.weight.shape, 'float32')));
    this.measureLosses();
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
    this.cursor = start + size;
    if (this.cursor < n) return false;
    this.order = null;
    this.cursor = 0;
    this.epoch++;
    this.measure();
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

  private measureLosses(): void {
    noGrad(() => {
      this.trainLoss = this.dataLoss(this.net.call(this.trainX), this.trainY).item();
      this.testLoss = this.testY.shape[0] > 0 ? this.dataLoss(this.net.call(this.testX), this.testY).item() : NaN;
    });
  }

  private measure(): void {
    this.measureLosses();
    if (this.epoch % this.historyStep === 0) {
      this.history.push(this.trainLoss, this.testLoss);
      if (this.history.length > 2 * MAX_HISTORY) {
        this.history = this.history.filter((_, i) => i % 4 < 2);
        this.historyStep *= 2;
      }
    }
  }

  /** Runs the network over grids of the domain and copies everything the page draws. */
  snapshot(outputDensity = 50, neuronDensity = 20): Snapshot {
    const classification = problemOf(this.config.dataset) === 'classification';
    const layers = this.net.children() as Module[];
    const hidden = (density: number): { neurons: Float32Array[]; output: Float32Array } =>
      noGrad(() => {
        const k = this.config.features.length;
        let h = new Tensor(featureMatrix(gridPoints(density), this.config.features), [density * density, k], 'float32');
        const neurons: Float32Array[] = [];
        layers.forEach((layer, i) => {
          h = layer.call(h);
          // Odd positions are activations: record each neuron's map, neuron-major.
          if (i % 2 === 1) neurons.push(transposed(h.dataSync() as Float32Array, density * density, h.shape[1]));
        });
        const out = Float32Array.from(h.dataSync() as Float32Array);
        if (classification) for (let i = 0; i < out.length; i++) out[i] = 2 / (1 + Math.exp(-out[i])) - 1;
        return { neurons, output: out };
      });
    const output = hidden(outputDensity).output;
    const neurons = hidden(neuronDensity).neurons;
    const dense = layers.filter((m): m is Linear => m instanceof Linear).map((l) => ({
      inputs: l.inFeatures,
      outputs: l.outFeatures,
      weight: Float32Array.from(l.weight.dataSync() as Float32Array),
      bias: Float32Array.from((l.bias?.dataSync() ?? new Float32Array(l.outFeatures)) as Float32Array),
    }));
    return {
      epoch: this.epoch,
      pointsIntoEpoch: this.cursor,
      trainLoss: this.trainLoss,
      testLoss: this.testLoss,
      history: Float32Array.from(this.history),
      outputDensity,
      output,
      neuronDensity,
      neurons,
      layers: dense,
    };
  }
}

/** [rows, cols] row-major → [cols, rows] row-major. */
function transposed(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
