/**
 * Optimizers on two classic test functions, each optimizing one 2-element parameter tensor (x, y) with
 * @backprop/optim: Rosenbrock's banana valley (1 − x)² + 100(y − x²)², minimum at (1, 1), whose floor is
 * flat along a curved valley; and Beale's function, minimum at (3, 0.5), with steep walls and flat plateaus.
 * Plain SGD must keep its step small for the steep walls and then crawls along the valley; momentum and
 * Nesterov build up speed along it; AdaGrad, RMSProp, AdaDelta and Adam scale each coordinate by its
 * gradient history.
 *
 * The picture: every optimizer's path from the same start for the same number of steps, with the minimum
 * marked; and the distance to the minimum per step (log scale).
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/optimizers.ts
 */
import '@backprop/autograd';
import { Adadelta, Adagrad, Adam, RMSprop, SGD } from '@backprop/optim';
import { tensor, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface OptimizersOptions {
  steps?: number;
  /** Keep every n-th point of each path for the picture. */
  every?: number;
}

interface Problem {
  name: string;
  f: (x: Tensor, y: Tensor) => Tensor;
  start: [number, number];
  minimum: [number, number];
  /** Each optimizer's settings on this problem (tuned by hand to be stable). */
  make: Record<string, (p: Tensor) => { zeroGrad(): void; step(): unknown }>;
}

const rosenbrock = (x: Tensor, y: Tensor) => x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
const beale = (x: Tensor, y: Tensor) =>
  [1.5, 2.25, 2.625].map((c, i) => x.mul(y.pow(i + 1).neg().add(1)).neg().add(c).square()).reduce((a, b) => a.add(b));

export const PROBLEMS: Problem[] = [
  {
    name: 'Rosenbrock',
    f: rosenbrock,
    start: [-1.5, 2],
    minimum: [1, 1],
    make: {
      SGD: (p) => new SGD([p], { lr: 1e-3 }),
      momentum: (p) => new SGD([p], { lr: 1e-3, momentum: 0.9 }),
      Nesterov: (p) => new SGD([p], { lr: 1e-3, momentum: 0.9, nesterov: true }),
      AdaGrad: (p) => new Adagrad([p], { lr: 0.5 }),
      RMSProp: (p) => new RMSprop([p], { lr: 0.01 }),
      AdaDelta: (p) => new Adadelta([p], { lr: 10 }),
      Adam: (p) => new Adam([p], { lr: 0.05 }),
    },
  },
  {
    name: 'Beale',
    f: beale,
    start: [1, 1.5],
    minimum: [3, 0.5],
    make: {
      SGD: (p) => new SGD([p], { lr: 1e-3 }),
      momentum: (p) => new SGD([p], { lr: 1e-3, momentum: 0.9 }),
      Nesterov: (p) => new SGD([p], { lr: 1e-3, momentum: 0.9, nesterov: true }),
      AdaGrad: (p) => new Adagrad([p], { lr: 0.5 }),
      RMSProp: (p) => new RMSprop([p], { lr: 0.01 }),
      AdaDelta: (p) => new Adadelta([p], { lr: 10 }),
      Adam: (p) => new Adam([p], { lr: 0.05 }),
    },
  },
];

export interface OptimizersResult {
  /** Per problem and optimizer, the distance to the minimum after the last step. */
  finalDistance: Record<string, Record<string, number>>;
  paths: { problem: string; optimizer: string; step: number; x: number; y: number; distance: number }[];
}

export function run(options: OptimizersOptions = {}): OptimizersResult {
  const { steps = 500, every = 10 } = options;
  const result: OptimizersResult = { finalDistance: {}, paths: [] };
  for (const problem of PROBLEMS) {
    result.finalDistance[problem.name] = {};
    for (const [name, make] of Object.entries(problem.make)) {
      const p = tensor(problem.start, [2], 'float64').requiresGrad_();
      const optimizer = make(p);
      let distance = 0;
      for (let step = 0; step <= steps; step++) {
        const [x, y] = p.toFlatArray();
        distance = Math.hypot(x - problem.minimum[0], y - problem.minimum[1]);
        if (step % every === 0 || step === steps) result.paths.push({ problem: problem.name, optimizer: name, step, x, y, distance });
        if (step === steps) break;
        optimizer.zeroGrad();
        problem.f(p.narrow(0, 0, 1), p.narrow(0, 1, 1)).sum().backward();
        optimizer.step();
      }
      result.finalDistance[problem.name][name] = distance;
    }
  }
  return result;
}

export function figure(result: OptimizersResult): Figure {
  const markers = PROBLEMS.flatMap((p) => [
    { problem: p.name, x: p.minimum[0], y: p.minimum[1], point: 'minimum' },
    { problem: p.name, x: p.start[0], y: p.start[1], point: 'start' },
  ]);
  const color = { field: 'optimizer', type: 'nominal' as const, scale: { scheme: 'category10' } };
  return {
    title: 'Optimizers on Rosenbrock and Beale, same start, same steps',
    vconcat: PROBLEMS.map((problem) => ({
      hconcat: [
        {
          title: `${problem.name}: paths`,
          width: 260,
          height: 220,
          layer: [
            {
              data: { values: result.paths.filter((r) => r.problem === problem.name) },
              mark: { type: 'line', clip: true },
              encoding: {
                x: { field: 'x', type: 'quantitative', scale: { zero: false } },
                y: { field: 'y', type: 'quantitative', scale: { zero: false } },
                order: { field: 'step' },
                color,
              },
            },
            {
              data: { values: markers.filter((m) => m.problem === problem.name) },
              mark: { type: 'point', filled: true, size: 120, color: 'black' },
              encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, shape: { field: 'point', type: 'nominal' } },
            },
          ],
        },
        {
          title: `${problem.name}: distance to the minimum`,
          width: 260,
          height: 220,
          data: { values: result.paths.filter((r) => r.problem === problem.name) },
          mark: 'line',
          encoding: {
            x: { field: 'step', type: 'quantitative' },
            y: { field: 'distance', type: 'quantitative', scale: { type: 'log' } },
            color,
          },
        },
      ],
    })),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log(result.finalDistance);
  console.log(await writeFigure('optimizers', figure(result)));
}
