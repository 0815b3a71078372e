import { describe, expect, it } from 'vitest';
import {
  DTypeError, ShapeError, ValueError, arange, chunk, concat, flip, gather, indexSelect, maskedFill, narrow, oneHot, pad,
  repeatInterleave, scatterAdd, scalar, slice, split, stack, tensor, tile, where, zeros,
} from '../src/index.js';

const ints = (values: number[], shape?: number[]) => tensor(Int32Array.from(values), shape ?? [values.length]);

describe('slice, narrow and split', () => {
  it('follows Python slicing: negative bounds, clamping, steps', () => {
    const x = arange(10);
    expect(slice(x, 0, 2, 8, 3).toArray()).toEqual([2, 5]);
    expect(slice(x, 0, -3).toArray()).toEqual([7, 8, 9]);
    expect(slice(x, -1, -100, 100, 4).toArray()).toEqual([0, 4, 8]);
    expect(slice(x, 0, 7, 3).shape).toEqual([0]);
    expect(slice(x, 0, 0, 10)).toBe(x);
  });
  it('shares data along the leading axis with step 1 and copies otherwise', () => {
    const x = arange(12, undefined, 1, { dtype: 'float32' }).reshape([3, 4]);
    const rows = slice(x, 0, 1, 3);
    expect(rows.data.buffer).toBe(x.data.buffer);
    expect(rows.toArray()).toEqual([[4, 5, 6, 7], [8, 9, 10, 11]]);
    const cols = slice(x, 1, 1, 3);
    expect(cols.data.buffer).not.toBe(x.data.buffer);
    expect(cols.toArray()).toEqual([[1, 2], [5, 6], [9, 10]]);
    expect(slice(x, 0, 0, 3, 2).data.buffer).not.toBe(x.data.buffer);
    // Leading axes of size 1 keep the selection contiguous, so this is a view too.
    const y = x.reshape([1, 3, 4]);
    expect(narrow(y, 1, 2, 1).data.buffer).toBe(x.data.buffer);
    expect(split(x, 2).every((piece) => piece.data.buffer === x.data.buffer)).toBe(true);
  });
  it('narrow counts a negative start from the end', () => {
    expect(narrow(tensor([[1, 2, 3], [4, 5, 6]]), -1, -2, 2).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(narrow(arange(3), 0, 3, 0).shape).toEqual([0]);
  });
  it('split and chunk into pieces like torch', () => {
    expect(split(arange(5), [0, 2, 3]).map((t) => t.toArray())).toEqual([[], [0, 1], [2, 3, 4]]);
    expect(split(arange(5), 7).map((t) => t.toArray())).toEqual([[0, 1, 2, 3, 4]]);
    expect(chunk(arange(6).reshape([2, 3]), 2, -1).map((t) => t.toArray())).toEqual([[[0, 1], [3, 4]], [[2], [5]]]);
    expect(chunk(zeros([0, 2]), 3).map((t) => t.shape)).toEqual([[0, 2], [0, 2], [0, 2]]);
    expect(split(zeros([0]), 0).map((t) => t.shape)).toEqual([[0]]);
  });
  it('rejects bad arguments naming the op', () => {
    expect(() => slice(arange(3), 0, 0, 3, 0)).toThrow(ValueError);
    expect(() => slice(arange(3), 0, 0, 3, -1)).toThrow(/^slice: step must be a positive integer, got -1/);
    expect(() => slice(arange(3), 1)).toThrow(/^slice: axis 1 is out of range for a tensor of rank 1/);
    expect(() => slice(scalar(1), 0)).toThrow(/^slice: cannot slice a 0-d tensor/);
    expect(() => slice(arange(3), 0, 0.5)).toThrow(/^slice: start must be an integer, got 0.5/);
    expect(() => narrow(arange(3), 0, 4, 0)).toThrow(/^narrow: start 4 is out of range for axis 0 of size 3 \(expected -3..3\)/);
    expect(() => narrow(arange(3), 0, 1, 3)).toThrow(/^narrow: start \(1\) \+ length \(3\) exceeds size 3/);
    expect(() => split(arange(5), [1, 2])).toThrow(/^split: sizes \[1, 2\] add up to 3 but axis 0 has size 5/);
    expect(() => split(arange(5), 0)).toThrow(/^split: split size must be a positive integer, got 0/);
    expect(() => chunk(arange(5), 0)).toThrow(/^chunk: chunks must be a positive integer, got 0/);
  });
});

describe('concat and stack', () => {
  it('join along an axis, promoting dtypes', () => {
    const out = concat([ints([1, 2], [1, 2]), tensor([[0.5, 1.5]])], -2);
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([[1, 2], [0.5, 1.5]]);
    expect(concat([tensor([true]), tensor([false, true])]).toArray()).toEqual([true, false, true]);
    expect(concat([zeros([2, 0]), zeros([2, 0])], 1).shape).toEqual([2, 0]);
    const only = tensor([1, 2]);
    expect(concat([only])).toBe(only);
  });
  it('stack adds an axis, also for scalars', () => {
    expect(stack([scalar(1), scalar(2)]).toArray()).toEqual([1, 2]);
    expect(stack([tensor([[1, 2]]), tensor([[3, 4]])], -1).shape).toEqual([1, 2, 2]);
  });
  it('rejects mismatched shapes, 0-d inputs and empty lists', () => {
    expect(() => concat([zeros([2, 3]), zeros([2, 4])], 0)).toThrow(
      /^concat: tensor 1 has shape \[2, 4\] but tensor 0 has shape \[2, 3\]; every size but axis 0's must match/,
    );
    expect(() => concat([zeros([2]), zeros([2, 1])])).toThrow(ShapeError);
    expect(() => concat([scalar(1), scalar(2)])).toThrow(/^concat: tensor 0 is 0-d/);
    expect(() => concat([])).toThrow(/^concat: expected a non-empty array of tensors/);
    expect(() => stack([zeros([2]), zeros([3])])).toThrow(/^stack: tensor 1 has shape \[3\] but tensor 0 has shape \[2\]/);
    expect(() => stack([zeros([2])], 2)).toThrow(/^stack: axis 2 is out of range for a tensor of rank 2/);
  });
});

describe('gather, indexSelect, scatterAdd', () => {
  it('gather and indexSelect by hand', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(gather(x, 0, ints([1, 0, 1], [1, 3])).toArray()).toEqual([[4, 2, 6]]);
    expect(gather(x, -1, ints([2, 2, 0], [1, 3])).toArray()).toEqual([[3, 3, 1]]);
    expect(gather(scalar(7), 0, ints([0], [])).toArray()).toBe(7);
    expect(indexSelect(x, 0, ints([1, 1, 0])).toArray()).toEqual([[4, 5, 6], [4, 5, 6], [1, 2, 3]]);
    expect(indexSelect(x, 1, ints([])).shape).toEqual([2, 0]);
    expect(indexSelect(tensor([true, false]), 0, ints([1, 0])).toArray()).toEqual([false, true]);
  });
  it('scatterAdd accumulates repeated indices into a copy', () => {
    const x = zeros([2, 3]);
    const out = scatterAdd(x, 1, ints([0, 0, 2, 1], [2, 2]), tensor([[1, 2], [3, 4]]));
    expect(out.toArray()).toEqual([[3, 0, 0], [0, 4, 3]]);
    expect(x.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(scatterAdd(ints([1, 1]), 0, ints([1, 1]), ints([5, 6])).toArray()).toEqual([1, 12]);
  });
  it('names the op, the index and the valid range when an index is out of range', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(() => gather(x, 1, ints([3], [1, 1]))).toThrow(/^gather: index 3 is out of range for axis 1 of size 3 \(valid: 0..2\)/);
    expect(() => gather(x, 0, ints([-1], [1, 1]))).toThrow(ValueError);
    expect(() => indexSelect(x, -1, ints([0, 5]))).toThrow(/^indexSelect: index 5 is out of range for axis -1 of size 3 \(valid: 0..2\)/);
    expect(() => indexSelect(zeros([2, 0]), 1, ints([0]))).toThrow(/valid: none/);
    expect(() => scatterAdd(zeros([2]), 0, ints([2]), tensor([1]))).toThrow(/^scatterAdd: index 2 is out of range for axis 0 of size 2/);
  });
  it('checks index dtype and shapes', () => {
    const x = zeros([2, 3]);
    expect(() => gather(x, 0, tensor([[0]]))).toThrow(DTypeError);
    expect(() => gather(x, 0, tensor([[0]]))).toThrow(/^gather: index must be an int32 tensor, got float32/);
    expect(() => gather(x, 0, ints([0]))).toThrow(/^gather: index has rank 1 \(shape \[1\]\) but the input has rank 2/);
    expect(() => gather(x, 0, ints([0, 0, 0, 0], [1, 4]))).toThrow(
      /^gather: index of shape \[1, 4\] is larger than the input of shape \[2, 3\] at dimension 1 \(4 > 3\)/,
    );
    expect(() => indexSelect(x, 0, ints([0], [1, 1]))).toThrow(/^indexSelect: index must be 1-d or 0-d, got shape \[1, 1\]/);
    expect(() => scatterAdd(x, 0, ints([0, 0], [1, 2]), zeros([1, 1]))).toThrow(/^scatterAdd: index of shape \[1, 2\] is larger than src/);
    expect(() => scatterAdd(x, 0, ints([0], [1, 1]), ints([1], [1, 1]))).toThrow(/^scatterAdd: src has dtype int32 but the input has float32/);
    expect(() => scatterAdd(tensor([true]), 0, ints([0]), tensor([true]))).toThrow(/^scatterAdd: cannot add into a bool tensor/);
  });
});

