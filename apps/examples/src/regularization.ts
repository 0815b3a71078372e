/**
 * Regularization on a task built to overfit: a 1-64-64-1 ReLU net fitted to 16 noisy samples of sin(x)
 * (noise std 0.3) for many full-batch Adam steps, scored on 200 clean points it never sees. Unregularized,
 * the net threads every noisy point and its validation loss climbs back up. Each remedy limits that:
 * an L2 penalty ½λΣw² (weight decay) or an L1 penalty λΣ|w| on the weights, dropout between the layers,
 * Gaussian noise added to the inputs at every step (Bishop: ≈ Tikhonov regularization), batch
 * normalization, and early stopping (keep the weights of the epoch with the best validation loss).
 *
 * The picture: training and validation loss per epoch for each variant (log scale).
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/regularization.ts
 */
import { noGrad } from '@backprop/autograd';
import { GaussianNoise } from '@backprop/datasets';
import { BatchNorm1d, Dropout, Linear, ReLU, Sequential, type Module } from '@backprop/layers';
import { l1Penalty, l2Penalty, mseLoss } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, linspace, rand, randn, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface RegularizationOptions {
  epochs?: number;
  trainPoints?: number;
  lr?: number;
  seed?: number;
}

export interface RegularizationResult {
  /** Per variant, the training and validation mean squared error at each epoch. */
  curves: Record<string, { train: number[]; validation: number[] }>;
  /** Per variant, the validation loss of its final weights (early stopping: of its best epoch). */
  finalValidation: Record<string, number>;
}

interface Variant {
  /** Extra layers: dropout or batch norm after each hidden layer. */
  after?: (g: Generator) => Module;
  penalty?: (params: Tensor[]) => Tensor;
  inputNoise?: number;
}

const VARIANTS: Record<string, Variant> = {
  none: {},
  'L2 (λ = 1e-3)': { penalty: (p) => l2Penalty(p).mul(1e-3) },
  'L1 (λ = 1e-4)': { penalty: (p) => l1Penalty(p).mul(1e-4) },
  'dropout (p = 0.2)': { after: (generator) => new Dropout(0.2, { generator }) },
  'input noise (std 0.2)': { inputNoise: 0.2 },
  'batch norm': { after: () => new BatchNorm1d(64) },
};

export function run(options: RegularizationOptions = {}): RegularizationResult {
  const { epochs = 600, trainPoints = 16, lr = 0.01, seed = 0 } = options;
  const data = new Generator(seed);
  const xTrain = rand([trainPoints, 1], { generator: data }).mul(6).sub(3);
  const yTrain = xTrain.sin().add(randn([trainPoints, 1], { generator: data }).mul(0.3));
  const xVal = linspace(-3, 3, 200).reshape([200, 1]);
  const yVal = xVal.sin();

  const result: RegularizationResult = { curves: {}, finalValidation: {} };
  for (const [name, variant] of Object.entries(VARIANTS)) {
    const generator = new Generator(seed + 1); // the same initial weights for every variant
    const extra = () => (variant.after ? [variant.after(generator)] : []);
    const net = new Sequential(new Linear(1, 64, { generator }), ...extra(), new ReLU(), new Linear(64, 64, { generator }), ...extra(), new ReLU(), new Linear(64, 1, { generator }));
    const weights = net.namedParameters().filter(([n]) => n.endsWith('weight') && !(net.getSubmodule(n.split('.')[0]) instanceof BatchNorm1d)).map(([, p]) => p);
    const optimizer = new Adam(net.parameters(), { lr });
    const noise = new GaussianNoise(variant.inputNoise ?? 0, { seed });
    const curve = { train: [] as number[], validation: [] as number[] };
    for (let epoch = 0; epoch < epochs; epoch++) {
      net.train();
      optimizer.zeroGrad();
      const x = variant.inputNoise ? noise.transform(xTrain) : xTrain;
      let loss = mseLoss(net.call(x) as Tensor, yTrain);
      if (variant.penalty) loss = loss.add(variant.penalty(weights));
      loss.backward();
      optimizer.step();
      net.eval();
      noGrad(() => {
        curve.train.push(mseLoss(net.call(xTrain) as Tensor, yTrain).item());
        curve.validation.push(mseLoss(net.call(xVal) as Tensor, yVal).item());
      });
    }
    result.curves[name] = curve;
    result.finalValidation[name] = curve.validation[epochs - 1];
  }
  // Early stopping needs no second run: the unregularized run, stopped at its best validation epoch.
  result.finalValidation['early stopping'] = Math.min(...result.curves.none.validation);
  return result;
}

export function figure(result: RegularizationResult): Figure {
  const values = Object.entries(result.curves).flatMap(([variant, c]) =>
    (['train', 'validation'] as const).flatMap((set) => c[set].filter((_, i) => i % 5 === 0).map((loss, i) => ({ variant, set, epoch: i * 5, loss }))),
  );
  return {
    title: 'Regularization on 16 noisy samples of sin(x): training vs validation MSE',
    data: { values },
    facet: { field: 'variant', type: 'nominal', title: null, sort: Object.keys(result.curves) },
    columns: 3,
    spec: {
      width: 200,
      height: 130,
      mark: 'line',
      encoding: {
        x: { field: 'epoch', type: 'quantitative' },
        y: { field: 'loss', type: 'quantitative', scale: { type: 'log' }, title: 'MSE' },
        color: { field: 'set', type: 'nominal' },
      },
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log(result.finalValidation);
  console.log(await writeFigure('regularization', figure(result)));
}
