import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/cnn-digits.js';
import { renderSvg } from '../src/plot.js';

describe('a CNN with max pooling on the shipped digits', () => {
  it('learns to classify held-out digits', async () => {
    const result = run({ epochs: 2 });
    expect(result.initialAccuracy).toBeLessThan(0.3);
    expect(result.testAccuracy).toBeGreaterThan(0.85);
    expect(result.filters).toHaveLength(8);
    expect(result.filters[0]).toHaveLength(3);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
