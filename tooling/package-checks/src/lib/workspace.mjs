// Finds the publishable workspace packages and the order they depend on each other in, so every check
// picks up a new package under packages/ without being told about it.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..');
export const checksDir = join(root, 'tooling', 'package-checks');

export function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export const pnpmVersion = readJson(join(root, 'package.json')).packageManager.split('@')[1];

/** Workspace names this package needs at run time (what a consumer's npm must install with it). */
function internalDeps(manifest) {
  const names = new Set();
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const name of Object.keys(manifest[field] ?? {})) if (name.startsWith('@backprop/')) names.add(name);
  }
  return [...names].sort();
}

/**
 * Every package under packages/ whose manifest is not `"private": true`, sorted so that a package comes
 * after the packages it depends on (then by name, so output is stable).
 */
export function publishablePackages() {
  const dir = join(root, 'packages');
  const found = [];
  for (const entry of readdirSync(dir).sort()) {
    const manifestPath = join(dir, entry, 'package.json');
    if (!existsSync(manifestPath)) continue;
    const manifest = readJson(manifestPath);
    if (manifest.private === true) continue;
    found.push({ name: manifest.name, dir: join(dir, entry), folder: entry, manifest, deps: internalDeps(manifest) });
  }
  const byName = new Map(found.map((p) => [p.name, p]));
  const ordered = [];
  const state = new Map();
  const visit = (pkg, trail) => {
    if (state.get(pkg.name) === 'done') return;
    if (state.get(pkg.name) === 'visiting') throw new Error(`dependency cycle: ${[...trail, pkg.name].join(' -> ')}`);
    state.set(pkg.name, 'visiting');
    for (const dep of pkg.deps) if (byName.has(dep)) visit(byName.get(dep), [...trail, pkg.name]);
    state.set(pkg.name, 'done');
    ordered.push(pkg);
  };
  for (const pkg of found) visit(pkg, []);
  return ordered;
}

/** The package and every workspace package it reaches through its dependencies. */
export function closure(pkg, all) {
  const byName = new Map(all.map((p) => [p.name, p]));
  const seen = new Set();
  const walk = (name) => {
    if (seen.has(name) || !byName.has(name)) return;
    seen.add(name);
    for (const dep of byName.get(name).deps) walk(dep);
  };
  walk(pkg.name);
  return all.filter((p) => seen.has(p.name));
}

/**
 * Packages selected on the command line with `--packages tensor,autograd` (folder or full names), else all
 * publishable packages. A dependency outside the selection is still packed when a check needs it.
 */
export function selectedPackages(argv = process.argv.slice(2)) {
  const all = publishablePackages();
  const flag = argv.findIndex((a) => a === '--packages' || a.startsWith('--packages='));
  if (flag === -1) return { all, selected: all };
  const value = argv[flag].includes('=') ? argv[flag].split('=')[1] : argv[flag + 1];
  const wanted = (value ?? '').split(',').filter(Boolean).map((n) => (n.startsWith('@') ? n : `@backprop/${n}`));
  const unknown = wanted.filter((n) => !all.some((p) => p.name === n));
  if (unknown.length > 0) {
    console.error(`package-checks: unknown package(s) ${unknown.join(', ')}; publishable: ${all.map((p) => p.name).join(', ')}`);
    process.exit(2);
  }
  return { all, selected: all.filter((p) => wanted.includes(p.name)) };
}

/** The files a built package must have; the checks refuse to run on a package that was not built. */
export const distFiles = ['dist/index.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.d.cts'];

export function missingDist(pkg) {
  return distFiles.filter((f) => !existsSync(join(pkg.dir, f)));
}
