#!/usr/bin/env node
// @backprop/all must re-export every other publishable package, so a new package cannot be forgotten there;
// umbrella.json lists the deliberate exceptions with their reasons.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checksDir, publishablePackages, readJson } from './lib/workspace.mjs';
import { Report, runStandalone } from './lib/report.mjs';

export const umbrellaName = '@backprop/all';

/** The namespace a package gets in the umbrella: its folder name in camelCase (`package-checks` -> `packageChecks`). */
export function namespaceOf(pkg) {
  return pkg.folder.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
}

export async function checkUmbrella() {
  const report = new Report('umbrella');
  const packages = publishablePackages();
  const umbrella = packages.find((p) => p.name === umbrellaName);
  if (!umbrella) {
    report.problem(umbrellaName, 'packages/all is missing or private', 'the umbrella package');
    return report;
  }
  const source = readFileSync(join(umbrella.dir, 'src', 'index.ts'), 'utf8');
  const { exclude } = readJson(join(checksDir, 'umbrella.json'));
  let missing = 0;
  for (const pkg of packages) {
    if (pkg === umbrella || pkg.name in exclude) continue;
    const ns = namespaceOf(pkg);
    const line = `export * as ${ns} from '${pkg.name}';`;
    if (!source.includes(line)) {
      missing++;
      report.problem(umbrellaName, `does not re-export ${pkg.name}`, `\`${line}\` in packages/all/src/index.ts`);
    }
    if (umbrella.manifest.dependencies?.[pkg.name] !== 'workspace:^') {
      missing++;
      report.problem(umbrellaName, `does not depend on ${pkg.name}`, `"${pkg.name}": "workspace:^" in packages/all/package.json dependencies`);
    }
  }
  if (missing === 0) report.ok(umbrellaName, `re-exports every other publishable package (${Object.keys(exclude).length} excluded in umbrella.json)`);
  return report;
}

await runStandalone(import.meta.url, checkUmbrella);
