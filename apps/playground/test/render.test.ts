import { describe, expect, it } from 'vitest';
import { discretized, niceCeiling } from '../src/playground/render.js';

describe('loss chart scale', () => {
  it('rounds the largest loss up to 1, 2, 2.5 or 5 times a power of ten', () => {
    expect(niceCeiling(0.693)).toBe(1);
    expect(niceCeiling(0.3)).toBeCloseTo(0.5, 12);
    expect(niceCeiling(0.25)).toBeCloseTo(0.25, 12);
    expect(niceCeiling(0.041)).toBeCloseTo(0.05, 12);
    expect(niceCeiling(1.7)).toBe(2);
    expect(niceCeiling(12)).toBe(20);
    expect(niceCeiling(0)).toBe(1);
    expect(niceCeiling(NaN)).toBe(1);
  });
});

describe('discretized output', () => {
  it('keeps only the sign of each value', () => {
    expect(Array.from(discretized(Float32Array.from([-0.2, 0, 0.7, -1])))).toEqual([-1, 1, 1, -1]);
  });
});
