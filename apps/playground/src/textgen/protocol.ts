// Messages between the text page and its training worker.
export type ToTextWorker =
  | { type: 'start'; text: string; seed: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'sample'; id: number; prompt: string; length: number; temperature: number; seed: number };

export type FromTextWorker =
  | { type: 'ready'; vocabulary: string; characters: number }
  | { type: 'progress'; steps: number; loss: number }
  | { type: 'sample'; id: number; text: string }
  | { type: 'error'; message: string };
