#!/usr/bin/env node
// Size budgets and tree-shaking: bundles each entry of size-budgets.json with esbuild as an application would
// (minified, ESM, `sideEffects` honoured), compares the gzipped size with its budget, and fails when a
// forbidden package contributed any code. Usage: node check-size.mjs [--budgets other.json]
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { checksDir, publishablePackages, readJson } from './lib/workspace.mjs';
import { tempDir } from './lib/proc.mjs';
import { Report, runStandalone } from './lib/report.mjs';

export const budgetsFile = join(checksDir, 'size-budgets.json');

/** A folder whose node_modules/@backprop links to the workspace packages, so entries resolve like a user's. */
function consumerFolder(packages) {
  const dir = tempDir('size');
  mkdirSync(join(dir, 'node_modules', '@backprop'), { recursive: true });
  for (const pkg of packages) symlinkSync(pkg.dir, join(dir, 'node_modules', pkg.name), 'dir');
  return dir;
}

/** Which workspace package (by real folder) a bundled input file belongs to, or null. */
function ownerOf(inputPath, dir, packages) {
  const absolute = realpathSync(isAbsolute(inputPath) ? inputPath : resolve(dir, inputPath));
  const owner = packages.find((p) => absolute.startsWith(realpathSync(p.dir) + sep));
  if (owner) return owner.name;
  const match = /node_modules[\\/](@backprop[\\/][^\\/]+)[\\/]/.exec(absolute);
  return match ? match[1].replace('\\', '/') : null;
}

export async function checkSize({ file = budgetsFile } = {}) {
  const report = new Report('size');
  const packages = publishablePackages();
  const { bundles } = readJson(file);
  const dir = consumerFolder(packages);
  for (const budget of bundles) {
    let result;
    try {
      result = await build({
        stdin: { contents: budget.entry, resolveDir: dir, loader: 'js', sourcefile: 'entry.js' },
        absWorkingDir: dir,
        bundle: true,
        minify: true,
        format: 'esm',
        platform: budget.platform ?? 'neutral',
        mainFields: ['module', 'main'],
        target: 'es2022',
        write: false,
        metafile: true,
        logLevel: 'silent',
      });
    } catch (error) {
      const first = error.errors?.[0];
      report.problem(budget.name, `esbuild failed: ${first ? `${first.text}${first.location ? ` (${first.location.file}:${first.location.line})` : ''}` : error.message}`, 'the entry to bundle (are the packages built?)');
      continue;
    }
    const code = result.outputFiles[0].contents;
    const gzip = gzipSync(code, { level: 9 }).length;
    const owners = new Map();
    // metafile.inputs lists every file esbuild parsed, tree-shaken or not; the output's own input list says
    // how many bytes each file really contributed.
    const [output] = Object.values(result.metafile.outputs);
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (input === 'entry.js' || input.startsWith('<') || bytesInOutput === 0) continue;
      const owner = ownerOf(input, dir, packages) ?? 'third-party';
      owners.set(owner, (owners.get(owner) ?? 0) + bytesInOutput);
    }
    const from = [...owners.keys()].sort().join(', ');
    for (const forbidden of budget.forbid ?? []) {
      if (owners.has(forbidden)) report.problem(budget.name, `bundle of \`${budget.entry}\` contains code of ${forbidden}`, `no ${forbidden} (tree-shaking, sideEffects, or an import that should not be there)`);
    }
    if (gzip > budget.maxGzipBytes) {
      report.problem(budget.name, `${gzip} bytes min+gzip (${code.length} minified, from ${from})`, `at most ${budget.maxGzipBytes} bytes; shrink it, or raise maxGzipBytes in size-budgets.json with a reason in the commit`);
    } else {
      report.ok(budget.name, `${gzip} bytes min+gzip of ${budget.maxGzipBytes} (${code.length} minified, from ${from})${budget.forbid?.length ? `; none of ${budget.forbid.join(', ')}` : ''}`);
    }
  }
  return report;
}

await runStandalone(import.meta.url, () => {
  const flag = process.argv.indexOf('--budgets');
  return checkSize(flag === -1 ? {} : { file: resolve(process.argv[flag + 1]) });
});
