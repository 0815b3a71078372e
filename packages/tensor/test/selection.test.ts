// Behaviour beyond the PyTorch fixtures (golden-selection.test.ts): 0-d inputs, orders PyTorch leaves
// open, Tensor methods and the errors that name the op.
import { describe, expect, it } from 'vitest';
import * as T from '../src/index.js';
import { tensor, zeros } from '../src/index.js';

describe('sorting and running extrema', () => {
  it('sorts a 0-d tensor as one element', () => {
    const { values, indices } = T.sort(tensor(3));
    expect(values.shape).toEqual([]);
    expect(indices.item()).toBe(0);
  });
  it('topk keeps lower positions first among ties and validates k', () => {
    expect(T.topk(tensor([1, 3, 3, 2]), 2).indices.toArray()).toEqual([1, 2]);
    expect(() => T.topk(tensor([1, 2]), 3)).toThrow(/topk: k must be an integer in \[0, 2\]/);
  });
  it('has Tensor methods mirroring the functions', () => {
    const x = tensor([[3, 1, 2], [0, 5, 4]]);
    expect(x.sort(1).values.toArray()).toEqual([[1, 2, 3], [0, 4, 5]]);
    expect(x.argsort(1, true).toArray()).toEqual([[0, 2, 1], [1, 2, 0]]);
    expect(x.topk(1).values.toArray()).toEqual([[3], [5]]);
    expect(x.cumsum(1).toArray()).toEqual([[3, 4, 6], [0, 5, 9]]);
    expect(x.cumprod(0).toArray()).toEqual([[3, 1, 2], [0, 5, 8]]);
    expect(x.cummax(1).indices.toArray()).toEqual([[0, 0, 0], [0, 1, 1]]);
    expect(x.amax(0).toArray()).toEqual([3, 5, 4]);
    expect(x.amin([0, 1]).item()).toBe(0);
  });
});

describe('unique and nonzero', () => {
  it('keeps the order of first appearance when not sorted', () => {
    const r = T.unique(tensor([3, 1, 3, 2, 1]), { sorted: false, returnInverse: true, returnCounts: true });
    expect(r.values.toArray()).toEqual([3, 1, 2]);
    expect(r.inverse!.toArray()).toEqual([0, 1, 0, 2, 1]);
    expect(r.counts!.toArray()).toEqual([2, 2, 1]);
  });
  it('keeps each NaN as its own value, after the numbers (torch.unique gives these values)', () => {
    const r = T.unique(tensor([NaN, 1, NaN, 0]), { returnCounts: true });
    expect(r.values.toArray()).toEqual([0, 1, NaN, NaN]);
    expect(r.counts!.toArray()).toEqual([1, 1, 1, 1]);
  });
  it('returns only what was asked for, and nonzero of an empty selection has shape [0, rank]', () => {
    expect(Object.keys(tensor([1, 1]).unique())).toEqual(['values']);
    expect(T.nonzero(zeros([2, 3])).shape).toEqual([0, 2]);
    expect(tensor([0, 2]).nonzero().toArray()).toEqual([[1]]);
  });
  it('names the op when given a 0-d tensor and an axis', () => {
    expect(() => T.unique(tensor(1), { axis: 0 })).toThrow(/unique: cannot find unique slices of a 0-d tensor/);
  });
});

describe('logic', () => {
  it('any is false and all is true over an empty axis', () => {
    expect(T.any(zeros([2, 0]), 1).toArray()).toEqual([false, false]);
    expect(T.all(zeros([2, 0]), 1).toArray()).toEqual([true, true]);
  });
  it('logicalNot treats NaN as true and methods exist', () => {
    expect(tensor([NaN, 0, 2]).logicalNot().toArray()).toEqual([false, true, false]);
    expect(tensor([1, 0]).logicalXor(tensor([1, 1])).toArray()).toEqual([false, true]);
    expect(tensor([1, NaN]).isnan().any().item()).toBe(1);
  });
});

describe('norms', () => {
  it('computes the documented examples', () => {
    expect(T.vectorNorm(tensor([3, 4])).item()).toBeCloseTo(5, 6);
    expect(T.matrixNorm(tensor([[1, -2], [3, 4]]), 1).item()).toBe(6);
    expect(tensor([[1, -2], [3, 4]]).norm(1, 1).toArray()).toEqual([3, 7]);
  });
  it('computes spectral and nuclear norms and names a wrong ord', () => {
    expect(T.linalg.norm(tensor([[1, 0], [0, 3]]), 2).item()).toBeCloseTo(3, 6);
    expect(T.norm(tensor([[1, 0], [0, -3]]), 'nuc').item()).toBeCloseTo(4, 6);
    expect(() => T.matrixNorm(tensor([[1, 2], [3, 4]]), 3)).toThrow(/matrixNorm: ord must be 'fro', 'nuc', 1, -1, 2, -2, Infinity or -Infinity, got 3/);
    expect(() => T.linalg.norm(zeros([2, 2, 2]), 1)).toThrow(/linalg.norm: with an ord and no axes the input must be 1-d or 2-d/);
    expect(() => T.norm(tensor([1, 2]), 'nuc')).toThrow(/norm: 'nuc' needs a matrix or two axes/);
    expect(() => T.norm(tensor([1]), 'fro', [0, 0, 0])).toThrow();
    expect(() => T.vectorNorm(tensor([1]), NaN)).toThrow(/vectorNorm: ord must be a number/);
  });
});

