/**
 * Residual connections: a deep stack of Linear + ReLU layers with PyTorch's default initialization
 * trains badly, because the signal (and the gradient) shrinks at every layer until the first layers get
 * almost nothing. Wrapping each layer as a `Residual` block, y = x + f(x), gives the gradient an
 * identity path through the whole depth (He et al., 2016), so the same depth, the same widths and the same
 * optimizer fit the data.
 *
 * The picture: training loss per step of the plain and the residual network of equal depth, on the
 * two-spiral classification set.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/residual.ts
 */
import { noGrad } from '@backprop/autograd';
import { spiral } from '@backprop/datasets';
import { Linear, ReLU, Residual, Sequential, type Module } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, argmax, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface ResidualOptions {
  depth?: number;
  width?: number;
  points?: number;
  steps?: number;
  lr?: number;
  seed?: number;
}

export interface ResidualResult {
  /** Training loss per step, and the final training accuracy, of each network. */
  loss: { plain: number[]; residual: number[] };
  accuracy: { plain: number; residual: number };
}

function network(depth: number, width: number, residual: boolean, generator: Generator): Sequential {
  const hidden: Module[] = Array.from({ length: depth }, () => {
    const layer = new Sequential(new Linear(width, width, { generator }), new ReLU());
    return residual ? new Residual(layer) : layer;
  });
  return new Sequential(new Linear(2, width, { generator }), ...hidden, new Linear(width, 2, { generator }));
}

export function run(options: ResidualOptions = {}): ResidualResult {
  const { depth = 20, width = 32, points = 200, steps = 300, lr = 3e-3, seed = 0 } = options;
  const { x, y } = spiral(points, { noise: 0, seed });
  const result: ResidualResult = { loss: { plain: [], residual: [] }, accuracy: { plain: 0, residual: 0 } };
  for (const kind of ['plain', 'residual'] as const) {
    const net = network(depth, width, kind === 'residual', new Generator(seed));
    const optimizer = new Adam(net.parameters(), { lr });
    for (let step = 0; step < steps; step++) {
      optimizer.zeroGrad();
      const loss = crossEntropy(net.call(x) as Tensor, y);
      loss.backward();
      optimizer.step();
      result.loss[kind].push(loss.item());
    }
    result.accuracy[kind] = noGrad(() => argmax(net.call(x) as Tensor, 1).eq(y).astype('float32').mean().item());
  }
  return result;
}

export function figure(result: ResidualResult): Figure {
  const values = (['plain', 'residual'] as const).flatMap((kind) =>
    result.loss[kind].map((loss, step) => ({ network: `${kind} (accuracy ${(result.accuracy[kind] * 100).toFixed(0)}%)`, step, loss })),
  );
  return {
    title: 'Equal depth, plain vs residual: training loss on two spirals',
    width: 420,
    height: 240,
    data: { values },
    mark: 'line',
    encoding: {
      x: { field: 'step', type: 'quantitative' },
      y: { field: 'loss', type: 'quantitative', title: 'cross-entropy', scale: { type: 'log' } },
      color: { field: 'network', type: 'nominal', legend: { labelLimit: 240 } },
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  console.log({ accuracy: result.accuracy, finalLoss: { plain: result.loss.plain.at(-1), residual: result.loss.residual.at(-1) } });
  console.log(await writeFigure('residual', figure(result)));
}
