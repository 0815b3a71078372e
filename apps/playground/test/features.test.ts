import { describe, expect, it } from 'vitest';
import { DOMAIN, FEATURES, featureMatrix, gridPoints } from '../src/playground/features.js';
import { FEATURE_NAMES } from '../src/playground/state.js';

describe('feature transforms', () => {
  it('computes each of the seven features of a point', () => {
    const values = Object.fromEntries(FEATURE_NAMES.map((f) => [f, FEATURES[f].fn(2, -3)]));
    expect(values).toEqual({ x1: 2, x2: -3, x1sq: 4, x2sq: 9, x1x2: -6, sinx1: Math.sin(2), sinx2: Math.sin(-3) });
  });

  it('lays out the feature matrix row by row in the order asked', () => {
    const m = featureMatrix([1, 2, -0.5, 4], ['x1x2', 'x1', 'x2sq']);
    expect(Array.from(m)).toEqual([2, 1, 4, -2, -0.5, 16]);
  });

  it('gives an empty matrix for no points and rejects an odd coordinate count', () => {
    expect(featureMatrix([], ['x1']).length).toBe(0);
    expect(() => featureMatrix([1, 2, 3], ['x1'])).toThrow(/pairs/);
  });

  it('puts grid cell centres over the domain, top row first', () => {
    const g = gridPoints(4);
    const cell = (2 * DOMAIN) / 4;
    expect(g.length).toBe(32);
    expect([g[0], g[1]]).toEqual([-DOMAIN + cell / 2, DOMAIN - cell / 2]);
    expect([g[30], g[31]]).toEqual([DOMAIN - cell / 2, -DOMAIN + cell / 2]);
  });
});
