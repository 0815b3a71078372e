import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonLines, resultOf, run, tempDir, writeConfig } from './helpers.js';

describe('--backend', () => {
  it('trains the default network on the wasm backend, and eval and predict run on it too', async () => {
    const dir = tempDir();
    const r = await run(['train', '--backend', 'wasm', '--epochs', '3', '--save', 'wasm.safetensors'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const result = resultOf(r.stdout);
    expect(result).toMatchObject({ backend: 'wasm', epochs: 3, testSamples: 359 });
    expect(result.test.accuracy).toBeGreaterThan(0.9);

    const e = await run(['eval', 'wasm.safetensors', '--backend', 'wasm', '--json'], dir);
    expect(e.code, e.stderr).toBe(0);
    expect(jsonLines(e.stdout)[0]).toMatchObject({ backend: 'wasm', accuracy: result.test.accuracy });
    writeFileSync(join(dir, 'one.json'), JSON.stringify([Array.from({ length: 64 }, (_, i) => i % 16)]));
    const p = await run(['predict', 'wasm.safetensors', '--input', 'one.json', '--backend', 'auto', '--json'], dir);
    expect(p.code, p.stderr).toBe(0);
    expect(jsonLines(p.stdout)[0]).toMatchObject({ backend: 'wasm' });
  });

  it('trains the default network on webgpu (SwiftShader without a GPU), and eval and predict there give the numbers of cpu', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const r = await run(['train', '--backend', 'webgpu', '--epochs', '2', '--save', 'gpu.safetensors', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const result = resultOf(r.stdout);
    expect(result).toMatchObject({ backend: 'webgpu', epochs: 2, testSamples: 359, saved: join(dir, 'gpu.safetensors') });
    expect(result.test.accuracy).toBeGreaterThan(0.8);
    expect(jsonLines(r.stdout).filter((l) => l.event === 'epoch').map((l) => typeof l.accuracy)).toEqual(['number', 'number']);

    const onGpu = jsonLines((await run(['eval', 'gpu.safetensors', '--backend', 'webgpu', '--json'], dir)).stdout)[0];
    const onCpu = jsonLines((await run(['eval', 'gpu.safetensors', '--json'], dir)).stdout)[0];
    expect(onGpu).toMatchObject({ event: 'eval', backend: 'webgpu', samples: 359, accuracy: result.test.accuracy });
    expect(onGpu.loss).toBeCloseTo(result.test.loss, 5);
    for (const key of ['loss', 'accuracy', 'precision', 'recall', 'f1']) expect(onGpu[key]).toBeCloseTo(onCpu[key], 5);
    expect(onGpu.confusionMatrix).toEqual(onCpu.confusionMatrix);

    writeFileSync(join(dir, 'two.json'), JSON.stringify([Array.from({ length: 64 }, (_, i) => i % 16), Array.from({ length: 64 }, (_, i) => (i * 7) % 17)]));
    const gpuPredictions = jsonLines((await run(['predict', 'gpu.safetensors', '--input', 'two.json', '--backend', 'webgpu', '--json'], dir)).stdout);
    const cpuPredictions = jsonLines((await run(['predict', 'gpu.safetensors', '--input', 'two.json', '--json'], dir)).stdout);
    expect(gpuPredictions.map((p) => [p.backend, p.sample, p.class])).toEqual(cpuPredictions.map((p) => ['webgpu', p.sample, p.class]));
    gpuPredictions.forEach((p, i) => p.probabilities.forEach((v: number, k: number) => expect(v).toBeCloseTo(cpuPredictions[i].probabilities[k], 5)));
  });

  it('clips gradients on webgpu as on cpu (the norm stays on the GPU)', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const config = writeConfig(dir, 'plane.json', {
      data: { synthetic: 'plane', n: 120, noise: 0.1, seed: 3 },
      optimizer: { name: 'SGD', lr: 0.05, momentum: 0.9 },
      clipGradNorm: 0.5,
      metrics: ['mae'],
      epochs: 3,
    });
    const losses = async (backend: string) => {
      const r = await run(['train', config, '--backend', backend], dir);
      expect(r.code, r.stderr).toBe(0);
      return jsonLines(r.stdout).filter((l) => l.event === 'epoch').map((l) => l.loss as number);
    };
    const [gpu, cpu] = [await losses('webgpu'), await losses('cpu')];
    expect(gpu).toHaveLength(3);
    gpu.forEach((loss, i) => expect(loss).toBeCloseTo(cpu[i], 4));
    expect(gpu[2]).toBeLessThan(gpu[0]);
  });

  it('--backend webgpu without an adapter, with threads or with checkpoints is exit 2 with one sentence', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    // A Vulkan loader pointed at a driver file that does not exist finds no driver, so WebGPU has no adapter.
    const none = await run(['train', '--backend', 'webgpu', '--epochs', '1'], dir, undefined, { VK_ICD_FILENAMES: join(dir, 'no-such-driver.json') });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(
      'backprop: --backend webgpu: WebGPU found no adapter on this machine (no GPU, or no Vulkan driver for it); use --backend cpu or wasm, or in Node without a GPU point VK_ICD_FILENAMES at a Vulkan driver such as SwiftShader (Debian chromium ships /usr/lib/chromium/vk_swiftshader_icd.json; set LD_LIBRARY_PATH=/usr/lib/chromium too)\n',
    );
    const threads = await run(['eval', 'model.safetensors', '--backend', 'webgpu', '--threads', '2'], dir);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toContain('--threads 2 needs the wasm backend (webgpu runs its kernels on the GPU); add --backend wasm');
    const checkpoint = await run(['train', '--backend', 'webgpu', '--epochs', '1', '--checkpoint', 'run.ckpt'], dir);
    expect(checkpoint.code).toBe(2);
    expect(checkpoint.stderr).toContain('--checkpoint needs --backend cpu or wasm: checkpoints hold optimizer state, which is read synchronously and so not yet from a GPU');
  });

  it('defaults to cpu, reports it, and refuses an unknown backend with exit code 2', async () => {
    const dir = tempDir();
    const r = await run(['train', '--epochs', '1', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(resultOf(r.stdout).backend).toBe('cpu');
    const bad = await run(['train', '--backend', 'gpu'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("argument 'gpu' is invalid. Allowed choices are cpu, wasm, webgpu, auto.");
  });

  it('shares wasm matrix products among --threads threads, and refuses threads on cpu or a bad count', async () => {
    const dir = tempDir();
    const r = await run(['train', '--backend', 'wasm', '--threads', '2', '--epochs', '2', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    const result = resultOf(r.stdout);
    expect(result).toMatchObject({ backend: 'wasm', threads: 2, epochs: 2 });
    expect(result.test.accuracy).toBeGreaterThan(0.8);
    const cpu = await run(['train', '--threads', '2', '--epochs', '1'], dir);
    expect(cpu.code).toBe(2);
    expect(cpu.stderr).toContain('--threads 2 needs the wasm backend (the cpu kernels run on one thread); add --backend wasm');
    const zero = await run(['train', '--backend', 'wasm', '--threads', '0'], dir);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain("expected a positive integer, got '0'.");
  });
});
