// `pnpm pack` is what publishing runs: it rewrites `workspace:^` to real version ranges and keeps only
// the `files` list, so every check that looks at "what users get" looks at these tarballs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pnpmVersion, root } from './workspace.mjs';
import { run, tail, tempDir } from './proc.mjs';

export function tarballName(pkg) {
  return `${pkg.name.replace(/^@/, '').replace('/', '-')}-${pkg.manifest.version}.tgz`;
}

/** Packs the given packages into one temporary folder; returns Map(name -> tarball path). */
export function packAll(packages) {
  const dest = tempDir('pack');
  const filters = packages.flatMap((p) => ['--filter', p.name]);
  const result = run('npx', ['--yes', `pnpm@${pnpmVersion}`, '-r', ...filters, 'pack', '--pack-destination', dest], {
    cwd: root,
    env: { ...process.env, npm_config_update_notifier: 'false' },
  });
  if (result.status !== 0) throw new Error(`pnpm pack failed: ${tail(result)}`);
  const tarballs = new Map();
  for (const pkg of packages) {
    const file = join(dest, tarballName(pkg));
    if (!existsSync(file)) throw new Error(`pnpm pack did not write ${file}`);
    tarballs.set(pkg.name, file);
  }
  return tarballs;
}
