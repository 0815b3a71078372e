// The digits page: a drawing canvas (pointer events, with mouse and touch fallbacks), the 8×8 view the
// network gets, live class probabilities, and training progress from the worker.
import { backendFromHash, offerWebGpu, selectBackend, showBackend, type BackendChoice } from '../common/backend-choice.js';
import type { BackendName } from '../playground/state.js';
import { downsample, SIDE } from './downsample.js';
import type { FromDigitsWorker, ToDigitsWorker } from './protocol.js';
import { drawInsides } from './insides-view.js';

const EPOCHS = 10;

function $<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`digits: the page has no #${id}`);
  return node as T;
}

const canvas = $<HTMLCanvasElement>('draw');
const preview = $<HTMLCanvasElement>('preview');
const predictionText = $<HTMLDivElement>('prediction');
const bars = $<HTMLUListElement>('bars');
const progress = $<HTMLProgressElement>('progress');
const status = $<HTMLParagraphElement>('training-status');
const progressLabel = $<HTMLLabelElement>('progress-label');
const sampleLabel = $<HTMLParagraphElement>('sample-label');
const backendSelect = $<HTMLSelectElement>('backend');
const backendChoice: BackendChoice = { select: backendSelect, status: $<HTMLSpanElement>('backend-status'), note: $<HTMLSpanElement>('backend-note') };
const ctx = canvas.getContext('2d', { willReadFrequently: true })!;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToDigitsWorker): void => worker.postMessage(message);

let pixels: Float32Array<ArrayBufferLike> = new Float32Array(SIDE * SIDE);
let hasInk = false;
let modelReady = false;
let requestId = 0;
let lastPredict = 0;
let showingSample = false;
/** The true label of the test digit on the canvas (null for a drawing). */
let sampleTruth: number | null = null;
/** The test accuracy after each epoch of the current run. */
let accuracies: number[] = [];
/** The backend to train on: `#backend=wasm` or `#backend=webgpu` in the URL picks one (cpu by default). */
let backend: BackendName = backendFromHash(location.hash);

const barFills: HTMLSpanElement[] = [];
const barValues: HTMLSpanElement[] = [];
for (let d = 0; d < 10; d++) {
  const fill = document.createElement('span');
  const bar = document.createElement('span');
  bar.className = 'bar';
  bar.append(fill);
  const value = document.createElement('span');
  value.textContent = '–';
  const li = document.createElement('li');
  li.dataset.digit = String(d);
  li.append(String(d), bar, value);
  bars.append(li);
  barFills.push(fill);
  barValues.push(value);
}

function clearCanvas(): void {
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  pixels = new Float32Array(SIDE * SIDE);
  hasInk = false;
  showingSample = false;
  sampleTruth = null;
  sampleLabel.hidden = true;
  sampleLabel.textContent = '';
  delete sampleLabel.dataset.label;
  drawPreview();
  predictionText.textContent = '–';
  predictionText.removeAttribute('data-digit');
  for (let d = 0; d < 10; d++) {
    barFills[d].style.width = '0';
    barValues[d].textContent = '–';
    bars.children[d].classList.remove('best');
  }
}

function drawPreview(): void {
  const p = preview.getContext('2d')!;
  const image = p.createImageData(SIDE, SIDE);
  for (let i = 0; i < SIDE * SIDE; i++) {
    const v = 255 - Math.round((pixels[i] / 16) * 255);
    image.data.set([v, v, v, 255], 4 * i);
  }
  p.putImageData(image, 0, 0);
}

/** Reads the canvas, downsamples it and asks the worker to classify it (at most every 100 ms unless `now`). */
function classify(now: boolean): void {
  if (!showingSample) {
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const alpha = new Uint8ClampedArray(canvas.width * canvas.height);
    for (let i = 0; i < alpha.length; i++) alpha[i] = data[4 * i + 3];
    pixels = downsample(alpha, canvas.width, canvas.height);
  }
  drawPreview();
  const t = performance.now();
  if (!hasInk || !modelReady || (!now && t - lastPredict < 100)) return;
  lastPredict = t;
  send({ type: 'predict', id: ++requestId, pixels });
}

