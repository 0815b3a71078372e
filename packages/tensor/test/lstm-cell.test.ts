// The fused LSTM cell against the composed ops it replaces, and its argument checks.
import { describe, expect, it } from 'vitest';
import { Generator, lstmCell, randn, runKernel, tensor, wrap, zeros, type DType, type Tensor } from '../src/index.js';

const gen = new Generator(3);

function composed(gates: Tensor, c: Tensor): [Tensor, Tensor] {
  const [i, f, g, o] = gates.chunk(4, 1);
  const cNext = f.sigmoid().mul(c).add(i.sigmoid().mul(g.tanh()));
  return [o.sigmoid().mul(cNext.tanh()), cNext];
}

describe('lstmCell', () => {
  for (const dtype of ['float32', 'float64'] as DType[]) {
    it(`equals sigmoid/tanh/mul/add composed, bit for bit (${dtype})`, () => {
      // Wide values reach both branches of the sigmoid and its saturation.
      const gates = randn([5, 24], { generator: gen, dtype }).mul(4);
      const c = randn([5, 6], { generator: gen, dtype });
      const [h, cn] = lstmCell(gates, c);
      const [h0, c0] = composed(gates, c);
      expect(h.shape).toEqual([5, 6]);
      expect(cn.shape).toEqual([5, 6]);
      expect(h.dtype).toBe(dtype);
      expect(Array.from(h.dataSync())).toEqual(Array.from(h0.dataSync()));
      expect(Array.from(cn.dataSync())).toEqual(Array.from(c0.dataSync()));
    });
  }

  it('saves the activated gates after h and c, in the order i, f, g, o', () => {
    const gates = tensor([[0, 0, 0, 0]]);
    const out = wrap(runKernel('lstmCell', [gates, zeros([1, 1])], { hidden: 1 }));
    expect(Array.from(out.dataSync())).toEqual([0, 0, 0.5, 0.5, 0, 0.5]);
  });

  it('names the shapes and dtypes it expects', () => {
    expect(() => lstmCell(zeros([2, 6]), zeros([2, 1]))).toThrow(/lstmCell.*\[N, 4·H\].*\[2, 6\]/);
    expect(() => lstmCell(zeros([2, 8]), zeros([2, 3]))).toThrow(/lstmCell.*\[2, 2\].*\[2, 3\]/);
    expect(() => lstmCell(zeros([2, 8]), zeros([2, 2], { dtype: 'float64' }))).toThrow(/lstmCell.*float32.*float64/);
    expect(() => lstmCell(zeros([2, 8], { dtype: 'int32' }), zeros([2, 2], { dtype: 'int32' }))).toThrow(/lstmCell.*float32 or float64.*int32/);
  });
});
