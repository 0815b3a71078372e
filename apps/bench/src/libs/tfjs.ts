import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as TfCore from '@tensorflow/tfjs-core';
import type * as TfLayers from '@tensorflow/tfjs-layers';
import { LR, labels, oneHot, uniform } from '../data.js';
import type { Library, Prepared } from '../types.js';
import { LSTM } from '../workloads.js';

let tf: typeof TfCore;
let tfl: typeof TfLayers;

async function load(backend: 'cpu' | 'wasm'): Promise<void> {
  tf = await import('@tensorflow/tfjs-core');
  tfl = await import('@tensorflow/tfjs-layers');
  if (backend === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    wasm.setWasmPaths(dist + '/');
    // Node has no cross-origin-isolated workers here, so the backend runs single-threaded (SIMD if available).
    wasm.setThreadsCount(1);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs: backend ${backend} failed to initialise`);
  await tf.ready();
}

function tensor2d(rows: number, cols: number, seed: number): TfCore.Tensor {
  return tf.tensor(uniform(rows * cols, seed), [rows, cols]);
}

function targets(batch: number, seed: number): TfCore.Tensor {
  return tf.tensor(oneHot(labels(batch, 10, seed), 10), [batch, 10]);
}

function compile(model: TfLayers.Sequential, optimizer: 'sgd' | 'adam' = 'sgd'): TfLayers.Sequential {
  model.compile({ optimizer: optimizer === 'adam' ? tf.train.adam(1e-3) : tf.train.sgd(LR), loss: 'categoricalCrossentropy' });
  return model;
}

function mlp(): TfLayers.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ inputShape: [784], units: 128, activation: 'relu' }),
      tfl.layers.dense({ units: 64, activation: 'relu' }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

/** A training step that surfaces a missing kernel (tfjs-backend-wasm has no conv backward) as unavailable. */
async function trainStep(model: TfLayers.Sequential, x: TfCore.Tensor, y: TfCore.Tensor): Promise<Prepared> {
  const step = async () => void (await model.trainOnBatch(x, y));
  try {
    await step();
  } catch (e) {
    return { unavailable: `cannot train: ${String((e as Error).message ?? e).split('\n')[0].slice(0, 120)}` };
  }
  return { step };
}

export function tfjs(backend: 'cpu' | 'wasm'): Library {
  return {
    init: () => load(backend),
    matmul(n) {
      const a = tensor2d(n, n, 1);
      const b = tensor2d(n, n, 2);
      return {
        step: () => {
          const c = tf.matMul(a, b);
          c.dataSync();
          c.dispose();
        },
      };
    },
    mlpTrain: (batch) => trainStep(compile(mlp()), tensor2d(batch, 784, 3), targets(batch, 4)),
    mlpTrainAdam: (batch) => trainStep(compile(mlp(), 'adam'), tensor2d(batch, 784, 3), targets(batch, 4)),
    lenetTrain(batch) {
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 6, kernelSize: 5, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu' }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 120, activation: 'relu' }),
          tfl.layers.dense({ units: 84, activation: 'relu' }),
          tfl.layers.dense({ units: 10, activation: 'softmax' }),
        ],
      });
      const x = tf.tensor(uniform(batch * 28 * 28, 5), [batch, 28, 28, 1]);
      return trainStep(compile(model), x, targets(batch, 6));
    },
    lstmTrain(batch, seqLen) {
      const model = tfl.sequential({
        layers: [
          // The default orthogonal recurrent initializer needs linalg from the full @tensorflow/tfjs bundle.
          tfl.layers.lstm({
            inputShape: [seqLen, LSTM.input], units: LSTM.hidden,
            kernelInitializer: 'glorotUniform', recurrentInitializer: 'glorotUniform',
          }),
          tfl.layers.dense({ units: LSTM.classes, activation: 'softmax' }),
        ],
      });
      const x = tf.tensor(uniform(batch * seqLen * LSTM.input, 7), [batch, seqLen, LSTM.input]);
      return trainStep(compile(model), x, targets(batch, 8));
    },
    mlpInfer(batch) {
      const model = mlp();
      const x = tensor2d(batch, 784, 9);
      return {
        step: () => {
          const out = model.predict(x) as TfCore.Tensor;
          out.dataSync();
          out.dispose();
        },
      };
    },
  };
}
