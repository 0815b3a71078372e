import { gradients } from '@backprop/autograd';
import { sigmoid, tensor, type Tensor } from '@backprop/tensor';
import { describe, expect, it } from 'vitest';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, nllLoss } from '../src/index.js';

/** The values with −0 read as 0, which toEqual would tell apart. */
const values = (t: Tensor): number[] => t.toFlatArray().map((v) => v + 0);

// float32, the default dtype, where overflow bites first.
describe('extreme logits give finite, exact losses and gradients', () => {
  it('crossEntropy with class indices and logits of ±1e4', () => {
    const logits = tensor([[1e4, 0, -1e4], [-1e4, 1e4, 0]]).requiresGrad_();
    const target = tensor([2, 1], 'int32');
    expect(values(crossEntropy(logits, target, { reduction: 'none' }))).toEqual([2e4, 0]);
    const [d] = gradients(crossEntropy(logits, target), [logits]);
    // (softmax − one-hot)/N
    expect(values(d)).toEqual([0.5, 0, -0.5, 0, 0, 0]);
  });

  it('crossEntropy with class probabilities and logits of ±1e4', () => {
    const logits = tensor([[1e4, -1e4]]).requiresGrad_();
    const target = tensor([[0.25, 0.75]]).requiresGrad_();
    expect(crossEntropy(logits, target).item()).toBe(1.5e4);
    const [dLogits, dTarget] = gradients(crossEntropy(logits, target), [logits, target]);
    expect(dLogits.toArray()).toEqual([[0.75, -0.75]]);
    expect(values(dTarget)).toEqual([0, 2e4]);
  });

  it('crossEntropy and nllLoss ignore a −∞ logit of another class', () => {
    const logits = tensor([[0, -Infinity, Math.log(3)]]).requiresGrad_();
    const loss = crossEntropy(logits, tensor([2], 'int32'));
    expect(loss.item()).toBeCloseTo(Math.log(4 / 3), 6);
    const [d] = gradients(loss, [logits]);
    expect(d.toFlatArray().map((v) => Number(v.toFixed(6)))).toEqual([0.25, 0, -0.25]);
    expect(nllLoss(tensor([[-Infinity, -0.5]]), tensor([1], 'int32')).item()).toBe(0.5);
  });

  it('binaryCrossEntropyWithLogits with logits of ±1e4', () => {
    const x = tensor([1e4, -1e4, 1e4, -1e4]).requiresGrad_();
    const y = tensor([1, 1, 0, 0]);
    expect(binaryCrossEntropyWithLogits(x, y, { reduction: 'none' }).toArray()).toEqual([0, 1e4, 1e4, 0]);
    expect(binaryCrossEntropyWithLogits(x, y, { reduction: 'none', posWeight: tensor([3]) }).toArray()).toEqual([0, 3e4, 1e4, 0]);
    const [d] = gradients(binaryCrossEntropyWithLogits(x, y, { reduction: 'sum' }), [x]);
    expect(d.toArray()).toEqual([0, -1, 1, 0]); // σ(x) − y
  });

  it('binaryCrossEntropyWithLogits has the gradient σ(0) − y = −½ at a zero logit', () => {
    const x = tensor([0]).requiresGrad_();
    const [d] = gradients(binaryCrossEntropyWithLogits(x, tensor([1])), [x]);
    expect(d.toArray()).toEqual([-0.5]);
  });

  it('binaryCrossEntropy on a saturated float32 sigmoid clamps the loss at 100 and keeps gradients finite', () => {
    const p = sigmoid(tensor([30, -30])); // exactly 1 and about 1e-13 in float32
    expect(p.dataSync()[0]).toBe(1);
    const x = tensor([1, 0]).requiresGrad_();
    const y = tensor([0, 1]).requiresGrad_();
    expect(binaryCrossEntropy(x, y, { reduction: 'none' }).toArray()).toEqual([100, 100]);
    const [dx, dy] = gradients(binaryCrossEntropy(x, y, { reduction: 'sum' }), [x, y]);
    expect(dx.toFlatArray().every(Number.isFinite)).toBe(true);
    expect(Math.sign(dx.dataSync()[0])).toBe(1);
    // The derivative of the clamped loss: max(log(1 − x), −100) − max(log x, −100).
    expect(dy.toArray()).toEqual([-100, 100]);
  });
});
