import type { AnyModule } from '@backprop/layers';
import type { GeneratorState, Tensor } from '@backprop/tensor';
import { readFileBytes, writeFileAtomic } from './atomic-write.js';
import { ModelFileError } from './errors.js';
import { decodeModelFile, encodeModelFile, parseJsonField } from './model-file.js';

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
  /** States of the generators the model's modules draw from (Dropout's masks), by module name. */
  moduleRngStates?: Record<string, GeneratorState>;
  /** States of the generators of what training reads besides the model (a shuffling loader), by role. */
  sourceRngStates?: Record<string, GeneratorState>;
  /** State of the default generator. */
  defaultRngState?: GeneratorState;
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
  const training = readTrainingState(raw.training, path);
  return { model, state: { ...training, modelState: tensors }, metadata };
}

type Check = (value: unknown) => string | undefined;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const count: Check = (v) => (Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : 'a non-negative integer');
const object: Check = (v) => (isObject(v) ? undefined : 'a JSON object');
const generatorState: Check = (v) =>
  isObject(v) &&
  Array.isArray(v.s) &&
  v.s.length === 4 &&
  v.s.every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32) &&
  (v.spareNormal === null || (typeof v.spareNormal === 'number' && Number.isFinite(v.spareNormal)))
    ? undefined
    : 'a generator state { s: [4 unsigned 32-bit integers], spareNormal: number | null }';
const generatorStates: Check = (v) =>
  isObject(v) && Object.values(v).every((s) => generatorState(s) === undefined) ? undefined : 'an object of generator states by name';
// JSON turns NaN metrics into null; they come back as NaN.
const history: Check = (v) =>
  Array.isArray(v) && v.every((logs) => isObject(logs) && Object.values(logs).every((x) => x === null || typeof x === 'number'))
    ? undefined
    : 'an array of per-epoch logs, objects of numbers';

/** The fields of `training`, required or optional, with what each must be. */
const TRAINING_FIELDS: [string, Check, 'required' | 'optional'][] = [
  ['epoch', count, 'required'],
  ['globalStep', count, 'required'],
  ['optimizerState', object, 'required'],
  ['rngState', generatorState, 'required'],
  ['moduleRngStates', generatorStates, 'optional'],
  ['sourceRngStates', generatorStates, 'optional'],
  ['defaultRngState', generatorState, 'optional'],
  ['history', history, 'required'],
  ['callbackState', object, 'required'],
];

const show = (v: unknown): string => {
  const text = v === undefined ? 'nothing' : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
};

/**
 * Parses and checks the `training` metadata of a checkpoint field by field: a hand-edited or hostile file
 * gets an error naming the field, what it holds and what it must be, never a TypeError from deep inside
 * training. Fields this version does not know are kept as they are.
 */
function readTrainingState(text: string | undefined, path: string): Omit<CheckpointState, 'modelState'> {
  if (text === undefined) throw new ModelFileError("the checkpoint has no 'training' metadata field (the training state)", path);
  const training = parseJsonField({ training: text }, 'training', path);
  if (!isObject(training)) throw new ModelFileError(`metadata field 'training' must be a JSON object (the training state), got ${show(training)}`, path);
  for (const [field, check, presence] of TRAINING_FIELDS) {
    if (training[field] === undefined && presence === 'optional') continue;
    const expected = check(training[field]);
    if (expected) throw new ModelFileError(`training state field '${field}' must be ${expected}, got ${show(training[field])}`, path);
  }
  const logs = (training.history as Record<string, number | null>[]).map((epoch) =>
    Object.fromEntries(Object.entries(epoch).map(([k, v]) => [k, v === null ? NaN : v])),
  );
  return { ...(training as unknown as Omit<CheckpointState, 'modelState'>), history: logs };
}
