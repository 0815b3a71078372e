// The whole-sequence recurrent ops' input checks: each error names the op and the field, and says what
// was given and what was expected.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError, ValueError, gruSequence, lstmSequence, zeros } from '../src/index.js';

describe('lstmSequence and gruSequence inputs', () => {
  it('name a state, weight or bias of the wrong shape, with the shape expected', () => {
    expect(() => lstmSequence(zeros([3, 2, 8]), zeros([2, 3]), zeros([2, 2]), zeros([8, 2]))).toThrow(ShapeError);
    expect(() => lstmSequence(zeros([3, 2, 8]), zeros([2, 3]), zeros([2, 2]), zeros([8, 2]))).toThrow(/^lstmSequence: expected h0 of shape \[2, 2\] for xw \[3, 2, 8\], got \[2, 3\]/);
    expect(() => gruSequence(zeros([3, 2, 6]), zeros([2, 2]), zeros([6, 2]), zeros([4]))).toThrow(/^gruSequence: expected biasHh of shape \[6\] for xw \[3, 2, 6\], got \[4\]/);
    expect(() => gruSequence(zeros([3, 2, 6]), zeros([2, 2]), zeros([2, 6]), zeros([6]))).toThrow(/weightHh of shape \[6, 2\]/);
  });
  it('name projections that are not [T ≥ 1, N, gates·H]', () => {
    expect(() => lstmSequence(zeros([3, 2, 6]), zeros([2, 1]), zeros([2, 1]), zeros([4, 1]))).toThrow(/^lstmSequence: expected xw of shape \[T ≥ 1, N, 4·H\], got \[3, 2, 6\]/);
    expect(() => gruSequence(zeros([0, 2, 6]), zeros([2, 2]), zeros([6, 2]), zeros([6]))).toThrow(/^gruSequence: expected xw of shape \[T ≥ 1, N, 3·H\], got \[0, 2, 6\]/);
  });
  it('name a dtype that differs from xw\'s and a reverse that is not a boolean', () => {
    expect(() => lstmSequence(zeros([1, 1, 4]), zeros([1, 1], { dtype: 'float64' }), zeros([1, 1]), zeros([4, 1]))).toThrow(DTypeError);
    expect(() => lstmSequence(zeros([1, 1, 4]), zeros([1, 1], { dtype: 'float64' }), zeros([1, 1]), zeros([4, 1]))).toThrow(/expected h0 of xw's dtype float32, got float64/);
    expect(() => gruSequence(zeros([1, 1, 3]), zeros([1, 1]), zeros([3, 1]), zeros([3]), { reverse: 1 as unknown as boolean })).toThrow(ValueError);
  });
});
