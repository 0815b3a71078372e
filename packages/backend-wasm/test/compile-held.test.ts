import '@backprop/autograd';
import { noGrad } from '@backprop/autograd';
import { Linear, ReLU, Sequential, Tanh } from '@backprop/layers';
import { Generator, compile, liveDeviceMemory, logSoftmax, randint, randn, setBackend, type Tensor } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmMemoryBytes } from '../src/index.js';

afterAll(() => setBackend('cpu'));

// A compiled replay keeps the kernels' intermediate results in the wasm heap (device storage released at
// each one's last use) instead of copying every one out to a host array: the values must be eager mode's
// bit for bit, the heap's live blocks the same after every replay, and the returned tensors host values.

const makeModel = () => {
  const g = new Generator(7);
  return new Sequential(new Linear(256, 128, { generator: g }), new ReLU(), new Linear(128, 32, { generator: g }), new Tanh(), new Linear(32, 10, { generator: g }));
};

function lossOf(model: ReturnType<typeof makeModel>, x: Tensor, y: Tensor): Tensor {
  const logits = model.call(x) as Tensor;
  return logSoftmax(logits, -1).gather(1, y.reshape([-1, 1])).mean().neg();
}

function grads(model: ReturnType<typeof makeModel>): number[][] {
  return model.parameters().map((p) => Array.from(p.grad!.dataSync()));
}

describe('compile on wasm past the resident budget', () => {
  it('leaves the results it cannot hold on the host, the rest in the heap, with the same values', async () => {
    // 40 kB hold the first [64, 128] product (32 kB) but not the ReLU after it: a replay of both kinds.
    await useWasmBackend({ maxResidentBytes: 40_000 });
    try {
      const model = makeModel();
      const forward = compile((x: Tensor) => model.call(x) as Tensor);
      const x = randn([64, 256], { generator: new Generator(10) });
      const want = noGrad(() => model.call(x) as Tensor).dataSync();
      noGrad(() => forward(x));
      const live = liveDeviceMemory('wasm');
      for (let i = 0; i < 3; i++) expect(noGrad(() => forward(x)).dataSync()).toEqual(want);
      expect(forward.lastCall).toBe('replayed');
      expect(liveDeviceMemory('wasm')).toEqual(live);
    } finally {
      await useWasmBackend();
    }
  });
});

describe.each([1, 2])('compile on wasm with %i thread(s): intermediates held in the heap', (threads) => {
  it('replays a training step as eager mode computes it, with the heap as it was after each replay', async () => {
    await useWasmBackend({ threads });
    const eager = makeModel();
    const compiled = makeModel();
    const step = compile((x: Tensor, y: Tensor) => {
      const loss = lossOf(compiled, x, y);
      loss.backward();
      return loss;
    });
    const g = new Generator(8);
    let live: ReturnType<typeof liveDeviceMemory> | null = null;
    for (let i = 0; i < 4; i++) {
      const x = randn([64, 256], { generator: g });
      const y = randint(0, 10, [64], { generator: g });
      for (const p of [...eager.parameters(), ...compiled.parameters()]) p.grad = null;
      const want = lossOf(eager, x, y);
      want.backward();
      const got = step(x, y);
      expect(got.storage.isHost).toBe(true);
      expect(got.dataSync()).toEqual(want.dataSync());
      expect(grads(compiled)).toEqual(grads(eager));
      if (i > 0) {
        expect(step.lastCall).toBe('replayed');
        // Every held block went back: what is live is what the step keeps (nothing resident here).
        if (live) expect(liveDeviceMemory('wasm')).toEqual(live);
        live = liveDeviceMemory('wasm');
      }
    }
    // The hidden layers' products and activations and the backward's intermediates.
    expect(step.plan!.heldResults).toBeGreaterThanOrEqual(8);
  });

  it('replays inference, its heap flat over many calls', async () => {
    await useWasmBackend({ threads });
    const model = makeModel().eval().to();
    const forward = compile((x: Tensor) => model.call(x) as Tensor);
    const x = randn([64, 256], { generator: new Generator(9) });
    const want = noGrad(() => model.call(x) as Tensor).dataSync();
    // The trace runs eagerly and the first replay lays out its blocks; from then on nothing grows.
    noGrad(() => forward(x));
    noGrad(() => forward(x));
    const bytes = await wasmMemoryBytes();
    const live = liveDeviceMemory('wasm');
    for (let i = 0; i < 50; i++) expect(noGrad(() => forward(x)).dataSync()).toEqual(want);
    expect(forward.plan!.heldResults).toBe(4);
    expect(liveDeviceMemory('wasm')).toEqual(live);
    expect(await wasmMemoryBytes()).toBe(bytes);
  });
});
