/**
 * Rosenblatt's perceptron learning rule: for each misclassified point, w ← w + η·y·x (labels y = ±1, a
 * constant 1 appended to x for the bias). On linearly separable data the convergence theorem guarantees a
 * separating line after finitely many mistakes; on XOR no line exists, so the rule keeps making mistakes
 * and its weights cycle for ever.
 *
 * The picture: left, the two Gaussian clouds and the learned line w₀x₁ + w₁x₂ + w₂ = 0; right, the mistakes
 * per epoch — they reach 0 on the clouds and never do on XOR.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/perceptron.ts
 */
import { gaussians } from '@backprop/datasets';
import { concat, ones, tensor, zeros, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface PerceptronOptions {
  points?: number;
  epochs?: number;
  lr?: number;
  seed?: number;
}

export interface PerceptronResult {
  /** Mistakes in each epoch on the separable clouds and on XOR. */
  separableErrors: number[];
  xorErrors: number[];
  /** The clouds' learned weights [w₁, w₂, bias] and points (x₁, x₂, label ±1), for the picture. */
  weights: number[];
  points: { x1: number; x2: number; label: number }[];
}

/** Runs the rule for `epochs` passes over (x [N, 3], y [N] of ±1); returns the weights and mistakes per epoch. */
function train(x: Tensor, y: Tensor, epochs: number, lr: number): { w: Tensor; errors: number[] } {
  let w = zeros([3]);
  const labels = y.toFlatArray();
  const errors: number[] = [];
  for (let epoch = 0; epoch < epochs; epoch++) {
    let mistakes = 0;
    for (let i = 0; i < labels.length; i++) {
      const xi = x.narrow(0, i, 1).reshape([3]);
      if (labels[i] * xi.mul(w).sum().item() <= 0) {
        w = w.add(xi.mul(lr * labels[i]));
        mistakes++;
      }
    }
    errors.push(mistakes);
  }
  return { w, errors };
}

/** Appends the constant input 1 that multiplies the bias weight. */
const withBias = (x: Tensor): Tensor => concat([x, ones([x.shape[0], 1])], 1);

export function run(options: PerceptronOptions = {}): PerceptronResult {
  const { points = 40, epochs = 12, lr = 1, seed = 1 } = options;
  const clouds = gaussians(points, { noise: 0, seed });
  const cloudLabels = clouds.y.astype('float32').mul(2).sub(1); // 0/1 → −1/+1
  const separable = train(withBias(clouds.x), cloudLabels, epochs, lr);

  const xorX = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
  const xorY = tensor([-1, 1, 1, -1]);
  const xor = train(withBias(xorX), xorY, epochs, lr);

  const xy = clouds.x.toFlatArray();
  const l = cloudLabels.toFlatArray();
  return {
    separableErrors: separable.errors,
    xorErrors: xor.errors,
    weights: separable.w.toFlatArray(),
    points: l.map((label, i) => ({ x1: xy[2 * i], x2: xy[2 * i + 1], label })),
  };
}

export function figure(result: PerceptronResult): Figure {
  const [w1, w2, b] = result.weights;
  const line = [-4, 4].map((x1) => ({ x1, x2: -(w1 * x1 + b) / w2 }));
  const errors = [
    ...result.separableErrors.map((mistakes, epoch) => ({ epoch: epoch + 1, mistakes, data: 'separable clouds' })),
    ...result.xorErrors.map((mistakes, epoch) => ({ epoch: epoch + 1, mistakes, data: 'XOR' })),
  ];
  const scale = { domain: [-4, 4] };
  return {
    title: 'Perceptron learning rule',
    resolve: { scale: { color: 'independent' } },
    hconcat: [
      {
        title: 'learned boundary on separable data',
        width: 240,
        height: 240,
        layer: [
          {
            data: { values: result.points },
            mark: 'point',
            encoding: {
              x: { field: 'x1', type: 'quantitative', scale },
              y: { field: 'x2', type: 'quantitative', scale },
              color: { field: 'label', type: 'nominal' },
            },
          },
          {
            data: { values: line },
            mark: { type: 'line', clip: true, color: 'black' },
            encoding: { x: { field: 'x1', type: 'quantitative', scale }, y: { field: 'x2', type: 'quantitative', scale } },
          },
        ],
      },
      {
        title: 'mistakes per epoch',
        width: 240,
        height: 240,
        data: { values: errors },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'epoch', type: 'quantitative' },
          y: { field: 'mistakes', type: 'quantitative' },
          color: { field: 'data', type: 'nominal' },
        },
      },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log({ separableErrors: result.separableErrors, xorErrors: result.xorErrors, weights: result.weights });
  console.log(await writeFigure('perceptron', figure(result)));
}
