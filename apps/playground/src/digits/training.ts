// Training and prediction for the digits page, free of the DOM: the worker runs it, the unit tests too.
// Values are read with `await t.read()`, so it runs the same on cpu, wasm and a GPU.
import { Generator, Tensor, argmax, cast, eq, softmax, sum } from '@backprop/tensor';
import { noGrad } from '@backprop/autograd';
import { loadDigits, trainTestSplit } from '@backprop/datasets';
import type { Sequential } from '@backprop/layers';
import { Adam } from '@backprop/optim';
import { ProgressCallback, fit, type ProgressEvent } from '@backprop/train';
import { onCpu } from '../playground/backend.js';
import { buildDigitNet } from './model.js';

/**
 * The shipped digits as [N, 1, 8, 8] in [0, 1], split 90/10 (1,617 and 180 images) at random with a fixed
 * seed, on the host whatever backend is active (fit uploads each batch).
 */
export interface DigitsData {
  xTrain: Tensor;
  yTrain: Tensor;
  xTest: Tensor;
  yTest: Tensor;
}

export function loadDigitsSplit(): DigitsData {
  return onCpu(() => {
    const { x, y } = loadDigits({ flatten: false });
    return trainTestSplit(x.div(16), y, { testSize: 0.1, seed: 0 });
  });
}

/** Share of `x`'s images that `model` labels as `y` (counted by kernels; one number is read). */
export async function accuracy(model: Sequential, x: Tensor, y: Tensor): Promise<number> {
  const correct = noGrad(() => sum(cast(eq(argmax(model.call(x), 1), y), 'int32')));
  return Number((await correct.read())[0]) / y.size;
}

/** Class probabilities [10] of one image given as 64 pixel values on the dataset's 0..16 scale. */
export async function predictDigit(model: Sequential, pixels: ArrayLike<number>): Promise<Float32Array> {
  const x = new Tensor(Float32Array.from(pixels, (v) => v / 16), [1, 1, 8, 8], 'float32');
  const probabilities = noGrad(() => softmax(model.call(x), -1));
  return Float32Array.from((await probabilities.read()) as Float32Array);
}

/** What the first layer sees and makes: its 16 learned 3×3 filters and, for an image, its 16 ReLU feature maps (8×8). */
export interface Insides {
  filters: Float32Array;
  featureMaps: Float32Array;
}

/** The convolution's filters [16·3·3] and the feature maps [16·8·8] after its ReLU, for `pixels` (0..16). */
export async function insides(model: Sequential, pixels: ArrayLike<number>): Promise<Insides> {
  const x = new Tensor(Float32Array.from(pixels, (v) => v / 16), [1, 1, 8, 8], 'float32');
  const conv = model.getSubmodule('0');
  const maps = noGrad(() => model.getSubmodule('1').call(conv.call(x) as Tensor) as Tensor);
  const [filters, featureMaps] = await Promise.all([conv.getParameter('weight')!.read(), maps.read()]);
  return { filters: Float32Array.from(filters as Float32Array), featureMaps: Float32Array.from(featureMaps as Float32Array) };
}

export interface TrainDigitsOptions {
  epochs: number;
  data: DigitsData;
  seed?: number;
  onProgress?: (event: ProgressEvent) => void;
  /** Called after each epoch with the test accuracy and the model as it is (to answer predictions). */
  onEpoch?: (epoch: number, testAccuracy: number, model: Sequential) => void;
  signal?: AbortSignal;
}

/** What `trainDigits` gives back: the model with the best epoch's weights, and how it got there. */
export interface TrainedDigits {
  model: Sequential;
  /** The epoch (1-based) whose weights the model holds: the one with the highest test accuracy, the first on a tie. */
  bestEpoch: number;
  /** The model's test accuracy as returned, measured again after restoring the best weights. */
  testAccuracy: number;
  /** The test accuracy after each epoch. */
  accuracies: number[];
}

/**
 * Trains a fresh network with Adam (lr 0.01, batches of 32) and cross-entropy, keeping a copy of the
 * weights after the epoch with the best test accuracy; returns the model with those weights restored.
 */
export async function trainDigits(options: TrainDigitsOptions): Promise<TrainedDigits> {
  const model = buildDigitNet(new Generator(options.seed ?? 0));
  const { data } = options;
  const accuracies: number[] = [];
  let bestEpoch = 0;
  let best: Map<string, Tensor> | null = null;
  await fit(model, {
    loss: 'crossEntropy',
    optimizer: new Adam(model.parameters(), { lr: 0.01 }),
    data: { x: data.xTrain, y: data.yTrain },
    epochs: options.epochs,
    batchSize: 32,
    seed: options.seed ?? 0,
    signal: options.signal,
    callbacks: [
      new ProgressCallback((event) => options.onProgress?.(event)),
      {
        onEpochEnd: async (ctx) => {
          const testAccuracy = await accuracy(model, data.xTest, data.yTest);
          accuracies.push(testAccuracy);
          if (best === null || testAccuracy > accuracies[bestEpoch - 1]) {
            bestEpoch = ctx.epoch + 1;
            best = noGrad(() => new Map([...model.stateDict()].map(([name, t]) => [name, t.clone()])));
          }
          options.onEpoch?.(ctx.epoch + 1, testAccuracy, model);
        },
      },
    ],
  });
  if (best !== null && bestEpoch !== accuracies.length) model.loadStateDict(best);
  return { model, bestEpoch, testAccuracy: await accuracy(model, data.xTest, data.yTest), accuracies };
}
