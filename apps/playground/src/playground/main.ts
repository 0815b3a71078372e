// The playground page: owns the configuration (mirrored in the URL hash), forwards it to the training
// worker, and draws whatever snapshot arrived last, once per animation frame.
import {
  DATASET_LABELS,
  DATASETS,
  FEATURE_NAMES,
  LEARNING_RATES,
  MAX_LAYERS,
  MAX_NEURONS,
  REGULARIZATION_RATES,
  datasetsOf,
  decodeConfig,
  encodeConfig,
  problemOf,
  type PlaygroundConfig,
  type ProblemName,
} from './state.js';
import { offerWebGpu, showBackend, type BackendChoice } from '../common/backend-choice.js';
import type { FromWorker, ToWorker } from './protocol.js';
import type { DataSplit, Snapshot } from './trainer.js';
import { FEATURE_DENSITY, NetworkView, featureMap, type PreviewTarget } from './network-view.js';
import { FEATURES } from './features.js';
import { discretized, drawAxes, drawHeatmap, drawLossChart, drawPoints } from './render.js';

function $<T extends HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`playground: the page has no #${id}`);
  return node as T;
}

const ui = {
  play: $<HTMLButtonElement>('play'),
  step: $<HTMLButtonElement>('step'),
  reset: $<HTMLButtonElement>('reset'),
  // A plain span: an <output> is a live region, and this one changes every frame.
  epoch: $<HTMLSpanElement>('epoch'),
  learningRate: $<HTMLSelectElement>('learning-rate'),
  activation: $<HTMLSelectElement>('activation'),
  optimizer: $<HTMLSelectElement>('optimizer'),
  regularization: $<HTMLSelectElement>('regularization'),
  backend: $<HTMLSelectElement>('backend'),
  backendStatus: $<HTMLSpanElement>('backend-status'),
  regularizationRate: $<HTMLSelectElement>('regularization-rate'),
  problem: $<HTMLSelectElement>('problem'),
  datasets: $<HTMLDivElement>('dataset-buttons'),
  ratio: $<HTMLInputElement>('ratio'),
  ratioValue: $<HTMLOutputElement>('ratio-value'),
  noise: $<HTMLInputElement>('noise'),
  noiseValue: $<HTMLOutputElement>('noise-value'),
  batch: $<HTMLInputElement>('batch-size'),
  batchValue: $<HTMLOutputElement>('batch-value'),
  regenerate: $<HTMLButtonElement>('regenerate'),
  addLayer: $<HTMLButtonElement>('add-layer'),
  removeLayer: $<HTMLButtonElement>('remove-layer'),
  layerCount: $<HTMLSpanElement>('layer-count'),
  network: $<HTMLDivElement>('network'),
  testLoss: $<HTMLElement>('test-loss'),
  trainLoss: $<HTMLElement>('train-loss'),
  chart: $<HTMLCanvasElement>('loss-chart'),
  lossMax: $<HTMLSpanElement>('loss-max'),
  lossMid: $<HTMLSpanElement>('loss-mid'),
  lossEpochs: $<HTMLSpanElement>('loss-epochs'),
  discretize: $<HTMLInputElement>('discretize'),
  output: $<HTMLCanvasElement>('output-canvas'),
  showTest: $<HTMLInputElement>('show-test'),
  status: $<HTMLDivElement>('status'),
  error: $<HTMLDivElement>('error'),
};
const backendChoice: BackendChoice = { select: ui.backend, status: ui.backendStatus, note: $<HTMLSpanElement>('backend-note') };

let config: PlaygroundConfig = decodeConfig(location.hash);
let split: DataSplit | null = null;
let snapshot: Snapshot | null = null;
let playing = false;
let frameRequested = false;
let lastAnnounced = 0;
/** The node under the pointer, whose map the output panel shows instead of the network's output. */
let preview: PreviewTarget | null = null;

const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker): void => worker.postMessage(message);

const network = new NetworkView(ui.network, {
  toggleFeature(feature, on) {
    const features = on ? [...config.features, feature] : config.features.filter((f) => f !== feature);
    // At least one input: unticking the last feature is refused (the box ticks itself again).
    if (features.length === 0) {
      network.render(config);
      return;
    }
    update({ features: FEATURE_NAMES.filter((f) => features.includes(f)) });
  },
  changeNeurons(layer, delta) {
    const layers = [...config.layers];
    layers[layer] = Math.max(1, Math.min(MAX_NEURONS, layers[layer] + delta));
    update({ layers });
  },
  preview(target) {
    preview = target;
    requestDraw();
  },
  setWeight(layer, out, inp, value) {
    send({ type: 'setWeight', layer, out, in: inp, value });
  },
});

