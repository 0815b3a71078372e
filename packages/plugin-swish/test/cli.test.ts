import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The `backprop` command, loaded with this package as a plugin, exactly as a user would run it.
const here = fileURLToPath(new URL('.', import.meta.url));
const pkg = join(here, '..');
// The workspace's built CLI, by path: depending on @backprop/cli would make pnpm link its `backprop` bin
// before the CLI is built, and warn about the missing file on every fresh install.
const cli = join(pkg, '..', '..', 'apps', 'cli', 'dist', 'bin.js');
const config = join(pkg, 'examples', 'circle-swish.json');
const plugin = join(pkg, 'dist', 'index.js');

function backprop(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', cwd: mkdtempSync(join(tmpdir(), 'swish-cli-')) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the CLI with --plugin', () => {
  it('summarizes a config that uses the Swish layer', () => {
    const r = backprop('summary', config, '--plugin', plugin, '--no-json');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/\(Swish\)\s+\[1, 16\]\s+16/);
  });
  it('says the layer is unknown without the plugin', () => {
    const r = backprop('summary', config);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown layer type "Swish"/);
  });
  it('trains the config and reaches a high test accuracy', () => {
    const r = backprop('train', config, '--plugin', plugin, '--json', '--epochs', '20');
    expect(r.code, r.err).toBe(0);
    const result = JSON.parse(r.out.trim().split('\n').at(-1)!);
    expect(result.test.accuracy).toBeGreaterThan(0.9);
  });
});
