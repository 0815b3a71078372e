import { describe, expect, it } from 'vitest';
import { Trainer, makeData } from '../src/playground/trainer.js';
import { decodeConfig, defaultConfig } from '../src/playground/state.js';

describe('Trainer', () => {
  it('learns XOR: the test loss falls below 0.1', () => {
    const trainer = new Trainer(decodeConfig('dataset=xor&layers=8,4&activation=tanh&optimizer=adam&lr=0.03&batch=10'));
    while (trainer.testLoss >= 0.1 && trainer.epoch < 300) trainer.trainEpoch();
    expect(trainer.testLoss).toBeLessThan(0.1);
  });

  it('splits the data by the training ratio', () => {
    const { train, test } = makeData({ ...defaultConfig(), trainRatio: 30 });
    expect(train.targets.length).toBe(150);
    expect(test.targets.length).toBe(350);
    expect(train.points.length).toBe(300);
  });

  it('snapshots neurons, weights and the output over the grid', () => {
    const trainer = new Trainer(defaultConfig());
    const s = trainer.snapshot(10, 5);
    expect(s.output.length).toBe(100);
    expect(s.neurons.map((n) => n.length)).toEqual([4 * 25, 2 * 25]);
    expect(s.layers.map((l) => [l.inputs, l.outputs])).toEqual([[2, 4], [4, 2], [2, 1]]);
  });

  it('sets one weight, which the next losses and snapshot use, and names a bad position', () => {
    const trainer = new Trainer(defaultConfig());
    const before = trainer.trainLoss;
    trainer.setWeight(1, 1, 3, 2.5);
    const s = trainer.snapshot(4, 2);
    expect(s.layers[1].weight[1 * 4 + 3]).toBe(2.5);
    expect(trainer.trainLoss).not.toBe(before);
    expect(() => trainer.setWeight(1, 2, 0, 1)).toThrow(/setWeight: no weight \[2, 0\] = 1 in dense layer 1/);
    expect(() => trainer.setWeight(0, 0, 0, NaN)).toThrow(/finite value/);
  });

  it('trains batch by batch: an epoch ends after its last batch, the same as a whole epoch at once', () => {
    const config = decodeConfig('dataset=circle&batch=10&ratio=50');
    const whole = new Trainer(config);
    const sliced = new Trainer(config);
    whole.trainEpoch();
    for (let i = 0; i < 24; i++) expect(sliced.trainBatch()).toBe(false);
    expect(sliced.epoch).toBe(0);
    expect(sliced.pointsIntoEpoch).toBe(240);
    expect(sliced.snapshot(2, 2).pointsIntoEpoch).toBe(240);
    expect(sliced.trainBatch()).toBe(true);
    expect(sliced.epoch).toBe(1);
    expect(sliced.pointsIntoEpoch).toBe(0);
    expect(sliced.trainLoss).toBe(whole.trainLoss);
    // A step in the middle of an epoch finishes that epoch.
    sliced.trainBatch();
    sliced.trainEpoch();
    whole.trainEpoch();
    expect(sliced.epoch).toBe(2);
    expect(sliced.trainLoss).toBe(whole.trainLoss);
  });
});
