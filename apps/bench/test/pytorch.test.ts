import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { OPENMP_OPENBLAS, pythonCandidates, pythonEnv, runPytorch, toLibraryResult } from '../src/libs/pytorch.js';
import { QUICK } from '../src/measure.js';

describe('the PyTorch peer', () => {
  it('turns the script’s milliseconds into each workload’s figure', () => {
    const r = toLibraryResult({
      results: { 'matmul-128': { ms: 2, reps: 9 }, 'mlp-infer-1': { ms: 0.25, reps: 40 }, 'mlp-train': { unavailable: 'n/a: x' } },
      peakRssMB: 250,
      threads: 2,
      version: '1.13.0',
      blas: '/usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3',
    });
    expect(r.library).toBe('pytorch');
    expect(r.results['matmul-128']).toEqual({ value: (2 * 128 ** 3) / 2e6, reps: 9, msPerStep: 2 });
    expect(r.results['mlp-infer-1']).toEqual({ value: 0.25, reps: 40, msPerStep: 0.25 });
    expect(r.results['mlp-train']).toEqual({ unavailable: 'n/a: x' });
    expect(r.peakRssMB).toBe(250);
    expect(r.notes['all workloads']).toContain('torch 1.13.0 on 2 thread(s)');
    expect(r.notes['all workloads']).toContain('BLAS: /usr/lib/x86_64-linux-gnu/openblas-openmp/libblas.so.3');
  });

  it('reports every cell unavailable, naming what it tried, when no Python has torch', () => {
    const r = runPytorch(['mlp-train', 'lstm-train'], QUICK, ['/nonexistent/python3']);
    expect(Object.keys(r.results)).toEqual(['mlp-train', 'lstm-train']);
    for (const cell of Object.values(r.results)) {
      expect(cell).toEqual({ unavailable: expect.stringContaining('no Python with torch found (tried /nonexistent/python3') });
    }
  });

  it('tries $BENCH_PYTHON first and PATH’s python3 last', () => {
    const c = pythonCandidates({ BENCH_PYTHON: '/opt/py/bin/python' });
    expect(c[0]).toBe('/opt/py/bin/python');
    expect(c.at(-1)).toBe('python3');
  });

  it('runs Python with the OpenMP OpenBLAS first on the library path and the thread count set', () => {
    const env = pythonEnv(2, { LD_LIBRARY_PATH: '/opt/lib' }, true);
    expect(env.LD_LIBRARY_PATH).toBe(`${OPENMP_OPENBLAS}:/opt/lib`);
    expect(env.OMP_NUM_THREADS).toBe('2');
    expect(pythonEnv(1, { LD_LIBRARY_PATH: '/opt/lib' }, false).LD_LIBRARY_PATH).toBe('/opt/lib');
  });

  it('measures in the system PyTorch on one thread and records the BLAS it loaded', () => {
    const r = runPytorch(['matmul-128'], QUICK, undefined, 1, 'pytorch-1t');
    expect(r.library).toBe('pytorch-1t');
    const cell = r.results['matmul-128'];
    expect('value' in cell ? cell.value : cell.unavailable).toBeGreaterThan(0);
    expect(r.notes['all workloads']).toContain('on 1 thread(s)');
    // CI installs Debian's libopenblas0-openmp (tooling/scripts/ci-system-deps.sh), so the harness must pick it.
    expect(existsSync(OPENMP_OPENBLAS)).toBe(true);
    expect(r.notes['all workloads']).toContain('openblas-openmp');
  });
});
