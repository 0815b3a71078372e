#!/usr/bin/env node
// API reports: each publishable package's public surface (every exported name with its type), extracted by
// API Extractor from the built dist/index.d.ts into packages/<name>/api-report.api.md, which is committed.
//   node api-report.mjs check   fails, printing the diff, when a surface changed and the report was not updated
//   node api-report.mjs update  rewrites the reports
// Both take [--packages tensor,io]. The doc model (.api.json) for API docs is written to a temp folder.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor';
import { missingDist, selectedPackages } from './lib/workspace.mjs';
import { tempDir } from './lib/proc.mjs';
import { Report, runStandalone } from './lib/report.mjs';
import { lineDiff } from './lib/diff.mjs';

export const reportFile = 'api-report.api.md';

// Release tags (@public/@beta) are not part of how we version, so their absence is not reported; every other
// extractor finding (an exported signature using a type that is not exported, ...) lands in the report,
// where a reviewer sees it.
const messages = {
  compilerMessageReporting: { default: { logLevel: 'warning' } },
  extractorMessageReporting: {
    default: { logLevel: 'none', addToApiReportFile: true },
    'ae-missing-release-tag': { logLevel: 'none', addToApiReportFile: false },
    // Undocumented members are already marked "(undocumented)" inline; the summary would add d.ts line numbers
    // that move with every doc comment edit.
    'ae-undocumented': { logLevel: 'none', addToApiReportFile: false },
  },
  tsdocMessageReporting: { default: { logLevel: 'none', addToApiReportFile: false } },
};

function extractorConfig(pkg, tempFolder, docModelFolder) {
  return ExtractorConfig.prepare({
    configObject: {
      projectFolder: pkg.dir,
      mainEntryPointFilePath: '<projectFolder>/dist/index.d.ts',
      bundledPackages: [],
      compiler: {
        overrideTsconfig: {
          // Declarations may name DOM or Node globals (Blob, URL, AbortSignal): both are in scope, as for our users.
          compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'ESNext', moduleResolution: 'Bundler', strict: true, types: ['node'], skipLibCheck: true },
          files: ['dist/index.d.ts'],
        },
      },
      apiReport: { enabled: true, reportFileName: 'api-report', reportFolder: '<projectFolder>/', reportTempFolder: tempFolder },
      docModel: { enabled: Boolean(docModelFolder), apiJsonFilePath: join(docModelFolder ?? tempFolder, '<unscopedPackageName>.api.json') },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages,
      newlineKind: 'lf',
    },
    configObjectFullPath: undefined,
    packageJsonFullPath: join(pkg.dir, 'package.json'),
  });
}

/** Runs API Extractor on one package; returns the report text it produced and any errors it raised. */
export function extract(pkg, docModelFolder) {
  const tempFolder = tempDir(`api-${pkg.folder}`);
  const config = extractorConfig(pkg, tempFolder, docModelFolder);
  const errors = [];
  // localBuild: false leaves the committed report alone and writes the fresh one to the temp folder.
  const result = Extractor.invoke(config, {
    localBuild: false,
    showVerboseMessages: false,
    messageCallback: (message) => {
      // Console messages are about copying the report, which this script does itself.
      if (message.category !== 'console' && (message.logLevel === 'error' || message.logLevel === 'warning')) {
        errors.push(`${message.messageId}: ${message.text}${message.sourceFilePath ? ` (${message.sourceFilePath.split('/').slice(-2).join('/')}:${message.sourceFileLine})` : ''}`);
      }
      message.handled = true;
    },
  });
  const fresh = join(tempFolder, `api-report.api.md`);
  return { text: existsSync(fresh) ? readFileSync(fresh, 'utf8') : null, errors, succeeded: result.succeeded || result.apiReportChanged };
}

export async function apiReports({ selected, mode = 'check', docModelFolder }) {
  const report = new Report(mode === 'update' ? 'api-update' : 'api-report');
  if (docModelFolder) mkdirSync(docModelFolder, { recursive: true });
  for (const pkg of selected) {
    const missing = missingDist(pkg);
    if (missing.length) {
      report.problem(pkg.name, `not built: ${missing.join(', ')} missing`, 'a built package (run the build first)');
      continue;
    }
    let extracted;
    try {
      extracted = extract(pkg, docModelFolder);
    } catch (error) {
      report.problem(pkg.name, `api-extractor crashed: ${String(error.message).split('\n')[0]}`, 'a report');
      continue;
    }
    const { text, errors } = extracted;
    for (const e of errors) report.problem(pkg.name, `api-extractor ${e}`, 'no extractor errors');
    if (text === null) {
      report.problem(pkg.name, 'api-extractor wrote no report', 'a report');
      continue;
    }
    const committedPath = join(pkg.dir, reportFile);
    const committed = existsSync(committedPath) ? readFileSync(committedPath, 'utf8') : null;
    if (committed === text) {
      report.ok(pkg.name, `packages/${pkg.folder}/${reportFile} is up to date`);
    } else if (mode === 'update') {
      writeFileSync(committedPath, text);
      report.ok(pkg.name, `${committed === null ? 'wrote' : 'updated'} packages/${pkg.folder}/${reportFile}`);
    } else if (committed === null) {
      report.problem(pkg.name, `no API report packages/${pkg.folder}/${reportFile}`, 'a committed report: run `npx pnpm@10.34.8 --filter @backprop/package-checks api:update`, review and commit it');
    } else {
      console.log(lineDiff(committed, text).split('\n').map((l) => `    ${l}`).join('\n'));
      report.problem(pkg.name, `public API differs from packages/${pkg.folder}/${reportFile} (diff above: - committed, + built)`, 'the report updated with the change: run `npx pnpm@10.34.8 --filter @backprop/package-checks api:update` and commit it');
    }
  }
  return report;
}

await runStandalone(import.meta.url, async () => {
  const mode = process.argv[2];
  if (mode !== 'check' && mode !== 'update') {
    console.error('usage: api-report.mjs check|update [--packages tensor,io]');
    process.exit(2);
  }
  return apiReports({ ...selectedPackages(process.argv.slice(3)), mode });
});
