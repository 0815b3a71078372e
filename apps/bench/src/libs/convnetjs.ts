import { createRequire } from 'node:module';
import { LR, labels, uniform } from '../data.js';
import type { Library, Prepared } from '../types.js';

// ConvNetJS 0.3 ships no types; it is used through its documented Net/Trainer/Vol API.
let cnj: any;

/** ConvNetJS trains one sample at a time; its Trainer applies the summed gradient every batch_size samples. */
function trainSteps(layers: object[], inputs: any[], ls: Int32Array, method: 'sgd' | 'adam' = 'sgd'): Prepared {
  const net = new cnj.Net();
  net.makeLayers(layers);
  const learningRate = method === 'adam' ? 1e-3 : LR;
  const trainer = new cnj.Trainer(net, { method, learning_rate: learningRate, momentum: 0, l2_decay: 0, batch_size: inputs.length });
  return { step: () => inputs.forEach((v, i) => trainer.train(v, ls[i])) };
}

function vols(count: number, sx: number, sy: number, depth: number, seed: number): any[] {
  return Array.from({ length: count }, (_, i) => {
    const v = new cnj.Vol(sx, sy, depth, 0);
    v.w.set(uniform(sx * sy * depth, seed + i));
    return v;
  });
}

const MLP_LAYERS = [
  { type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 },
  { type: 'fc', num_neurons: 128, activation: 'relu' },
  { type: 'fc', num_neurons: 64, activation: 'relu' },
  { type: 'softmax', num_classes: 10 },
];

export const convnetjs: Library = {
  async init() {
    cnj = createRequire(import.meta.url)('convnetjs');
  },
  mlpTrain: (batch) => trainSteps(MLP_LAYERS, vols(batch, 1, 1, 784, 100), labels(batch, 10, 4)),
  mlpTrainAdam: (batch) => trainSteps(MLP_LAYERS, vols(batch, 1, 1, 784, 100), labels(batch, 10, 4), 'adam'),
  lenetTrain: (batch) =>
    trainSteps(
      [
        { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
        { type: 'conv', sx: 5, filters: 6, stride: 1, pad: 0, activation: 'relu' },
        { type: 'pool', sx: 2, stride: 2 },
        { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
        { type: 'pool', sx: 2, stride: 2 },
        { type: 'fc', num_neurons: 120, activation: 'relu' },
        { type: 'fc', num_neurons: 84, activation: 'relu' },
        { type: 'softmax', num_classes: 10 },
      ],
      vols(batch, 28, 28, 1, 200),
      labels(batch, 10, 6),
    ),
  mlpInfer(batch) {
    const net = new cnj.Net();
    net.makeLayers(MLP_LAYERS);
    const inputs = vols(batch, 1, 1, 784, 300);
    return { step: () => inputs.forEach((v) => net.forward(v, false)) };
  },
  notes: {
    'mlp-train': 'per-sample forward/backward, gradient applied once per batch',
    'lenet-train': 'per-sample forward/backward, gradient applied once per batch',
    'mlp-infer-256': '256 single-sample forward passes (no batched path)',
  },
};
