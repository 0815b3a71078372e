#!/usr/bin/env node
// Every release check in one go, for CI after the tests (the packages must be built):
//   node tooling/package-checks/src/run-all.mjs [--packages tensor,io]
// Packs the publishable packages once and runs: pack-and-install, publint + attw, API report check,
// size budgets, umbrella completeness. Prints one line per problem and exits 1 if there was any.
import { closure, selectedPackages } from './lib/workspace.mjs';
import { packAll } from './lib/pack.mjs';
import { checkInstalls } from './check-installs.mjs';
import { checkPublint } from './check-publint.mjs';
import { apiReports } from './api-report.mjs';
import { checkSize } from './check-size.mjs';
import { checkUmbrella } from './check-umbrella.mjs';

const started = Date.now();
const { all, selected } = selectedPackages();
const partial = selected.length !== all.length;
console.log(`package-checks: ${selected.map((p) => p.name).join(', ')}`);

const timed = async (name, fn) => {
  const t = Date.now();
  const report = await fn();
  return { name, report, seconds: (Date.now() - t) / 1000 };
};

const results = [];
let tarballs;
try {
  tarballs = packAll(selected.flatMap((p) => closure(p, all)).filter((p, i, a) => a.indexOf(p) === i));
} catch (error) {
  console.log(`✗ [pack] ${error.message} (expected every package to pack)`);
  process.exit(1);
}
results.push(await timed('pack-and-install', () => checkInstalls({ all, selected, tarballs })));
results.push(await timed('publint + attw', () => checkPublint({ all, selected, tarballs })));
results.push(await timed('API reports', () => apiReports({ all, selected, mode: 'check' })));
// Size budgets and the umbrella are about the whole workspace, so a --packages run leaves them out.
if (!partial) {
  results.push(await timed('size budgets', () => checkSize()));
  results.push(await timed('umbrella', () => checkUmbrella()));
}

console.log('\npackage-checks summary:');
for (const { name, report, seconds } of results) {
  console.log(`  ${report.failed ? '✗' : '✓'} ${name}: ${report.failed ? `${report.problems.length} problem(s)` : 'ok'} (${seconds.toFixed(1)}s)`);
}
const problems = results.reduce((n, r) => n + r.report.problems.length, 0);
console.log(`package-checks: ${problems === 0 ? 'all passed' : `${problems} problem(s)`} in ${((Date.now() - started) / 1000).toFixed(1)}s`);
if (problems > 0) process.exitCode = 1;
