import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Generator, matmul, randn, setBackend } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend, wasmBackendInfo } from '../src/index.js';
import { chooseBuild } from '../src/wasm-module.js';
import { expectClose, onBoth } from './helpers.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

afterAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

describe('the relaxed-SIMD (fused multiply-add) build', () => {
  it('is chosen only when asked for and the runtime validates it', () => {
    const calls: number[] = [];
    const yes = (b: Uint8Array) => (calls.push(b.length), true);
    expect(chooseBuild(false, true, yes).fma).toBe(true);
    expect(chooseBuild(true, true, () => false).fma).toBe(false);
    expect(chooseBuild(false, false, yes).fma).toBe(false);
    expect(calls).toHaveLength(1);
    // Node 20 validates it only behind --experimental-wasm-relaxed-simd.
    expect(chooseBuild(false, true).fma).toBe(WebAssembly.validate(chooseBuild(false, true, () => true).bytes));
  });

  it('reports what was loaded, and fma: false keeps the plain build', async () => {
    await useWasmBackend({ fma: false });
    expect(await wasmBackendInfo()).toEqual({ threads: 1, fma: false });
    await useWasmBackend({ threads: 2, fma: false });
    expect(await wasmBackendInfo()).toEqual({ threads: 2, fma: false });
  });

  it('runs where the runtime has relaxed SIMD, threaded (from node --input-type=module -e), and agrees with cpu', () => {
    // The built package in a Node with relaxed SIMD switched on (default from Node 22).
    const dist = join(root, 'dist', 'index.js');
    expect(existsSync(dist), `${dist} is missing: build the package first (npm run build)`).toBe(true);
    const script = `
      import { Generator, conv2d, conv2dBackwardWeight, matmul, randn, setBackend } from '@backprop/tensor';
      import { useWasmBackend, wasmBackendInfo } from ${JSON.stringify(dist)};
      const g = (seed) => new Generator(seed);
      const a = randn([300, 200], { generator: g(1) });
      const b = randn([200, 150], { generator: g(2) });
      // Rows that are not a multiple of the 6-row tile, A read transposed; an implicit-GEMM convolution
      // (the patches packed from the image) and its weight gradient.
      const at = randn([200, 301], { generator: g(3) });
      const x = randn([3, 4, 13, 11], { generator: g(4) });
      const w = randn([7, 4, 5, 5], { generator: g(5) });
      const gy = randn([3, 4, 7, 5], { generator: g(6) });
      const geometry = { stride: [2, 2], padding: [2, 1], dilation: [1, 1], groups: 1, outSize: [5, 5] };
      const run = () => [
        matmul(a, b), matmul(at, b, true), conv2d(x, w, null, { padding: 2 }),
        conv2dBackwardWeight(x, gy, geometry),
      ].map((t) => t.dataSync());
      const cpu = run();
      const threads = await useWasmBackend({ threads: 2 });
      const wasm = run();
      let worst = 0;
      cpu.forEach((c, j) => {
        for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(wasm[j][i] - c[i]) / (1 + Math.abs(c[i])));
      });
      setBackend('cpu');
      console.log(JSON.stringify({ info: await wasmBackendInfo(), threads, worst }));
      process.exit(0);
    `;
    const flags = Number(process.versions.node.split('.')[0]) < 22 ? ['--experimental-wasm-relaxed-simd'] : [];
    const out = execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const { info, threads, worst } = JSON.parse(out.trim().split('\n').at(-1)!) as { info: { fma: boolean }; threads: number; worst: number };
    expect(info).toEqual({ threads: 2, fma: true });
    expect(threads).toBe(2);
    expect(worst).toBeLessThan(1e-4);
  });

  it('gives the same results as the plain build within float32 rounding (this runtime’s build)', async () => {
    await useWasmBackend();
    const a = randn([64, 300], { generator: new Generator(3) });
    const b = randn([300, 40], { generator: new Generator(4) });
    const { cpu, wasm } = onBoth(() => matmul(a, b));
    expectClose(wasm, cpu, 1e-5, 1e-5);
  });
});

