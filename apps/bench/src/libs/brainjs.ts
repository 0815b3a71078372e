import { createRequire } from 'node:module';
import { LR, labels, oneHot, uniform } from '../data.js';
import type { Library } from '../types.js';
import { LSTM } from '../workloads.js';

// brain.js 1.6 ships no types here; used through NeuralNetwork and recurrent.LSTMTimeStep.
let brain: any;

function rows(data: Float32Array, count: number, width: number): number[][] {
  return Array.from({ length: count }, (_, i) => Array.from(data.subarray(i * width, (i + 1) * width)));
}

function mlp(): any {
  const net = new brain.NeuralNetwork({ hiddenLayers: [128, 64], activation: 'relu', learningRate: LR });
  return net;
}

export const brainjs: Library = {
  async init() {
    brain = createRequire(import.meta.url)('brain.js');
  },
  mlpTrain(batch) {
    const xs = rows(uniform(batch * 784, 10), batch, 784);
    const ys = rows(oneHot(labels(batch, 10, 11), 10), batch, 10);
    const data = xs.map((input, i) => ({ input, output: ys[i] }));
    const net = mlp();
    const opts = { iterations: 1, errorThresh: 1e-9, log: false };
    return { step: () => void net.train(data, opts) };
  },
  lstmTrain(batch, seqLen) {
    const net = new brain.recurrent.LSTMTimeStep({ inputSize: LSTM.input, hiddenLayers: [LSTM.hidden], outputSize: LSTM.input, learningRate: LR });
    const seqs = Array.from({ length: batch }, (_, s) => rows(uniform(seqLen * LSTM.input, 20 + s), seqLen, LSTM.input));
    const opts = { iterations: 1, errorThresh: 1e-9, log: false };
    return { step: () => void net.train(seqs, opts) };
  },
  mlpInfer(batch) {
    const net = mlp();
    const xs = rows(uniform(batch * 784, 12), batch, 784);
    net.train([{ input: xs[0], output: Array(10).fill(0) }], { iterations: 1 });
    return { step: () => xs.forEach((x) => net.run(x)) };
  },
  notes: {
    'mlp-train': 'online SGD with momentum, one update per sample, MSE loss (no softmax cross-entropy)',
    'lstm-train': 'LSTMTimeStep next-step regression (16 outputs, MSE), one sequence at a time',
    'mlp-infer-256': '256 single-sample runs (no batched path)',
  },
};
