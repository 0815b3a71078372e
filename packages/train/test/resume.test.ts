import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Generator, manualSeed } from '@backprop/tensor';
import { Dropout, Linear, ReLU, Sequential } from '@backprop/layers';
import { Adam } from '@backprop/optim';
import { DataLoader, GaussianNoise, RandomSampler, TensorDataset, spiral } from '@backprop/datasets';
import { loadCheckpoint, saveCheckpoint } from '@backprop/io';
import { EarlyStopping, ModelCheckpoint, fit, type TrainingContext, type TrainingState } from '../src/index.js';
import { weightsOf } from './helpers.js';

const { x, y } = spiral(120, { noise: 0.1, seed: 4 });

/**
 * A model whose masks come from two places: a Dropout drawing from the generator the weights were built
 * with (as the CLI and layerFromConfig build them), and one without a generator (the default generator).
 */
function setup() {
  const generator = new Generator(11);
  const model = new Sequential(
    new Linear(2, 16, { generator }), new ReLU(), new Dropout(0.3, { generator }),
    new Linear(16, 16, { generator }), new ReLU(), new Dropout(0.2),
    new Linear(16, 2, { generator }),
  );
  return { model, optimizer: new Adam(model.parameters(), { lr: 0.01 }) };
}

const options = (s: ReturnType<typeof setup>, epochs: number) => ({
  loss: 'crossEntropy', optimizer: s.optimizer, data: { x, y }, epochs, batchSize: 16, seed: 5, validation: 0.2,
});

/** Trains 2 epochs, checkpoints to a file, and resumes from the file in a freshly built model to 5 epochs. */
async function resumeThroughFile(edit: (state: TrainingState) => TrainingState = (s) => s): Promise<number[][]> {
  const path = join(mkdtempSync(join(tmpdir(), 'backprop-train-')), 'run.ckpt');
  manualSeed(0);
  const first = setup();
  const save = (state: TrainingState) => saveCheckpoint(path, first.model, state);
  await fit(first.model, { ...options(first, 2), callbacks: [new ModelCheckpoint({ save })] });
  // Whatever ran in between draws from the default generator; the checkpoint must not depend on it.
  manualSeed(123);
  const resumed = setup();
  const { state } = await loadCheckpoint(path);
  await fit(resumed.model, { ...options(resumed, 5), initialState: edit(state as TrainingState) });
  return weightsOf(resumed.model);
}

describe('exact resumption', () => {
  it('a run with Dropout resumed from a checkpoint file ends with bit-identical weights', async () => {
    manualSeed(0);
    const straight = setup();
    await fit(straight.model, options(straight, 5));
    expect(await resumeThroughFile()).toEqual(weightsOf(straight.model));

    // The dropout generators are what makes it exact: a checkpoint without their states resumes differently.
    const withoutMasks = await resumeThroughFile(({ moduleRngStates: _m, defaultRngState: _d, ...rest }) => rest);
    expect(withoutMasks).not.toEqual(weightsOf(straight.model));
  });

  it('a shuffling DataLoader, its sampler and a noise transform resume exactly too', async () => {
    const dataset = new TensorDataset(x, y);
    const runWith = async (epochs: number, initialState?: TrainingState) => {
      const s = setup();
      let saved: TrainingState | undefined;
      const data = new DataLoader(dataset, { batchSize: 16, shuffle: true, seed: 8 });
      const validation = new DataLoader(dataset, { batchSize: 32, sampler: new RandomSampler(60, { seed: 9 }) });
      await fit(s.model, {
        loss: 'crossEntropy', optimizer: s.optimizer, data, validation, epochs, transform: new GaussianNoise(0.05, { seed: 10 }),
        initialState, callbacks: [new ModelCheckpoint({ save: (state) => void (saved = JSON.parse(JSON.stringify({ ...state, modelState: undefined }))), everyEpochs: 2 })],
      });
      return { weights: weightsOf(s.model), saved: saved && { ...saved, modelState: new Map(s.model.stateDict()) } };
    };
    manualSeed(0);
    const straight = await runWith(4);
    manualSeed(0);
    const first = await runWith(2);
    expect(Object.keys(first.saved!.sourceRngStates!).sort()).toEqual(['data', 'transform', 'validation.sampler']);
    manualSeed(5);
    expect((await runWith(4, first.saved)).weights).toEqual(straight.weights);
  });

  it('saves the state of module generators by name and of the default generator', async () => {
    manualSeed(0);
    const s = setup();
    let saved: TrainingState | undefined;
    await fit(s.model, { ...options(s, 1), callbacks: [new ModelCheckpoint({ save: (state) => void (saved = state) })] });
    expect(Object.keys(saved!.moduleRngStates!).sort()).toEqual(['2']);
    expect(saved!.moduleRngStates!['2']).toEqual((s.model.modules()[3] as Dropout).generator!.getState());
    expect(saved!.defaultRngState).toBeDefined();
  });

  it("early stopping's best weights survive a checkpoint, so a resumed run restores them when it stops", () => {
    const model = new Sequential(new Linear(2, 2, { generator: new Generator(1) }));
    const best = weightsOf(model);
    const ctx = (epoch: number) => ({ model, epoch, stopTraining: false }) as unknown as TrainingContext;
    const before = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    before.onEpochEnd(ctx(0), { loss: 1 });
    const state = JSON.parse(JSON.stringify(before.getState()));

    model.loadStateDict(new Map([...model.stateDict()].map(([k, t]) => [k, t.mul(3)])));
    const after = new EarlyStopping({ monitor: 'loss', patience: 1, restoreBestWeights: true });
    after.setState(state);
    after.onEpochEnd(ctx(1), { loss: 2 });
    const stop = ctx(2);
    after.onEpochEnd(stop, { loss: 2 });
    expect(stop.stopTraining).toBe(true);
    expect(weightsOf(model)).toEqual(best);
  });
});
