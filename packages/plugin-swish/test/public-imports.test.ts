import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// A plugin is a model for third parties, so it may use only what they can: the public entry points of the
// packages it peers with, and its own relative files. No '@backprop/layers/src/…', no '../../layers/…'.
const PUBLIC = new Set(['@backprop/tensor', '@backprop/autograd', '@backprop/layers']);
const SRC = join(import.meta.dirname, '..', 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : [join(dir, e.name)]));
}

/**
 * Every module specifier of static imports, re-exports, dynamic imports and require calls, as TypeScript's
 * own scanner reads them: `import … from '…'` inside a TSDoc example is a comment, not an import.
 */
function specifiersOf(code: string): string[] {
  return ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName);
}

function allowed(specifier: string): boolean {
  if (PUBLIC.has(specifier)) return true;
  // Same-folder relative files only: './x.js' but never '../' out of src.
  return /^\.\/[\w-]+\.js$/.test(specifier);
}

describe('public imports only', () => {
  it('the scanner sees every kind of import, and flags internal paths', () => {
    const code = [
      "import { a } from '@backprop/tensor';",
      "import type { B } from '@backprop/layers/src/module.js';",
      "export { c } from './c.js';",
      "import '../../autograd/src/engine.js';",
      "const d = await import('@backprop/io');",
      "/** @example import { e } from '@backprop/train'; */",
    ].join('\n');
    const specifiers = specifiersOf(code);
    expect(specifiers.sort()).toEqual(['../../autograd/src/engine.js', './c.js', '@backprop/io', '@backprop/layers/src/module.js', '@backprop/tensor']);
    expect(specifiers.filter((s) => !allowed(s)).sort()).toEqual(['../../autograd/src/engine.js', '@backprop/io', '@backprop/layers/src/module.js']);
  });

  it('src/ imports nothing but @backprop/tensor, @backprop/autograd, @backprop/layers and its own files', () => {
    const files = sourceFiles(SRC);
    expect(files.length).toBeGreaterThan(0);
    const bad = files.flatMap((file) =>
      specifiersOf(readFileSync(file, 'utf8'))
        .filter((s) => !allowed(s))
        .map((s) => `${file.slice(SRC.length + 1)}: '${s}'`),
    );
    expect(bad).toEqual([]);
  });

  it('every peer dependency is a public package name the source may import', () => {
    const pkg = JSON.parse(readFileSync(join(SRC, '..', 'package.json'), 'utf8')) as { peerDependencies: Record<string, string>; dependencies?: object };
    expect(Object.keys(pkg.peerDependencies).sort()).toEqual([...PUBLIC].sort());
    expect(pkg.dependencies).toBeUndefined();
  });
});