describe('pad', () => {
  it('pads constant, reflect, replicate and circular by hand', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(pad(x, [1, 0], 'constant', 9).toArray()).toEqual([[9, 1, 2, 3], [9, 4, 5, 6]]);
    expect(pad(x, [0, 0, 1, 0]).toArray()).toEqual([[0, 0, 0], [1, 2, 3], [4, 5, 6]]);
    expect(pad(x, [2, 2], 'reflect').toArray()).toEqual([[3, 2, 1, 2, 3, 2, 1], [6, 5, 4, 5, 6, 5, 4]]);
    expect(pad(x, [1, 1, 1, 0], 'replicate').toArray()).toEqual([[1, 1, 2, 3, 3], [1, 1, 2, 3, 3], [4, 4, 5, 6, 6]]);
    expect(pad(x, [3, 1], 'circular').toArray()).toEqual([[1, 2, 3, 1, 2, 3, 1], [4, 5, 6, 4, 5, 6, 4]]);
    expect(pad(x, [-1, -1]).toArray()).toEqual([[2], [5]]);
    expect(pad(x, [0, 0])).toBe(x);
    expect(pad(zeros([0, 2]), [1, 1]).shape).toEqual([0, 4]);
    expect(pad(ints([1, 2]), [1, 1], 'constant', 7).toArray()).toEqual([7, 1, 2, 7]);
  });
  it('rejects bad pads and modes', () => {
    const x = zeros([2, 3]);
    expect(() => pad(x, [1])).toThrow(/^pad: pads \[1\] must have an even length of at most 2 × rank = 4/);
    expect(() => pad(x, [1, 1, 1, 1, 1, 1])).toThrow(ShapeError);
    expect(() => pad(x, [3, 0], 'reflect')).toThrow(/^pad: reflect padding of 3 on axis 1 needs less than the size 3/);
    expect(() => pad(x, [4, 0], 'circular')).toThrow(/^pad: circular padding of 4 on axis 1 needs at most the size 3/);
    expect(() => pad(zeros([2, 0]), [1, 0], 'replicate')).toThrow(/^pad: replicate padding of 1 on axis 1 needs a non-empty axis/);
    expect(() => pad(x, [-1, 0], 'reflect')).toThrow(/^pad: pads \[-1, 0\] must be non-negative integers in reflect mode/);
    expect(() => pad(x, [-2, -2])).toThrow(/^pad: pads \[-2, -2\] crop shape \[2, 3\] to a negative size \[2, -1\]/);
    expect(() => pad(x, [1, 1], 'wrap' as never)).toThrow(/^pad: unknown mode 'wrap'/);
  });
});

