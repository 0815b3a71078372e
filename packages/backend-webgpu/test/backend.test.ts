import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { add, getBackend, nonzero, runKernel, setBackend, tensor } from '@backprop/tensor';
import { useWebGpuBackend, webgpuBackendInfo, webgpuFallbacks, WEBGPU_BACKEND, type GpuLike } from '../src/index.js';
import { onGpu, random, startWebGpu } from './helpers.js';

beforeAll(startWebGpu);
afterEach(() => setBackend('cpu'));

describe('useWebGpuBackend', () => {
  it('makes webgpu the active backend and describes the adapter', async () => {
    const info = await useWebGpuBackend();
    expect(getBackend()).toBe(WEBGPU_BACKEND);
    expect(webgpuBackendInfo()).toEqual(info);
    expect(typeof info.description).toBe('string');
  });

  it('says there is no WebGPU adapter when the platform has none', async () => {
    const none: GpuLike = { requestAdapter: async () => null };
    await expect(useWebGpuBackend({ gpu: none })).rejects.toThrow(/^useWebGpuBackend: no WebGPU adapter/);
    // The backend that was running is untouched.
    expect(webgpuBackendInfo()).not.toBeNull();
  });

  it('keeps results on the GPU: read() resolves, dataSync() says to await', async () => {
    setBackend('webgpu');
    const y = add(tensor([1, 2, 3]), tensor([10, 20, 30]));
    expect(y.device).toBe('webgpu');
    expect(() => y.dataSync()).toThrow(/lives on 'webgpu'.*await tensor\.read\(\)/);
    expect([...(await y.read())]).toEqual([11, 22, 33]);
  });

  it('refuses float64, naming the dtype', () => {
    setBackend('webgpu');
    expect(() => add(tensor([1, 2], { dtype: 'float64' }), 1)).toThrow(/float64/);
  });
});

describe('fallbacks', () => {
  it('lists the cpu kernels webgpu lacks, and not those it has', () => {
    const fallbacks = webgpuFallbacks();
    for (const name of ['nonzero', 'unique']) expect(fallbacks).toContain(name);
    for (const name of ['matmul', 'add', 'sum', 'logSoftmax', 'gather', 'reluGrad', 'addInPlace', 'adamStep', 'conv2d', 'cumsum', 'argsort', 'linalgSvd']) {
      expect(fallbacks).not.toContain(name);
    }
  });

  it('runs a missing kernel on cpu for host inputs, and names it for GPU inputs', () => {
    setBackend('webgpu');
    const found = nonzero(tensor([0, 3, 0, 2]));
    expect(found.device).toBe('cpu');
    expect(found.toArray()).toEqual([[1], [3]]);
    const x = onGpu(random([5], 1));
    setBackend('webgpu');
    expect(() => nonzero(x)).toThrow(/^nonzero: .*webgpu/);
    expect(() => runKernel('nonzero', [x], {})).toThrow(/^nonzero: /);
  });
});

describe('limits', () => {
  it('names a tensor too large for one GPU buffer', () => {
    setBackend('webgpu');
    // A 0-stride expand allocates only its output.
    expect(() => tensor([1]).expand([2 ** 31])).toThrow(/^webgpu: a tensor of 2147483648 elements .* exceeds this GPU's largest buffer binding/);
  });
});
