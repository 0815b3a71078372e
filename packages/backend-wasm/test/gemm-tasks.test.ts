import { describe, expect, it } from 'vitest';
import { JOB_SLOTS, planTasks, runTasks } from '../src/threads/gemm-tasks.js';

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

describe('runTasks', () => {
  it('computes every block once, with operand and C offsets of its position, from a shared counter', () => {
    const [M, N, K, rows, cols] = [10, 37, 3, 4, 16];
    // A stored transposed (ars = 1, acs = M), B row-major (brs = N, bcs = 1).
    const job = Int32Array.of(1000, 1, M, 5000, N, 1, 9000, M, N, K, rows, cols);
    expect(job.length).toBe(JOB_SLOTS);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const seen = new Set<string>();
    let cells = 0;
    const calls: number[][] = [];
    const record = (...args: number[]) => void calls.push(args);
    runTasks(record, next, job, 77);
    for (const [a, ars, acs, b, brs, bcs, c, ldc, m, n, k, scratch] of calls) {
      const m0 = (a - 1000) / 4;
      const n0 = (b - 5000) / 4;
      expect([ars, acs, brs, bcs, ldc, k, scratch]).toEqual([1, M, N, 1, N, K, 77]);
      expect(c).toBe(9000 + (m0 * N + n0) * 4);
      expect(m).toBe(Math.min(rows, M - m0));
      expect(n).toBe(Math.min(cols, N - n0));
      seen.add(`${m0},${n0}`);
      cells += m * n;
    }
    expect(seen.size).toBe(calls.length);
    expect(cells).toBe(M * N);
    expect(next[0]).toBeGreaterThanOrEqual(calls.length);
    // Once the counter has passed the last block, another thread finds nothing left.
    const late: number[][] = [];
    runTasks((...args: number[]) => void late.push(args), next, job, 78);
    expect(late).toEqual([]);
  });
});
