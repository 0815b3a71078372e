import { describe, expect, it } from 'vitest';
import { downsample, inkBounds } from '../src/digits/downsample.js';

function canvas(width: number, height: number, ink: (x: number, y: number) => boolean): Uint8ClampedArray {
  const a = new Uint8ClampedArray(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) a[y * width + x] = ink(x, y) ? 255 : 0;
  return a;
}

describe('downsample to the digits format', () => {
  it('gives zeros for an empty drawing', () => {
    expect(Array.from(downsample(new Uint8ClampedArray(100), 10, 10))).toEqual(new Array(64).fill(0));
    expect(inkBounds(new Uint8ClampedArray(4), 2, 2)).toBeNull();
  });

  it('fills every block with 16 for a solid square, wherever it is drawn', () => {
    const solid = canvas(100, 100, (x, y) => x >= 10 && x < 50 && y >= 30 && y < 70);
    expect(Array.from(downsample(solid, 100, 100))).toEqual(new Array(64).fill(16));
  });

  it('keeps values integral in 0..16 and scales the ink box to the full height', () => {
    // A vertical bar 4 wide and 60 tall: centred, it covers the middle columns from top to bottom.
    const bar = canvas(80, 80, (x, y) => x >= 38 && x < 42 && y >= 10 && y < 70);
    const out = downsample(bar, 80, 80);
    for (const v of out) {
      expect(Number.isInteger(v)).toBe(true);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(16);
    }
    for (let row = 0; row < 8; row++) {
      const cells = Array.from(out.subarray(row * 8, row * 8 + 8));
      expect(cells[0]).toBe(0);
      expect(cells[7]).toBe(0);
      expect(cells[3] + cells[4]).toBeGreaterThan(0);
    }
  });

  it('maps a stroke in the top-left quarter of a tall box to the top-left blocks', () => {
    // An L: a bar down the left and a bar along the bottom, in a 40×40 box.
    const l = canvas(64, 64, (x, y) => (x >= 10 && x < 18 && y >= 10 && y < 50) || (x >= 10 && x < 50 && y >= 42 && y < 50));
    const out = downsample(l, 64, 64);
    expect(out[0]).toBe(16);
    expect(out[7 * 8 + 7]).toBe(16);
    expect(out[7]).toBe(0);
  });
});
