import type { AnyModule } from '@backprop/layers';
import type { GeneratorState, Tensor } from '@backprop/tensor';
import { readFileBytes, writeFileAtomic } from './atomic-write.js';
import { ModelFileError } from './errors.js';
import { decodeModelFile, encodeModelFile } from './model-file.js';

/**
 * What a checkpoint holds besides the model: everything `fit` of `@backprop/train` needs to resume exactly
 * (its `TrainingState` is one).
 */
export interface CheckpointState {
  /** The next epoch to run. */
  epoch: number;
  globalStep: number;
  /** Weights to store (the model's own `stateDict()` when omitted). */
  modelState?: Map<string, Tensor>;
  /** `optimizer.stateDict()`: plain JSON data. */
  optimizerState: unknown;
  rngState: GeneratorState;
  history: Record<string, number>[];
  callbackState: Record<string, unknown>;
}

export interface LoadedCheckpoint {
  model: AnyModule;
  state: CheckpointState & { modelState: Map<string, Tensor> };
  metadata: Record<string, unknown>;
}

/**
 * Saves a training checkpoint atomically: a kill at any moment leaves the previous checkpoint readable.
 *
 * @example
 * new ModelCheckpoint({ save: (state) => saveCheckpoint('run.ckpt', model, state) });
 */
export async function saveCheckpoint(
  path: string,
  model: AnyModule,
  state: CheckpointState,
  options: { metadata?: Record<string, unknown> } = {},
): Promise<void> {
  const { modelState, ...training } = state;
  const extra: Record<string, string> = { training: JSON.stringify(training) };
  if (options.metadata) extra.user = JSON.stringify(options.metadata);
  await writeFileAtomic(path, encodeModelFile(model, 'checkpoint', extra, modelState));
}

/** Loads a checkpoint: the rebuilt model (with the saved weights) and the training state to resume from. */
export async function loadCheckpoint(path: string): Promise<LoadedCheckpoint> {
  const { model, metadata, raw, tensors } = decodeModelFile(await readFileBytes(path), { source: path, expectKind: 'checkpoint' });
  let training: Omit<CheckpointState, 'modelState'>;
  try {
    training = JSON.parse(raw.training);
  } catch {
    throw new ModelFileError('the checkpoint has no readable training state', path);
  }
  for (const field of ['epoch', 'globalStep'] as const) {
    if (!Number.isInteger(training[field]) || training[field] < 0) {
      throw new ModelFileError(`training state field '${field}' must be a non-negative integer, got ${JSON.stringify(training[field])}`, path);
    }
  }
  // JSON turns NaN metrics into null; give them back as NaN.
  const history = (training.history ?? []).map((logs) =>
    Object.fromEntries(Object.entries(logs).map(([k, v]) => [k, v === null ? NaN : v])),
  );
  return { model, state: { ...training, history, modelState: tensors }, metadata };
}
