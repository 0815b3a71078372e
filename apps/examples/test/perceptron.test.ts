import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/perceptron.js';
import { renderSvg } from '../src/plot.js';

describe('perceptron learning rule', () => {
  it('separates linearly separable clouds and keeps making mistakes on XOR', async () => {
    const result = run({ epochs: 8 });
    expect(result.separableErrors[0]).toBeGreaterThan(0);
    expect(result.separableErrors.at(-1)).toBe(0);
    expect(Math.min(...result.xorErrors)).toBeGreaterThan(0);
    // The learned line classifies every point correctly.
    const [w1, w2, b] = result.weights;
    expect(result.points.every((p) => p.label * (w1 * p.x1 + w2 * p.x2 + b) > 0)).toBe(true);
    expect(await renderSvg(figure(result))).toMatch(/^<svg[\s\S]*<\/svg>$/);
  });
});
