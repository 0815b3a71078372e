/**
 * An inception block (Szegedy et al., 2015, "Going deeper with convolutions") on the shipped 8×8 digits.
 * The block runs four branches side by side on the same input and concatenates their channels: a 1×1
 * convolution; a 1×1 "bottleneck" then a 3×3; a 1×1 then a 5×5; and a 3×3 max pool then a 1×1. Each
 * branch keeps the spatial size (padding), so the block sees several receptive fields at once, and the
 * 1×1 bottlenecks keep the larger kernels cheap. Two blocks, global average pooling and a linear layer
 * classify the digits; the branches' names follow torchvision's GoogLeNet (`branch1` … `branch4`).
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/inception.ts
 */
import { Generator, concat, indexSelect, permutation, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';
import { noGrad } from '@backprop/autograd';
import { loadDigits } from '@backprop/datasets';
import {
  AdaptiveAvgPool2d, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential,
} from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';

/** Conv → BatchNorm → ReLU, torchvision's BasicConv2d. */
function convBlock(inC: number, outC: number, k: number, generator: Generator): Sequential {
  return new Sequential(new Conv2d(inC, outC, k, { padding: (k - 1) / 2, bias: false, generator }), new BatchNorm2d(outC), new ReLU());
}

/** Output channels of each branch: [1×1, [3×3 bottleneck, 3×3], [5×5 bottleneck, 5×5], pool projection]. */
export type InceptionChannels = [number, [number, number], [number, number], number];

/** The four parallel branches, their outputs concatenated along the channels: out = c1 + c3 + c5 + pool. */
export class InceptionBlock extends Module {
  readonly outChannels: number;

  constructor(inC: number, [c1, [r3, c3], [r5, c5], pool]: InceptionChannels, generator: Generator) {
    super();
    this.registerModule('branch1', convBlock(inC, c1, 1, generator));
    this.registerModule('branch2', new Sequential(convBlock(inC, r3, 1, generator), convBlock(r3, c3, 3, generator)));
    this.registerModule('branch3', new Sequential(convBlock(inC, r5, 1, generator), convBlock(r5, c5, 5, generator)));
    this.registerModule('branch4', new Sequential(new MaxPool2d(3, { stride: 1, padding: 1 }), convBlock(inC, pool, 1, generator)));
    this.outChannels = c1 + c3 + c5 + pool;
  }

  forward(x: Tensor): Tensor {
    return concat(['branch1', 'branch2', 'branch3', 'branch4'].map((b) => (this.getSubmodule(b) as Module).call(x)), 1);
  }
}

/** stem → inception → 2×2 max pool → inception → global average → linear, for [N, 1, 8, 8] digits. */
export function inceptionNet(generator: Generator): Sequential {
  const first = new InceptionBlock(16, [8, [8, 12], [4, 4], 4], generator);
  const second = new InceptionBlock(first.outChannels, [16, [12, 16], [4, 8], 8], generator);
  return new Sequential(
    convBlock(1, 16, 3, generator), first, new MaxPool2d(2), second,
    new AdaptiveAvgPool2d(1), new Flatten(), new Linear(second.outChannels, 10, { generator }),
  );
}

export interface InceptionOptions {
  epochs?: number;
  batchSize?: number;
  lr?: number;
  seed?: number;
}

export interface InceptionResult {
  /** Accuracy on the held-out 20% before and after training; chance is 0.1. */
  accuracyBefore: number;
  accuracy: number;
  /** Mean training loss of the first and of the last epoch. */
  firstLoss: number;
  lastLoss: number;
  parameters: number;
  /** Channels after each block (28 and 48). */
  channels: number[];
}

export function run(options: InceptionOptions = {}): InceptionResult {
  const { epochs = 3, batchSize = 64, lr = 0.01, seed = 0 } = options;
  const digits = loadDigits({ flatten: false });
  const images = digits.x.div(16);
  const generator = new Generator(seed);
  const order = permutation(digits.y.size, { generator });
  const nTest = Math.round(0.2 * digits.y.size);
  const take = (idx: Tensor): [Tensor, Tensor] => [indexSelect(images, 0, idx), indexSelect(digits.y, 0, idx)];
  const [xTest, yTest] = take(order.slice(0, 0, nTest));
  const [xTrain, yTrain] = take(order.slice(0, nTest));
  const model = inceptionNet(generator);
  const optimizer = new Adam(model.parameters(), { lr });

  const accuracy = () => noGrad(() => {
    model.eval();
    const predicted = model.call(xTest).argmax(1);
    model.train();
    return predicted.eq(yTest).astype('float32').mean().item();
  });
  const accuracyBefore = accuracy();
  const epochLosses: number[] = [];
  const n = yTrain.size;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const shuffled = permutation(n, { generator });
    let total = 0;
    let batches = 0;
    for (let start = 0; start < n; start += batchSize) {
      const idx = shuffled.slice(0, start, Math.min(n, start + batchSize));
      optimizer.zeroGrad();
      const loss = crossEntropy(model.call(indexSelect(xTrain, 0, idx)), indexSelect(yTrain, 0, idx));
      loss.backward();
      optimizer.step();
      total += loss.item();
      batches++;
    }
    epochLosses.push(total / batches);
  }
  const blocks = model.children().filter((m): m is InceptionBlock => m instanceof InceptionBlock);
  return {
    accuracyBefore,
    accuracy: accuracy(),
    firstLoss: epochLosses[0],
    lastLoss: epochLosses[epochLosses.length - 1],
    parameters: model.parameters().reduce((s, p) => s + p.size, 0),
    channels: blocks.map((b) => b.outChannels),
  };
}

/** The picture for the gallery. */
export function figure(result: InceptionResult): Figure {
  return barFigure(`Inception blocks on the digits (${result.parameters} parameters)`, [
    { label: 'accuracy before training', value: result.accuracyBefore },
    { label: 'accuracy after training', value: result.accuracy },
  ], 'held-out accuracy');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(run());
}
