import { describe, expect, it } from 'vitest';
import { Trainer, makeData } from '../src/playground/trainer.js';
import { decodeConfig, defaultConfig } from '../src/playground/state.js';
import { gridPoints } from '../src/playground/features.js';

describe('Trainer', () => {
  it('learns XOR: the test loss falls below 0.1', async () => {
    const trainer = new Trainer(decodeConfig('dataset=xor&layers=8,4&activation=tanh&optimizer=adam&lr=0.03&batch=10'));
    await trainer.settle();
    while (trainer.testLoss >= 0.1 && trainer.epoch < 300) {
      trainer.trainEpoch();
      await trainer.settle();
    }
    expect(trainer.testLoss).toBeLessThan(0.1);
  });

  it('reads the losses at settle(), recording one history pair per epoch', async () => {
    const trainer = new Trainer(defaultConfig());
    // Nothing is read until asked: on a GPU the losses are still being computed.
    expect(trainer.trainLoss).toBeNaN();
    trainer.trainEpoch();
    trainer.trainEpoch();
    const s = await trainer.snapshot(2, 2);
    expect(s.epoch).toBe(2);
    expect(s.history).toHaveLength(6);
    expect(s.trainLoss).toBe(s.history[4]);
    expect(s.testLoss).toBe(s.history[5]);
    expect(s.history[4]).toBeLessThan(s.history[0]);
  });

  it('splits the data by the training ratio', () => {
    const { train, test } = makeData({ ...defaultConfig(), trainRatio: 30 });
    expect(train.targets.length).toBe(150);
    expect(test.targets.length).toBe(350);
    expect(train.points.length).toBe(300);
  });

  it('snapshots neurons, weights and the output over the grid', async () => {
    const trainer = new Trainer(defaultConfig());
    const s = await trainer.snapshot(10, 5);
    expect(s.output.length).toBe(100);
    expect(s.neurons.map((n) => n.length)).toEqual([4 * 25, 2 * 25]);
    expect(s.layers.map((l) => [l.inputs, l.outputs])).toEqual([[2, 4], [4, 2], [2, 1]]);
    // Classification maps 2·sigmoid − 1, within −1..1; neuron maps are neuron-major (tanh, also within −1..1).
    expect(s.output.every((v) => v > -1 && v < 1)).toBe(true);
    // Neuron j's map at grid point p is tanh(w_j · (x1, x2)_p + b_j), stored at j · points + p.
    const small = await trainer.snapshot(3, 3);
    const grid = gridPoints(3);
    const { weight, bias } = small.layers[0];
    for (let j = 0; j < 4; j++) {
      for (let p = 0; p < 9; p++) {
        const pre = weight[2 * j] * grid[2 * p] + weight[2 * j + 1] * grid[2 * p + 1] + bias[j];
        expect(small.neurons[0][j * 9 + p]).toBeCloseTo(Math.tanh(pre), 5);
      }
    }
  });

  it('sets one weight, which the next losses and snapshot use, and names a bad position', async () => {
    const trainer = new Trainer(defaultConfig());
    await trainer.settle();
    const before = trainer.trainLoss;
    await trainer.setWeight(1, 1, 3, 2.5);
    const s = await trainer.snapshot(4, 2);
    expect(s.layers[1].weight[1 * 4 + 3]).toBe(2.5);
    expect(trainer.trainLoss).not.toBe(before);
    // Setting a weight is not an epoch: the history keeps its one pair.
    expect(s.history).toHaveLength(2);
    await expect(trainer.setWeight(1, 2, 0, 1)).rejects.toThrow(/setWeight: no weight \[2, 0\] = 1 in dense layer 1/);
    await expect(trainer.setWeight(0, 0, 0, NaN)).rejects.toThrow(/finite value/);
  });

  it('trains batch by batch: an epoch ends after its last batch, the same as a whole epoch at once', async () => {
    const config = decodeConfig('dataset=circle&batch=10&ratio=50');
    const whole = new Trainer(config);
    const sliced = new Trainer(config);
    whole.trainEpoch();
    for (let i = 0; i < 24; i++) expect(sliced.trainBatch()).toBe(false);
    expect(sliced.epoch).toBe(0);
    expect(sliced.pointsIntoEpoch).toBe(240);
    expect((await sliced.snapshot(2, 2)).pointsIntoEpoch).toBe(240);
    expect(sliced.trainBatch()).toBe(true);
    expect(sliced.epoch).toBe(1);
    expect(sliced.pointsIntoEpoch).toBe(0);
    await Promise.all([sliced.settle(), whole.settle()]);
    expect(sliced.trainLoss).toBe(whole.trainLoss);
    // A step in the middle of an epoch finishes that epoch.
    sliced.trainBatch();
    sliced.trainEpoch();
    whole.trainEpoch();
    expect(sliced.epoch).toBe(2);
    await Promise.all([sliced.settle(), whole.settle()]);
    expect(sliced.trainLoss).toBe(whole.trainLoss);
  });
});
