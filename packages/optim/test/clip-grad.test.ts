import { describe, expect, it } from 'vitest';
import { tensor } from '@backprop/tensor';
import { clipGradNorm, clipGradNormAsync, clipGradNormTensor, clipGradValue } from '../src/index.js';
import { expectClose, fixture } from './helpers.js';

interface ClipCase {
  maxNorm: number;
  normType: number | 'inf';
  totalNorm: number;
  clipped: number[][];
}
const { grads, cases } = fixture<{ grads: number[][]; cases: ClipCase[] }>('clip.json');

function withGrads() {
  return grads.map((g) => {
    const p = tensor(new Float64Array(g.length)).requiresGrad_();
    p.grad = tensor(Float64Array.from(g));
    return p;
  });
}

describe('clipGradNorm', () => {
  it.each(cases.map((c) => [c.normType, c.maxNorm, c] as const))('matches clip_grad_norm_ (norm %s, max %s)', (_t, _m, c) => {
    const params = withGrads();
    expectClose([clipGradNorm(params, c.maxNorm, c.normType)], [c.totalNorm], 1e-14, 0, 'total norm');
    params.forEach((p, i) => expectClose(p.grad!.dataSync(), c.clipped[i], 1e-14, 1e-16, `grad ${i}`));
  });

  it('skips parameters without gradients and returns 0 when there are none', () => {
    const bare = tensor([1, 2], 'float64').requiresGrad_();
    expect(clipGradNorm([bare], 1)).toBe(0);
    const [p] = withGrads();
    expect(clipGradNorm([bare, p], 100)).toBeCloseTo(Math.hypot(...grads[0]), 14);
  });

  it('throws on a non-finite norm only when asked, and checks its arguments', () => {
    const p = tensor([0], 'float64').requiresGrad_();
    p.grad = tensor([Infinity], 'float64');
    expect(() => clipGradNorm(p, 1, 2, { errorIfNonfinite: true })).toThrow(/clipGradNorm: the total norm of order 2 of the gradients is Infinity/);
    expect(clipGradNorm(p, 1)).toBe(Infinity);
    expect(() => clipGradNorm(p, -1)).toThrow(/clipGradNorm: maxNorm must be a number >= 0, got -1/);
    expect(() => clipGradNorm(p, 1, 0)).toThrow(/clipGradNorm: normType must be a number > 0, got 0/);
  });
});

describe('clipGradNormAsync', () => {
  it.each(cases.map((c) => [c.normType, c.maxNorm, c] as const))('matches clip_grad_norm_ as clipGradNorm does (norm %s, max %s)', async (_t, _m, c) => {
    const params = withGrads();
    expectClose([await clipGradNormAsync(params, c.maxNorm, c.normType)], [c.totalNorm], 1e-14, 0, 'total norm');
    params.forEach((p, i) => expectClose(p.grad!.dataSync(), c.clipped[i], 1e-14, 1e-16, `grad ${i}`));
  });

  it('returns 0 without gradients, and checks its arguments and the norm as clipGradNorm', async () => {
    expect(await clipGradNormAsync([tensor([1, 2], 'float64').requiresGrad_()], 1)).toBe(0);
    const p = tensor([0], 'float64').requiresGrad_();
    p.grad = tensor([Infinity], 'float64');
    await expect(clipGradNormAsync(p, 1, 2, { errorIfNonfinite: true })).rejects.toThrow(/clipGradNormAsync: the total norm of order 2 of the gradients is Infinity/);
    await expect(clipGradNormAsync(p, -1)).rejects.toThrow(/clipGradNormAsync: maxNorm must be a number >= 0, got -1/);
  });
});

describe('clipGradNormTensor', () => {
  it.each(cases.map((c) => [c.normType, c.maxNorm, c] as const))('matches clip_grad_norm_, returning the norm as a tensor (norm %s, max %s)', (_t, _m, c) => {
    const params = withGrads();
    const norm = clipGradNormTensor(params, c.maxNorm, c.normType);
    expect(norm.shape).toEqual([]);
    expectClose(norm.dataSync(), [c.totalNorm], 1e-14, 0, 'total norm');
    params.forEach((p, i) => expectClose(p.grad!.dataSync(), c.clipped[i], 1e-14, 1e-16, `grad ${i}`));
  });

  it('returns a 0-d 0 without gradients and checks its arguments', () => {
    expect(clipGradNormTensor([tensor([1, 2], 'float64').requiresGrad_()], 1).item()).toBe(0);
    expect(() => clipGradNormTensor(tensor([1]), -1)).toThrow(/clipGradNormTensor: maxNorm must be a number >= 0, got -1/);
  });
});

describe('clipGradValue', () => {
  it('clamps every gradient element into [−clipValue, clipValue]', () => {
    const params = withGrads();
    clipGradValue(params, 1);
    expect(params.map((p) => Array.from(p.grad!.dataSync()))).toEqual(grads.map((g) => g.map((v) => Math.min(Math.max(v, -1), 1))));
    expect(() => clipGradValue(params, -1)).toThrow(/clipGradValue: clipValue must be a number >= 0, got -1/);
  });
});
