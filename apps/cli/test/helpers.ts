import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI: tests run what users run (turbo builds before testing; locally run `npx tsup` first). */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'bin.js');
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const EXAMPLES = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Spawns `node dist/bin.js ...args` in `cwd` (with `env` added to this process's) and collects its output. */
export function start(args: string[], cwd: string, env?: Record<string, string>): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], env: env ? { ...process.env, ...env } : undefined });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<RunResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function run(args: string[], cwd: string, input?: string, env?: Record<string, string>): Promise<RunResult> {
  const { child, done } = start(args, cwd, env);
  child.stdin!.end(input ?? '');
  return done;
}

/** A fresh folder for a test's files. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'backprop-cli-'));
}

/** Writes a config (object → JSON) into `dir` and returns its path. */
export function writeConfig(dir: string, name: string, config: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
  return path;
}

/** Every stdout line parsed as JSON (throws on a line that is not). */
export function jsonLines(stdout: string): Record<string, any>[] {
  return stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, any>);
}

/** The final `{"event": "result"}` line of a training run. */
export function resultOf(stdout: string): Record<string, any> {
  const result = jsonLines(stdout).find((l) => l.event === 'result');
  if (!result) throw new Error(`no result line in:\n${stdout}`);
  return result;
}

/** The sentence of a failed command: stderr's first line (in JSON mode a `{"event": "error"}` line follows). */
export function errorLine(stderr: string): string {
  return stderr.split('\n')[0];
}

/** The `{"event": "error"}` line that JSON mode adds on stderr. */
export function errorEvent(stderr: string): Record<string, any> {
  const line = stderr.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`no JSON error line in:\n${stderr}`);
  return JSON.parse(line) as Record<string, any>;
}
