import { useWebGpuBackend } from '@backprop/backend-webgpu';
import { Linear, Sequential, Tanh } from '@backprop/layers';
import { crossEntropy } from '@backprop/losses';
import { Adam } from '@backprop/optim';
import { Generator, compile, randint, randn, setBackend, type Tensor } from '@backprop/tensor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A compiled step on the GPU (SwiftShader without one): the replay's kernels are the device's, its
// gradient buffers are moved to the device as eager mode moves them, and the numbers are eager mode's.
beforeAll(async () => {
  await useWebGpuBackend();
});
afterAll(() => setBackend('cpu'));

describe('compile on webgpu', () => {
  it('replays an MLP step with the loss, gradients and parameters of eager mode', async () => {
    setBackend('webgpu');
    const make = () => {
      const g = new Generator(0);
      return new Sequential(new Linear(4, 8, { generator: g }), new Tanh(), new Linear(8, 3, { generator: g }));
    };
    const eager = make();
    const compiled = make();
    const eagerOpt = new Adam(eager.parameters(), { lr: 0.01 });
    const compiledOpt = new Adam(compiled.parameters(), { lr: 0.01 });
    const step = compile((x: Tensor, y: Tensor) => {
      const loss = crossEntropy(compiled.call(x), y);
      loss.backward();
      return loss;
    });
    const g = new Generator(1);
    const x = randn([6, 4], { generator: g });
    const y = randint(0, 3, [6], { generator: g });
    const read = (ts: (Tensor | null)[]) => Promise.all(ts.map(async (t) => Array.from(await t!.read())));
    const calls = [];
    for (let i = 0; i < 3; i++) {
      eagerOpt.zeroGrad();
      compiledOpt.zeroGrad();
      const a = crossEntropy(eager.call(x), y);
      a.backward();
      const b = step(x, y);
      calls.push(step.lastCall);
      expect(await b.read()).toEqual(await a.read());
      expect(await read(compiled.parameters().map((p) => p.grad))).toEqual(await read(eager.parameters().map((p) => p.grad)));
      eagerOpt.step();
      compiledOpt.step();
    }
    expect(calls).toEqual(['traced', 'replayed', 'replayed']);
    expect(await read(compiled.parameters())).toEqual(await read(eager.parameters()));
    expect(compiled.parameters().every((p) => p.device === 'webgpu' && p.grad!.device === 'webgpu')).toBe(true);
  });
});
