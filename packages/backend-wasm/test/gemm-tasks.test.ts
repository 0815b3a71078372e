import { describe, expect, it } from 'vitest';
import { JOB_SLOTS, planPackedTasks, planTasks, runTasks, type TaskKernels } from '../src/threads/gemm-tasks.js';

describe('planTasks', () => {
  const shapes: [number, number][] = [[1024, 1024], [512, 512], [1030, 1000], [5, 4096], [64, 64], [4096, 17], [130, 121], [7, 7]];

  it('cuts rows at multiples of the tile and columns at 64-byte lines, into several blocks a thread', () => {
    for (const tileRows of [4, 6]) {
      for (const [M, N] of shapes) {
        const { rows, cols, down, across } = planTasks(M, N, 2, tileRows);
        expect(rows % tileRows).toBe(0);
        expect(cols === N || cols % 16 === 0).toBe(true);
        expect(down).toBe(Math.ceil(M / rows));
        expect(across).toBe(Math.ceil(N / cols));
        // Every block is non-empty: the last row and column blocks start inside C.
        expect((down - 1) * rows).toBeLessThan(M);
        expect((across - 1) * cols).toBeLessThan(N);
      }
    }
    // Four blocks a thread at the benchmark sizes: the longer side is halved first.
    expect(planTasks(1024, 1024, 2, 4)).toEqual({ rows: 512, cols: 256, down: 2, across: 4 });
    expect(planTasks(512, 512, 2, 4)).toEqual({ rows: 256, cols: 128, down: 2, across: 4 });
  });

  it('stops halving at the minimum block size', () => {
    // One row panel a thread, and halving either side would go under 64 rows or 128 columns.
    expect(planTasks(64, 64, 2, 4)).toEqual({ rows: 32, cols: 64, down: 2, across: 1 });
    expect(planTasks(300, 200, 2, 4)).toEqual({ rows: 76, cols: 200, down: 4, across: 1 });
  });
});

describe('planPackedTasks', () => {
  it('cuts whole tiles of rows into BLOCKS_PER_THREAD blocks a thread, and columns only when rows run out', () => {
    // The MLP's products at two threads: 8 row blocks of 36 (256 rows), 6 of 12 (64 rows), 8 of 18 (128).
    expect(planPackedTasks(256, 128, 2, 6)).toEqual({ rows: 36, cols: 128, down: 8, across: 1 });
    expect(planPackedTasks(64, 128, 2, 6)).toEqual({ rows: 12, cols: 128, down: 6, across: 1 });
    expect(planPackedTasks(128, 784, 2, 6)).toEqual({ rows: 18, cols: 784, down: 8, across: 1 });
    // One tile of rows: the columns are split instead, on 16-float boundaries and not under 128.
    expect(planPackedTasks(6, 4096, 2, 6)).toEqual({ rows: 6, cols: 512, down: 1, across: 8 });
    expect(planPackedTasks(6, 300, 2, 6)).toEqual({ rows: 6, cols: 160, down: 1, across: 2 });
    for (const [M, N] of [[1030, 1000], [7, 7], [4096, 17], [130, 121], [5, 4096]]) {
      const { rows, cols, down, across } = planPackedTasks(M, N, 3, 4);
      expect(rows % 4).toBe(0);
      expect(cols === N || cols % 16 === 0).toBe(true);
      expect((down - 1) * rows).toBeLessThan(M);
      expect((across - 1) * cols).toBeLessThan(N);
    }
  });
});

/** Kernels that record their calls, and the order of the calls across all three. */
function recordingKernels() {
  const calls: { kind: keyof TaskKernels; args: number[] }[] = [];
  const kernels: TaskKernels = {
    gemmBlock: (...args: number[]) => void calls.push({ kind: 'gemmBlock', args }),
    gemmPackedBlock: (...args: number[]) => void calls.push({ kind: 'gemmPackedBlock', args }),
  };
  return { calls, kernels };
}

