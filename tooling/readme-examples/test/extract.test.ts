// The extraction rules the README suite relies on: which blocks count, how they are numbered and marked,
// and what an install line brings.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBlocks, findReadmes, importedPackages, installedPackages } from '../src/extract.js';

const fence = '```';
const md = [
  '# @backprop/x',
  `${fence}sh`,
  'npm i @backprop/x@^1.2.0 @backprop/tensor --save # comment',
  fence,
  `${fence}ts`,
  "import { a } from '@backprop/x';",
  fence,
  '<!-- not-runnable -->',
  '',
  `${fence}typescript`,
  'a.b();',
  fence,
  `${fence}json`,
  '{ "import": "@backprop/x" }',
  fence,
  `${fence}js`,
  "const m = await import('@backprop/tensor');",
  fence,
].join('\n');

describe('extractBlocks', () => {
  const blocks = extractBlocks(md);

  it('numbers ts/js blocks from 1 in order and skips other languages', () => {
    expect(blocks.map((b) => [b.index, b.line, b.loader])).toEqual([
      [1, 5, 'ts'],
      [2, 10, 'ts'],
      [3, 16, 'js'],
    ]);
  });

  it('reads the not-runnable marker on the last non-blank line before the fence only', () => {
    expect(blocks.map((b) => b.notRunnable)).toEqual([false, true, false]);
  });

  it('sees static and dynamic @backprop imports', () => {
    expect(blocks.map((b) => b.importsBackprop)).toEqual([true, false, true]);
  });

  it('keeps the code without its fences', () => {
    expect(blocks[0].code).toBe("import { a } from '@backprop/x';\n");
  });
});

describe('install lines and imports', () => {
  it('reads package names from install commands in shell blocks, dropping versions and flags', () => {
    expect(installedPackages(md)).toEqual(['@backprop/x', '@backprop/tensor']);
  });

  it('ignores install commands outside shell blocks', () => {
    expect(installedPackages(`${fence}ts\n// npm i left-pad\n${fence}\nnpm i right-pad\n`)).toEqual([]);
  });

  it('names imported packages by their package name, without built-ins and relative paths', () => {
    const code = "import * as ort from 'onnxruntime-node';\nimport { x } from '@backprop/io/sub';\nimport fs from 'node:fs';\nimport path from 'path';\nimport './local.js';\n";
    expect(importedPackages(code)).toEqual(['onnxruntime-node', '@backprop/io']);
  });
});

describe('findReadmes', () => {
  it('takes every package README, and the CLI README only once it has an example meant to run', () => {
    const root = mkdtempSync(join(tmpdir(), 'readme-examples-find-'));
    try {
      const write = (dir: string, name: string, readme: string | undefined) => {
        mkdirSync(join(root, dir), { recursive: true });
        writeFileSync(join(root, dir, 'package.json'), JSON.stringify({ name }));
        if (readme !== undefined) writeFileSync(join(root, dir, 'README.md'), readme);
      };
      write('packages/b', '@backprop/b', md);
      write('packages/a', '@backprop/a', undefined);
      write('apps/cli', '@backprop/cli', `${fence}js\nexport function register() {}\n${fence}\n`);
      expect(findReadmes(root).map((r) => [r.packageName, r.exists, r.blocks.length])).toEqual([
        ['@backprop/a', false, 0],
        ['@backprop/b', true, 3],
      ]);
      writeFileSync(join(root, 'apps/cli/README.md'), `${fence}ts\nimport '@backprop/b';\n${fence}\n`);
      expect(findReadmes(root).map((r) => r.packageName)).toEqual(['@backprop/a', '@backprop/b', '@backprop/cli']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
