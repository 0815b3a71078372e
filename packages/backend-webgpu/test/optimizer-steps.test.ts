import { beforeAll, describe, expect, it } from 'vitest';
import { adadeltaStep_, adagradStep_, adamStep_, rmspropStep_, setBackend, sgdStep_, zeros, type Tensor } from '@backprop/tensor';
import { expectClose, onGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);

type Update = (param: Tensor, grad: Tensor, state: Tensor[], step: number) => void;

/**
 * Runs three steps of `update` on cpu and on webgpu from the same parameter, gradients and zeroed state,
 * and compares the parameter and every state buffer.
 */
async function expectSameSteps(update: Update, stateCount: number): Promise<void> {
  const shape = [7, 33];
  const start = random(shape, 1);
  const grads = [2, 3, 4].map((seed) => random(shape, seed));
  const cpuParam = start.mul(1);
  const cpuState = Array.from({ length: stateCount }, () => zeros(shape));
  const gpuParam = onGpu(start);
  const gpuState = cpuState.map(onGpu);
  for (const [k, g] of grads.entries()) {
    update(cpuParam, g, cpuState, k + 1);
    const gpuGrad = onGpu(g);
    setBackend('webgpu');
    try {
      update(gpuParam, gpuGrad, gpuState, k + 1);
    } finally {
      setBackend('cpu');
    }
  }
  expect(gpuParam.device).toBe('webgpu');
  expectClose(await gpuParam.read(), cpuParam.dataSync(), 2e-6);
  for (const [k, s] of gpuState.entries()) expectClose(await s.read(), cpuState[k].dataSync(), 2e-6);
}

describe('fused optimizer steps match cpu over three steps', () => {
  it('sgdStep: plain, and with momentum, dampening, Nesterov, weight decay, maximize', async () => {
    const plain = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
    await expectSameSteps((p, g, [b], k) => sgdStep_(p, g, b, { ...plain, first: k === 1 }), 1);
    const full = { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01, nesterov: false, maximize: true };
    await expectSameSteps((p, g, [b], k) => sgdStep_(p, g, b, { ...full, first: k === 1 }), 1);
    await expectSameSteps((p, g, [b], k) => sgdStep_(p, g, b, { ...full, dampening: 0, nesterov: true, first: k === 1 }), 1);
  });

  it('adamStep: Adam, AdamW and amsgrad', async () => {
    const base = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false };
    const at = (k: number, lr: number, wd: number) => ({ stepSize: lr / (1 - 0.9 ** k), bias2Sqrt: Math.sqrt(1 - 0.999 ** k), shrink: 1 - lr * wd });
    await expectSameSteps((p, g, [m, v], k) => adamStep_(p, g, m, v, v, { ...base, ...at(k, 0.01, 0) }), 2);
    await expectSameSteps((p, g, [m, v], k) => adamStep_(p, g, m, v, v, { ...base, weightDecay: 0.1, decoupled: true, ...at(k, 0.01, 0.1) }), 2);
    await expectSameSteps((p, g, [m, v, mx], k) => adamStep_(p, g, m, v, mx, { ...base, amsgrad: true, weightDecay: 0.1, ...at(k, 0.01, 0.1) }), 3);
  });

  it('rmspropStep, adagradStep and adadeltaStep', async () => {
    const rms = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
    await expectSameSteps((p, g, [s]) => rmspropStep_(p, g, s, p, p, rms), 1);
    await expectSameSteps((p, g, [s, a, b]) => rmspropStep_(p, g, s, a, b, { ...rms, momentum: 0.9, centered: true, weightDecay: 0.1 }), 3);
    await expectSameSteps((p, g, [s]) => adagradStep_(p, g, s, { clr: 0.1, weightDecay: 0.01, eps: 1e-10, maximize: false }), 1);
    await expectSameSteps((p, g, [v, u]) => adadeltaStep_(p, g, v, u, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: true }), 2);
  });
});
