import { beforeAll, describe, it } from 'vitest';
import { Tensor, logSumExp, maxPool2d, setBackend, topk } from '@backprop/tensor';
import { expectClose, onGpu, random, startWebGpu } from './helpers.js';

// Ops whose own steps produce indices on the GPU (max pooling's argmax, topk's order) and ops that used to
// compute a shift on the host (logSumExp): they run end to end on webgpu and agree with cpu.
beforeAll(startWebGpu);

async function onBoth(make: () => Tensor, run: (x: Tensor) => Tensor): Promise<[ArrayLike<number>, ArrayLike<number>]> {
  const x = make();
  const cpu = run(x).dataSync();
  const gx = onGpu(x);
  setBackend('webgpu');
  try {
    return [await run(gx).read(), cpu];
  } finally {
    setBackend('cpu');
  }
}

describe('ops with device-side indices', () => {
  it('maxPool2d', async () => {
    const [gpu, cpu] = await onBoth(() => random([2, 3, 8, 8], 1), (x) => maxPool2d(x, { kernelSize: 2 }));
    expectClose(gpu, cpu);
  });

  it('topk values', async () => {
    const [gpu, cpu] = await onBoth(() => random([4, 33], 2), (x) => topk(x, 5, -1).values);
    expectClose(gpu, cpu);
  });

  it('logSumExp, including a slice of −∞', async () => {
    const [gpu, cpu] = await onBoth(
      // Row 0 all −∞: its shift must be 0, not −∞ (which would give NaN).
      () => random([3, 17], 3).maskedFill(new Tensor(Uint8Array.from({ length: 51 }, (_, i) => (i < 17 ? 1 : 0)), [3, 17], 'bool'), -Infinity),
      (x) => logSumExp(x, 1),
    );
    expectClose(gpu, cpu);
  });
});
