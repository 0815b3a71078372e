// The text page's worker: trains the character model in slices of ~50 ms while playing (so pause and
// sample requests get through between slices) and answers sample requests from the current weights, on
// the backend the page asks for (values are read asynchronously, so cpu, wasm and webgpu run one code).
import { activateBackend } from '../playground/backend.js';
import type { WorkerScope } from '../playground/protocol.js';
import type { BackendName } from '../playground/state.js';
import { CharModel } from './model.js';
import type { FromTextWorker, ToTextWorker } from './protocol.js';

const scope = self as unknown as WorkerScope;
let model: CharModel | null = null;
let backend: BackendName | null = null;
let playing = false;
let scheduled = false;
/** Bumped by every start, so a slice of the run it replaced stops instead of training the new model. */
let run = 0;

const post = (message: FromTextWorker): void => scope.postMessage(message);
const fail = (error: unknown): void => post({ type: 'error', message: error instanceof Error ? error.message : String(error) });

async function slice(): Promise<void> {
  scheduled = false;
  const current = model;
  const mine = run;
  if (!current || !playing) return;
  const end = performance.now() + 50;
  let loss = NaN;
  do loss = await current.trainStep();
  while (performance.now() < end && mine === run);
  if (mine !== run) return;
  post({ type: 'progress', steps: current.steps, loss });
  schedule();
}

function schedule(): void {
  if (scheduled || !playing) return;
  scheduled = true;
  setTimeout(() => void slice().catch(fail), 0);
}

async function start(text: string, seed: number, requested: BackendName): Promise<void> {
  const mine = ++run;
  playing = false;
  model = null;
  if (requested !== backend) {
    const status = await activateBackend(requested);
    backend = requested;
    post({ type: 'backend', requested, ...status });
  }
  if (mine !== run) return;
  model = new CharModel(text, { seed });
  post({ type: 'ready', vocabulary: model.vocabulary, characters: text.length });
  playing = true;
  schedule();
}

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as ToTextWorker;
  try {
    if (message.type === 'start') {
      start(message.text, message.seed, message.backend).catch(fail);
    } else if (message.type === 'pause') {
      playing = false;
    } else if (message.type === 'resume') {
      playing = true;
      schedule();
    } else if (message.type === 'sample' && model) {
      const { id } = message;
      model.sample(message.prompt, message.length, message.temperature, message.seed).then((text) => post({ type: 'sample', id, text }), fail);
    }
  } catch (error) {
    fail(error);
  }
};
