/**
 * Second-order methods on a small least-squares fit: a 1-16-1 tanh network fitted to sin(2x) on 40 points.
 * L-BFGS builds a curvature estimate from its last gradient differences and line-searches along it
 * (strong Wolfe); Levenberg–Marquardt solves the damped Gauss–Newton system (JᵀJ + λI)δ = −Jᵀr with the
 * residuals' Jacobian. Both reach a low loss in a few dozen iterations, where Adam, a first-order method,
 * is still far off after as many steps.
 *
 * The picture: the mean squared error per iteration of each method (log scale), and the fitted curves.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/second-order.ts
 */
import { noGrad } from '@backprop/autograd';
import { Linear, Sequential, Tanh } from '@backprop/layers';
import { mseLoss } from '@backprop/losses';
import { Adam, LBFGS, LevenbergMarquardt } from '@backprop/optim';
import { Generator, linspace, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface SecondOrderOptions {
  iterations?: number;
  hidden?: number;
  points?: number;
  seed?: number;
}

export interface SecondOrderResult {
  /** Mean squared error before each iteration and after the last, per method. */
  loss: Record<string, number[]>;
  fits: { method: string; x: number; y: number }[];
}

export function run(options: SecondOrderOptions = {}): SecondOrderResult {
  const { iterations = 40, hidden = 16, points = 40, seed = 0 } = options;
  const x = linspace(-2, 2, points, { dtype: 'float64' }).reshape([points, 1]);
  const y = x.mul(2).sin();
  const methods: Record<string, (params: Tensor[]) => (net: Sequential) => void> = {
    Adam: (params) => {
      const opt = new Adam(params, { lr: 0.01 });
      return (net) => {
        opt.zeroGrad();
        mseLoss(net.call(x) as Tensor, y).backward();
        opt.step();
      };
    },
    'L-BFGS': (params) => {
      const opt = new LBFGS(params, { maxIter: 1, lineSearchFn: 'strong_wolfe' });
      return (net) =>
        opt.step(() => {
          opt.zeroGrad();
          const loss = mseLoss(net.call(x) as Tensor, y);
          loss.backward();
          return loss;
        });
    },
    'Levenberg–Marquardt': (params) => {
      const opt = new LevenbergMarquardt(params);
      return (net) => opt.step(() => (net.call(x) as Tensor).sub(y).flatten());
    },
  };

  const result: SecondOrderResult = { loss: {}, fits: [] };
  const xs = x.toFlatArray();
  for (const [name, make] of Object.entries(methods)) {
    const generator = new Generator(seed); // the same initial network for every method
    const net = new Sequential(new Linear(1, hidden, { generator, dtype: 'float64' }), new Tanh(), new Linear(hidden, 1, { generator, dtype: 'float64' }));
    const step = make(net.parameters());
    const mse = () => noGrad(() => mseLoss(net.call(x) as Tensor, y)).item();
    result.loss[name] = [mse()];
    for (let i = 0; i < iterations; i++) {
      step(net);
      result.loss[name].push(mse());
    }
    const fitted = noGrad(() => net.call(x) as Tensor).toFlatArray();
    fitted.forEach((v, i) => result.fits.push({ method: name, x: xs[i], y: v }));
  }
  y.toFlatArray().forEach((v, i) => result.fits.push({ method: 'target sin(2x)', x: xs[i], y: v }));
  return result;
}

export function figure(result: SecondOrderResult): Figure {
  const losses = Object.entries(result.loss).flatMap(([method, l]) => l.map((loss, iteration) => ({ method, iteration, loss })));
  const color = { field: 'method', type: 'nominal' as const };
  return {
    title: 'L-BFGS and Levenberg–Marquardt vs Adam on a small tanh net',
    hconcat: [
      {
        title: 'mean squared error per iteration',
        width: 280,
        height: 220,
        data: { values: losses },
        mark: 'line',
        encoding: { x: { field: 'iteration', type: 'quantitative' }, y: { field: 'loss', type: 'quantitative', scale: { type: 'log' } }, color },
      },
      {
        title: 'fitted curves',
        width: 280,
        height: 220,
        data: { values: result.fits },
        mark: 'line',
        encoding: { x: { field: 'x', type: 'quantitative' }, y: { field: 'y', type: 'quantitative' }, color },
      },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  for (const [method, l] of Object.entries(result.loss)) console.log(method.padEnd(20), l.filter((_, i) => i % 5 === 0).map((v) => v.toExponential(1)).join(' '));
  console.log(await writeFigure('second-order', figure(result)));
}
