// Runs one README block as a reader would: an ES module in its own `node` process, importing the built
// `@backprop/*` packages. The module file sits inside this package (so bare imports resolve through its
// node_modules) while the process runs in a fresh temporary directory (so blocks that save files leave
// nothing behind).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { transform } from 'esbuild';
import type { CodeBlock } from './extract.js';

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  ms: number;
}

/**
 * TypeScript to an ES module. The code is shifted down to its README line and carries an inline source
 * map named after the README, so a stack trace points at `packages/x/README.md:<line>`.
 */
export async function toModule(block: CodeBlock, readmePath: string): Promise<string> {
  const shifted = '\n'.repeat(block.line) + block.code;
  const { code } = await transform(shifted, {
    loader: block.loader,
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    sourcefile: readmePath,
  });
  return code;
}

// Two cores are shared with other engineers' jobs: a few children at a time keeps the suite fast without
// starving the machine (the longest block, a training run, sets the floor anyway).
const slots = Math.max(2, Math.min(4, availableParallelism()));
let running = 0;
const waiting: (() => void)[] = [];

async function withSlot<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= slots) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

const MAX_OUTPUT = 16_000;

export async function runModule(source: string, packageDir: string, name: string, timeoutMs: number): Promise<RunResult> {
  const moduleDir = join(packageDir, '.tmp');
  mkdirSync(moduleDir, { recursive: true });
  const file = join(moduleDir, `${name.replace(/[^\w.-]+/g, '-')}-${process.pid}.mjs`);
  writeFileSync(file, source);
  const cwd = mkdtempSync(join(tmpdir(), 'readme-example-'));
  try {
    return await withSlot(
      () =>
        new Promise<RunResult>((resolve, reject) => {
          const start = performance.now();
          const env = { ...process.env };
          delete env.NODE_OPTIONS; // the test runner's loader hooks are not what a reader has
          const child = spawn(process.execPath, ['--enable-source-maps', file], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString()).slice(-MAX_OUTPUT)));
          child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-MAX_OUTPUT)));
          let timedOut = false;
          const timer = setTimeout(() => {
            timedOut = true;
            child.kill('SIGKILL');
          }, timeoutMs);
          child.on('error', (err) => {
            clearTimeout(timer);
            reject(err);
          });
          child.on('close', (exitCode, signal) => {
            clearTimeout(timer);
            resolve({ exitCode, signal, timedOut, stdout, stderr, ms: performance.now() - start });
          });
        }),
    );
  } finally {
    rmSync(file, { force: true });
    rmSync(cwd, { recursive: true, force: true });
  }
}

/** A failure message with everything needed to fix the README without rerunning. */
export function describeFailure(name: string, result: RunResult, timeoutMs: number): string {
  const how = result.timedOut
    ? `did not finish within ${timeoutMs} ms`
    : result.signal
      ? `was killed by ${result.signal}`
      : `exited with code ${result.exitCode}`;
  return [`${name} ${how}`, '--- stderr ---', result.stderr.trimEnd(), '--- stdout ---', result.stdout.trimEnd()].join('\n');
}
