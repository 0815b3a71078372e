import '@backprop/autograd';
import {
  Generator, adagradStep_, adamStep_, avgPool2d, cast, concat, conv2d, eq, gather, ne, where, maxPool2d, oneHot as oneHotOf, runKernel, softmax, tensor, wrap, clampInPlace_, copy_, fill_, liveDeviceMemory, logSoftmax, matmul, randint, randn,
  rmspropStep_, scaleInPlace_, setBackend, sigmoid, slice, sliceAddInPlace_, tanh, zerosLike, type Tensor,
} from '@backprop/tensor';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmFallbacks, wasmMemoryBytes } from '../src/index.js';
import { expectClose } from './helpers.js';

beforeAll(async () => {
  await useWasmBackend();
});

afterEach(() => setBackend('cpu'));

const BETA1 = 0.9;
const BETA2 = 0.999;

/** Adam's update of every parameter through the fused kernel, as @backprop/optim's Adam calls it. */
function adamStep(params: readonly Tensor[], state: readonly [Tensor, Tensor][], t: number, lr: number): void {
  params.forEach((p, i) => {
    const [m, v] = state[i];
    const options = {
      beta1: BETA1, beta2: BETA2, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false,
      stepSize: lr / (1 - BETA1 ** t), bias2Sqrt: Math.sqrt(1 - BETA2 ** t), shrink: 1,
    };
    adamStep_(p, p.grad!, m, v, v, options);
  });
}

/** One Adam step from zero state with lr 0.1. */
const ADAM_ONE = {
  beta1: BETA1, beta2: BETA2, eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, decoupled: false,
  stepSize: 0.1 / (1 - BETA1), bias2Sqrt: Math.sqrt(1 - BETA2), shrink: 1,
};

interface Trained {
  losses: number[];
  params: Tensor[];
  state: Tensor[];
}

/** `steps` plain-loop steps of Adam on `params` (from zero state) minimizing `lossOf()`. */
function trainWithAdam(params: Tensor[], steps: number, lr: number, lossOf: () => Tensor): Trained {
  const state = params.map((p) => [zerosLike(p), zerosLike(p)] as [Tensor, Tensor]);
  const losses: number[] = [];
  for (let step = 1; step <= steps; step++) {
    const loss = lossOf();
    losses.push(loss.item());
    for (const p of params) p.grad = null;
    loss.backward();
    adamStep(params, state, step, lr);
  }
  return { losses, params, state: state.flat() };
}

/** A 2-layer MLP (20 → 32 → 5, log-softmax cross-entropy) trained with Adam as a plain loop. */
function trainMlp(backend: string, steps: number, seed = 123): Trained {
  setBackend(backend);
  const g = new Generator(seed);
  const x = randn([64, 20], { generator: g });
  const oneHot = cast(oneHotOf(randint(0, 5, [64], { generator: g }), 5), 'float32');
  const params = [
    randn([20, 32], { generator: g }).mul(0.3), randn([32], { generator: g }).mul(0.1),
    randn([32, 5], { generator: g }).mul(0.3), randn([5], { generator: g }).mul(0.1),
  ].map((p) => p.requiresGrad_());
  const [w1, b1, w2, b2] = params;
  return trainWithAdam(params, steps, 0.01, () => {
    const h = matmul(x, w1).add(b1).relu();
    return logSoftmax(matmul(h.tanh(), w2).add(b2), -1).mul(oneHot).sum().neg().div(64);
  });
}

/**
 * A one-layer LSTM (input 8, hidden 16, 6 time steps, batch 4) regressing its last hidden state with Adam.
 * The input projection of all steps is one matmul sliced per step, and each step's gates are slices of one
 * [B, 4H] tensor, so backpropagation through time accumulates with sliceAddInPlace_.
 */
function trainLstm(backend: string, steps: number): Trained {
  setBackend(backend);
  const [T, B, I, H] = [6, 4, 8, 16];
  const g = new Generator(7);
  const x = randn([T * B, I], { generator: g });
  const target = randn([B, H], { generator: g }).mul(0.5);
  const params = [
    randn([I, 4 * H], { generator: g }).mul(0.3), randn([H, 4 * H], { generator: g }).mul(0.3), randn([4 * H], { generator: g }).mul(0.1),
  ].map((p) => p.requiresGrad_());
  const [wx, wh, bias] = params;
  return trainWithAdam(params, steps, 0.02, () => {
    const projected = matmul(x, wx).add(bias);
    let h = zerosLike(target);
    let c = zerosLike(target);
    for (let t = 0; t < T; t++) {
      const gates = slice(projected, 0, t * B, (t + 1) * B).add(matmul(h, wh));
      const [i, f, u, o] = [0, 1, 2, 3].map((k) => slice(gates, 1, k * H, (k + 1) * H));
      c = sigmoid(f).mul(c).add(sigmoid(i).mul(tanh(u)));
      h = sigmoid(o).mul(tanh(c));
    }
    return h.sub(target).square().sum().div(B * H);
  });
}

