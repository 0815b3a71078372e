import '@backprop/autograd';
import { afterEach, beforeAll, expect, it } from 'vitest';
import { awaitUnscoped, beginDeviceScope, endDeviceScope, liveDeviceMemory, setBackend, withDeviceScope, type Tensor } from '@backprop/tensor';
import { webgpuMemoryInfo } from '../src/index.js';
import { collectGarbage, onGpu, random, startWebGpu } from './helpers.js';

// Device scopes on a real device (SwiftShader without a GPU): a scope's buffers go back to the pool at its
// end, so a loop of scoped steps reuses the same buffers without any garbage collection.
beforeAll(startWebGpu);
afterEach(() => setBackend('cpu'));

it('a loop of scoped steps creates no buffers after its first step and holds no more live memory', async () => {
  const x = onGpu(random([8, 64], 1));
  setBackend('webgpu');
  const step = async (): Promise<number> => {
    const scope = beginDeviceScope('test step');
    const y = x.mul(0.5).add(x).relu().sum(1);
    const [v] = await awaitUnscoped(y.read());
    endDeviceScope(scope);
    return v;
  };
  const first = await step();
  // Garbage from before the loop (the set-up's temporaries) is collected first, so it cannot vanish mid-loop.
  await collectGarbage();
  const live = liveDeviceMemory('webgpu');
  const created = webgpuMemoryInfo().created;
  for (let i = 0; i < 300; i++) expect(await step()).toBe(first);
  expect(liveDeviceMemory('webgpu')).toEqual(live);
  expect(webgpuMemoryInfo().created).toBe(created);
});

it('a tensor a scope released says so on the GPU instead of reading a pooled buffer', async () => {
  const x = onGpu(random([4, 4], 2));
  setBackend('webgpu');
  let inner: Tensor = x;
  const kept = withDeviceScope(() => (inner = x.add(x)).mul(2));
  const reuse = withDeviceScope(() => x.mul(3));
  await expect(inner.read()).rejects.toThrow(/^read: the tensor's device memory on 'webgpu' was released at the end of the scope that created it \(withDeviceScope\)/);
  expect(() => inner.relu()).toThrow(/^relu: .*released/);
  expect(Array.from(await kept.read())).toEqual(Array.from(await x.mul(4).read()));
  expect(Array.from(await reuse.read())).toEqual(Array.from(await x.mul(3).read()));
});
