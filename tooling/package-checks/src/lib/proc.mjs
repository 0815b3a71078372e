import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs a command to completion and returns its status and output (never throws on a non-zero exit). */
export function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) return { status: -1, stdout: '', stderr: String(result.error) };
  return { status: result.status ?? -1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** `run` without blocking, so that several npm installs (mostly waiting on disk and network) overlap. */
export function runAsync(cmd, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => resolve({ status: -1, stdout, stderr: `${stderr}${error}` }));
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}

/** Maps `fn` over `items` with at most `limit` running at once; results keep the order of `items`. */
export async function pool(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const temporary = [];
process.on('exit', () => {
  if (!process.env.PACKAGE_CHECKS_KEEP_TMP) for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed at exit unless PACKAGE_CHECKS_KEEP_TMP is set (to inspect a failure). */
export function tempDir(prefix) {
  const dir = mkdtempSync(join(tmpdir(), `backprop-${prefix}-`));
  temporary.push(dir);
  return dir;
}

/** The last few lines of a failed command's output, on one line, for a problem report. */
export function tail(result, lines = 6) {
  return `${result.stderr}\n${result.stdout}`.trim().split('\n').filter(Boolean).slice(-lines).join(' | ');
}
