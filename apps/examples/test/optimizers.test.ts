import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/optimizers.js';
import { renderSvg } from '../src/plot.js';

describe('optimizers on Rosenbrock and Beale', () => {
  it('Adam and momentum end nearer the minimum than plain SGD in the same steps', async () => {
    const result = run({ steps: 200, every: 20 });
    for (const problem of ['Rosenbrock', 'Beale']) {
      const d = result.finalDistance[problem];
      expect(Object.keys(d)).toEqual(['SGD', 'momentum', 'Nesterov', 'AdaGrad', 'RMSProp', 'AdaDelta', 'Adam']);
      expect(d.Adam).toBeLessThan(d.SGD);
      expect(d.momentum).toBeLessThan(d.SGD);
      expect(d.Nesterov).toBeLessThan(d.SGD);
    }
    expect(await renderSvg(figure(result))).toMatch(/^<svg/);
  });
});
