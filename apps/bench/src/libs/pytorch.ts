// PyTorch's CPU build as a peer. It cannot run inside Node, so its child process starts Python on
// python/torch_workloads.py, which times the same workloads with the same warm-up and repetition rules.
// Debian's python3-torch lives in the system Python (/usr/bin/python3); a pyenv python3 earlier on PATH
// usually lacks torch, hence the order of the candidates.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MeasureOptions } from '../measure.js';
import { RESULT_PREFIX, type Cell, type LibraryResult } from '../types.js';
import { WORKLOADS } from '../workloads.js';

// From dist/child.js (the bundle) and from src/libs/pytorch.ts (tests) alike.
const here = dirname(fileURLToPath(import.meta.url));
const script = [join(here, '..', 'python'), join(here, '..', '..', 'python')]
  .map((dir) => join(dir, 'torch_workloads.py'))
  .find((p) => existsSync(p)) ?? join(here, '..', 'python', 'torch_workloads.py');

/** Python executables to try, in order: $BENCH_PYTHON, then the system Python, then PATH's. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  return [env.BENCH_PYTHON, existsSync('/usr/bin/python3') ? '/usr/bin/python3' : undefined, 'python3'].filter(
    (p): p is string => Boolean(p),
  );
}

interface PythonResult {
  results: Record<string, { ms: number; reps: number } | { unavailable: string }>;
  peakRssMB: number;
  threads: number;
  version: string;
  /** The BLAS shared library the process mapped. */
  blas?: string;
}

/**
 * Debian's OpenMP build of OpenBLAS. The default pthread build runs its own thread pool beside torch's, and
 * on two threads they fight (an LSTM step measured 3× slower), so PyTorch users on Debian pick this one;
 * the harness does too when it is installed (apt install libopenblas0-openmp) and records what was loaded.
 */
export const OPENMP_OPENBLAS = '/usr/lib/x86_64-linux-gnu/openblas-openmp';

/** The environment of the Python child: `threads` OpenMP threads and the OpenMP OpenBLAS when present. */
export function pythonEnv(threads: number, env: NodeJS.ProcessEnv = process.env, openmpBlas = existsSync(OPENMP_OPENBLAS)): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env, OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  if (openmpBlas) out.LD_LIBRARY_PATH = [OPENMP_OPENBLAS, env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return out;
}

/** Turns the script's per-workload milliseconds into the harness's cells (the figure of each workload). */
export function toLibraryResult(py: PythonResult, library = 'pytorch'): LibraryResult {
  const results: Record<string, Cell> = {};
  for (const [id, r] of Object.entries(py.results)) {
    const w = WORKLOADS.find((x) => x.id === id);
    if ('unavailable' in r) results[id] = r;
    else if (!w) results[id] = { unavailable: `error: unknown workload ${id}` };
    else results[id] = { value: w.figure(r.ms), reps: r.reps, msPerStep: r.ms };
  }
  return {
    library,
    results,
    peakRssMB: py.peakRssMB,
    notes: {
      'all workloads': `torch ${py.version} on ${py.threads} thread(s) (torch.set_num_threads), nn modules and torch.optim (SGD; Adam for mlp-train-adam); BLAS: ${py.blas ?? 'not reported'}; peak RSS is the Python process's`,
    },
  };
}

/** Every requested workload marked unavailable for the same reason. */
function unavailable(only: string[], why: string, library = 'pytorch'): LibraryResult {
  return { library, results: Object.fromEntries(only.map((id) => [id, { unavailable: why }])), peakRssMB: 0, notes: {} };
}

/**
 * Runs the workloads `only` on the first Python that has torch, on `threads` threads; without one, says so
 * in every cell. `library` names the column (pytorch-1t, pytorch-2t).
 */
export function runPytorch(only: string[], opts: MeasureOptions, candidates = pythonCandidates(), threads = 1, library = 'pytorch'): LibraryResult {
  const env = pythonEnv(threads);
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8', env });
    if (probe.status !== 0) continue;
    const res = spawnSync(python, [script, JSON.stringify({ only, opts, threads })], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 << 20, env,
    });
    const line = res.stdout?.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
    if (!line) return unavailable(only, `error: ${python} ${script} exited with ${res.status} and no result`, library);
    return toLibraryResult(JSON.parse(line.slice(RESULT_PREFIX.length)) as PythonResult, library);
  }
  return unavailable(only, `n/a: no Python with torch found (tried ${candidates.join(', ')}; Debian: apt install python3-torch)`, library);
}
