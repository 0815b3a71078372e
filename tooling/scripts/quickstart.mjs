#!/usr/bin/env node
// The README's two quick-start commands land here so that each does its own set-up on a machine
// that has only Node 20 and npm: pnpm comes from the registry through npx, pinned to the version
// in package.json's `packageManager` field.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const pnpmVersion = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split('@')[1];

// npx and pnpm check the registry for newer versions of themselves and print a notice when there is one;
// the pinned versions are what this script wants, so the check is off (errors still print).
const QUIET = { npm_config_update_notifier: 'false', TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' };

function run(cmd, args, extraEnv = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...QUIET, ...extraEnv } });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Installs with the committed lockfile; if it has drifted from the manifests, resolves again (pins stay). */
function installWorkspace() {
  if (existsSync(join(root, 'pnpm-lock.yaml'))) {
    const frozen = spawnSync('npx', ['--yes', `pnpm@${pnpmVersion}`, 'install', '--frozen-lockfile'], { cwd: root, stdio: 'inherit', env: { ...process.env, ...QUIET } });
    if (frozen.status === 0) return;
    console.warn('quickstart: the lockfile does not match the manifests; installing without --frozen-lockfile');
  }
  pnpm('install', '--no-frozen-lockfile');
}

function pnpm(...args) {
  run('npx', ['--yes', `pnpm@${pnpmVersion}`, ...args]);
}

const job = process.argv[2];
installWorkspace();

if (job === 'main') {
  pnpm('exec', 'turbo', 'run', 'build', '--filter=@backprop/cli...', '--output-logs=errors-only');
  run('node', [join(root, 'apps', 'cli', 'dist', 'bin.js'), 'train', ...process.argv.slice(3)]);
} else if (job === 'test') {
  pnpm('exec', 'turbo', 'run', 'build', '--output-logs=errors-only');
  pnpm('exec', 'turbo', 'run', 'lint', 'typecheck', '--output-logs=errors-only');
  // Nothing above @backprop/tensor reads or writes a tensor's raw host array (the device-storage rule).
  run('node', [join(root, 'tooling', 'scripts', 'host-array-reads.mjs')]);
  pnpm('exec', 'turbo', 'run', 'test', '--concurrency=1');
  run('node', [join(root, 'tooling', 'scripts', 'test-summary.mjs')]);
  // Packages install alone (ESM, CJS, types), publint/attw, API reports, size budgets, the umbrella.
  run('node', [join(root, 'tooling', 'package-checks', 'src', 'run-all.mjs')]);
  // The closing line CI reads comes last, after the package checks.
  run('node', [join(root, 'tooling', 'scripts', 'test-summary.mjs'), '--quiet']);
} else {
  console.error(`quickstart: unknown job '${job}', expected 'main' or 'test'`);
  process.exit(2);
}