function fillSelect(select: HTMLSelectElement, values: readonly number[]): void {
  select.replaceChildren(...values.map((v) => new Option(String(v), String(v))));
}

function buildDatasetButtons(): void {
  for (const name of DATASETS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.id = `dataset-${name}`;
    button.dataset.dataset = name;
    button.className = 'dataset-button';
    // The thumbnail is drawn when the worker sends the data sets; the label is the button's name.
    const thumbnail = document.createElement('canvas');
    thumbnail.className = 'thumbnail';
    thumbnail.width = 96;
    thumbnail.height = 96;
    thumbnail.setAttribute('aria-hidden', 'true');
    const label = document.createElement('span');
    label.textContent = DATASET_LABELS[name];
    button.append(thumbnail, label);
    button.title = problemOf(name) === 'classification' ? 'Classification' : 'Regression';
    button.addEventListener('click', () => update({ dataset: name }));
    ui.datasets.append(button);
  }
}

/** Writes `config` into every control (after a load, a hash change, or an edit elsewhere). */
function syncControls(): void {
  ui.learningRate.value = String(config.learningRate);
  ui.activation.value = config.activation;
  ui.optimizer.value = config.optimizer;
  ui.regularization.value = config.regularization;
  ui.backend.value = config.backend;
  ui.regularizationRate.value = String(config.regularizationRate);
  ui.regularizationRate.disabled = config.regularization === 'none';
  const problem = problemOf(config.dataset);
  ui.problem.value = problem;
  // As in TensorFlow Playground, only the data sets of the chosen problem type are offered.
  for (const button of ui.datasets.querySelectorAll<HTMLButtonElement>('button')) {
    button.setAttribute('aria-pressed', String(button.dataset.dataset === config.dataset));
    button.hidden = problemOf(button.dataset.dataset as PlaygroundConfig['dataset']) !== problem;
  }
  ui.discretize.checked = config.discretize;
  ui.ratio.value = String(config.trainRatio);
  ui.ratioValue.textContent = `${config.trainRatio}%`;
  ui.noise.value = String(config.noise);
  ui.noiseValue.textContent = String(config.noise);
  ui.batch.value = String(config.batchSize);
  ui.batchValue.textContent = String(config.batchSize);
  ui.showTest.checked = config.showTestData;
  ui.addLayer.disabled = config.layers.length >= MAX_LAYERS;
  ui.removeLayer.disabled = config.layers.length === 0;
  ui.layerCount.textContent = `${config.layers.length} hidden layer${config.layers.length === 1 ? '' : 's'}`;
}

function writeHash(): void {
  const hash = `#${encodeConfig(config)}`;
  if (location.hash !== hash) history.replaceState(null, '', hash);
}

/** Applies a change from the controls: URL, controls, diagram, and the worker. */
function update(change: Partial<PlaygroundConfig>): void {
  const architectureChanged = (change.layers && change.layers.join() !== config.layers.join()) || (change.features && change.features.join() !== config.features.join());
  config = { ...config, ...change };
  writeHash();
  syncControls();
  if (architectureChanged) network.render(config);
  send({ type: 'configure', config });
  requestDraw();
}

function setPlaying(value: boolean): void {
  playing = value;
  // The visible text ("Play"/"Pause") is the accessible name; the state is also an attribute for tests.
  ui.play.dataset.playing = String(value);
  ui.play.querySelector('span')!.textContent = value ? 'Pause' : 'Play';
  ui.play.querySelector('.icon-play')!.toggleAttribute('hidden', value);
  ui.play.querySelector('.icon-pause')!.toggleAttribute('hidden', !value);
}

function formatLoss(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : '–';
}

function announce(force: boolean): void {
  // The live region speaks at most every 3 s while training, so a screen reader is not flooded.
  const now = performance.now();
  if (!snapshot || (!force && now - lastAnnounced < 3000)) return;
  lastAnnounced = now;
  ui.status.textContent = `Epoch ${snapshot.epoch}. Test loss ${formatLoss(snapshot.testLoss)}, training loss ${formatLoss(snapshot.trainLoss)}.`;
}

