import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorEvent, errorLine, jsonLines, run, tempDir, writeConfig } from './helpers.js';

const COMMANDS = ['train', 'eval', 'predict', 'summary', 'gradcheck', 'export', 'datasets'];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

describe('every command speaks JSON when stdout is not a terminal', () => {
  const dir = tempDir();
  const config = { data: 'iris', epochs: 2 };
  beforeAll(async () => {
    writeConfig(dir, 'iris.json', config);
    writeFileSync(join(dir, 'rows.json'), JSON.stringify([[5.1, 3.5, 1.4, 0.2], [6.7, 3.0, 5.2, 2.3], [5.9, 2.8, 4.3, 1.3]]));
    const r = await run(['train', 'iris.json', '--save', 'iris.safetensors'], dir);
    expect(r.code, r.stderr).toBe(0);
  });

  it('without --json, each stdout line is JSON with an event field', async () => {
    const runs = {
      eval: ['eval', 'iris.safetensors'],
      predict: ['predict', 'iris.safetensors', '--input', 'rows.json'],
      summary: ['summary', 'iris.safetensors'],
      gradcheck: ['gradcheck', 'iris.json', '--samples', '2'],
      export: ['export', 'iris.safetensors', '--onnx', 'iris.onnx'],
      datasets: ['datasets'],
      train: ['train', 'iris.json'],
    };
    for (const [name, args] of Object.entries(runs)) {
      const r = await run(args, dir);
      expect(r.code, `${name}: ${r.stderr}`).toBe(0);
      const lines = jsonLines(r.stdout);
      expect(lines.length, name).toBeGreaterThan(0);
      for (const line of lines) expect(typeof line.event, `${name}: ${JSON.stringify(line)}`).toBe('string');
    }
  });

  it('predict writes one line per sample, in order', async () => {
    const lines = jsonLines((await run(['predict', 'iris.safetensors', '--input', 'rows.json', '--json'], dir)).stdout);
    expect(lines.map((l) => [l.event, l.sample])).toEqual([['prediction', 0], ['prediction', 1], ['prediction', 2]]);
    expect(lines.every((l) => typeof l.label === 'string' && l.probabilities.length === 3)).toBe(true);
  });

  it('--no-json prints text even into a pipe', async () => {
    const r = await run(['datasets', '--no-json'], dir);
    expect(r.stdout).toMatch(/^data\s+kind/);
  });
});

describe('errors and the command line parser', () => {
  it("commander's errors read like the others: backprop: …, exit code 2, a JSON line in JSON mode", async () => {
    const dir = tempDir();
    for (const args of [['fly'], ['train', '--epochs', 'many'], ['predict', 'm.safetensors'], ['train', '--nope']]) {
      const r = await run(args, dir);
      expect(r.code, r.stderr).toBe(2);
      expect(errorLine(r.stderr)).toMatch(/^backprop: (?!error:)/);
      expect(errorEvent(r.stderr)).toMatchObject({ event: 'error', exitCode: 2 });
    }
    expect(errorLine((await run(['fly'], dir)).stderr)).toBe("backprop: unknown command 'fly' (run with --help for usage)");
    const text = await run(['fly', '--no-json'], dir);
    expect(text.stderr).toBe("backprop: unknown command 'fly' (run with --help for usage)\n");
  });

  it('no command exits 0 without its arguments: backprop alone and commands missing their argument exit 2', async () => {
    const dir = tempDir();
    const bare = await run([], dir);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('Usage: backprop');
    expect(bare.stderr).toContain('backprop: no command given');
    for (const command of ['eval', 'predict', 'summary', 'gradcheck', 'export']) {
      const r = await run([command], dir);
      expect(r.code, command).toBe(2);
      expect(errorLine(r.stderr), command).toMatch(/^backprop: (missing required argument|required option)/);
    }
    expect((await run(['help'], dir)).code).toBe(0);
  });

  it("every command's --help lists the global options, and --version is package.json's", async () => {
    const dir = tempDir();
    for (const command of COMMANDS) {
      const r = await run([command, '--help'], dir);
      expect(r.code, r.stderr).toBe(0);
      for (const flag of ['--json', '--no-json', '--verbose', '--plugin <module>']) expect(r.stdout, `${command} ${flag}`).toContain(flag);
    }
    const { version } = JSON.parse(readFileSync(join(ROOT, 'apps', 'cli', 'package.json'), 'utf8')) as { version: string };
    const v = await run(['--version'], dir);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toBe(`${version}\n`);
  });
});

describe('npm start', () => {
  it('npm reads the repository configuration without warnings', () => {
    // npx (which npm start runs pnpm through) warns about every setting in .npmrc that npm does not know.
    // As from a person's shell: without the npm_config_* variables pnpm sets for the scripts it runs (this
    // test runs under `pnpm test`), which npm would warn about although no repository file sets them.
    const shell = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
    const r = spawnSync('npm', ['pkg', 'get', 'name'], { cwd: ROOT, encoding: 'utf8', env: { ...shell, npm_config_update_notifier: 'false' } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  });
});
