import { describe, expect, it } from 'vitest';
import {
  ShapeError, DTypeError, addInPlace_, clampInPlace_, copy_, fill_, scaleInPlace_, sliceAddInPlace_, tensor, zeros,
} from './helpers.js';

describe('in-place updates', () => {
  it('adds, scales, clamps, fills and copies into the target, returning it', () => {
    const t = tensor([1, 2, 3]);
    expect(addInPlace_(t, tensor([1, 1, 1]))).toBe(t);
    expect(t.toFlatArray()).toEqual([2, 3, 4]);
    addInPlace_(t, tensor([1, 2, 3]), -2);
    expect(t.toFlatArray()).toEqual([0, -1, -2]);
    scaleInPlace_(t, 3);
    expect(t.toFlatArray()).toEqual([0, -3, -6]);
    clampInPlace_(t, -4, 5);
    expect(t.toFlatArray()).toEqual([0, -3, -4]);
    copy_(t, tensor([7, 8, 9]));
    expect(t.toFlatArray()).toEqual([7, 8, 9]);
    fill_(t, 0);
    expect(t.toFlatArray()).toEqual([0, 0, 0]);
  });

  it('adds a strided slice into its place along an axis', () => {
    const acc = zeros([2, 5]);
    sliceAddInPlace_(acc, tensor([[1, 2], [3, 4]]), 1, 1, 2);
    sliceAddInPlace_(acc, tensor([[10], [20]]), 1, 1);
    expect(acc.toArray()).toEqual([[0, 11, 0, 2, 0], [0, 23, 0, 4, 0]]);
  });

  it('names the op and the mismatch for a bad shape or dtype', () => {
    expect(() => addInPlace_(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(ShapeError);
    expect(() => addInPlace_(tensor([1, 2]), tensor([1, 2, 3]))).toThrow(/addInPlace_: src has shape \[3\] but the target has \[2\]/);
    expect(() => copy_(tensor([1, 2]), tensor([1, 2], { dtype: 'float64' }))).toThrow(DTypeError);
    expect(() => sliceAddInPlace_(zeros([2, 3]), zeros([2, 2]), 1, 2)).toThrow(/sliceAddInPlace_: src of shape \[2, 2\] does not fit/);
  });
});
