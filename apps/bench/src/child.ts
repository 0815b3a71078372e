// Runs one library's workloads in its own process, so its peak RSS is its own, and prints one JSON line.
//   node dist/child.js <library|elementwise> [--quick] [--only id,id] [--rounds N]
import { elementwise } from './elementwise.js';
import { LIBRARIES } from './libraries.js';
import { runPytorch } from './libs/pytorch.js';
import { FULL, QUICK, forRounds, measure, type MeasureOptions } from './measure.js';
import { RESULT_PREFIX, type Cell, type LibraryResult } from './types.js';
import { WORKLOADS } from './workloads.js';

function peakRssMB(): number {
  return process.resourceUsage().maxRSS / 1024;
}

async function runLibrary(name: string, opts: MeasureOptions, only: string[] | null): Promise<LibraryResult> {
  const entry = LIBRARIES[name];
  if (!entry) throw new Error(`bench: unknown library '${name}' (known: ${Object.keys(LIBRARIES).join(', ')})`);
  const lib = await entry.load();
  await lib.init?.();
  const results: Record<string, Cell> = {};
  for (const w of WORKLOADS) {
    if (only && !only.includes(w.id)) continue;
    let cell: Cell;
    try {
      const prepared = await w.prepare(lib);
      if (!prepared) cell = { unavailable: 'n/a: not expressible in this library' };
      else if ('unavailable' in prepared) cell = prepared;
      else {
        const { ms, reps } = await measure(prepared.step, opts);
        cell = { value: w.figure(ms), reps, msPerStep: ms };
      }
    } catch (e) {
      cell = { unavailable: `error: ${String((e as Error).message ?? e).split('\n')[0].slice(0, 160)}` };
    }
    results[w.id] = cell;
    process.stderr.write(`  ${name} ${w.id}: ${'value' in cell ? `${cell.value.toPrecision(4)} ${w.unit}` : cell.unavailable}\n`);
  }
  return { library: name, results, peakRssMB: peakRssMB(), notes: lib.notes ?? {} };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const name = args[0];
  const quick = args.includes('--quick');
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args[onlyAt + 1].split(',') : null;
  const roundsAt = args.indexOf('--rounds');
  const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 1;
  const opts = forRounds(quick ? QUICK : FULL, rounds);
  let result;
  if (name === 'elementwise') result = await elementwise(quick ? QUICK : FULL);
  else if (name === 'pytorch-1t' || name === 'pytorch-2t') result = runPytorch(only ?? WORKLOADS.map((w) => w.id), opts, undefined, name === 'pytorch-1t' ? 1 : 2, name);
  else result = await runLibrary(name, opts, only);
  process.stdout.write(RESULT_PREFIX + JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
