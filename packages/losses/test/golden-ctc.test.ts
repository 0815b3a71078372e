import { gradCheck } from '@backprop/autograd';
import * as T from '@backprop/tensor';
import { Generator, cast, logSoftmax, randn, tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import * as L from '../src/index.js';
import { ctcLoss } from '../src/index.js';
import { ctcCall } from './named-calls.js';
import { itMatchesEachCase, loadNamedCases } from './named-cases.js';

describe('ctcLoss matches F.ctc_loss of PyTorch 1.13 in float64', () => {
  itMatchesEachCase(loadNamedCases('ctc.json'), ctcCall(L, T));
});

describe('ctcLoss', () => {
  const generator = new Generator(5);
  const targets = tensor([[1, 2, 2], [3, 1, 0]], 'int32');

  it('passes gradCheck on the log-probabilities themselves, for every reduction', () => {
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const logits = randn([6, 2, 4], { generator, dtype: 'float64' });
      const result = gradCheck((lp) => ctcLoss(lp, targets, [6, 4], [3, 2], { reduction }), [logSoftmax(logits, 2)]);
      expect(result.ok, result.message).toBe(true);
    }
  });

  it('is the negative log of the only alignment when the input is as long as it must be', () => {
    // [1, 1] in 3 frames has one alignment: 1, blank, 1.
    const logProbs = logSoftmax(randn([3, 3], { generator, dtype: 'float64' }), 1);
    const lp = logProbs.toArray() as number[][];
    const loss = ctcLoss(logProbs, tensor([1, 1], 'int32'), 3, 2, { reduction: 'sum' });
    expect(loss.item()).toBeCloseTo(-(lp[0][1] + lp[1][0] + lp[2][1]), 12);
  });

  it('works in float32 too: the finite stand-in for −∞ neither overflows nor leaks into possible alignments', () => {
    const logits = randn([8, 2, 4], { generator, dtype: 'float64' });
    const lengths = [8, 3];
    const wide = ctcLoss(logSoftmax(logits, 2), targets, lengths, [3, 2], { reduction: 'none' }).toArray() as number[];
    const narrow = ctcLoss(logSoftmax(cast(logits, 'float32'), 2), targets, lengths, [3, 2], { reduction: 'none' });
    expect(narrow.dtype).toBe('float32');
    const values = narrow.toArray() as number[];
    expect(values[0]).toBeCloseTo(wide[0], 4);
    // Sequence 1 ([3, 1] in 3 frames) is possible: 3, 1 plus one blank or repeat.
    expect(values[1]).toBeCloseTo(wide[1], 4);
    const impossible = ctcLoss(logSoftmax(cast(logits, 'float32'), 2), targets, [8, 1], [3, 2], { reduction: 'none' }).toArray() as number[];
    expect(impossible[1]).toBe(Infinity);
  });

  it('names the problem in its errors', () => {
    const logProbs = logSoftmax(randn([4, 2, 3], { generator }), 2);
    expect(() => ctcLoss(logProbs, targets, [4, 4], [3, 2])).toThrow(/ctcLoss: target 1 holds label 3 at 0; expected classes in \[0, 3\)/);
    expect(() => ctcLoss(logProbs, tensor([[1, 2], [2, 1]], 'int32'), [5, 4], [2, 2])).toThrow(/ctcLoss: inputLengths\[0\] is 5 but logProbs has 4 frames/);
    expect(() => ctcLoss(logProbs, tensor([[1, 2], [2, 1]], 'int32'), [4, 4], [3, 2])).toThrow(/ctcLoss: targetLengths\[0\] is 3 but the padded targets hold only 2/);
    expect(() => ctcLoss(logProbs, tensor([[1, 0], [2, 1]], 'int32'), [4, 4], [2, 2])).toThrow(/other than the blank 0/);
    expect(() => ctcLoss(logProbs, tensor([1, 2, 1], 'int32'), [4, 4], [2, 2])).toThrow(/concatenated targets hold 3 labels but targetLengths add up to 4/);
    expect(() => ctcLoss(logProbs, tensor([1, 2, 1], 'int32'), [4, 4], [2, 1], { zero_infinity: true } as never)).toThrow(/ctcLoss: unknown option 'zero_infinity'/);
  });
});
