import { Generator, getDefaultGenerator, type GeneratorState } from '@backprop/tensor';
import type { TrainableModel } from './types.js';

/** The generator an object draws from, when it keeps one in a `generator` property (Dropout, DataLoader, GaussianNoise). */
function generatorOf(value: unknown): Generator | null {
  const generator = value !== null && typeof value === 'object' ? (value as { generator?: unknown }).generator : undefined;
  return generator instanceof Generator ? generator : null;
}

/** Where a data source keeps further generators: a DataLoader's sampler, a BatchSampler's sampler. */
const NESTED = ['sampler', 'batchSampler'] as const;

/**
 * The generators of a data source or transform, by path from `role`: `data` (a shuffling DataLoader),
 * `data.sampler` (its RandomSampler), `data.batchSampler.sampler`, `transform` (GaussianNoise).
 */
function sourceGenerators(role: string, value: unknown, depth = 0): [string, Generator][] {
  if (value === null || typeof value !== 'object' || depth > 2) return [];
  const own = generatorOf(value);
  const found: [string, Generator][] = own ? [[role, own]] : [];
  for (const key of NESTED) found.push(...sourceGenerators(`${role}.${key}`, (value as Record<string, unknown>)[key], depth + 1));
  return found;
}

/**
 * The generators a model draws from while it trains: those of its submodules (`Dropout`, recurrent layers
 * with dropout), by module name. Several modules may share one generator (a model built from one seeded
 * generator does); each name is listed, so restoring every name restores the shared one too, whichever
 * way the resumed model shares them.
 */
function moduleGenerators(model: TrainableModel): [string, Generator][] {
  if (typeof model.namedModules !== 'function') return [];
  const found: [string, Generator][] = [];
  for (const [name, module] of model.namedModules()) {
    const generator = generatorOf(module);
    if (generator) found.push([name, generator]);
  }
  return found;
}

/** Random state that training consumes besides `fit`'s own data-order generator. */
export interface RandomState {
  /** Generators of the model's modules (dropout masks), by module name. */
  moduleRngStates: Record<string, GeneratorState>;
  /** Generators of the other things training reads (a shuffling data loader and its sampler, a noise transform), by path. */
  sourceRngStates: Record<string, GeneratorState>;
  /** The default generator, which modules and transforms built without a generator draw from. */
  defaultRngState: GeneratorState;
}

/**
 * Reads the random state of `model`, of `sources` (by role: `data`, `validation`, `transform`; those
 * without a generator are skipped) and of the default generator, as plain data.
 */
export function captureRandomState(model: TrainableModel, sources: Record<string, unknown> = {}): RandomState {
  const sourceRngStates: Record<string, GeneratorState> = {};
  for (const [role, source] of Object.entries(sources)) {
    for (const [path, generator] of sourceGenerators(role, source)) sourceRngStates[path] = generator.getState();
  }
  return {
    moduleRngStates: Object.fromEntries(moduleGenerators(model).map(([name, g]) => [name, g.getState()])),
    sourceRngStates,
    defaultRngState: getDefaultGenerator().getState(),
  };
}

/** Puts back what `captureRandomState` read; a checkpoint from before these fields existed restores nothing. */
export function restoreRandomState(model: TrainableModel, state: Partial<RandomState>, sources: Record<string, unknown> = {}): void {
  if (state.moduleRngStates) {
    for (const [name, g] of moduleGenerators(model)) {
      const saved = state.moduleRngStates[name];
      if (saved) g.setState(saved);
    }
  }
  for (const [role, source] of Object.entries(sources)) {
    for (const [path, generator] of sourceGenerators(role, source)) {
      const saved = state.sourceRngStates?.[path];
      if (saved) generator.setState(saved);
    }
  }
  if (state.defaultRngState) getDefaultGenerator().setState(state.defaultRngState);
}
