// The digits worker: trains the network on the shipped digits and answers predictions, also while
// training (`fit` yields to the event loop every 50 ms, so messages get through between steps).
import type { Sequential } from '@backprop/layers';
import type { WorkerScope } from '../playground/protocol.js';
import type { FromDigitsWorker, ToDigitsWorker } from './protocol.js';
import { insides, loadDigitsSplit, predictDigit, trainDigits, type DigitsData } from './training.js';

const scope = self as unknown as WorkerScope;
let data: DigitsData | null = null;
let model: Sequential | null = null;
let run: AbortController | null = null;
let sampleIndex = 0;

function post(message: FromDigitsWorker): void {
  scope.postMessage(message);
}

async function train(epochs: number): Promise<void> {
  run?.abort();
  const controller = new AbortController();
  run = controller;
  data ??= loadDigitsSplit();
  let lastPost = 0;
  const trained = await trainDigits({
    epochs,
    data,
    signal: controller.signal,
    onProgress(event) {
      const now = performance.now();
      if (event.type !== 'batch' || now - lastPost < 100) return;
      lastPost = now;
      post({ type: 'progress', epoch: event.epoch, epochs: event.epochs, step: event.step + 1, steps: event.steps, loss: event.loss });
    },
    onEpoch(epoch, testAccuracy, current) {
      if (controller.signal.aborted) return;
      model = current;
      post({ type: 'epoch', epoch, epochs, testAccuracy });
    },
  });
  if (!controller.signal.aborted) {
    model = trained.model;
    post({ type: 'done', epochs, testAccuracy: trained.testAccuracy, bestEpoch: trained.bestEpoch });
  }
}

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as ToDigitsWorker;
  try {
    if (message.type === 'train') {
      train(message.epochs).catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
    } else if (message.type === 'predict') {
      if (model) post({ type: 'prediction', id: message.id, probabilities: predictDigit(model, message.pixels), ...insides(model, message.pixels) });
    } else if (message.type === 'sample') {
      data ??= loadDigitsSplit();
      const n = data.yTest.size;
      // Steps through the test set in a fixed, scattered order: a different digit each press.
      sampleIndex = (sampleIndex + 37) % n;
      const pixels = Float32Array.from((data.xTest.dataSync() as Float32Array).subarray(sampleIndex * 64, (sampleIndex + 1) * 64), (v) => Math.round(v * 16));
      post({ type: 'sample', pixels, label: data.yTest.dataSync()[sampleIndex] });
    }
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
