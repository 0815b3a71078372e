/**
 * A small U-Net (Ronneberger et al., 2015) segmenting a synthetic set: noisy 16×16 images, each with a
 * random rectangle and a random disc a little brighter than a background whose brightness varies from
 * image to image, and the masks of those shapes as targets. The encoder halves the resolution twice
 * (two 3×3 convolutions, then 2×2 max pooling), the decoder doubles it back, once with a learned
 * `ConvTranspose2d` and once with nearest-neighbour `Upsample` and a convolution, and each decoder
 * stage concatenates the encoder's feature map of the same size (the skip connections that give
 * U-Nets sharp boundaries). A 1×1 convolution gives a logit per pixel, trained with binary
 * cross-entropy; the score is the intersection over union of the predicted and true masks.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/unet.ts
 */
import { Generator, arange, concat, maximum, rand, randn, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { barFigure, type Figure } from './plot.js';
import { noGrad } from '@backprop/autograd';
import { BatchNorm2d, Conv2d, ConvTranspose2d, MaxPool2d, Module, ReLU, Sequential, Upsample } from '@backprop/layers';
import { binaryCrossEntropyWithLogits } from '@backprop/losses';
import { Adam } from '@backprop/optim';

/** Images `[N, 1, S, S]` and their masks (1 on a shape), built with tensor ops from seeded random shapes. */
export function shapesSet(n: number, size: number, generator: Generator): { images: Tensor; masks: Tensor } {
  const u = (lo: number, hi: number) => rand([n, 1, 1, 1], { generator }).mul(hi - lo).add(lo);
  const ys = arange(size, undefined, 1, { dtype: 'float32' }).reshape([1, 1, size, 1]);
  const xs = arange(size, undefined, 1, { dtype: 'float32' }).reshape([1, 1, 1, size]);
  // A rectangle with corners anywhere, 3 to 7 pixels a side.
  const [h, w] = [u(3, 8).floor(), u(3, 8).floor()];
  const top = u(0, 1).mul(h.neg().add(size)).floor();
  const left = u(0, 1).mul(w.neg().add(size)).floor();
  const inside = (c: Tensor, start: Tensor, length: Tensor) => c.ge(start).astype('float32').mul(c.lt(start.add(length)).astype('float32'));
  const rectangle = inside(ys, top, h).mul(inside(xs, left, w));
  // A disc of radius 2 to 4.
  const r = u(2, 4.5);
  const [cy, cx] = [u(2, size - 2), u(2, size - 2)];
  const disc = ys.sub(cy).square().add(xs.sub(cx).square()).le(r.square()).astype('float32');
  const masks = maximum(rectangle, disc);
  // Shapes are 0.8 brighter than a background of random level, under noise of std 0.5.
  const images = masks.mul(0.8).add(u(-1, 1)).add(randn([n, 1, size, size], { generator }).mul(0.5));
  return { images, masks };
}

/** Two 3×3 conv → BatchNorm → ReLU, the U-Net's unit. */
function double(inC: number, outC: number, generator: Generator): Sequential {
  const conv = (i: number) => [new Conv2d(i, outC, 3, { padding: 1, bias: false, generator }), new BatchNorm2d(outC), new ReLU()];
  return new Sequential(...conv(inC), ...conv(outC));
}

/** enc1 (S) → enc2 (S/2) → bottleneck (S/4) → up2 + skip enc2 → dec2 → up1 + skip enc1 → dec1 → 1×1 logits. */
export class UNet extends Module {
  constructor(width: number, generator: Generator) {
    super();
    const [c1, c2, c3] = [width, 2 * width, 4 * width];
    this.registerModule('enc1', double(1, c1, generator));
    this.registerModule('enc2', double(c1, c2, generator));
    this.registerModule('pool', new MaxPool2d(2));
    this.registerModule('bottleneck', double(c2, c3, generator));
    this.registerModule('up2', new ConvTranspose2d(c3, c2, 2, { stride: 2, generator }));
    this.registerModule('dec2', double(2 * c2, c2, generator));
    this.registerModule('up1', new Sequential(new Upsample({ scaleFactor: 2 }), new Conv2d(c2, c1, 3, { padding: 1, generator })));
    this.registerModule('dec1', double(2 * c1, c1, generator));
    this.registerModule('out', new Conv2d(c1, 1, 1, { generator }));
  }

  forward(x: Tensor): Tensor {
    const m = (name: string) => this.getSubmodule(name) as Module;
    const e1 = m('enc1').call(x);
    const e2 = m('enc2').call(m('pool').call(e1));
    const b = m('bottleneck').call(m('pool').call(e2));
    const d2 = m('dec2').call(concat([m('up2').call(b), e2], 1));
    const d1 = m('dec1').call(concat([m('up1').call(d2), e1], 1));
    return m('out').call(d1);
  }
}

/** Intersection over union of the predicted (logit > 0) and true masks, over the whole set. */
export function iou(logits: Tensor, masks: Tensor): number {
  const predicted = logits.gt(0).astype('float32');
  const intersection = predicted.mul(masks).sum().item();
  const union = maximum(predicted, masks).sum().item();
  return union === 0 ? 1 : intersection / union;
}

export interface UNetOptions {
  steps?: number;
  batchSize?: number;
  size?: number;
  width?: number;
  lr?: number;
  seed?: number;
}

export interface UNetResult {
  /** Held-out IoU before and after training. */
  iouBefore: number;
  iou: number;
  /** IoU of predicting every pixel as a shape (the fraction of shape pixels): what guessing gets. */
  chanceIou: number;
  /** Mean loss of the first and of the last 10 steps. */
  firstLoss: number;
  lastLoss: number;
}

export function run(options: UNetOptions = {}): UNetResult {
  const { steps = 80, batchSize = 16, size = 16, width = 8, lr = 0.01, seed = 0 } = options;
  const generator = new Generator(seed);
  const test = shapesSet(64, size, new Generator(seed + 1000));
  const model = new UNet(width, generator);
  const optimizer = new Adam(model.parameters(), { lr });
  const evaluate = () => noGrad(() => {
    model.eval();
    const score = iou(model.call(test.images), test.masks);
    model.train();
    return score;
  });
  const iouBefore = evaluate();
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    const { images, masks } = shapesSet(batchSize, size, generator); // a fresh batch each step
    optimizer.zeroGrad();
    const loss = binaryCrossEntropyWithLogits(model.call(images), masks);
    loss.backward();
    optimizer.step();
    losses.push(loss.item());
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  return {
    iouBefore,
    iou: evaluate(),
    chanceIou: test.masks.mean().item(),
    firstLoss: mean(losses.slice(0, 10)),
    lastLoss: mean(losses.slice(-10)),
  };
}

/** The picture for the gallery. */
export function figure(result: UNetResult): Figure {
  return barFigure('U-Net segmentation: held-out IoU', [
    { label: 'chance (all pixels)', value: result.chanceIou },
    { label: 'before training', value: result.iouBefore },
    { label: 'after training', value: result.iou },
  ], 'intersection over union');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(run());
}
