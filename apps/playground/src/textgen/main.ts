// The text page: sends the text to the training worker, shows the loss as it falls, and asks for samples;
// the backend select (cpu, wasm, webgpu; `#backend=` in the URL) says where the worker trains.
import { backendFromHash, offerWebGpu, selectBackend, showBackend, type BackendChoice } from '../common/backend-choice.js';
import type { BackendName } from '../playground/state.js';
import { DEFAULT_TEXT } from './model.js';
import type { FromTextWorker, ToTextWorker } from './protocol.js';

function $<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`text page: the page has no #${id}`);
  return node as T;
}

const ui = {
  text: $<HTMLTextAreaElement>('text'),
  train: $<HTMLButtonElement>('train'),
  pause: $<HTMLButtonElement>('pause'),
  status: $<HTMLParagraphElement>('train-status'),
  chart: $<HTMLCanvasElement>('loss-chart'),
  prompt: $<HTMLInputElement>('prompt'),
  temperature: $<HTMLInputElement>('temperature'),
  temperatureValue: $<HTMLOutputElement>('temperature-value'),
  seed: $<HTMLInputElement>('seed'),
  sample: $<HTMLButtonElement>('sample'),
  output: $<HTMLPreElement>('sample-text'),
};
const backendChoice: BackendChoice = { select: $<HTMLSelectElement>('backend'), status: $<HTMLSpanElement>('backend-status'), note: $<HTMLSpanElement>('backend-note') };
let backend: BackendName = backendFromHash(location.hash);

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToTextWorker): void => worker.postMessage(message);
const losses: number[] = [];
let vocabulary = 0;
let playing = false;
let nextSample = 0;

ui.text.value = DEFAULT_TEXT;

/** Loss over steps, with the value of the top gridline and of uniform guessing written beside them. */
function drawChart(): void {
  const ctx = ui.chart.getContext('2d')!;
  const { width, height } = ui.chart;
  ctx.clearRect(0, 0, width, height);
  if (losses.length < 2) return;
  const top = Math.max(Math.log(vocabulary), ...losses);
  const y = (v: number) => height - 12 - ((height - 20) * v) / top;
  ctx.strokeStyle = '#d8dde3';
  ctx.fillStyle = '#5a6270';
  ctx.font = '10px system-ui';
  for (const v of [top, top / 2]) {
    ctx.beginPath();
    ctx.moveTo(30, y(v));
    ctx.lineTo(width, y(v));
    ctx.stroke();
    ctx.fillText(v.toFixed(1), 2, y(v) + 3);
  }
  ctx.fillText('0', 2, y(0) + 3);
  ctx.strokeStyle = '#0877bd';
  ctx.beginPath();
  losses.forEach((v, i) => {
    const x = 30 + ((width - 32) * i) / (losses.length - 1);
    if (i === 0) ctx.moveTo(x, y(v));
    else ctx.lineTo(x, y(v));
  });
  ctx.stroke();
}

worker.onmessage = (event: MessageEvent) => {
  const message = event.data as FromTextWorker;
  if (message.type === 'backend') {
    // A backend that failed in the worker is disabled with its reason; the select shows the one in use.
    if (showBackend(backendChoice, message) !== message.requested) {
      backend = message.active;
      selectBackend(backendChoice, backend);
    }
  } else if (message.type === 'ready') {
    vocabulary = message.vocabulary.length;
    ui.sample.disabled = false;
    ui.status.textContent = `Training on ${message.characters} characters, ${vocabulary} distinct.`;
  } else if (message.type === 'progress') {
    losses.push(message.loss);
    ui.status.dataset.loss = String(message.loss);
    ui.status.dataset.steps = String(message.steps);
    ui.status.textContent = `Step ${message.steps}: loss ${message.loss.toFixed(3)} nats per character (uniform: ${Math.log(vocabulary).toFixed(3)}).`;
    drawChart();
  } else if (message.type === 'sample') {
    if (message.id !== nextSample - 1) return;
    ui.output.textContent = ui.prompt.value + message.text;
    ui.output.dataset.sampled = message.text;
  } else {
    ui.status.textContent = `Error: ${message.message}`;
    playing = false;
  }
};

function startTraining(): void {
  losses.length = 0;
  send({ type: 'start', text: ui.text.value, seed: 0, backend });
  playing = true;
  ui.pause.disabled = false;
  ui.pause.textContent = 'Pause';
  ui.train.textContent = 'Train again';
}

ui.train.addEventListener('click', startTraining);

// Another backend trains the model again from the start on it (once training has been started).
backendChoice.select.addEventListener('change', () => {
  backend = backendChoice.select.value as BackendName;
  selectBackend(backendChoice, backend);
  if (ui.pause.disabled === false) startTraining();
});

ui.pause.addEventListener('click', () => {
  playing = !playing;
  send({ type: playing ? 'resume' : 'pause' });
  ui.pause.textContent = playing ? 'Pause' : 'Resume';
});

ui.temperature.addEventListener('input', () => {
  ui.temperatureValue.textContent = ui.temperature.value;
});

ui.sample.addEventListener('click', () => {
  send({ type: 'sample', id: nextSample++, prompt: ui.prompt.value, length: 160, temperature: Number(ui.temperature.value), seed: Number(ui.seed.value) || 0 });
});

backendChoice.select.value = backend;
// webgpu is offered where navigator.gpu gives an adapter, and shown disabled with the reason elsewhere.
void offerWebGpu(backendChoice).then((webgpu) => {
  if (!webgpu && backend === 'webgpu') {
    backend = 'cpu';
    selectBackend(backendChoice, backend);
  }
  document.body.dataset.ready = 'true';
});
