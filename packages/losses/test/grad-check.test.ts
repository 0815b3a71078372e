import { enableGrad, gradCheck, gradients } from '@backprop/autograd';
import { Generator, rand, randint, randn, softmax, logSoftmax, sign, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, hingeLoss, huberLoss, klDiv, l1Loss, l1Penalty,
  l2Penalty, mseLoss, multiMarginLoss, nllLoss, smoothL1Loss, type Reduction,
} from '../src/index.js';

const generator = new Generator(7);
const normal = (shape: number[], scale = 1) => randn(shape, { generator, dtype: 'float64' }).mul(scale);
const uniform = (shape: number[], low: number, high: number) => rand(shape, { generator, dtype: 'float64', low, high });
const labels = (classes: number, shape: number[]) => randint(0, classes, shape, { generator, dtype: 'int32' });
const REDUCTIONS: Reduction[] = ['mean', 'sum', 'none'];

function check(name: string, f: (...xs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  it(name, () => {
    const result = gradCheck(f, inputs);
    expect(result.ok, result.message).toBe(true);
  });
}

// Every float argument is checked, targets included; inputs stay clear of the kinks of |·|, max and relu.
// Constants are drawn outside the closures, which gradCheck evaluates many times.
describe('gradCheck of every loss and reduction', () => {
  for (const reduction of REDUCTIONS) {
    const x = normal([3, 4]);
    const y = normal([3, 4], 2);
    check(`mseLoss ${reduction}`, (a, b) => mseLoss(a, b, { reduction }), [x, y]);
    check(`l1Loss ${reduction}`, (a, b) => l1Loss(a, b, { reduction }), [x, y]);
    check(`huberLoss ${reduction}`, (a, b) => huberLoss(a, b, { reduction, delta: 0.8 }), [x, y]);
    check(`smoothL1Loss ${reduction}`, (a, b) => smoothL1Loss(a, b, { reduction, beta: 0.6 }), [x, y]);

    const p = uniform([3, 4], 0.1, 0.9);
    const q = uniform([3, 4], 0, 1);
    const weight4 = uniform([4], 0.5, 2);
    const rowWeight = uniform([3, 1], 0.5, 2);
    check(`binaryCrossEntropy ${reduction}`, (a, b) => binaryCrossEntropy(a, b, { reduction, weight: weight4 }), [p, q]);
    check(
      `binaryCrossEntropyWithLogits ${reduction}, weight and posWeight`,
      (a, b, w) => binaryCrossEntropyWithLogits(a, b, { reduction, posWeight: w, weight: rowWeight }),
      [normal([3, 4], 3), q, uniform([4], 0.5, 3)],
    );
    const signs = sign(normal([3, 4]));
    check(`hingeLoss ${reduction}`, (a) => hingeLoss(a, signs, { reduction, margin: 0.9 }), [x]);
    const marginTargets = labels(5, [3]);
    const weight5 = uniform([5], 0.5, 2);
    check(
      `multiMarginLoss ${reduction}, p 2`,
      (a) => multiMarginLoss(a, marginTargets, { reduction, p: 2, weight: weight5 }),
      [normal([3, 5])],
    );
    const pixelTargets = labels(4, [2, 3]);
    check(
      `crossEntropy ${reduction}, class indices with smoothing`,
      (a) => crossEntropy(a, pixelTargets, { reduction, labelSmoothing: 0.1, weight: weight4 }),
      [normal([2, 4, 3])],
    );
    check(
      `crossEntropy ${reduction}, class probabilities`,
      (a, b) => crossEntropy(a, b, { reduction, labelSmoothing: 0.2 }),
      [normal([3, 4]), softmax(normal([3, 4]), 1)],
    );
    const nllTargets = labels(4, [3]);
    check(`nllLoss ${reduction}`, (a) => nllLoss(a, nllTargets, { reduction }), [logSoftmax(normal([3, 4]), 1)]);
    check(`klDiv ${reduction}`, (a, b) => klDiv(a, b, { reduction }), [logSoftmax(normal([3, 4]), 1), softmax(normal([3, 4]), 1)]);
    check(
      `klDiv ${reduction}, logTarget`,
      (a, b) => klDiv(a, b, { reduction, logTarget: true }),
      [logSoftmax(normal([3, 4]), 1), logSoftmax(normal([3, 4]), 1)],
    );
  }
  check('klDiv batchmean', (a, b) => klDiv(a, b, { reduction: 'batchmean' }), [logSoftmax(normal([3, 4]), 1), softmax(normal([3, 4]), 1)]);
  check('l1Penalty', (a, b) => l1Penalty([a, b]), [normal([2, 3]), normal([4])]);
  check('l2Penalty', (a, b) => l2Penalty([a, b]), [normal([2, 3]), normal([4])]);
});

// The two fused ops write their backward with tensor ops, so second derivatives must hold as well.
describe('second derivatives through the fused ops', () => {
  // gradCheck evaluates f under noGrad for its finite differences; the inner gradient needs the graph.
  const firstDerivative = (loss: (x: Tensor) => Tensor) => (x: Tensor) =>
    enableGrad(() => gradients(loss(x), [x], { createGraph: true })[0]);
  const classes = labels(4, [3]);
  const probabilities = uniform([5], 0, 1);
  check('crossEntropy with class indices', firstDerivative((x) => crossEntropy(x, classes, { labelSmoothing: 0.1 })), [normal([3, 4])]);
  check('binaryCrossEntropy', firstDerivative((x) => binaryCrossEntropy(x, probabilities)), [uniform([5], 0.1, 0.9)]);
});
