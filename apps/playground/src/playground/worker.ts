// The playground's training worker: trains while playing, in slices of a few milliseconds so that pause and
// configuration messages get through (also within a long epoch), and posts a snapshot every 50 ms or so.
// Values are read asynchronously (a GPU cannot be read synchronously), so the same code runs on cpu, wasm
// and webgpu.
import { activateBackend } from './backend.js';
import type { FromWorker, ToWorker, WorkerScope } from './protocol.js';
import { DATASETS, type BackendName, type DatasetName } from './state.js';
import { Trainer, makeData, type PointSet } from './trainer.js';

const scope = self as unknown as WorkerScope;
let trainer: Trainer | null = null;
let playing = false;
let scheduled = false;
let backend: BackendName = 'cpu';
// Messages and training slices are handled one at a time, in order: switching to wasm awaits its
// compilation, a 'play' sent right after that 'configure' must not start before it, and a slice that
// waits for the GPU must not see the network change under it.
let queue: Promise<void> = Promise.resolve();

function enqueue(task: () => Promise<void>): void {
  queue = queue.then(task).catch((error: unknown) => {
    playing = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  });
}

/**
 * Training runs in slices of at most SLICE_MS (batch by batch, so also within one epoch of a large
 * network), yielding to the event loop between slices, so a pause or a new configuration waits at most
 * about one frame; a snapshot goes out every SNAPSHOT_MS of training, or after as long as the last one
 * took when that was longer (on SwiftShader, a GPU on the CPU, a snapshot takes over 100 ms), so that
 * training keeps at least half the time.
 */
const SLICE_MS = 8;
const SNAPSHOT_MS = 50;
let sinceSnapshot = 0;
let snapshotMs = 0;

function post(message: FromWorker): void {
  scope.postMessage(message);
}

async function sendSnapshot(fresh: boolean): Promise<void> {
  sinceSnapshot = 0;
  if (!trainer) return;
  const start = performance.now();
  const snapshot = await trainer.snapshot();
  snapshotMs = performance.now() - start;
  post({ type: 'snapshot', snapshot, playing, fresh });
}

async function slice(): Promise<void> {
  scheduled = false;
  if (!playing || !trainer) return;
  const start = performance.now();
  try {
    do trainer.trainBatch();
    while (performance.now() - start < SLICE_MS);
    // On a GPU the batches are only queued: waiting for them keeps the queue one slice deep, so a pause
    // takes effect after about a slice there too.
    await trainer.settle();
  } catch (error) {
    playing = false;
    post({ type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
  sinceSnapshot += performance.now() - start;
  if (sinceSnapshot >= Math.max(SNAPSHOT_MS, snapshotMs) || !playing) await sendSnapshot(false);
  schedule();
}

function schedule(): void {
  if (playing && !scheduled) {
    scheduled = true;
    setTimeout(() => enqueue(slice), 0);
  }
}

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'configure': {
      if (message.config.backend !== backend || !trainer) {
        const status = await activateBackend(message.config.backend);
        backend = message.config.backend;
        // Leaving webgpu: the weights and the optimizer's state come back from the GPU.
        await trainer?.adoptBackend();
        post({ type: 'backend', requested: message.config.backend, ...status });
      }
      if (!trainer) {
        trainer = new Trainer(message.config);
        post({ type: 'data', split: trainer.split });
        await sendSnapshot(true);
        const sets = {} as Record<DatasetName, PointSet>;
        for (const dataset of DATASETS) sets[dataset] = makeData({ ...message.config, dataset, noise: 0, seed: 1, trainRatio: 50 }).train;
        post({ type: 'thumbnails', sets });
        // A 'play' that came before the first configuration starts now.
        schedule();
        return;
      }
      const kind = trainer.configure(message.config);
      if (kind === 'data') post({ type: 'data', split: trainer.split });
      await sendSnapshot(kind === 'data' || kind === 'network');
      return;
    }
    case 'play':
      playing = true;
      schedule();
      await sendSnapshot(false);
      return;
    case 'pause':
      playing = false;
      await sendSnapshot(false);
      return;
    case 'step':
      playing = false;
      trainer?.trainEpoch();
      await sendSnapshot(false);
      return;
    case 'reset':
      trainer?.reset();
      await sendSnapshot(true);
      return;
    case 'setWeight':
      await trainer?.setWeight(message.layer, message.out, message.in, message.value);
      await sendSnapshot(false);
      return;
  }
}

scope.onmessage = (event: MessageEvent) => enqueue(() => handle(event.data as ToWorker));
