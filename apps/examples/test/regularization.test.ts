import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/regularization.js';
import { renderSvg } from '../src/plot.js';

describe('regularization on an overfitting task', () => {
  it('L2, L1, input noise and early stopping end with a lower validation loss than no regularization', async () => {
    const result = run(); // the default 600 epochs: overfitting needs time to show
    const { none, ...regularized } = result.finalValidation;
    expect(result.curves.none.train.at(-1)).toBeLessThan(0.5 * none); // it overfits: training loss far below validation
    for (const name of ['L2 (λ = 1e-3)', 'L1 (λ = 1e-4)', 'input noise (std 0.2)', 'early stopping']) expect(regularized[name]).toBeLessThan(0.8 * none);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
