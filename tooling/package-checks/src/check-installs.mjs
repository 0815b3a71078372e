#!/usr/bin/env node
// Pack-and-install check: each publishable package is packed as it would be published, installed with plain
// npm into a fresh project together with the tarballs of the @backprop packages it depends on, then loaded
// through ESM `import` and CJS `require`, and type-checked as a consumer under moduleResolution node16 and
// bundler. Usage: node check-installs.mjs [--packages tensor,io]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { closure, checksDir, missingDist, readJson, root, selectedPackages } from './lib/workspace.mjs';
import { packAll } from './lib/pack.mjs';
import { pool, run, runAsync, tail, tempDir } from './lib/proc.mjs';
import { Report, runStandalone } from './lib/report.mjs';
import { shareFilesUnder, typecheck } from './lib/typecheck.mjs';

const smoke = readJson(join(checksDir, 'smoke.json'));

/** npm as a user on a clean machine runs it: none of the npm_* settings pnpm passes to its scripts. */
function cleanEnv() {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/** The consumer programs: the same code written as ESM, CJS and TypeScript for each resolution mode. */
function consumerFiles(pkg) {
  const entry = smoke[pkg.name];
  const imports = Object.entries(entry?.imports ?? {});
  const expression = entry?.expression ?? 'true';
  // The runtime programs print what they loaded; the parent compares it with the declarations.
  const report = `JSON.stringify({ names: Object.keys(m).filter((k) => k !== '__esModule' && k !== 'default').sort(), smoke: (${expression}) === true })`;
  const esmImports = [`import * as m from '${pkg.name}';`, ...imports.map(([n, s]) => `import * as ${n} from '${s}';`)];
  const cjsImports = [`const m = require('${pkg.name}');`, ...imports.map(([n, s]) => `const ${n} = require('${s}');`)];
  const tsCjsImports = [`import m = require('${pkg.name}');`, ...imports.map(([n, s]) => `import ${n} = require('${s}');`)];
  const tsBody = `export const names: string[] = Object.keys(m);\nexport const smoke: boolean = ${expression};\n`;
  return {
    'esm.mjs': `${esmImports.join('\n')}\nconsole.log(${report});\n`,
    'cjs.cjs': `${cjsImports.join('\n')}\nconsole.log(${report});\n`,
    'esm.mts': `${esmImports.join('\n')}\n${tsBody}`,
    'cjs.cts': `${tsCjsImports.join('\n')}\n${tsBody}`,
    'bundler.ts': `${esmImports.join('\n')}\n${tsBody}`,
  };
}

function runProgram(report, pkg, dir, file) {
  const result = run(process.execPath, [file], { cwd: dir });
  if (result.status !== 0) {
    report.problem(pkg.name, `node ${file} failed: ${tail(result, 4)}`, 'it to load and run');
    return null;
  }
  try {
    return JSON.parse(result.stdout.trim().split('\n').pop());
  } catch {
    report.problem(pkg.name, `node ${file} printed ${JSON.stringify(result.stdout.slice(0, 200))}`, 'a JSON line');
    return null;
  }
}

function compareExports(report, pkg, label, declared, loaded) {
  if (!declared) return report.problem(pkg.name, `${label}: the declarations did not resolve`, 'types for the entry point');
  const missing = declared.filter((n) => !loaded.includes(n));
  const undeclared = loaded.filter((n) => !declared.includes(n));
  if (missing.length) report.problem(pkg.name, `${label}: declared but missing at run time: ${missing.join(', ')}`, 'every declared value export to exist');
  if (undeclared.length) report.problem(pkg.name, `${label}: exported at run time but not declared: ${undeclared.join(', ')}`, 'types for every runtime export');
}

// The Node consumer type-checks against @types/node of the Node line we support (the root's range).
const typesNode = `@types/node@${readJson(join(root, 'package.json')).devDependencies['@types/node']}`;

const npmFlags = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/** One @types/node install that every Node consumer program type-checks against. */
async function installTypesNode() {
  const dir = tempDir('types-node');
  writeFileSync(join(dir, 'package.json'), '{ "name": "types", "version": "0.0.0", "private": true }');
  const result = await runAsync('npm', ['install', ...npmFlags, typesNode], { cwd: dir, env: cleanEnv() });
  return { typeRoot: join(dir, 'node_modules', '@types'), result };
}

/** Makes a consumer project for one package and npm-installs the tarballs it needs into it. */
async function install(pkg, all, tarballs) {
  const needed = closure(pkg, all);
  const dir = tempDir(`install-${pkg.folder}`);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '0.0.0', private: true }, null, 2));
  for (const [file, text] of Object.entries(consumerFiles(pkg))) writeFileSync(join(dir, file), text);
  // Third-party dependencies come from npm's cache when it has them, else the registry.
  const args = ['install', ...npmFlags, ...needed.map((p) => tarballs.get(p.name))];
  const result = await runAsync('npm', args, { cwd: dir, env: cleanEnv() });
  return { dir, needed, result };
}

