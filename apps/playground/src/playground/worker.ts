// The playground's training worker: trains while playing, in slices of a few milliseconds so that pause and
// configuration messages get through (also within a long epoch), and posts a snapshot every 50 ms or so.
import { activateBackend } from './backend.js';
import type { FromWorker, ToWorker, WorkerScope } from './protocol.js';
import { DATASETS, type BackendName, type DatasetName } from './state.js';
import { Trainer, makeData, type PointSet } from './trainer.js';

const scope = self as unknown as WorkerScope;
let trainer: Trainer | null = null;
let playing = false;
let scheduled = false;
let backend: BackendName = 'cpu';
// Messages are handled one at a time, in order: switching to wasm awaits its compilation, and a 'play'
// sent right after that 'configure' must not start before it.
let queue: Promise<void> = Promise.resolve();

/**
 * Training runs in slices of at most SLICE_MS (batch by batch, so also within one epoch of a large
 * network), yielding to the event loop between slices, so a pause or a new configuration waits at most
 * about one frame; a snapshot goes out every SNAPSHOT_MS of training.
 */
const SLICE_MS = 8;
const SNAPSHOT_MS = 50;
let sinceSnapshot = 0;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

function sendSnapshot(fresh: boolean): void {
  sinceSnapshot = 0;
  if (trainer) post({ type: 'snapshot', snapshot: trainer.snapshot(), playing, fresh });
}

function loop(): void {
  scheduled = false;
  if (!playing || !trainer) return;
  const start = performance.now();
  try {
    do trainer.trainBatch();
    while (performance.now() - start < SLICE_MS);
  } catch (error) {
    playing = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  sinceSnapshot += performance.now() - start;
  if (sinceSnapshot >= SNAPSHOT_MS || !playing) sendSnapshot(false);
  schedule();
}

function schedule(): void {
  if (playing && !scheduled) {
    scheduled = true;
    setTimeout(loop, 0);
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'configure': {
      if (message.config.backend !== backend || !trainer) {
        const { active, threads, reason } = await activateBackend(message.config.backend);
        backend = message.config.backend;
        post({ type: 'backend', requested: message.config.backend, active, threads, reason });
      }
      if (!trainer) {
        trainer = new Trainer(message.config);
        post({ type: 'data', split: trainer.split });
        sendSnapshot(true);
        const sets = {} as Record<DatasetName, PointSet>;
        for (const dataset of DATASETS) sets[dataset] = makeData({ ...message.config, dataset, noise: 0, seed: 1, trainRatio: 50 }).train;
        post({ type: 'thumbnails', sets });
        return;
      }
      const kind = trainer.configure(message.config);
      if (kind === 'data') post({ type: 'data', split: trainer.split });
      sendSnapshot(kind === 'data' || kind === 'network');
      return;
    }
    case 'play':
      playing = true;
      schedule();
      sendSnapshot(false);
      return;
    case 'pause':
      playing = false;
      sendSnapshot(false);
      return;
    case 'step':
      playing = false;
      trainer?.trainEpoch();
      sendSnapshot(false);
      return;
    case 'reset':
      trainer?.reset();
      sendSnapshot(true);
      return;
    case 'setWeight':
      trainer?.setWeight(message.layer, message.out, message.in, message.value);
      sendSnapshot(false);
      return;
  }
}

scope.onmessage = (event: MessageEvent) => {
  queue = queue
    .then(() => handle(event.data as ToWorker))
    .catch((error: unknown) => post({ type: 'error', message: error instanceof Error ? error.message : String(error) }));
};