describe('where and maskedFill', () => {
  it('broadcasts the three operands', () => {
    const cond = tensor([[true], [false]]);
    expect(where(cond, tensor([1, 2, 3]), -1).toArray()).toEqual([[1, 2, 3], [-1, -1, -1]]);
    expect(where(tensor(true), tensor([[1], [2]]), tensor([5, 6])).toArray()).toEqual([[1, 1], [2, 2]]);
    expect(where(tensor([true, false]), 1, 2).toArray()).toEqual([1, 2]);
    expect(where(zeros([0, 1]).gt(0), 1, zeros([3])).shape).toEqual([0, 3]);
  });
  it('promotes dtypes like torch.where', () => {
    expect(where(tensor([true]), ints([1]), 0.5).dtype).toBe('float32');
    expect(where(tensor([true]), ints([1]), 2).dtype).toBe('int32');
    expect(where(tensor([true]), tensor([true]), tensor([false])).dtype).toBe('bool');
    expect(where(tensor([true]), tensor([1]), tensor([2], 'float64')).dtype).toBe('float64');
  });
  it('maskedFill keeps the input shape and dtype', () => {
    expect(maskedFill(ints([1, 2, 3, 4], [2, 2]), tensor([false, true]), 1.5).toArray()).toEqual([[1, 1], [3, 1]]);
    expect(maskedFill(tensor([1, 2]), tensor([true, false]), scalar(-3)).toArray()).toEqual([-3, 2]);
    expect(tensor([1, 2, 3]).maskedFill(tensor([true, false, true]), 0).toArray()).toEqual([0, 2, 0]);
  });
  it('rejects non-bool conditions and masks that would grow the input', () => {
    expect(() => where(tensor([1]), 1, 2)).toThrow(/^where: condition must be a bool tensor, got float32/);
    expect(() => where(tensor([true, false]), zeros([3]), 0)).toThrow(/^where: shapes \[2\] and \[3\] cannot be broadcast/);
    expect(() => maskedFill(zeros([3]), tensor([[true], [false]]), 0)).toThrow(
      /^maskedFill: mask of shape \[2, 1\] does not broadcast to the input's shape \[3\]/,
    );
    expect(() => maskedFill(zeros([3]), ints([1]), 0)).toThrow(/^maskedFill: mask must be a bool tensor, got int32/);
    expect(() => maskedFill(zeros([3]), tensor([true]), zeros([1]))).toThrow(/^maskedFill: value must be a number or a 0-d tensor/);
  });
});

