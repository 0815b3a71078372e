// Messages between the text page and its training worker.
import type { BackendReport } from '../common/backend-choice.js';
import type { BackendName } from '../playground/state.js';

export type ToTextWorker =
  | { type: 'start'; text: string; seed: number; backend: BackendName }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'sample'; id: number; prompt: string; length: number; temperature: number; seed: number };

export type FromTextWorker =
  | ({ type: 'backend' } & BackendReport)
  | { type: 'ready'; vocabulary: string; characters: number }
  | { type: 'progress'; steps: number; loss: number }
  | { type: 'sample'; id: number; text: string }
  | { type: 'error'; message: string };
