import { Generator, adamStep_, addInPlace_, randn, rand, setBackend, sgdStep_, type Tensor } from '@backprop/tensor';
import { runKernel, sigmoid, tanh, wrap } from '@backprop/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks } from '../src/index.js';
import { expectClose } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

const SIZES = [3, 256, 1027];

function fresh(size: number, seed: number, positive = false): Tensor {
  const g = new Generator(seed);
  return positive ? rand([size], { generator: g }) : randn([size], { generator: g });
}

/** Runs `update` on its own copies of the same buffers on cpu and on wasm; returns both sets. */
function onBothInPlace(make: () => Tensor[], update: (buffers: Tensor[]) => void): { cpu: Tensor[]; wasm: Tensor[] } {
  const out: Record<'cpu' | 'wasm', Tensor[]> = { cpu: [], wasm: [] };
  for (const backend of ['cpu', 'wasm'] as const) {
    const buffers = make();
    setBackend(backend);
    try {
      for (let step = 0; step < 3; step++) update(buffers);
    } finally {
      setBackend('cpu');
    }
    out[backend] = buffers;
  }
  return out;
}

describe('wasm training-step kernels agree with cpu', () => {
  it('runs the activation gradients, accumulation and the Adam and SGD updates in wasm', () => {
    setBackend('wasm');
    try {
      for (const name of ['sigmoidGrad', 'tanhGrad', 'reluGrad', 'addInPlace', 'adamStep', 'sgdStep']) expect(wasmFallbacks()).not.toContain(name);
    } finally {
      setBackend('cpu');
    }
  });

  it('activation gradients, bit for bit', () => {
    for (const size of SIZES) {
      const x = fresh(size, 1);
      const g = fresh(size, 2);
      // Each kernel takes [g, v]: v is the activation's output (sigmoid, tanh) or its input (relu).
      for (const [name, v] of [['sigmoidGrad', sigmoid(x)], ['tanhGrad', tanh(x)], ['reluGrad', x]] as const) {
        const grads: Record<string, Tensor> = {};
        for (const backend of ['cpu', 'wasm'] as const) {
          setBackend(backend);
          grads[backend] = wrap(runKernel(name, [g, v], {}));
          setBackend('cpu');
        }
        expect(Array.from(grads.wasm.data)).toEqual(Array.from(grads.cpu.data));
      }
    }
  });

  it('addInPlace with and without a scale', () => {
    for (const size of SIZES) {
      for (const alpha of [1, -0.5]) {
        const { cpu, wasm } = onBothInPlace(() => [fresh(size, 3), fresh(size, 4)], ([a, b]) => addInPlace_(a, b, alpha));
        expectClose(wasm[0], cpu[0]);
      }
    }
  });

  it('Adam and AdamW with amsgrad, maximize and weight decay', () => {
    for (const size of SIZES) {
      for (const variant of [
        { amsgrad: false, maximize: false, decoupled: false, weightDecay: 0 },
        { amsgrad: true, maximize: false, decoupled: false, weightDecay: 0.1 },
        { amsgrad: false, maximize: true, decoupled: true, weightDecay: 0.01 },
      ]) {
        let step = 0;
        const make = () => {
          step = 0;
          return [fresh(size, 5), fresh(size, 6), fresh(size, 7), fresh(size, 8, true), fresh(size, 8, true)];
        };
        const { cpu, wasm } = onBothInPlace(make, ([p, g, m, v, vmax]) => {
          step += 1;
          const lr = 0.01;
          adamStep_(p, g, m, v, variant.amsgrad ? vmax : v, {
            beta1: 0.9, beta2: 0.999, eps: 1e-8, ...variant,
            stepSize: lr / (1 - 0.9 ** step), bias2Sqrt: Math.sqrt(1 - 0.999 ** step), shrink: 1 - lr * variant.weightDecay,
          });
        });
        for (const i of [0, 2, 3, 4]) expectClose(wasm[i], cpu[i], 1e-5, 1e-6);
      }
    }
  });

  it('SGD with momentum, dampening, Nesterov and weight decay', () => {
    for (const size of SIZES) {
      for (const variant of [
        { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0 },
        { momentum: 0.9, dampening: 0.1, nesterov: false, weightDecay: 0.01 },
        { momentum: 0.9, dampening: 0, nesterov: true, weightDecay: 0 },
      ]) {
        let first = true;
        const make = () => {
          first = true;
          return [fresh(size, 9), fresh(size, 10), fresh(size, 11)];
        };
        const { cpu, wasm } = onBothInPlace(make, ([p, g, buf]) => {
          sgdStep_(p, g, buf, { lr: 0.1, maximize: false, first, ...variant });
          first = false;
        });
        expectClose(wasm[0], cpu[0]);
        expectClose(wasm[2], cpu[2]);
      }
    }
  });
});
