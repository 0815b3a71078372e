import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/initialization.js';
import { renderSvg } from '../src/plot.js';

describe('initialization of a deep ReLU net', () => {
  it('He keeps the activations’ std, N(0, 1) explodes it and Glorot shrinks it', async () => {
    const result = run({ width: 64, batch: 64 });
    const { He, Glorot } = result.activationStd;
    const normal = result.activationStd['N(0, 1)'];
    expect(He).toHaveLength(10);
    for (const s of He) {
      expect(s).toBeGreaterThan(0.3);
      expect(s).toBeLessThan(3);
    }
    expect(normal[9] / normal[0]).toBeGreaterThan(1e6); // ≈ (64/2)^(9/2)
    expect(Glorot[9] / Glorot[0]).toBeLessThan(0.1); // ≈ 2^(−9/2)
    expect(result.gradientStd['N(0, 1)'][0]).toBeGreaterThan(1e3 * result.gradientStd.He[0]);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
