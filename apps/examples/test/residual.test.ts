import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/residual.js';
import { renderSvg } from '../src/plot.js';

describe('residual blocks', () => {
  it('the residual net of equal depth trains to a much lower loss than the plain one', async () => {
    const result = run({ steps: 150 });
    const last = (k: 'plain' | 'residual') => result.loss[k].at(-1) as number;
    expect(last('residual')).toBeLessThan(0.3 * last('plain'));
    expect(result.accuracy.residual).toBeGreaterThan(result.accuracy.plain);
    expect(result.accuracy.residual).toBeGreaterThan(0.9);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
