import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CHILD = join(__dirname, 'children', 'fuzz-loads.mjs');

interface Summary {
  loads: number;
  decoded: number;
  rejected: number;
  /** CPU time of the slowest load. */
  slowestMs: number;
  slowestWallMs: number;
  slowest: string;
  failures: string[];
  hostile: Record<string, string>;
  maxRssMB: number;
  baselineRssMB: number;
}

// The time and memory caps are the point of this test, so it runs in a child process: a JavaScript heap
// capped at 192 MB (a load that allocates gigabytes kills the child), every load's CPU time measured, peak memory read
// from the operating system at the end.
describe('loading untrusted files costs bounded time and memory', () => {
  it('hostile files and 10,000 seeded mutants: each load under 1 s, memory bounded, only ModelFileErrors', () => {
    const run = spawnSync(process.execPath, ['--max-old-space-size=192', CHILD, '10000', '7'], { encoding: 'utf8', timeout: 50_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const summary = JSON.parse(run.stdout) as Summary;
    expect(summary.failures).toEqual([]);
    expect(summary.loads).toBe(10_008);
    // The mutants reach every stage: most are refused, some still load.
    expect(summary.rejected).toBeGreaterThan(5000);
    expect(summary.decoded).toBeGreaterThan(500);
    expect(summary.slowestMs, `slowest: ${summary.slowest}`).toBeLessThan(1000);
    // Wall time too, loosely: CI machines run other jobs beside this one.
    expect(summary.slowestWallMs).toBeLessThan(5000);
    // The largest load, 30,000 modules from a 720 KB file, peaks near 80 MB.
    expect(summary.maxRssMB - summary.baselineRssMB).toBeLessThan(150);
    const h = summary.hostile;
    expect(h['Linear(20000, 20000) in 160 bytes']).toMatch(/at least 400,020,000 weight values/);
    expect(h['Linear(60000, 60000)']).toMatch(/at least 3,600,060,000 weight values/);
    expect(h['LSTM of a million layers']).toMatch(/refusing to build it/);
    expect(h['Sequential of 30,000 Identity layers (720 KB)']).toBe('loaded');
    expect(h['Sequential of 40,000 Identity layers (960 KB)']).toMatch(/builds at least 40,001 modules; the limit is 32,768/);
    expect(h['5,000 nested Sequentials']).toMatch(/nests layers more than 128 levels deep/);
    expect(h['an option nested 100,000 deep']).toMatch(/nests deeper than 264 JSON levels/);
    expect(h['F32 weights declared I32']).toMatch(/is I32 in the file but the model's is float32/);
  }, 60_000);
});
