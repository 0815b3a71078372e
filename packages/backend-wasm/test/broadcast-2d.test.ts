import { describe, expect, it } from 'vitest';
import { plan2d } from '../src/kernels/broadcast-2d.js';

describe('plan2d', () => {
  it('keeps same-shape and scalar operands as one long row', () => {
    expect(plan2d([4, 3], [4, 3], [4, 3])).toEqual({ rows: 1, n: 12, a: { row: 12, col: 1 }, b: { row: 12, col: 1 } });
    expect(plan2d([4, 3], [], [4, 3])).toEqual({ rows: 1, n: 12, a: { row: 12, col: 1 }, b: { row: 1, col: 0 } });
  });

  it('splits bias rows and columns', () => {
    expect(plan2d([4, 3], [3], [4, 3])).toEqual({ rows: 4, n: 3, a: { row: 3, col: 1 }, b: { row: 0, col: 1 } });
    expect(plan2d([4, 3], [4, 1], [4, 3])).toEqual({ rows: 4, n: 3, a: { row: 3, col: 1 }, b: { row: 1, col: 0 } });
    expect(plan2d([2, 5, 1], [2, 5, 7], [2, 5, 7])).toEqual({ rows: 10, n: 7, a: { row: 1, col: 0 }, b: { row: 7, col: 1 } });
  });

  it('ignores axes of size 1 in the output', () => {
    expect(plan2d([1, 4, 1, 3], [3], [1, 4, 1, 3])?.rows).toBe(4);
  });

  it('returns null for broadcasts that are not rows × columns', () => {
    expect(plan2d([5, 1, 7], [1, 6, 1], [5, 6, 7])).toBeNull();
    expect(plan2d([4, 1, 9], [4, 5, 9], [4, 5, 9])).toBeNull();
  });
});