function expectSameTraining(wasm: Trained, cpu: Trained): void {
  expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]);
  for (let i = 0; i < cpu.losses.length; i++) expect(Math.abs(wasm.losses[i] - cpu.losses[i])).toBeLessThan(1e-4 * Math.max(1, Math.abs(cpu.losses[i])));
  wasm.params.forEach((p, i) => expectClose(p, cpu.params[i], 1e-3, 1e-4));
  wasm.state.forEach((s, i) => expectClose(s, cpu.state[i], 1e-3, 1e-5));
}

describe('training state resident in the wasm heap', () => {
  it('keeps parameters and Adam state resident after a step, with the values of the cpu run', () => {
    const cpu = trainMlp('cpu', 10);
    const wasm = trainMlp('wasm', 10);
    for (const t of [...wasm.params, ...wasm.state]) expect(t.device).toBe('wasm');
    for (const t of [...cpu.params, ...cpu.state]) expect(t.device).toBe('cpu');
    expectSameTraining(wasm, cpu);
  });

  it('trains an LSTM through time on wasm as on cpu', () => {
    const cpu = trainLstm('cpu', 8);
    const wasm = trainLstm('wasm', 8);
    for (const t of [...wasm.params, ...wasm.state]) expect(t.device).toBe('wasm');
    expectSameTraining(wasm, cpu);
  });

  it('leaves tensors on the host past the resident budget, and trains the same', async () => {
    const cpu = trainMlp('cpu', 6);
    try {
      await useWasmBackend({ maxResidentBytes: 0 });
      const host = trainMlp('wasm', 6);
      for (const t of [...host.params, ...host.state]) expect(t.device).toBe('cpu');
      expectSameTraining(host, cpu);
      // A budget for part of the state: the first tensors move in, the rest stay on the host.
      await useWasmBackend({ maxResidentBytes: liveDeviceMemory('wasm').bytes + 3 * 20 * 32 * 4 });
      const part = trainMlp('wasm', 6);
      const devices = [...part.params, ...part.state].map((t) => t.device);
      expect(devices).toContain('wasm');
      expect(devices).toContain('cpu');
      expectSameTraining(part, cpu);
    } finally {
      await useWasmBackend();
    }
  });

  it('keeps wasm memory flat over thousands of steps of a synchronous loop', async () => {
    setBackend('wasm');
    const g = new Generator(5);
    const x = randn([32, 16], { generator: g });
    const y = randn([32, 16], { generator: g });
    const params = [randn([16, 32], { generator: g }).mul(0.2), randn([32, 16], { generator: g }).mul(0.2)].map((p) => p.requiresGrad_());
    const state = params.map((p) => [zerosLike(p), zerosLike(p)] as [Tensor, Tensor]);
    let step = 0;
    /** Plain synchronous steps: no await, so no finalizer can run in between. */
    const train = (steps: number): void => {
      for (const end = step + steps; step < end; ) {
        // The two halves of the hidden layer are slices, so backward accumulates them with sliceAddInPlace_
        // into a fresh buffer every step: a temporary, which must not be adopted by the heap.
        const hidden = matmul(x, params[0]);
        const h = slice(hidden, 1, 0, 16).relu().add(slice(hidden, 1, 16, 32).tanh());
        const loss = matmul(h, slice(params[1], 0, 0, 16)).sub(y).square().sum();
        // zeroGrad({ setToNone: false }): the gradients are long-lived and accumulate in place.
        for (const p of params) if (p.grad) fill_(p.grad, 0);
        loss.backward();
        adamStep(params, state, ++step, 1e-3);
      }
    };
    train(300);
    const live = liveDeviceMemory('wasm');
    const memory = await wasmMemoryBytes();
    train(2700);
    expect(liveDeviceMemory('wasm')).toEqual(live);
    expect(await wasmMemoryBytes()).toBe(memory);
    for (const t of [...params, ...params.map((p) => p.grad!), ...state.flat()]) expect(t.device).toBe('wasm');
  });

  it('runs the in-place updates of training on resident targets, bit for bit as cpu, without leaving the heap', () => {
    const kernels = ['fillInPlace', 'copyInPlace', 'scaleInPlace', 'clampInPlace', 'sliceAddInPlace', 'addInPlace', 'rmspropStep', 'adagradStep'];
    setBackend('wasm');
    for (const name of kernels) expect(wasmFallbacks()).not.toContain(name);
    const results: Record<string, Tensor[]> = {};
    for (const backend of ['cpu', 'wasm']) {
      setBackend(backend);
      const g = new Generator(11);
      const [p, grad, src] = [randn([6, 50], { generator: g }), randn([6, 50], { generator: g }), randn([6, 50], { generator: g })];
      const [sq, sum] = [fill_(zerosLike(p), 0), fill_(zerosLike(p), 0.1)];
      const rms = { lr: 0.01, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false };
      rmspropStep_(p, grad, sq, sq, sq, rms);
      adagradStep_(p, grad, sum, { clr: 0.1, weightDecay: 0, eps: 1e-10, maximize: false });
      const acc = fill_(zerosLike(p), 0.5);
      sliceAddInPlace_(acc, slice(src, 1, 0, 10), 1, 3, 2);
      scaleInPlace_(acc, 0.37);
      clampInPlace_(acc, -0.2, 0.3);
      const loaded = fill_(zerosLike(p), 0);
      copy_(loaded, src);
      results[backend] = [p, sq, sum, acc, loaded];
    }
    setBackend('cpu');
    results.wasm.forEach((t, i) => {
      expect(t.device).toBe('wasm');
      expect(Array.from(t.dataSync())).toEqual(Array.from(results.cpu[i].dataSync()));
    });
  });

  it('runs every wasm kernel on resident inputs in place, with the results of the same kernel on host copies', () => {
    setBackend('wasm');
    const g = new Generator(9);
    const host = [randn([64, 48], { generator: g }), randn([48, 40], { generator: g }), randn([40], { generator: g }), randn([2, 3, 12, 12], { generator: g }), randn([4, 3, 3, 3], { generator: g })];
    const resident = host.map((t) => copy_(fill_(zerosLike(t), 0), t));
    for (const t of resident) expect(t.device).toBe('wasm');
    const ops = ([a, b, bias, image, kernel]: Tensor[]): Tensor[] => [
      matmul(a, b), matmul(b, a, true, true), matmul(a, b).add(bias), a.mul(a), a.exp(), a.relu(), a.sum(1), a.max(0), a.sum(),
      softmax(a, -1), logSoftmax(b, -1), conv2d(image, kernel, null, { padding: 1 }), maxPool2d(image, { kernelSize: 2 }),
      avgPool2d(image, { kernelSize: 3, stride: 1 }), wrap(runKernel('tanhGrad', [a, a], {})),
    ];
    const fromHeap = ops(resident);
    const fromHost = ops(host);
    fromHeap.forEach((t, i) => expect(Array.from(t.dataSync()), `op ${i}`).toEqual(Array.from(fromHost[i].dataSync())));
  });

  it('reads resident inputs in place for the data-movement kernels, and returns host copies', () => {
    const src = randn([4, 80], { generator: new Generator(3) });
    setBackend('wasm');
    const p = fill_(zerosLike(src), 0);
    copy_(p, src);
    expect(p.device).toBe('wasm');
    const index = tensor([[3, 0], [1, 1], [0, 2], [2, 3]], [4, 2], { dtype: 'int32' });
    const ops = (t: Tensor): Tensor[] => [
      slice(t, 1, 0, 79), slice(t, 1, 3, 40, 2), t.permute([1, 0]), concat([t, t], 0), t.reshape([1, 4, 80]).expand([2, 4, 80]), gather(t, 1, index),
      cast(t, 'float64'), cast(t, 'float32').add(1), where(ne(t, 0), t, 1), eq(t, src),
    ];
    const onWasm = ops(p);
    for (const name of ['slice', 'permute', 'concat', 'expand', 'gather', 'cast', 'eq', 'ne', 'where']) expect(wasmFallbacks()).not.toContain(name);
    setBackend('cpu');
    const onCpu = ops(src);
    // The results are host arrays of their own: a later step on the resident tensor leaves them alone.
    setBackend('wasm');
    scaleInPlace_(p, 2);
    onWasm.forEach((t, i) => {
      expect(t.device).toBe('cpu');
      expect(Array.from(t.dataSync())).toEqual(Array.from(onCpu[i].dataSync()));
    });
  });

  it('trains on the shared-memory threaded build: state moves into its heap and feeds threaded products', async () => {
    const g = new Generator(21);
    const [a, b0, grad] = [randn([260, 240], { generator: g }), randn([240, 250], { generator: g }), randn([240, 250], { generator: g })];
    setBackend('cpu');
    const b = b0.mul(1);
    const adamFromZero = (p: Tensor): Tensor => {
      const v = zerosLike(p);
      return adamStep_(p, grad, zerosLike(p), v, v, ADAM_ONE);
    };
    const cpu = [matmul(a, adamFromZero(b)), b];
    try {
      await useWasmBackend({ threads: 1 });
      const resident = b0.mul(1);
      adamFromZero(resident);
      expect(resident.device).toBe('wasm');
      // Reloading moves the block into the new (shared) memory; the product of 15.6M multiply-adds is split.
      expect(await useWasmBackend({ threads: 2 })).toBe(2);
      expect(resident.device).toBe('wasm');
      const product = matmul(a, resident);
      expectClose(resident, cpu[1], 1e-5, 1e-6);
      expectClose(product, cpu[0], 1e-4, 1e-3);
    } finally {
      await useWasmBackend();
    }
  });

  it('keeps resident values when the kernels are reloaded with another build', async () => {
    setBackend('wasm');
    const p = fill_(randn([300]).mul(0), 0.25);
    expect(p.device).toBe('wasm');
    const before = Array.from(p.dataSync());
    try {
      await useWasmBackend({ fma: false });
      expect(p.device).toBe('wasm');
      expect(Array.from(p.dataSync())).toEqual(before);
      scaleInPlace_(p, 2);
      expect(Array.from(p.dataSync())).toEqual(before.map((v) => v * 2));
    } finally {
      await useWasmBackend();
    }
    expect(Array.from(p.dataSync())).toEqual(before.map((v) => v * 2));
  });
});
