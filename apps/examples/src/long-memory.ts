/**
 * A long-dependency task: the label of a sequence is the sign of its first input, followed by 59 inputs
 * of pure noise of the same size; the model reads the whole sequence and answers at the end. To learn
 * it, the gradient of the last step's loss must reach step 1 through 59 recurrent steps. In a tanh RNN it
 * vanishes on the way (see the rnn-gradients example), so it stays at chance; an LSTM with its forget gate
 * biased open (bias 3: f ≈ 0.95) and a GRU with its update gate biased open carry the first input in
 * their gated state and learn the task (the GRU fully, the LSTM mostly) in 200 steps.
 *
 * The picture: the training loss and the accuracy on a fresh batch per step, for each network.
 *
 * Run: npx pnpm@10.34.8 --filter @backprop/examples run example src/long-memory.ts
 */
import { noGrad } from '@backprop/autograd';
import { GRU, LSTM, Linear, RNN, type RecurrentBase } from '@backprop/layers';
import { binaryCrossEntropyWithLogits } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, concat, copy_, full, randn, zeros, type Tensor } from '@backprop/tensor';
import { pathToFileURL } from 'node:url';
import { writeFigure, type Figure } from './plot.js';

export interface LongMemoryOptions {
  length?: number;
  hidden?: number;
  batch?: number;
  steps?: number;
  lr?: number;
  seed?: number;
}

export interface LongMemoryResult {
  /** Per network, the training loss and the accuracy on that step's batch, per step. */
  loss: Record<string, number[]>;
  accuracy: Record<string, number[]>;
}

type Recurrent = RecurrentBase<Tensor | [Tensor, Tensor]>;

function networks(hidden: number, generator: Generator): Record<string, Recurrent> {
  const lstm = new LSTM(1, hidden, { generator });
  // Gates are ordered (i, f, g, o) in LSTM and (r, z, n) in GRU.
  copy_(lstm.getParameter('bias_hh_l0') as Tensor, concat([zeros([hidden]), full([hidden], 3), zeros([2 * hidden])]));
  const gru = new GRU(1, hidden, { generator });
  copy_(gru.getParameter('bias_hh_l0') as Tensor, concat([zeros([hidden]), full([hidden], 3), zeros([hidden])]));
  return { 'tanh RNN': new RNN(1, hidden, { generator }) as Recurrent, 'LSTM (forget bias 3)': lstm as Recurrent, 'GRU (update bias 3)': gru as Recurrent };
}

export function run(options: LongMemoryOptions = {}): LongMemoryResult {
  const { length = 60, hidden = 16, batch = 32, steps = 200, lr = 0.01, seed = 0 } = options;
  const result: LongMemoryResult = { loss: {}, accuracy: {} };
  for (const name of Object.keys(networks(hidden, new Generator(seed)))) {
    const generator = new Generator(seed);
    const net = networks(hidden, generator)[name];
    const head = new Linear(hidden, 1, { generator });
    const optimizer = new Adam([...net.parameters(), ...head.parameters()], { lr });
    result.loss[name] = [];
    result.accuracy[name] = [];
    for (let step = 0; step < steps; step++) {
      const first = randn([1, batch, 1], { generator }).sign();
      const x = concat([first, randn([length - 1, batch, 1], { generator })], 0); // [T, N, 1]
      const y = first.reshape([batch, 1]).gt(0).astype('float32');
      optimizer.zeroGrad();
      const [output] = net.call(x) as [Tensor, unknown];
      const logits = head.call(output.narrow(0, length - 1, 1).reshape([batch, hidden]));
      const loss = binaryCrossEntropyWithLogits(logits, y);
      loss.backward();
      optimizer.step();
      result.loss[name].push(loss.item());
      result.accuracy[name].push(noGrad(() => logits.gt(0).astype('float32').eq(y).astype('float32').mean().item()));
    }
  }
  return result;
}

/** The mean of each window of `size` values, to smooth per-batch noise in the picture. */
const smooth = (values: number[], size: number) =>
  values.map((_, i) => values.slice(Math.max(0, i - size + 1), i + 1).reduce((a, b) => a + b, 0) / Math.min(size, i + 1));

export function figure(result: LongMemoryResult): Figure {
  const values = Object.keys(result.loss).flatMap((network) =>
    (['loss', 'accuracy'] as const).flatMap((measure) =>
      smooth(result[measure][network], 10).map((value, step) => ({ network, measure: measure === 'loss' ? 'training loss' : 'batch accuracy', step, value })),
    ),
  );
  return {
    title: 'Recall the first of 60 inputs: tanh RNN vs gated LSTM and GRU (10-step moving averages)',
    data: { values },
    facet: { column: { field: 'measure', type: 'nominal', title: null } },
    spec: {
      width: 280,
      height: 200,
      mark: 'line',
      encoding: {
        x: { field: 'step', type: 'quantitative' },
        y: { field: 'value', type: 'quantitative', title: null },
        color: { field: 'network', type: 'nominal', legend: { labelLimit: 240 } },
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = run();
  const tail = (v: number[]) => v.slice(-20).reduce((a, b) => a + b, 0) / 20;
  for (const name of Object.keys(result.loss)) console.log(name.padEnd(22), `last 20 steps: loss ${tail(result.loss[name]).toFixed(3)}, accuracy ${tail(result.accuracy[name]).toFixed(2)}`);
  console.log(await writeFigure('long-memory', figure(result)));
}
