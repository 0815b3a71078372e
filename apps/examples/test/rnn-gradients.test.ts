import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/rnn-gradients.js';
import { renderSvg } from '../src/plot.js';

describe('backpropagation through time', () => {
  const result = run({ steps: 30, trainingSteps: 8 });
  const ratio = (name: string) => {
    const g = result.inputGradient[name];
    return g[0] / g[g.length - 1];
  };

  it('vanishes in a tanh RNN, much less in an LSTM or GRU with open gates, and explodes in an expanding ReLU RNN', () => {
    expect(ratio('tanh RNN')).toBeLessThan(1e-4);
    expect(ratio('LSTM (forget bias 1)')).toBeGreaterThan(100 * ratio('tanh RNN'));
    expect(ratio('GRU (update bias 2)')).toBeGreaterThan(100 * ratio('tanh RNN'));
    expect(ratio('ReLU RNN, W_hh = 2·orthogonal')).toBeGreaterThan(100);
  });

  it('diverges without clipping and trains with clipGradNorm', async () => {
    const { unclipped, clipped } = result.loss;
    expect(unclipped.some((l) => !(l < 1e10))).toBe(true);
    expect(clipped.every((l) => l < 10)).toBe(true);
    expect(clipped.at(-1)).toBeLessThan(clipped[0] / 2);
    expect(result.firstGradNorm).toBeGreaterThan(10);
    expect(result.clippedGradNorm).toBeCloseTo(1, 4);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
