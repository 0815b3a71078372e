/**
 * XOR needs a hidden layer: one linear unit draws a single line, and no line puts (0, 1) and (1, 0) on one
 * side with (0, 0) and (1, 1) on the other, so at best 3 of the 4 points are right. A hidden layer of tanh
 * units bends the boundary and gets all four.
 *
 * The picture: the predicted probability of class 1 over the plane for each model, with the four points;
 * the single layer's map is split by one straight line, the MLP's carves out the two opposite corners.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/xor-mlp.ts
 */
import { noGrad } from '@backprop/autograd';
import { Linear, Sequential, Tanh, type Module } from '@backprop/layers';
import { binaryCrossEntropyWithLogits } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, linspace, meshgrid, stack, tensor, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface XorOptions {
  hidden?: number;
  steps?: number;
  lr?: number;
  seed?: number;
  /** Grid points per side of the probability map in the picture. */
  grid?: number;
}

export interface XorResult {
  /** Share of the four XOR points classified right by the single layer and by the MLP. */
  linearAccuracy: number;
  mlpAccuracy: number;
  /** P(class 1) on a grid over [−0.5, 1.5]², for the picture. */
  maps: { model: string; x1: number; x2: number; p: number }[];
}

const X = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
const Y = tensor([[0], [1], [1], [0]]);

function fit(model: Module, steps: number, lr: number): number {
  const optimizer = new Adam(model.parameters(), { lr });
  for (let step = 0; step < steps; step++) {
    optimizer.zeroGrad();
    binaryCrossEntropyWithLogits(model.call(X) as Tensor, Y).backward();
    optimizer.step();
  }
  const predicted = noGrad(() => (model.call(X) as Tensor).gt(0).astype('float32'));
  return predicted.eq(Y).astype('float32').mean().item();
}

export function run(options: XorOptions = {}): XorResult {
  const { hidden = 8, steps = 300, lr = 0.05, seed = 0, grid = 13 } = options;
  const generator = new Generator(seed);
  const linear = new Linear(2, 1, { generator });
  const mlp = new Sequential(new Linear(2, hidden, { generator }), new Tanh(), new Linear(hidden, 1, { generator }));
  const linearAccuracy = fit(linear, steps, lr);
  const mlpAccuracy = fit(mlp, steps, lr);

  const axis = linspace(-0.5, 1.5, grid);
  const [g1, g2] = meshgrid([axis, axis], 'ij');
  const points = stack([g1.flatten(), g2.flatten()], 1);
  const c1 = g1.toFlatArray();
  const c2 = g2.toFlatArray();
  const maps = [['single layer', linear], ['MLP, one hidden layer', mlp]].flatMap(([name, model]) => {
    const p = noGrad(() => ((model as Module).call(points) as Tensor).sigmoid()).toFlatArray();
    return p.map((value, i) => ({ model: name as string, x1: c1[i], x2: c2[i], p: value }));
  });
  return { linearAccuracy, mlpAccuracy, maps };
}

export function figure(result: XorResult): Figure {
  const points = [[0, 0, 0], [0, 1, 1], [1, 0, 1], [1, 1, 0]].map(([x1, x2, label]) => ({ x1, x2, label: `class ${label}` }));
  const quantitative = (field: string) => ({ field, type: 'quantitative' as const, scale: { domain: [-0.55, 1.55] }, title: field });
  return {
    title: `XOR: single layer ${result.linearAccuracy * 100}% vs MLP ${result.mlpAccuracy * 100}%`,
    data: { values: result.maps },
    facet: { field: 'model', type: 'nominal', title: null, sort: ['single layer', 'MLP, one hidden layer'] },
    spec: {
      width: 220,
      height: 220,
      layer: [
        {
          mark: { type: 'square', size: 300 },
          encoding: {
            x: quantitative('x1'),
            y: quantitative('x2'),
            color: { field: 'p', type: 'quantitative', title: 'P(class 1)', scale: { scheme: 'blueorange', domain: [0, 1] } },
          },
        },
        {
          data: { values: points },
          mark: { type: 'point', filled: true, size: 160, stroke: 'black' },
          encoding: { x: quantitative('x1'), y: quantitative('x2'), shape: { field: 'label', type: 'nominal' } },
        },
      ],
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log({ linearAccuracy: result.linearAccuracy, mlpAccuracy: result.mlpAccuracy });
  console.log(await writeFigure('xor-mlp', figure(result)));
}
