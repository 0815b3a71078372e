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
});
