import { DTypeError, ShapeError, ValueError, tensor, zeros } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, hingeLoss, huberLoss, klDiv, l2Penalty, mseLoss,
  multiMarginLoss, nllLoss, smoothL1Loss,
} from '../src/index.js';

type ErrorClass = typeof DTypeError | typeof ShapeError | typeof ValueError;

/** Expects `f` to throw `kind` with a message containing every fragment. */
function expectError(f: () => unknown, kind: ErrorClass, ...fragments: string[]): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(kind);
  for (const fragment of fragments) expect((caught as Error).message).toContain(fragment);
}

const logits = zeros([4, 3]);

describe('targets that do not fit the prediction', () => {
  it('mseLoss with an int32 target names both dtypes and shapes', () => {
    expectError(() => mseLoss(zeros([2, 3]), zeros([2, 3], { dtype: 'int32' })), DTypeError,
      'mseLoss: target is int32 [2, 3] but input is float32 [2, 3]', 'expected a float target');
  });

  it('mseLoss with a target of another shape refuses to broadcast', () => {
    expectError(() => mseLoss(zeros([4, 1]), zeros([4])), ShapeError, 'mseLoss', 'float32 [4]', 'float32 [4, 1]', "the input's shape");
  });

  it('an integer prediction and a non-tensor target', () => {
    expectError(() => huberLoss(zeros([2], { dtype: 'int32' }), zeros([2])), DTypeError, 'huberLoss: input has dtype int32');
    expectError(() => klDiv(zeros([2]), [1, 2] as never), DTypeError, 'klDiv: target must be a Tensor, got object');
  });

  it('crossEntropy with float targets of neither shape', () => {
    expectError(() => crossEntropy(logits, zeros([4, 2])), ShapeError,
      'crossEntropy: target is float32 [4, 2]', 'int32 target of shape [4]', 'input float32 [4, 3]');
  });

  it('crossEntropy with float class indices, or int32 class probabilities', () => {
    expectError(() => crossEntropy(logits, zeros([4])), DTypeError, 'crossEntropy: target is float32 [4]', 'an int32 target of shape [4]');
    expectError(() => crossEntropy(logits, zeros([4, 3], { dtype: 'int32' })), DTypeError,
      'crossEntropy: target is int32 [4, 3], the logits\' shape', 'float tensor', 'int32 of shape [4]');
  });

  it('a class index out of range names the index and C', () => {
    expectError(() => crossEntropy(logits, tensor([0, 1, 3, 2], 'int32')), ValueError,
      'crossEntropy: target class 3 at flat index 2 is out of bounds for 3 classes', 'or ignoreIndex -100');
    expectError(() => nllLoss(logits, tensor([0, -1, 0, 0], 'int32')), ValueError, 'nllLoss: target class -1');
    expectError(() => multiMarginLoss(logits, tensor([0, 0, 0, 7], 'int32')), ValueError, 'multiMarginLoss: target class 7', '3 classes');
  });

  it('a class weight of the wrong length', () => {
    expectError(() => crossEntropy(logits, tensor([0, 1, 2, 0], 'int32'), { weight: zeros([4]) }), ShapeError,
      'crossEntropy: weight has shape [4]; expected one weight per class, shape [3]');
  });

  it('BCE weights that do not broadcast to the input', () => {
    expectError(() => binaryCrossEntropyWithLogits(zeros([2, 3]), zeros([2, 3]), { posWeight: zeros([2]) }), ShapeError,
      'binaryCrossEntropyWithLogits: posWeight of shape [2] does not broadcast to the input\'s shape [2, 3]');
  });

  it('hingeLoss targets outside {−1, 1}', () => {
    expectError(() => hingeLoss(zeros([3]), tensor([1, 0, -1])), ValueError, 'hingeLoss: target holds 0 at flat index 1');
  });

  it('probabilities outside [0, 1] for binaryCrossEntropy', () => {
    expectError(() => binaryCrossEntropy(tensor([0.5, 2.5]), tensor([1, 0])), ValueError,
      'binaryCrossEntropy: input holds 2.5 at flat index 1', 'binaryCrossEntropyWithLogits');
  });

  it('inputs of an unsupported rank', () => {
    expectError(() => crossEntropy(zeros([]), zeros([], { dtype: 'int32' })), ShapeError, 'crossEntropy: input is a scalar');
    expectError(() => multiMarginLoss(zeros([2, 3, 4]), zeros([2], { dtype: 'int32' })), ShapeError, 'multiMarginLoss: input has shape [2, 3, 4]');
  });

  it('penalties of integer parameters', () => {
    expectError(() => l2Penalty([zeros([2]), zeros([2], { dtype: 'int32' })]), DTypeError, 'l2Penalty: parameter 1 has dtype int32');
  });
});

describe('options out of range, misspelt or mistyped', () => {
  const x = zeros([2]);
  it('range checks as PyTorch', () => {
    expectError(() => huberLoss(x, x, { delta: 0 }), ValueError, 'huberLoss: delta must be positive, got 0');
    expectError(() => smoothL1Loss(x, x, { beta: -1 }), ValueError, 'smoothL1Loss: beta must be non-negative');
    expectError(() => crossEntropy(logits, tensor([0, 1, 2, 0], 'int32'), { labelSmoothing: 1.5 }), ValueError, 'labelSmoothing must be in [0, 1], got 1.5');
    expectError(() => crossEntropy(logits, zeros([4, 3]), { ignoreIndex: 0 }), ValueError, 'ignoreIndex 0 is not supported with class-probability targets');
    expectError(() => multiMarginLoss(logits, tensor([0, 1, 2, 0], 'int32'), { p: 3 }), ValueError, 'p must be 1 or 2, got 3');
  });

  it('an unknown option is named, with the known ones', () => {
    expectError(() => mseLoss(x, x, { reductoin: 'sum' } as never), ValueError, "mseLoss: unknown option 'reductoin'; the options are reduction");
  });

  it('a value of the wrong kind is named', () => {
    expectError(() => mseLoss(x, x, { reduction: 'avg' as never }), ValueError, "mseLoss: option 'reduction' must be one of 'mean', 'sum', 'none', got 'avg'");
    expectError(() => klDiv(x, x, { reduction: 'batchmean', logTarget: 1 as never }), ValueError, "option 'logTarget' must be true or false, got number 1");
    expectError(() => nllLoss(logits, tensor([0, 1, 2, 0], 'int32'), { ignoreIndex: 0.5 }), ValueError, "option 'ignoreIndex' must be an integer");
    expectError(() => crossEntropy(logits, tensor([0, 1, 2, 0], 'int32'), { weight: [1, 2, 3] as never }), ValueError, "option 'weight' must be a Tensor, got an array");
  });
});