/** Checks that `calls` cover C exactly once in whole tiles, row blocks within one tile of each other. */
function expectEvenCover(blocks: { m0: number; n0: number; m: number; n: number }[], M: number, N: number, tileRows: number): void {
  const seen = new Set<string>();
  let cells = 0;
  const heights = new Set<number>();
  for (const { m0, n0, m, n } of blocks) {
    expect(m0 % tileRows).toBe(0);
    expect(m0 + m <= M && n0 + n <= N && m > 0 && n > 0).toBe(true);
    if (m0 + m < M) heights.add(m / tileRows);
    seen.add(`${m0},${n0}`);
    cells += m * n;
  }
  expect(seen.size).toBe(blocks.length);
  expect(cells).toBe(M * N);
  expect(Math.max(...heights) - Math.min(...heights)).toBeLessThanOrEqual(1);
}

describe('runTasks', () => {
  it('computes every block once, with operand and C offsets of its position, from a shared counter', () => {
    // 5 tiles of 2 rows dealt to 3 row blocks (1, 2 and 2 tiles), 3 column blocks of 16.
    const [M, N, K, down, cols, tileRows] = [10, 37, 3, 3, 16, 2];
    // A stored transposed (ars = 1, acs = M), B row-major (brs = N, bcs = 1), not packed whole: each
    // block packs its own panels.
    const job = Int32Array.of(1000, 1, M, 5000, N, 1, 9000, M, N, K, down, cols, 0, tileRows);
    expect(job.length).toBe(JOB_SLOTS);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const { calls, kernels } = recordingKernels();
    runTasks(kernels, next, job, 77);
    expect(calls.length).toBe(9);
    const blocks = calls.map(({ kind, args }) => {
      expect(kind).toBe('gemmBlock');
      const [a, ars, acs, b, brs, bcs, c, ldc, m, n, k, scratch] = args;
      const m0 = (a - 1000) / 4;
      const n0 = (b - 5000) / 4;
      expect([ars, acs, brs, bcs, ldc, k, scratch]).toEqual([1, M, N, 1, N, K, 77]);
      expect(c).toBe(9000 + (m0 * N + n0) * 4);
      expect(n).toBe(Math.min(cols, N - n0));
      return { m0, n0, m, n };
    });
    expectEvenCover(blocks, M, N, tileRows);
    expect(next[0]).toBeGreaterThanOrEqual(calls.length);
    // Once the counter has passed the last block, another thread finds nothing left.
    const late = recordingKernels();
    runTasks(late.kernels, next, job, 78);
    expect(late.calls).toEqual([]);
  });

  it('computes blocks from the packed B where the job has one, passing each block its first column', () => {
    // The inference product at two threads: 43 tiles of 6 rows (the last of 4) over 8 row blocks.
    const [M, N, K, down, cols, packed, tileRows] = [256, 128, 784, 8, 128, 64000, 6];
    // A row-major (ars = K, acs = 1), B stored transposed (brs = 1, bcs = K) and packed whole at 64000.
    const job = Int32Array.of(1000, K, 1, 5000, 1, K, 9000, M, N, K, down, cols, packed, tileRows);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const { calls, kernels } = recordingKernels();
    runTasks(kernels, next, job, 77);
    expect(calls.length).toBe(down);
    const blocks = calls.map(({ kind, args }) => {
      expect(kind).toBe('gemmPackedBlock');
      const [a, ars, acs, p, fullN, n0, c, ldc, m, n, k, scratch] = args;
      const m0 = (a - 1000) / (4 * K);
      expect([ars, acs, p, fullN, n0, ldc, n, k, scratch]).toEqual([K, 1, packed, N, 0, N, N, K, 77]);
      expect(c).toBe(9000 + m0 * N * 4);
      return { m0, n0, m, n };
    });
    expectEvenCover(blocks, M, N, tileRows);
  });
});