function verify(report, pkg, { dir, needed, result }, typeRoot) {
  if (result.status !== 0) {
    report.problem(pkg.name, `npm install of ${needed.map((p) => p.folder).join(', ')} failed: ${tail(result)}`, 'a clean install');
    return;
  }
  const before = report.problems.length;
  const esm = runProgram(report, pkg, dir, 'esm.mjs');
  const cjs = runProgram(report, pkg, dir, 'cjs.cjs');
  if (esm && esm.names.length === 0) report.problem(pkg.name, 'ESM import has no exports', 'a non-empty module');
  if (esm && !esm.smoke) report.problem(pkg.name, `ESM smoke expression was false: ${smoke[pkg.name]?.expression}`, 'true');
  if (cjs && !cjs.smoke) report.problem(pkg.name, `CJS smoke expression was false: ${smoke[pkg.name]?.expression}`, 'true');
  if (esm && cjs && esm.names.join() !== cjs.names.join()) {
    const onlyEsm = esm.names.filter((n) => !cjs.names.includes(n));
    const onlyCjs = cjs.names.filter((n) => !esm.names.includes(n));
    report.problem(pkg.name, `ESM and CJS exports differ: only ESM [${onlyEsm.join(', ')}], only CJS [${onlyCjs.join(', ')}]`, 'the same names');
  }

  const node16 = typecheck([join(dir, 'esm.mts'), join(dir, 'cjs.cts')], 'node16', pkg.name, typeRoot);
  const bundler = typecheck([join(dir, 'bundler.ts')], 'bundler', pkg.name);
  for (const d of node16.diagnostics) report.problem(pkg.name, `tsc (node16, @types/node, no DOM): ${d}`, 'no type errors');
  for (const d of bundler.diagnostics) report.problem(pkg.name, `tsc (bundler, DOM): ${d}`, 'no type errors');
  if (esm) compareExports(report, pkg, 'ESM (node16 types)', node16.exports[join(dir, 'esm.mts')], esm.names);
  if (cjs) compareExports(report, pkg, 'CJS (node16 types)', node16.exports[join(dir, 'cjs.cts')], cjs.names);
  if (esm) compareExports(report, pkg, 'ESM (bundler types)', bundler.exports[join(dir, 'bundler.ts')], esm.names);

  if (report.problems.length === before) {
    const how = smoke[pkg.name] ? 'smoke expression true' : 'no smoke expression in smoke.json: export checks only';
    report.ok(pkg.name, `installed with ${needed.length - 1} @backprop dep(s); ESM + CJS load (${esm.names.length} exports, ${how}); tsc node16 + bundler clean`);
  }
}

export async function checkInstalls({ all, selected, tarballs }) {
  const report = new Report('installs');
  const built = selected.filter((pkg) => {
    const missing = missingDist(pkg);
    if (missing.length) report.problem(pkg.name, `not built: ${missing.join(', ')} missing`, 'a built package (run the build first)');
    return missing.length === 0;
  });
  // Installs overlap (they mostly wait on the disk); the checks after them run one package at a time.
  const started = Date.now();
  const [types, ...installs] = await pool([null, ...built], 4, (pkg) => (pkg ? install(pkg, all, tarballs) : installTypesNode()));
  report.info(`npm installed ${built.length} consumer projects in ${((Date.now() - started) / 1000).toFixed(1)}s`);
  if (types.result.status !== 0) {
    report.problem(typesNode, `npm install failed: ${tail(types.result)}`, 'types for the Node consumer');
    return report;
  }
  shareFilesUnder(types.typeRoot);
  built.forEach((pkg, i) => verify(report, pkg, installs[i], types.typeRoot));
  return report;
}

await runStandalone(import.meta.url, async () => {
  const { all, selected } = selectedPackages();
  const tarballs = packAll(selected.flatMap((p) => closure(p, all)).filter((p, i, a) => a.indexOf(p) === i));
  return checkInstalls({ all, selected, tarballs });
});
