// The benchmark harness. Each (workload, library) pair runs in a child process of its own, so peak RSS is
// the library's own and one library's JIT state cannot slow another's. Libraries take turns workload by
// workload, so the figures compared in a ratio were measured minutes apart at most, under the same load
// on the shared machine.
//   node dist/main.js [--quick] [--rounds N] [--libs backprop,tfjs-cpu,…] [--only matmul-128,mlp-train,…]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LIBRARIES } from './libraries.js';
import { toMarkdown } from './report.js';
import { combineRounds } from './rounds.js';
import { RESULT_PREFIX, type Cell, type ElementwiseRow, type LibraryResult, type Machine, type Report } from './types.js';
import { WORKLOADS } from './workloads.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'child.js');

function machine(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown CPU';
  try {
    cpu = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpu;
  } catch {
    // not Linux: os.cpus() is as good as it gets
  }
  return { cpu, cores: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}` };
}

// Without a GPU, the webgpu column's Dawn finds Debian chromium's SwiftShader if this points at it; the
// Vulkan loader reads these only when a process starts, so they are set for the children here.
const SWIFTSHADER = '/usr/lib/chromium/vk_swiftshader_icd.json';
const childEnv: NodeJS.ProcessEnv =
  !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER)
    ? { ...process.env, VK_ICD_FILENAMES: SWIFTSHADER, LD_LIBRARY_PATH: ['/usr/lib/chromium', process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') }
    : process.env;

function runChild(args: string[], timeoutMs: number): unknown {
  const res = spawnSync(process.execPath, [...(LIBRARIES[args[0]]?.nodeFlags ?? []), child, ...args], {
    encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20, env: childEnv,
  });
  const line = res.stdout?.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  if (!line) {
    const why = res.error ? res.error.message : `exit code ${res.status}`;
    throw new Error(`child ${args[0]} produced no result (${why})`);
  }
  return JSON.parse(line.slice(RESULT_PREFIX.length));
}

function nodeBaselineRssMB(): number {
  const res = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.resourceUsage().maxRSS))'], { encoding: 'utf8' });
  return Number(res.stdout) / 1024;
}

function main(): void {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const opt = (name: string) => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const libs = opt('--libs')?.split(',') ?? Object.keys(LIBRARIES);
  const only = opt('--only');
  const timeoutMs = (quick ? 2 : 10) * 60_000;
  const ids = only?.split(',') ?? WORKLOADS.filter((w) => !(quick && w.slow)).map((w) => w.id);
  const rounds = Number(opt('--rounds') ?? (quick ? 1 : 3));
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`bench: --rounds must be a positive integer, got '${opt('--rounds')}'`);
  const byLib = new Map<string, LibraryResult>(libs.map((l) => [l, { library: l, results: {}, peakRssMB: 0, notes: {} }]));
  for (const id of ids) {
    const cells = new Map<string, Cell[]>(libs.map((l) => [l, []]));
    for (let round = 0; round < rounds; round++) {
      for (const lib of libs) {
        const acc = byLib.get(lib)!;
        try {
          const r = runChild([lib, '--only', id, '--rounds', String(rounds), ...(quick ? ['--quick'] : [])], timeoutMs) as LibraryResult;
          cells.get(lib)!.push(...Object.values(r.results));
          Object.assign(acc.notes, r.notes);
          acc.peakRssMB = Math.max(acc.peakRssMB, r.peakRssMB);
        } catch (e) {
          cells.get(lib)!.push({ unavailable: `error: ${(e as Error).message}` });
          process.stderr.write(`bench: ${(e as Error).message}\n`);
        }
      }
    }
    for (const lib of libs) byLib.get(lib)!.results[id] = combineRounds(cells.get(lib)!);
  }
  const libraries = [...byLib.values()];
  let elementwise: ElementwiseRow[] = [];
  if (!only) {
    process.stderr.write('bench: elementwise\n');
    elementwise = runChild(['elementwise', ...(quick ? ['--quick'] : [])], timeoutMs) as ElementwiseRow[];
  }
  const report: Report = {
    date: new Date().toISOString().slice(0, 10), quick, rounds, machine: machine(), nodeBaselineRssMB: nodeBaselineRssMB(), libraries, elementwise,
  };
  const md = toMarkdown(report);
  const dir = join(here, '..', 'results');
  mkdirSync(dir, { recursive: true });
  // A quick run never overwrites the figures of the last full one, which docs/benchmarks.md quotes.
  const name = quick ? 'latest-quick' : 'latest';
  writeFileSync(join(dir, `${name}.json`), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(dir, `${name}.md`), md);
  process.stdout.write(md);
}

main();
