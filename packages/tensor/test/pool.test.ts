import { describe, expect, it } from 'vitest';
import {
  DTypeError, ShapeError, ValueError, adaptiveAvgPool2d, avgPool2d, gatherPlanes, maxPool1dWithIndices, maxPool2d,
  maxPool2dWithIndices, mean, ones, randn, scatterAddPlanes, tensor, upsampleNearest2d, windowAverage2d, zeros,
} from './helpers.js';

describe('max pooling', () => {
  it('returns values and flat plane indices', () => {
    const x = tensor([[[[1, 5, 2, 0], [3, 4, 9, 8], [7, 6, 1, 1], [0, 2, 3, 4]]]]);
    const { values, indices } = maxPool2dWithIndices(x, { kernelSize: 2 });
    expect(values.toArray()).toEqual([[[[5, 9], [7, 4]]]]);
    expect(indices.toArray()).toEqual([[[[1, 6], [8, 15]]]]);
    expect(indices.dtype).toBe('int32');
  });
  it('keeps the first of tied maxima, never picks padding, and propagates NaN', () => {
    expect(maxPool1dWithIndices(tensor([[[2, 2, 2]]]), { kernelSize: 3 }).indices.toArray()).toEqual([[[0]]]);
    const negative = tensor([[[[-3, -1], [-2, -4]]]]);
    expect(maxPool2d(negative, { kernelSize: 2, stride: 1, padding: 1 }).toArray()).toEqual([[[[-3, -1, -1], [-2, -1, -1], [-2, -2, -4]]]]);
    expect(maxPool2d(tensor([[[[1, NaN], [3, 2]]]]), { kernelSize: 2 }).toFlatArray()).toEqual([NaN]);
  });
  it('accepts unbatched input and rejects bad options naming the op', () => {
    expect(maxPool2d(zeros([3, 6, 6]), { kernelSize: 3 }).shape).toEqual([3, 2, 2]);
    expect(() => maxPool2d(zeros([1, 1, 6, 6]), { kernelSize: 2, padding: 2 })).toThrow(
      'maxPool2d: padding [2, 2] must be at most half of kernelSize [2, 2]',
    );
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(ShapeError);
    expect(() => maxPool2d(zeros([1, 1, 2, 2]), { kernelSize: 3 })).toThrow(/maxPool2d: input \[1, 1, 2, 2\] is too small/);
    expect(() => maxPool2d(zeros([1, 1, 4, 4], { dtype: 'int32' }), { kernelSize: 2 })).toThrow(DTypeError);
    expect(() => maxPool2d(zeros([1, 1, 4, 4]), {} as never)).toThrow('maxPool2d: needs options.kernelSize');
  });
});

describe('average pooling and upsampling', () => {
  it('counts padding in the divisor by default, and not with countIncludePad false', () => {
    const x = ones([1, 1, 4, 4]);
    const counted = avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1 }).toFlatArray();
    [4 / 9, 6 / 9, 6 / 9, 1].forEach((v, i) => expect(counted[i]).toBeCloseTo(v, 6));
    expect(avgPool2d(x, { kernelSize: 3, stride: 2, padding: 1, countIncludePad: false }).toFlatArray()).toEqual([1, 1, 1, 1]);
  });
  it('global adaptive pooling is the mean over H and W', () => {
    const x = randn([2, 3, 5, 4], { dtype: 'float64' });
    const got = adaptiveAvgPool2d(x, 1).toFlatArray();
    mean(x, [2, 3]).toFlatArray().forEach((v, i) => expect(got[i]).toBeCloseTo(v, 12));
    expect(adaptiveAvgPool2d(x, [null, 2]).shape).toEqual([2, 3, 5, 2]);
  });
  it('upsamples by repeating each pixel', () => {
    expect(upsampleNearest2d(tensor([[[[1, 2], [3, 4]]]]), { scaleFactor: 2 }).toArray()).toEqual([
      [[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]],
    ]);
    expect(() => upsampleNearest2d(zeros([1, 1, 2, 2]), { size: 4, scaleFactor: 2 })).toThrow(
      'upsampleNearest2d: give exactly one of options.size and options.scaleFactor',
    );
    expect(() => upsampleNearest2d(zeros([1, 1, 2, 2]), { scaleFactor: 0.25 })).toThrow(/shrinks input 2×2 to an empty 0×0/);
  });
  it('rejects windows outside the input', () => {
    const bad = { start: Int32Array.of(0), end: Int32Array.of(3), count: Int32Array.of(3) };
    expect(() => windowAverage2d(zeros([1, 2, 2]), bad, bad)).toThrow(ValueError);
    expect(() => windowAverage2d(zeros([1, 2, 2]), bad, bad)).toThrow(/rows window 0 is \[0, 3\) with count 3; it must lie in \[0, 2\]/);
  });
});

describe('plane gather and scatter', () => {
  it('gathers and scatter-adds at flat plane indices', () => {
    expect(gatherPlanes(tensor([[[1, 2], [3, 4]]]), tensor([[[3, 0]]], 'int32')).toArray()).toEqual([[[4, 1]]]);
    expect(scatterAddPlanes(tensor([[[5, 6]]]), tensor([[[3, 3]]], 'int32'), [2, 2]).toArray()).toEqual([[[0, 0], [0, 11]]]);
  });
  it('rejects out-of-range and non-integer indices', () => {
    expect(() => gatherPlanes(zeros([1, 2, 2]), tensor([[[4]]], 'int32'))).toThrow(
      'gatherPlanes: index 4 at flat position 0 is outside a plane of 4 elements',
    );
    expect(() => gatherPlanes(zeros([1, 2, 2]), tensor([[[1]]]))).toThrow('gatherPlanes: indices must be int32, got float32');
    expect(() => scatterAddPlanes(zeros([2, 1, 1]), tensor([[[1]]], 'int32'), [2, 2])).toThrow(ShapeError);
  });
});
