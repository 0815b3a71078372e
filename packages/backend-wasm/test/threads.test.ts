import { Generator, type ConvGeometry, conv2d, conv2dBackwardWeight, matmul, randn, relu, setBackend, type Tensor } from '@backprop/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../src/index.js';
import { expectClose, onBoth } from './helpers.js';

afterAll(async () => {
  await useWasmBackend();
  setBackend('cpu');
});

/**
 * Products above the pool's 2^20 multiply-add cutoff with at least two blocks, so they are split across
 * threads (gemm-tasks.ts): the main thread only returns once every worker that joined has published its
 * job as done, so finishing with the right numbers shows the blocks were all computed. Row counts off the
 * tile leave a ragged last row block, column counts off 16 a ragged last column block and off 8 a
 * zero-padded last sliver of the packed B, K = 1 blocks of one k; the MLP's products (x·Wᵀ at batch 64,
 * its weight gradient) and K = 300 (a last k block of 44) pack B whole across the threads.
 */
const CASES: [number[], number[], boolean, boolean][] = [
  [[230, 250], [250, 221], false, false],
  [[250, 230], [250, 221], true, false],
  [[230, 250], [221, 250], false, true],
  [[250, 230], [221, 250], true, true],
  [[3, 121, 300], [300, 250], false, false],
  [[513, 128], [128, 140], false, false],
  [[1030, 130], [130, 1001], false, false],
  [[130, 1030], [1001, 130], true, true],
  [[4100, 1], [1, 2100], false, false],
  [[5, 2000], [2000, 900], false, false],
  [[2, 101, 181], [2, 181, 515], false, false],
  [[64, 784], [128, 784], false, true],
  [[64, 128], [64, 784], true, false],
  [[50, 300], [300, 77], false, false],
];

function products(): Tensor[] {
  let seed = 1;
  return CASES.map(([sa, sb, tA, tB]) => matmul(randn(sa, { generator: new Generator(seed++) }), randn(sb, { generator: new Generator(seed++) }), tA, tB));
}

describe('threaded GEMM', () => {
  it('gives bit-identical results to one thread (rows are split, each row computed the same way)', async () => {
    expect(await useWasmBackend({ threads: 1 })).toBe(1);
    const single = products();
    expect(await useWasmBackend({ threads: 3 })).toBe(3);
    const threaded = products();
    setBackend('cpu');
    for (let i = 0; i < single.length; i++) {
      expect(threaded[i].shape).toEqual(single[i].shape);
      expect(Array.from(threaded[i].data)).toEqual(Array.from(single[i].data));
    }
  });

  it('agrees with cpu and keeps every other kernel working on the shared memory', async () => {
    await useWasmBackend({ threads: 2 });
    const a = randn([200, 300], { generator: new Generator(8) });
    const b = randn([300, 100], { generator: new Generator(9) });
    const { cpu, wasm } = onBoth(() => relu(matmul(a, b)));
    for (let i = 0; i < cpu.data.length; i++) expect(Math.abs(wasm.data[i] - cpu.data[i])).toBeLessThan(1e-3);
  });

  it('splits implicit-GEMM convolutions (patches packed from the image) bit for bit as one thread does', async () => {
    // 16 × 4000 × 150 multiply-adds each, over the cutoff: the forward pass splits rows and columns of
    // the patch matrix, the weight gradient its rows.
    const x = randn([40, 6, 14, 14], { generator: new Generator(10) });
    const w = randn([16, 6, 5, 5], { generator: new Generator(11) });
    const gy = randn([40, 16, 12, 12], { generator: new Generator(12) });
    const geometry: ConvGeometry = { stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1, outSize: [5, 5] };
    const run = () => [conv2d(x, w, null, { padding: 1 }), conv2dBackwardWeight(x, gy, geometry)];
    setBackend('cpu');
    const cpu = run();
    await useWasmBackend({ threads: 1 });
    const single = run();
    await useWasmBackend({ threads: 3 });
    const threaded = run();
    setBackend('cpu');
    for (let i = 0; i < cpu.length; i++) {
      expect(Array.from(threaded[i].dataSync())).toEqual(Array.from(single[i].dataSync()));
      expectClose(threaded[i], cpu[i], 1e-4, 1e-3);
    }
  });
});