const OUTPUT_LABEL = ui.output.getAttribute('aria-label') ?? '';

/** Records which map the output canvas shows (tests read data-showing) and names it. */
function showing(what: string, label: string): void {
  if (ui.output.dataset.showing === what) return;
  ui.output.dataset.showing = what;
  ui.output.setAttribute('aria-label', label);
}

function draw(): void {
  frameRequested = false;
  const classification = problemOf(config.dataset) === 'classification';
  const canvas = ui.output;
  const ctx = canvas.getContext('2d')!;
  const d = snapshot?.neuronDensity ?? 0;
  const neuronMaps = preview?.kind === 'neuron' ? snapshot?.neurons[preview.layer] : undefined;
  if (preview?.kind === 'feature') {
    drawHeatmap(canvas, featureMap(preview.feature), FEATURE_DENSITY, 0, 0.4);
    showing(`feature-${preview.feature}`, `Feature ${FEATURES[preview.feature].spoken} over the input plane, with the data points`);
  } else if (preview?.kind === 'neuron' && neuronMaps && (preview.index + 1) * d * d <= neuronMaps.length) {
    drawHeatmap(canvas, neuronMaps, d, preview.index * d * d, 0.4);
    showing(`neuron-${preview.layer}-${preview.index}`, `What layer ${preview.layer + 1}, neuron ${preview.index + 1} computes over the input plane, with the data points`);
  } else if (snapshot) {
    if (config.discretize) drawHeatmap(canvas, discretized(snapshot.output), snapshot.outputDensity, 0, 0.4, false);
    else drawHeatmap(canvas, snapshot.output, snapshot.outputDensity, 0, 0.4);
    showing(config.discretize ? 'output-discretized' : 'output', OUTPUT_LABEL);
  } else ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (split) {
    drawPoints(canvas, split.train.points, split.train.targets, classification, false);
    if (config.showTestData) drawPoints(canvas, split.test.points, split.test.targets, classification, true);
  }
  drawAxes(canvas);
  if (snapshot) {
    ui.epoch.textContent = String(snapshot.epoch);
    ui.epoch.dataset.epoch = String(snapshot.epoch);
    ui.testLoss.textContent = formatLoss(snapshot.testLoss);
    ui.testLoss.dataset.value = String(snapshot.testLoss);
    ui.trainLoss.textContent = formatLoss(snapshot.trainLoss);
    ui.trainLoss.dataset.value = String(snapshot.trainLoss);
    const top = drawLossChart(ui.chart, snapshot.history);
    const scale = (v: number): string => String(Number(v.toPrecision(3)));
    ui.lossMax.textContent = scale(top);
    ui.lossMid.textContent = scale(top / 2);
    ui.lossEpochs.textContent = `epoch ${snapshot.epoch}`;
    ui.chart.dataset.max = String(top);
    ui.chart.setAttribute('aria-label', `Training loss (grey) and test loss (black) over ${snapshot.epoch} epochs, on a scale from 0 to ${scale(top)}`);
    network.update(snapshot);
  }
}

function drawThumbnails(sets: Extract<FromWorker, { type: 'thumbnails' }>['sets']): void {
  for (const name of DATASETS) {
    const canvas = ui.datasets.querySelector<HTMLCanvasElement>(`#dataset-${name} canvas`)!;
    const ctx = canvas.getContext('2d')!;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    drawPoints(canvas, sets[name].points, sets[name].targets, problemOf(name) === 'classification', false);
    canvas.dataset.drawn = 'true';
  }
}

function requestDraw(): void {
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(draw);
  }
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const message = event.data;
  if (message.type === 'data') {
    split = message.split;
  } else if (message.type === 'thumbnails') {
    drawThumbnails(message.sets);
  } else if (message.type === 'backend') {
    // A browser without WebAssembly SIMD or a WebGPU adapter falls back to cpu, which the select and the
    // URL then show.
    const active = showBackend(backendChoice, message);
    if (active !== message.requested && config.backend !== active) update({ backend: active });
  } else if (message.type === 'snapshot') {
    snapshot = message.snapshot;
    ui.backendStatus.dataset.device = snapshot.device;
    // What the worker is doing, as soon as it says so (tests time a pause by it).
    ui.play.dataset.workerPlaying = String(message.playing);
    ui.epoch.dataset.pointsIntoEpoch = String(snapshot.pointsIntoEpoch);
    if (playing !== message.playing && !message.playing) setPlaying(false);
    announce(!message.playing || message.fresh);
  } else {
    setPlaying(false);
    ui.error.hidden = false;
    ui.error.textContent = `Training stopped: ${message.message}`;
    console.error(`playground worker: ${message.message}`);
  }
  requestDraw();
};
worker.onerror = (event) => {
  ui.error.hidden = false;
  ui.error.textContent = `The training worker failed: ${event.message}`;
};

