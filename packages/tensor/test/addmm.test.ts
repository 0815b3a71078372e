// addmm: bias + op(a)·op(b) equals add(matmul(a, b), bias) bit for bit, with a bias row or a full bias and
// either operand stored transposed; its errors name the op and what was expected.
import { describe, expect, it } from 'vitest';
import { DTypeError, Generator, ShapeError, add, addmm, matmul, randn, zeros } from '../src/index.js';

const g = new Generator(3);
const r = (shape: number[]) => randn(shape, { generator: g });

describe('addmm', () => {
  for (const [transA, transB] of [[false, false], [false, true], [true, false], [true, true]]) {
    it(`equals matmul then add, bit for bit (transA ${transA}, transB ${transB}, bias [N] and [M, N])`, () => {
      const a = transA ? r([17, 9]) : r([9, 17]);
      const b = transB ? r([13, 17]) : r([17, 13]);
      for (const bias of [r([13]), r([9, 13])]) {
        expect(Array.from(addmm(bias, a, b, transA, transB).dataSync())).toEqual(Array.from(add(matmul(a, b, transA, transB), bias).dataSync()));
        expect(addmm(bias, a, b, transA, transB).shape).toEqual([9, 13]);
      }
    });
  }

  it('names shapes and dtypes that do not fit', () => {
    expect(() => addmm(zeros([5]), zeros([2, 3]), zeros([3, 4]))).toThrow(ShapeError);
    expect(() => addmm(zeros([5]), zeros([2, 3]), zeros([3, 4]))).toThrow(/^addmm: expected bias of shape \[4\] or \[2, 4\] for the \[2, 4\] product, got \[5\]/);
    expect(() => addmm(zeros([4]), zeros([2, 3]), zeros([2, 4]))).toThrow(/^addmm: inner dimensions differ/);
    expect(() => addmm(zeros([4]), zeros([2, 2, 3]), zeros([3, 4]))).toThrow(/^addmm: expected 2-D a and b/);
    expect(() => addmm(zeros([4], { dtype: 'float64' }), zeros([2, 3]), zeros([3, 4]))).toThrow(DTypeError);
  });
});
