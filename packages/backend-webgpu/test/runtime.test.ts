import { describe, expect, it } from 'vitest';
import { create } from 'webgpu';
import { WebGpuRuntime } from '../src/runtime.js';

describe('WebGpuRuntime', () => {
  it('turns the device’s validation errors into an error at the next read', async () => {
    const gpu = create([]);
    const adapter = (await gpu.requestAdapter())!;
    const device = await adapter.requestDevice();
    const rt = new WebGpuRuntime(device, 1 << 20);
    const buffer = rt.upload(new Float32Array([1, 2, 3]), 'float32');
    expect([...(await rt.read(buffer, 'float32', 3))]).toEqual([1, 2, 3]);
    rt.dispatch('broken', () => 'this is not WGSL', [buffer], [3], [1]);
    await expect(rt.read(buffer, 'float32', 3)).rejects.toThrow(/^read: the WebGPU device reported an error: /);
    // Reported once: the device is still usable.
    expect([...(await rt.read(buffer, 'float32', 3))]).toEqual([1, 2, 3]);
    device.destroy();
  });
});
