import { gradients } from '@backprop/autograd';
import type { Tensor } from '@backprop/tensor';
import { describe, it } from 'vitest';
import {
  binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, hingeLoss, huberLoss, klDiv, l1Loss, mseLoss,
  multiMarginLoss, nllLoss, smoothL1Loss,
} from '../src/index.js';
import { expectMatches, fromFixture, loadCases } from './fixture-helpers.js';

const LOSSES: Record<string, (input: Tensor, target: Tensor, options: any) => Tensor> = {
  mseLoss, l1Loss, huberLoss, smoothL1Loss, binaryCrossEntropy, binaryCrossEntropyWithLogits, hingeLoss,
  multiMarginLoss, crossEntropy, nllLoss, klDiv,
};

const cases = loadCases();

describe('values and gradients match PyTorch 1.13 in float64', () => {
  it('covers every loss', () => {
    const missing = Object.keys(LOSSES).filter((name) => !cases.some((c) => c.loss === name));
    if (missing.length > 0) throw new Error(`no golden case for ${missing.join(', ')}`);
  });

  for (const c of cases) {
    it(c.id, () => {
      const input = fromFixture(c.input).requiresGrad_();
      const target = fromFixture(c.target);
      if (c.grads.target) target.requiresGrad_();
      const tensorOptions = Object.fromEntries(Object.entries(c.tensorOptions).map(([k, v]) => [k, fromFixture(v)]));
      const output = LOSSES[c.loss](input, target, { ...c.options, ...tensorOptions });
      expectMatches(output, c.output, 'value');

      const total = c.upstream ? output.mul(fromFixture(c.upstream)).sum() : output;
      const wrt = c.grads.target ? [input, target] : [input];
      const [dInput, dTarget] = gradients(total, wrt);
      expectMatches(dInput, c.grads.input, 'gradient w.r.t. input');
      if (c.grads.target) expectMatches(dTarget, c.grads.target, 'gradient w.r.t. target');
    });
  }
});
