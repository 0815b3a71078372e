// Messages between the playground page and its training worker. The page owns the configuration and
// sends it whole; the worker owns the network and answers with data and snapshots.
import type { BackendReport } from '../common/backend-choice.js';
import type { DatasetName, PlaygroundConfig } from './state.js';
import type { DataSplit, PointSet, Snapshot } from './trainer.js';

export type ToWorker =
  | { type: 'configure'; config: PlaygroundConfig }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step' }
  | { type: 'reset' }
  /** Sets dense layer `layer`'s weight [out, in] (edited on the diagram). */
  | { type: 'setWeight'; layer: number; out: number; in: number; value: number };

export type FromWorker =
  /** New points (after a change of data set, noise, ratio or seed). */
  | { type: 'data'; split: DataSplit }
  /** Every data set drawn once without noise, for the thumbnails on the data set buttons (sent once). */
  | { type: 'thumbnails'; sets: Record<DatasetName, PointSet> }
  /** The network's state; `fresh` after a re-initialization (the loss chart starts over). */
  | { type: 'snapshot'; snapshot: Snapshot; playing: boolean; fresh: boolean }
  /**
   * The backend the worker now runs on, after a configuration asked for `requested`: its thread count, the
   * WebGPU adapter's name on webgpu, and why it is not `requested` when it is not.
   */
  | ({ type: 'backend' } & BackendReport)
  | { type: 'error'; message: string };

/** The part of a worker's global scope the workers use (the DOM lib does not describe workers). */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent) => void) | null;
}