function wireControls(): void {
  ui.play.addEventListener('click', () => {
    setPlaying(!playing);
    ui.error.hidden = true;
    send({ type: playing ? 'play' : 'pause' });
  });
  ui.step.addEventListener('click', () => {
    setPlaying(false);
    send({ type: 'step' });
  });
  ui.reset.addEventListener('click', () => {
    setPlaying(false);
    send({ type: 'pause' });
    send({ type: 'reset' });
  });
  ui.regenerate.addEventListener('click', () => update({ seed: (config.seed + 1) % 2 ** 31 }));
  ui.learningRate.addEventListener('change', () => update({ learningRate: Number(ui.learningRate.value) }));
  ui.activation.addEventListener('change', () => update({ activation: ui.activation.value as PlaygroundConfig['activation'] }));
  ui.optimizer.addEventListener('change', () => update({ optimizer: ui.optimizer.value as PlaygroundConfig['optimizer'] }));
  ui.regularization.addEventListener('change', () => update({ regularization: ui.regularization.value as PlaygroundConfig['regularization'] }));
  ui.backend.addEventListener('change', () => update({ backend: ui.backend.value as PlaygroundConfig['backend'] }));
  ui.regularizationRate.addEventListener('change', () => update({ regularizationRate: Number(ui.regularizationRate.value) }));
  // Sliders show their value while dragging and apply it on release (or on each key press).
  for (const [input, output, key] of [
    [ui.ratio, ui.ratioValue, 'trainRatio'],
    [ui.noise, ui.noiseValue, 'noise'],
    [ui.batch, ui.batchValue, 'batchSize'],
  ] as const) {
    input.addEventListener('input', () => (output.textContent = key === 'trainRatio' ? `${input.value}%` : input.value));
    input.addEventListener('change', () => update({ [key]: Number(input.value) }));
  }
  ui.showTest.addEventListener('change', () => update({ showTestData: ui.showTest.checked }));
  ui.discretize.addEventListener('change', () => update({ discretize: ui.discretize.checked }));
  // Switching the problem type picks its first data set, unless the current one is already of that type.
  ui.problem.addEventListener('change', () => {
    const problem = ui.problem.value as ProblemName;
    if (problemOf(config.dataset) !== problem) update({ dataset: datasetsOf(problem)[0] });
  });
  ui.addLayer.addEventListener('click', () => {
    if (config.layers.length < MAX_LAYERS) update({ layers: [...config.layers, 2] });
  });
  ui.removeLayer.addEventListener('click', () => update({ layers: config.layers.slice(0, -1) }));
  window.addEventListener('hashchange', () => {
    const next = decodeConfig(location.hash);
    if (encodeConfig(next) === encodeConfig(config)) return;
    const architectureChanged = next.layers.join() !== config.layers.join() || next.features.join() !== config.features.join();
    config = next;
    syncControls();
    if (architectureChanged) network.render(config);
    send({ type: 'configure', config });
  });
  // Space toggles play anywhere outside a form control, as TensorFlow Playground does not but a video player does.
  document.addEventListener('keydown', (event) => {
    const target = event.target as HTMLElement;
    if (event.key === ' ' && !target.closest('button, input, select, textarea, a')) {
      event.preventDefault();
      ui.play.click();
    }
  });
}

fillSelect(ui.learningRate, LEARNING_RATES);
fillSelect(ui.regularizationRate, REGULARIZATION_RATES);
buildDatasetButtons();
wireControls();
writeHash();
syncControls();
setPlaying(false);
network.render(config);
// webgpu is offered where navigator.gpu gives an adapter; the worker is asked only once that is known,
// so a link with backend=webgpu opens on cpu, saying why, where there is none.
void offerWebGpu(backendChoice).then((webgpu) => {
  if (!webgpu && config.backend === 'webgpu') {
    config = { ...config, backend: 'cpu' };
    writeHash();
    syncControls();
  }
  send({ type: 'configure', config });
});