describe('oneHot, tile, repeatInterleave, flip', () => {
  it('oneHot infers classes and takes a dtype', () => {
    const out = oneHot(ints([2, 0, 1, 0], [2, 2]));
    expect(out.dtype).toBe('float32');
    expect(out.toArray()).toEqual([[[0, 0, 1], [1, 0, 0]], [[0, 1, 0], [1, 0, 0]]]);
    expect(oneHot(ints([1]), 2, 'int32').dtype).toBe('int32');
    expect(oneHot(ints([]), 3).shape).toEqual([0, 3]);
    expect(() => oneHot(ints([3]), 3)).toThrow(/^oneHot: index 3 is out of range for 3 classes \(valid: 0..2\)/);
    expect(() => oneHot(ints([-1]))).toThrow(/^oneHot: index -1 is out of range/);
    expect(() => oneHot(ints([]))).toThrow(/^oneHot: cannot infer numClasses from an empty tensor/);
    expect(() => oneHot(tensor([1]), 2)).toThrow(/^oneHot: index must be an int32 tensor, got float32/);
  });
  it('tile and repeatInterleave by hand', () => {
    expect(tile(tensor([[1, 2]]), [2, 1]).toArray()).toEqual([[1, 2], [1, 2]]);
    expect(tile(scalar(3), [2]).toArray()).toEqual([3, 3]);
    expect(tensor([1, 2]).tile([2]).toArray()).toEqual([1, 2, 1, 2]);
    expect(repeatInterleave(tensor([[1, 2], [3, 4]]), 2, 0).toArray()).toEqual([[1, 2], [1, 2], [3, 4], [3, 4]]);
    expect(repeatInterleave(tensor([1, 2, 3]), [0, 2, 1]).toArray()).toEqual([2, 2, 3]);
    expect(repeatInterleave(tensor([1, 2]), [3]).toArray()).toEqual([1, 1, 1, 2, 2, 2]);
    expect(() => tile(zeros([2]), [-1])).toThrow(/^tile: reps \[-1\] must be non-negative integers/);
    expect(() => repeatInterleave(zeros([3]), [1, 2])).toThrow(/^repeatInterleave: got 2 repeats for axis 0 of size 3; expected 1 or 3/);
    expect(() => repeatInterleave(zeros([3]), -1)).toThrow(ValueError);
  });
  it('flip reverses the given axes', () => {
    const x = arange(6).reshape([2, 3]);
    expect(flip(x, -1).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(x.flip([0, 1]).toArray()).toEqual([[5, 4, 3], [2, 1, 0]]);
    expect(flip(zeros([0, 2]), 0).shape).toEqual([0, 2]);
    expect(() => flip(x, [0, -2])).toThrow(/^flip: axes \[0, -2\] repeat an axis/);
    expect(() => flip(x, 2)).toThrow(/^flip: axis 2 is out of range/);
  });
  it('Tensor methods mirror the functions', () => {
    const x = tensor([[1, 2, 3], [4, 5, 6]]);
    expect(x.slice(1, 1).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(x.narrow(0, 1, 1).toArray()).toEqual([[4, 5, 6]]);
    expect(x.split(1).length).toBe(2);
    expect(x.chunk(3, 1).length).toBe(3);
    expect(x.gather(1, ints([0, 0], [2, 1])).toArray()).toEqual([[1], [4]]);
    expect(x.indexSelect(0, ints([1])).toArray()).toEqual([[4, 5, 6]]);
    expect(x.scatterAdd(0, ints([1], [1, 1]), tensor([[10]])).toArray()).toEqual([[1, 2, 3], [14, 5, 6]]);
    expect(x.repeatInterleave(2, 1).shape).toEqual([2, 6]);
    expect(x.where(x.gt(2), 0).toArray()).toEqual([[0, 0, 3], [4, 5, 6]]);
  });
});