describe('einsum', () => {
  it('computes the documented examples', () => {
    expect(T.einsum('ii', tensor([[1, 2], [3, 4]])).item()).toBe(5);
    expect(T.einsum('i,j->ij', tensor([1, 2]), tensor([3, 4])).toArray()).toEqual([[3, 4], [6, 8]]);
  });
  it('names the problem in its errors', () => {
    const m = zeros([2, 3]);
    expect(() => T.einsum('ij,jk', m)).toThrow(/einsum: 'ij,jk' names 2 operand\(s\) but 1 were given/);
    expect(() => T.einsum('i1', m)).toThrow(/einsum: operand 0's subscripts 'i1' has '1'/);
    expect(() => T.einsum('ijk', m)).toThrow(/einsum: operand 0 of shape \[2, 3\] does not fit subscripts 'ijk'/);
    expect(() => T.einsum('ii', m)).toThrow(/einsum: subscript 'i' is repeated with sizes 2 and 3/);
    expect(() => T.einsum('ij->ii', m)).toThrow(/output subscript 'i' appears more than once/);
    expect(() => T.einsum('ij->k', m)).toThrow(/output subscript 'k' is not in any operand/);
    expect(() => T.einsum('ij,jk', m, zeros([4, 2]))).toThrow(/einsum: subscript 'j' has sizes 3 and 4 in different operands/);
  });
  it('contracts over an empty axis to zeros and broadcasts size-1 axes', () => {
    expect(T.einsum('ij,jk->ik', zeros([2, 0]), zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(T.einsum('ij,jk->ik', T.ones([2, 1]), T.ones([3, 2])).toArray()).toEqual([[3, 3], [3, 3]]);
  });
});

describe('structure', () => {
  it('diag, diagonal, tril and triu give the documented results', () => {
    expect(T.diag(tensor([1, 2]), 1).toArray()).toEqual([[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
    expect(tensor([[1, 2], [3, 4]]).diagonal(1).toArray()).toEqual([2]);
    expect(tensor([[1, 2], [3, 4]]).tril().toArray()).toEqual([[1, 0], [3, 4]]);
    expect(tensor([[1, 2], [3, 4]]).triu(1).toArray()).toEqual([[0, 2], [0, 0]]);
    expect(tensor([1, 2]).diag().diag().toArray()).toEqual([1, 2]);
  });
  it('roll, meshgrid and outer', () => {
    expect(tensor([1, 2, 3, 4]).roll(1).toArray()).toEqual([4, 1, 2, 3]);
    expect(T.roll(tensor([[1, 2], [3, 4]]), [1, -1], [0, 1]).toArray()).toEqual([[4, 3], [2, 1]]);
    const [gx, gy] = T.meshgrid([tensor([1, 2]), tensor([3, 4, 5])], 'xy');
    expect(gx.shape).toEqual([3, 2]);
    expect(gy.toArray()).toEqual([[3, 3], [4, 4], [5, 5]]);
    expect(tensor([1, 2]).outer(tensor([3, 4])).toArray()).toEqual([[3, 4], [6, 8]]);
  });
  it('names the op and what was wrong', () => {
    expect(() => T.diagonal(tensor([1, 2]))).toThrow(/diagonal: needs at least 2 dimensions, got shape \[2\]/);
    expect(() => T.diagonal(zeros([2, 2]), 0, 1, -1)).toThrow(/diagonal: dim1 and dim2 must differ/);
    expect(() => T.diag(zeros([2, 2, 2]))).toThrow(/diag: needs a 1-d or 2-d tensor/);
    expect(() => T.tril(tensor([1]))).toThrow(/tril: needs at least 2 dimensions/);
    expect(() => T.roll(tensor([1]), [1, 2], [0])).toThrow(/roll: shifts \[1, 2\] and axes \[0\] must have the same length/);
    expect(() => T.meshgrid([zeros([2, 2])])).toThrow(/meshgrid: tensor 0 must be 0-d or 1-d/);
    expect(() => T.outer(zeros([2, 2]), tensor([1]))).toThrow(/outer: needs two 1-d tensors/);
  });
});
