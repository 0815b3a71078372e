import { gradients } from '@backprop/autograd';
import { tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { l1Penalty, l2Penalty, mseLoss } from '../src/index.js';

describe('l1Penalty and l2Penalty', () => {
  const w = tensor([[1, -2], [0.5, 3]], 'float64').requiresGrad_();
  const b = tensor([-4], 'float64').requiresGrad_();

  it('l1Penalty is Σ|w| with gradient sign(w)', () => {
    const penalty = l1Penalty([w, b]);
    expect(penalty.item()).toBe(10.5);
    const [dw, db] = gradients(penalty, [w, b]);
    expect(dw.toArray()).toEqual([[1, -1], [1, 1]]);
    expect(db.toArray()).toEqual([-1]);
  });

  it('l2Penalty is ½Σw², so λ·l2Penalty has gradient λw (SGD weight decay λ)', () => {
    expect(l2Penalty([w, b]).item()).toBe((1 + 4 + 0.25 + 9 + 16) / 2);
    const [dw, db] = gradients(l2Penalty([w, b]).mul(0.01), [w, b]);
    expect(dw.toArray()).toEqual([[0.01, -0.02], [0.005, 0.03]]);
    expect(db.toArray()).toEqual([-0.04]);
  });

  it('adds to a loss, takes any iterable and is 0 for no parameters', () => {
    function* params() {
      yield w;
      yield b;
    }
    const x = tensor([1, 2], 'float64');
    const loss = mseLoss(x, tensor([1, 4], 'float64')).add(l2Penalty(params()).mul(0.1));
    expect(loss.item()).toBeCloseTo(2 + 0.1 * 15.125, 12);
    expect(l1Penalty([]).item()).toBe(0);
  });
});
