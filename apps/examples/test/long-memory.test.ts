import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/long-memory.js';
import { renderSvg } from '../src/plot.js';

describe('a long-dependency task', () => {
  it('a tanh RNN stays at chance where a gated LSTM and GRU learn to recall the first of 60 inputs', async () => {
    const result = run(); // 200 steps: the gated nets need them
    const tail = (v: number[]) => v.slice(-20).reduce((a, b) => a + b, 0) / 20;
    const rnn = 'tanh RNN';
    const lstm = 'LSTM (forget bias 3)';
    const gru = 'GRU (update bias 3)';
    expect(tail(result.accuracy[rnn])).toBeLessThan(0.65);
    expect(tail(result.loss[rnn])).toBeGreaterThan(0.65); // ln 2 ≈ 0.69: chance
    expect(tail(result.accuracy[lstm])).toBeGreaterThan(0.65);
    expect(tail(result.loss[lstm])).toBeLessThan(tail(result.loss[rnn]) - 0.1);
    expect(tail(result.accuracy[gru])).toBeGreaterThan(0.9);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
