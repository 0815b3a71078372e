// The digits worker: trains the network on the shipped digits and answers predictions, also while
// training (`fit` yields to the event loop every 50 ms, so messages get through between steps). Values
// are read asynchronously, so the same code trains on cpu, wasm and webgpu.
import type { Sequential } from '@backprop/layers';
import { activateBackend } from '../playground/backend.js';
import type { WorkerScope } from '../playground/protocol.js';
import type { BackendName } from '../playground/state.js';
import type { FromDigitsWorker, ToDigitsWorker } from './protocol.js';
import { insides, loadDigitsSplit, predictDigit, trainDigits, type DigitsData } from './training.js';

const scope = self as unknown as WorkerScope;
let data: DigitsData | null = null;
let model: Sequential | null = null;
let run: AbortController | null = null;
/** The run under way: a new one waits for it to stop before switching backends. */
let running: Promise<void> = Promise.resolve();
let backend: BackendName | null = null;
let sampleIndex = 0;

function post(message: FromDigitsWorker): void {
  scope.postMessage(message);
}

async function train(epochs: number, requested: BackendName): Promise<void> {
  run?.abort();
  const controller = new AbortController();
  run = controller;
  await running;
  if (controller.signal.aborted) return;
  if (requested !== backend) {
    // The old model's weights may live on the backend being left: no predictions from it meanwhile.
    model = null;
    const status = await activateBackend(requested);
    backend = requested;
    post({ type: 'backend', requested, ...status });
  }
  // On the host whatever trains: fit uploads each batch, and test digits are read synchronously.
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

async function predict(id: number, pixels: Float32Array): Promise<void> {
  if (!model) return;
  const [probabilities, inside] = await Promise.all([predictDigit(model, pixels), insides(model, pixels)]);
  post({ type: 'prediction', id, probabilities, ...inside });
}

const fail = (error: unknown): void => post({ type: 'error', message: error instanceof Error ? error.message : String(error) });

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as ToDigitsWorker;
  try {
    if (message.type === 'train') {
      const next = train(message.epochs, message.backend).catch(fail);
      running = next;
    } else if (message.type === 'predict') {
      predict(message.id, message.pixels).catch(fail);
    } else if (message.type === 'sample') {
      data ??= loadDigitsSplit();
      const n = data.yTest.size;
      // Steps through the test set in a fixed, scattered order: a different digit each press.
      sampleIndex = (sampleIndex + 37) % n;
      const pixels = Float32Array.from((data.xTest.dataSync() as Float32Array).subarray(sampleIndex * 64, (sampleIndex + 1) * 64), (v) => Math.round(v * 16));
      post({ type: 'sample', pixels, label: data.yTest.dataSync()[sampleIndex] });
    }
  } catch (error) {
    fail(error);
  }
};
