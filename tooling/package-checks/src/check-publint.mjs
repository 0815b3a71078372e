#!/usr/bin/env node
// publint --strict and Are The Types Wrong on the packed tarball of every publishable package: both must
// report nothing (publint's suggestions count too). Usage: node check-publint.mjs [--packages tensor,io]
import { readFileSync } from 'node:fs';
import { closure, missingDist, selectedPackages } from './lib/workspace.mjs';
import { packAll } from './lib/pack.mjs';
import { Report, runStandalone } from './lib/report.mjs';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { checkPackage, createPackageFromTarballData } from '@arethetypeswrong/core';
import { problemKindInfo } from '@arethetypeswrong/core/problems';

async function runPublint(report, pkg, tarball) {
  const bytes = readFileSync(tarball);
  const { messages, pkg: manifest } = await publint({ pack: { tarball: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }, strict: true, level: 'suggestion' });
  for (const message of messages) {
    const text = (formatMessage(message, manifest, { color: false }) ?? message.code).replace(/\s+/g, ' ').trim();
    report.problem(pkg.name, `publint ${message.type} ${message.code}: ${text}`, 'no publint messages');
  }
  return messages.length;
}

async function runAttw(report, pkg, tarball) {
  const result = await checkPackage(createPackageFromTarballData(new Uint8Array(readFileSync(tarball))));
  if (!result.types) {
    report.problem(pkg.name, 'attw: the package has no types', 'bundled .d.ts/.d.cts');
    return 1;
  }
  for (const problem of result.problems) {
    const info = problemKindInfo[problem.kind];
    const files = [problem.typesFileName, problem.implementationFileName, problem.fileName].filter(Boolean).join(', ');
    const where = [problem.entrypoint, problem.resolutionKind, files].filter(Boolean).join(' | ');
    report.problem(pkg.name, `attw ${problem.kind}${where ? ` (${where})` : ''}: ${info?.description ?? ''}`, 'no attw problems');
  }
  return result.problems.length;
}

export async function checkPublint({ selected, tarballs }) {
  const report = new Report('publint+attw');
  for (const pkg of selected) {
    const missing = missingDist(pkg);
    if (missing.length) {
      report.problem(pkg.name, `not built: ${missing.join(', ')} missing`, 'a built package (run the build first)');
      continue;
    }
    const found = (await runPublint(report, pkg, tarballs.get(pkg.name))) + (await runAttw(report, pkg, tarballs.get(pkg.name)));
    if (found === 0) report.ok(pkg.name, 'publint --strict and attw report nothing');
  }
  return report;
}

await runStandalone(import.meta.url, async () => {
  const { all, selected } = selectedPackages();
  const tarballs = packAll(selected.flatMap((p) => closure(p, all)).filter((p, i, a) => a.indexOf(p) === i));
  return checkPublint({ all, selected, tarballs });
});
