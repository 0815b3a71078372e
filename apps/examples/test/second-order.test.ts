import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/second-order.js';
import { renderSvg } from '../src/plot.js';

describe('L-BFGS and Levenberg–Marquardt', () => {
  it('reach a low loss in a few iterations where Adam is still far off', async () => {
    const result = run({ iterations: 20 });
    const last = (method: string) => result.loss[method].at(-1) as number;
    expect(last('Levenberg–Marquardt')).toBeLessThan(1e-3);
    expect(last('L-BFGS')).toBeLessThan(0.05);
    expect(last('Adam')).toBeGreaterThan(0.2);
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
