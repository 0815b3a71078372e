import { circle } from '@backprop/datasets';
import { Linear, Sequential } from '@backprop/layers';
import { Adam } from '@backprop/optim';
import { Generator } from '@backprop/tensor';
import { evaluate, fit } from '@backprop/train';
import { describe, expect, it } from 'vitest';
import { Swish } from '../src/index.js';

describe('Swish in a network', () => {
  it('Sequential(Linear, Swish, Linear) learns the circle set to at least 95% held-out accuracy, and β moves', async () => {
    // The playground's coordinates span ±5; /5 brings them to about ±1.
    const train = circle(400, { noise: 0, seed: 0 });
    const test = circle(200, { noise: 0, seed: 1 });
    const generator = new Generator(0);
    const act = new Swish({ numFeatures: 16 });
    const model = new Sequential(new Linear(2, 16, { generator }), act, new Linear(16, 2, { generator }));

    const history = await fit(model, {
      loss: 'crossEntropy', optimizer: new Adam(model.parameters(), { lr: 0.02 }), data: { x: train.x.div(5), y: train.y },
      epochs: 40, batchSize: 32, seed: 0,
    });

    expect(history.epochs.at(-1)!.loss).toBeLessThan(history.epochs[0].loss);
    const { accuracy } = evaluate(model, { x: test.x.div(5), y: test.y }, { metrics: ['accuracy'] });
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    // Every β got gradient steps: none is still at its initial value of 1.
    expect(act.beta.toFlatArray().filter((b) => b === 1)).toEqual([]);
  });
});
