// The text page's worker: trains the character model in slices of ~50 ms while playing (so pause and
// sample requests get through between slices) and answers sample requests from the current weights.
import type { WorkerScope } from '../playground/protocol.js';
import { CharModel } from './model.js';
import type { FromTextWorker, ToTextWorker } from './protocol.js';

const scope = self as unknown as WorkerScope;
let model: CharModel | null = null;
let playing = false;
let scheduled = false;

const post = (message: FromTextWorker): void => scope.postMessage(message);

function slice(): void {
  scheduled = false;
  if (!model || !playing) return;
  const end = performance.now() + 50;
  let loss = NaN;
  do loss = model.trainStep();
  while (performance.now() < end);
  post({ type: 'progress', steps: model.steps, loss });
  schedule();
}

function schedule(): void {
  if (scheduled || !playing) return;
  scheduled = true;
  setTimeout(slice, 0);
}

scope.onmessage = (event: MessageEvent) => {
  const message = event.data as ToTextWorker;
  try {
    if (message.type === 'start') {
      model = new CharModel(message.text, { seed: message.seed });
      post({ type: 'ready', vocabulary: model.vocabulary, characters: message.text.length });
      playing = true;
      schedule();
    } else if (message.type === 'pause') {
      playing = false;
    } else if (message.type === 'resume') {
      playing = true;
      schedule();
    } else if (message.type === 'sample' && model) {
      post({ type: 'sample', id: message.id, text: model.sample(message.prompt, message.length, message.temperature, message.seed) });
    }
  } catch (error) {
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
};
