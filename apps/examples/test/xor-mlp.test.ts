import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/xor-mlp.js';
import { renderSvg } from '../src/plot.js';

describe('XOR needs a hidden layer', () => {
  it('an MLP gets all four points, a single linear layer at most three', async () => {
    const result = run({ steps: 200, grid: 5 });
    expect(result.mlpAccuracy).toBe(1);
    expect(result.linearAccuracy).toBeLessThanOrEqual(0.75);
    expect(result.maps).toHaveLength(2 * 25);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