function showPrediction(probabilities: Float32Array): void {
  let best = 0;
  for (let d = 1; d < 10; d++) if (probabilities[d] > probabilities[best]) best = d;
  for (let d = 0; d < 10; d++) {
    const pct = probabilities[d] * 100;
    barFills[d].style.width = `${pct.toFixed(1)}%`;
    barValues[d].textContent = `${pct.toFixed(1)}%`;
    bars.children[d].classList.toggle('best', d === best);
  }
  if (sampleTruth !== null) {
    sampleLabel.textContent = `This test digit is labelled ${sampleTruth}: ${best === sampleTruth ? 'the network reads it correctly' : `the network reads ${best}`}.`;
    sampleLabel.dataset.correct = String(best === sampleTruth);
  }
  predictionText.textContent = `${best}`;
  predictionText.dataset.digit = String(best);
  predictionText.setAttribute('aria-label', `The network reads ${best}, with probability ${(probabilities[best] * 100).toFixed(0)}%`);
}

// ---- drawing ----

let drawing = false;
let last: [number, number] = [0, 0];

function position(clientX: number, clientY: number): [number, number] {
  const r = canvas.getBoundingClientRect();
  return [((clientX - r.left) * canvas.width) / r.width, ((clientY - r.top) * canvas.height) / r.height];
}

function strokeStart(x: number, y: number): void {
  if (showingSample) clearCanvas();
  drawing = true;
  last = [x, y];
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.lineWidth = canvas.width / 12;
  ctx.strokeStyle = '#111';
  strokeTo(x, y);
}

function strokeTo(x: number, y: number): void {
  if (!drawing) return;
  ctx.beginPath();
  ctx.moveTo(last[0], last[1]);
  ctx.lineTo(x, y);
  ctx.stroke();
  last = [x, y];
  hasInk = true;
  classify(false);
}

function strokeEnd(): void {
  if (!drawing) return;
  drawing = false;
  classify(true);
}

if (typeof globalThis.PointerEvent === 'function') {
  canvas.addEventListener('pointerdown', (e) => {
    e.preventDefault();
    canvas.setPointerCapture(e.pointerId);
    strokeStart(...position(e.clientX, e.clientY));
  });
  canvas.addEventListener('pointermove', (e) => {
    // Coalesced events keep fast strokes smooth where the browser batches them.
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [e];
    for (const ev of events.length ? events : [e]) strokeTo(...position(ev.clientX, ev.clientY));
  });
  canvas.addEventListener('pointerup', strokeEnd);
  canvas.addEventListener('pointercancel', strokeEnd);
} else {
  // Browsers without pointer events: mouse and touch separately.
  canvas.addEventListener('mousedown', (e) => strokeStart(...position(e.clientX, e.clientY)));
  canvas.addEventListener('mousemove', (e) => strokeTo(...position(e.clientX, e.clientY)));
  window.addEventListener('mouseup', strokeEnd);
  canvas.addEventListener(
    'touchstart',
    (e) => {
      e.preventDefault();
      const t = e.changedTouches[0];
      strokeStart(...position(t.clientX, t.clientY));
    },
    { passive: false },
  );
  canvas.addEventListener(
    'touchmove',
    (e) => {
      e.preventDefault();
      const t = e.changedTouches[0];
      strokeTo(...position(t.clientX, t.clientY));
    },
    { passive: false },
  );
  canvas.addEventListener('touchend', strokeEnd);
}

