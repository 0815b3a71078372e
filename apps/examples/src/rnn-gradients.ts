/**
 * Backpropagation through time and its two failure modes. The gradient that reaches input x_t from the
 * last output is a product of one Jacobian per step in between, so over T steps it scales like a power:
 * it vanishes when those Jacobians shrink (a tanh RNN with the default initialization) and explodes when
 * they grow (a ReLU RNN whose recurrent matrix is orthogonal × 2). LSTM and GRU carry their state through
 * a gated sum (c_t = f·c_{t−1} + i·g), so with the forget (LSTM) or update (GRU) gate biased open the
 * gradient survives many more steps. Exploding gradients wreck training in one step (the loss jumps to
 * 1e16, then Infinity, and the ReLUs die: the net outputs 0 from then on); `clipGradNorm` rescales the
 * gradient to a fixed norm and training proceeds.
 *
 * The picture: left, ‖∂y_T/∂x_t‖ for each step t of a 40-step sequence (log scale) — the lines fall or rise
 * by orders of magnitude towards t = 1; right, the training loss of the exploding RNN with and without
 * gradient clipping (the unclipped line stops where the loss is no longer finite).
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/rnn-gradients.ts
 */
import '@backprop/autograd';
import { orthogonal_ } from '@backprop/init';
import { GRU, LSTM, RNN, type RecurrentBase } from '@backprop/layers';
import { mseLoss } from '@backprop/losses';
import { SGD, clipGradNorm } from '@backprop/optim';
import { Generator, concat, copy_, full, ones, randn, vectorNorm, zeros, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface RnnGradientsOptions {
  steps?: number;
  hidden?: number;
  batch?: number;
  trainingSteps?: number;
  seed?: number;
}

export interface RnnGradientsResult {
  /** Per network, ‖∂(Σ y_T)/∂x_t‖ for t = 1..T. */
  inputGradient: Record<string, number[]>;
  /** Training loss per step of the exploding RNN, without and with clipGradNorm(·, 1). */
  loss: { unclipped: number[]; clipped: number[] };
  /** The parameters' total gradient norm at the first step, and after clipping it. */
  firstGradNorm: number;
  clippedGradNorm: number;
}

type Recurrent = RecurrentBase<Tensor | [Tensor, Tensor]>;

function explodingRnn(hidden: number, generator: Generator, gain: number): Recurrent {
  const rnn = new RNN(4, hidden, { nonlinearity: 'relu', generator });
  orthogonal_(rnn.getParameter('weight_hh_l0') as Tensor, { gain, generator });
  return rnn as Recurrent;
}

function networks(hidden: number, generator: Generator): Record<string, Recurrent> {
  const lstm = new LSTM(4, hidden, { generator });
  // Gates are ordered (i, f, g, o) in LSTM and (r, z, n) in GRU; a positive bias opens f and z.
  copy_(lstm.getParameter('bias_hh_l0') as Tensor, concat([zeros([hidden]), ones([hidden]), zeros([2 * hidden])]));
  const gru = new GRU(4, hidden, { generator });
  copy_(gru.getParameter('bias_hh_l0') as Tensor, concat([zeros([hidden]), full([hidden], 2), zeros([hidden])]));
  return {
    'tanh RNN': new RNN(4, hidden, { generator }) as Recurrent,
    'LSTM (forget bias 1)': lstm as Recurrent,
    'GRU (update bias 2)': gru as Recurrent,
    'ReLU RNN, W_hh = 2·orthogonal': explodingRnn(hidden, generator, 2),
  };
}

const lastOutput = (net: Recurrent, x: Tensor): Tensor => (net.call(x) as [Tensor, unknown])[0].narrow(0, x.shape[0] - 1, 1);

export function run(options: RnnGradientsOptions = {}): RnnGradientsResult {
  const { steps = 40, hidden = 32, batch = 16, trainingSteps = 20, seed = 0 } = options;
  const generator = new Generator(seed);
  const inputGradient: Record<string, number[]> = {};
  for (const [name, net] of Object.entries(networks(hidden, generator))) {
    const x = randn([steps, batch, 4], { generator }).requiresGrad_();
    lastOutput(net, x).sum().backward();
    const g = x.grad as Tensor;
    inputGradient[name] = Array.from({ length: steps }, (_, t) => vectorNorm(g.narrow(0, t, 1)).item());
  }

  // Train a milder exploding RNN (gain 1.5) to output 1 at the last step, with and without clipping.
  const result: RnnGradientsResult = { inputGradient, loss: { unclipped: [], clipped: [] }, firstGradNorm: 0, clippedGradNorm: 0 };
  for (const kind of ['unclipped', 'clipped'] as const) {
    const g = new Generator(seed + 1);
    const net = explodingRnn(hidden, g, 1.5);
    const optimizer = new SGD(net.parameters(), { lr: 0.01 });
    for (let step = 0; step < trainingSteps; step++) {
      optimizer.zeroGrad();
      const loss = mseLoss(lastOutput(net, randn([steps, batch, 4], { generator: g })), full([1, batch, hidden], 1));
      loss.backward();
      if (kind === 'clipped') {
        const norm = clipGradNorm(net.parameters(), 1);
        if (step === 0) {
          result.firstGradNorm = norm;
          result.clippedGradNorm = vectorNorm(concat(net.parameters().map((p) => (p.grad as Tensor).flatten()))).item();
        }
      }
      optimizer.step();
      result.loss[kind].push(loss.item());
    }
  }
  return result;
}

export function figure(result: RnnGradientsResult): Figure {
  const gradients = Object.entries(result.inputGradient).flatMap(([network, g]) => g.map((norm, t) => ({ network, t: t + 1, norm })));
  const losses = (['unclipped', 'clipped'] as const).flatMap((kind) =>
    result.loss[kind].map((loss, step) => ({ training: kind === 'clipped' ? 'clipGradNorm(params, 1)' : 'no clipping', step, loss })).filter((r) => Number.isFinite(r.loss)),
  );
  return {
    title: 'Backpropagation through time: vanishing and exploding gradients',
    resolve: { scale: { color: 'independent' } },
    config: { legend: { labelLimit: 260 } },
    hconcat: [
      {
        title: '‖∂y_T/∂x_t‖ over the time steps',
        width: 300,
        height: 240,
        data: { values: gradients },
        mark: 'line',
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'time step t' },
          y: { field: 'norm', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'network', type: 'nominal' },
        },
      },
      {
        title: 'training a ReLU RNN, W_hh = 1.5·orthogonal',
        width: 260,
        height: 240,
        data: { values: losses },
        mark: { type: 'line', point: true },
        encoding: {
          x: { field: 'step', type: 'quantitative' },
          y: { field: 'loss', type: 'quantitative', scale: { type: 'log' } },
          color: { field: 'training', type: 'nominal' },
        },
      },
    ],
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  for (const [name, g] of Object.entries(result.inputGradient)) console.log(name.padEnd(30), `‖∂y/∂x_1‖ / ‖∂y/∂x_T‖ = ${(g[0] / g[g.length - 1]).toExponential(1)}`);
  console.log({ firstGradNorm: result.firstGradNorm, clippedGradNorm: result.clippedGradNorm });
  console.log('loss without clipping:', result.loss.unclipped.map((l) => l.toExponential(1)).join(' '));
  console.log('loss with clipping:   ', result.loss.clipped.map((l) => l.toExponential(1)).join(' '));
  console.log(await writeFigure('rnn-gradients', figure(result)));
}
