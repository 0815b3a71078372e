import { describe, expect, it } from 'vitest';
import { figure, run } from '../src/lr-schedules.js';
import { renderSvg } from '../src/plot.js';

describe('learning-rate schedules', () => {
  it('each schedule sets the learning rates of its formula', async () => {
    const { lr } = run({ epochs: 30 });
    expect(lr.StepLR.slice(8, 12)).toEqual([0.1, 0.1, expect.closeTo(0.01, 12), expect.closeTo(0.01, 12)]);
    expect(lr.ExponentialLR[29]).toBeCloseTo(0.1 * 0.01 ** (29 / 30), 10);
    expect(lr.CosineAnnealingLR[15]).toBeCloseTo(0.001 + (0.1 - 0.001) / 2, 10);
    expect(lr.CosineAnnealingWarmRestarts[4]).toBeCloseTo(0.1, 12); // T0 = 4: a restart
    expect(lr['LinearLR warm-up + cosine'][0]).toBeCloseTo(0.01, 12);
    const oneCycle = lr.OneCycleLR;
    const peak = oneCycle.indexOf(Math.max(...oneCycle));
    expect(Math.max(...oneCycle)).toBeCloseTo(0.1, 2);
    expect(peak).toBeGreaterThan(5);
    expect(peak).toBeLessThan(12);
    expect(oneCycle[29]).toBeLessThan(0.01);
    expect(Math.min(...lr.CyclicLR)).toBeCloseTo(0.01, 12);
    expect(Math.max(...lr.CyclicLR)).toBeGreaterThan(0.09);
    expect(await renderSvg(figure({ lr }))).toMatch(/^<svg/);
  });
});