/** Paints a dataset image (64 values 0..16) onto the drawing canvas as 8×8 blocks. */
function paintSample(sample: Float32Array, label: number): void {
  clearCanvas();
  sampleTruth = label;
  sampleLabel.hidden = false;
  sampleLabel.dataset.label = String(label);
  sampleLabel.textContent = `This test digit is labelled ${label}.`;
  const cell = canvas.width / SIDE;
  for (let i = 0; i < SIDE * SIDE; i++) {
    if (sample[i] === 0) continue;
    ctx.fillStyle = `rgba(17, 17, 17, ${sample[i] / 16})`;
    ctx.fillRect((i % SIDE) * cell, Math.floor(i / SIDE) * cell, cell, cell);
  }
  pixels = sample;
  hasInk = true;
  showingSample = true;
  classify(true);
}

// ---- worker ----

function startTraining(): void {
  modelReady = false;
  accuracies = [];
  delete status.dataset.accuracies;
  delete status.dataset.bestEpoch;
  progress.value = 0;
  progressLabel.textContent = 'Training the network on 1,617 digits…';
  status.textContent = `Training for ${EPOCHS} epochs…`;
  send({ type: 'train', epochs: EPOCHS, backend });
}

function chooseBackend(next: BackendName): void {
  backend = next;
  selectBackend(backendChoice, next);
}

worker.onmessage = (event: MessageEvent<FromDigitsWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'backend':
      // A backend that failed in the worker is disabled with its reason; the select shows the one in use.
      if (showBackend(backendChoice, m) !== m.requested) chooseBackend(m.active);
      return;
    case 'progress':
      progress.value = (m.epoch + m.step / m.steps) / m.epochs;
      progress.dataset.epoch = String(m.epoch);
      return;
    case 'epoch':
      modelReady = true;
      progress.value = m.epoch / m.epochs;
      status.textContent = `Epoch ${m.epoch} of ${m.epochs}: test accuracy ${(m.testAccuracy * 100).toFixed(1)}%.`;
      status.dataset.epoch = String(m.epoch);
      accuracies.push(m.testAccuracy);
      status.dataset.accuracies = accuracies.join(',');
      if (hasInk) classify(true);
      return;
    case 'done':
      progress.value = 1;
      progressLabel.textContent = 'Training finished';
      status.textContent =
        `Trained: ${(m.testAccuracy * 100).toFixed(1)}% of the 180 held-out digits are read correctly, ` +
        `with the weights of epoch ${m.bestEpoch}, the best of the ${m.epochs}. Draw a digit!`;
      status.dataset.bestEpoch = String(m.bestEpoch);
      status.dataset.accuracy = String(m.testAccuracy);
      status.dataset.done = 'true';
      if (hasInk) classify(true);
      return;
    case 'prediction':
      if (m.id === requestId && hasInk) {
        showPrediction(m.probabilities);
        drawInsides($<HTMLCanvasElement>('filters'), $<HTMLCanvasElement>('feature-maps'), m.filters, m.featureMaps);
      }
      return;
    case 'sample':
      paintSample(m.pixels, m.label);
      $<HTMLCanvasElement>('draw').setAttribute('aria-label', `Drawing area, showing a test digit labelled ${m.label}`);
      return;
    case 'error':
      status.textContent = `Training failed: ${m.message}`;
      console.error(`digits worker: ${m.message}`);
      return;
  }
};

$<HTMLButtonElement>('clear').addEventListener('click', clearCanvas);
$<HTMLButtonElement>('sample').addEventListener('click', () => send({ type: 'sample' }));
$<HTMLButtonElement>('retrain').addEventListener('click', () => {
  delete status.dataset.done;
  startTraining();
});
// Another backend trains a fresh network on it.
backendSelect.addEventListener('change', () => {
  chooseBackend(backendSelect.value as BackendName);
  delete status.dataset.done;
  startTraining();
});

clearCanvas();
backendSelect.value = backend;
// webgpu is offered where navigator.gpu gives an adapter, and shown disabled with the reason elsewhere.
void offerWebGpu(backendChoice).then((webgpu) => {
  if (!webgpu && backend === 'webgpu') chooseBackend('cpu');
  startTraining();
});
