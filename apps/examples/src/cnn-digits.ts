/**
 * A small convolutional network on the 8×8 handwritten digits shipped with @backprop/datasets:
 * 8 learned 3×3 filters (Conv2d, padding 'same') → ReLU → 2×2 max pooling (each 2×2 patch keeps its
 * strongest response, so a stroke moved by a pixel gives the same output) → a linear classifier over the
 * 8×4×4 pooled maps. Trained with Adam on mini-batches, scored on held-out digits.
 *
 * The picture: the learned first-layer filters, one 3×3 image each; look for oriented edge and stroke
 * detectors (bright on one side, dark on the other).
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/cnn-digits.ts
 */
import { noGrad } from '@backprop/autograd';
import { loadDigits, trainTestSplit } from '@backprop/datasets';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, argmax, permutation, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface CnnDigitsOptions {
  filters?: number;
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
}

export interface CnnDigitsResult {
  /** Accuracy on the held-out digits before and after training. */
  initialAccuracy: number;
  testAccuracy: number;
  /** The first layer's weights [filters, 1, 3, 3] as nested arrays. */
  filters: number[][][];
}

export function run(options: CnnDigitsOptions = {}): CnnDigitsResult {
  const { filters = 8, epochs = 4, batchSize = 32, lr = 0.01, seed = 0 } = options;
  const generator = new Generator(seed);
  const digits = loadDigits({ flatten: false });
  const split = trainTestSplit(digits.x.div(16), digits.y, { testSize: 0.2, stratify: true, seed });
  const train = { x: split.xTrain, y: split.yTrain };
  const test = { x: split.xTest, y: split.yTest };
  const conv = new Conv2d(1, filters, 3, { padding: 'same', generator });
  const model = new Sequential(conv, new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(filters * 16, 10, { generator }));
  const optimizer = new Adam(model.parameters(), { lr });
  const accuracy = () => noGrad(() => argmax(model.call(test.x) as Tensor, 1).eq(test.y).astype('float32').mean().item());

  const initialAccuracy = accuracy();
  const n = train.x.shape[0];
  for (let epoch = 0; epoch < epochs; epoch++) {
    const order = permutation(n, { generator });
    for (let start = 0; start < n; start += batchSize) {
      const idx = order.narrow(0, start, Math.min(batchSize, n - start));
      optimizer.zeroGrad();
      crossEntropy(model.call(train.x.indexSelect(0, idx)) as Tensor, train.y.indexSelect(0, idx)).backward();
      optimizer.step();
    }
  }
  return { initialAccuracy, testAccuracy: accuracy(), filters: (conv.weight.toArray() as number[][][][]).map((f) => f[0]) };
}

export function figure(result: CnnDigitsResult): Figure {
  const values = result.filters.flatMap((f, filter) => f.flatMap((row, y) => row.map((weight, x) => ({ filter: `filter ${filter + 1}`, x, y, weight }))));
  return {
    title: `Learned 3×3 filters of a CNN on 8×8 digits (test accuracy ${(result.testAccuracy * 100).toFixed(1)}%)`,
    data: { values },
    facet: { field: 'filter', type: 'nominal', title: null },
    columns: 4,
    spec: {
      width: 90,
      height: 90,
      mark: 'rect',
      encoding: {
        x: { field: 'x', type: 'ordinal', axis: null },
        y: { field: 'y', type: 'ordinal', axis: null },
        color: { field: 'weight', type: 'quantitative', scale: { scheme: 'redblue', domainMid: 0, reverse: true } },
      },
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log({ initialAccuracy: result.initialAccuracy, testAccuracy: result.testAccuracy });
  console.log(await writeFigure('cnn-digits', figure(result)));
}
