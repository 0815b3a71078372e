// Finds the README code blocks a reader would copy: fenced ```ts / ```js blocks, numbered in the order they
// appear (1-based, counting marked fragments too, so a block keeps its number when a marker is added).
import { createHash } from 'node:crypto';
import { builtinModules } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The HTML comment that, on the last non-blank line before a fence, marks a fragment not meant to run alone. */
export const NOT_RUNNABLE_MARKER = '<!-- not-runnable -->';

const CODE_LANGS = new Map([
  ['ts', 'ts'],
  ['typescript', 'ts'],
  ['mts', 'ts'],
  ['js', 'js'],
  ['javascript', 'js'],
  ['mjs', 'js'],
]);

export interface CodeBlock {
  /** 1-based position among the README's ts/js blocks. */
  index: number;
  /** 1-based line of the opening fence. */
  line: number;
  loader: 'ts' | 'js';
  code: string;
  /** Marked `<!-- not-runnable -->` right before its fence. */
  notRunnable: boolean;
  /** Imports (or re-exports from) an `@backprop/*` package. */
  importsBackprop: boolean;
  /** npm packages the block imports (`onnxruntime-node`, `@backprop/tensor`), without Node built-ins. */
  imports: string[];
  /** First 12 hex digits of the SHA-256 of `code`: what the known-broken list pins. */
  hash: string;
}

export interface Readme {
  /** `name` from the package.json beside the README, e.g. `@backprop/layers`. */
  packageName: string;
  /** Repository-relative path, e.g. `packages/layers/README.md`. */
  path: string;
  exists: boolean;
  blocks: CodeBlock[];
  /** Packages named by the README's install commands (`npm i …`, `pnpm add …`, `yarn add …`). */
  installs: string[];
}

const BACKPROP_IMPORT = /(?:^|[\s;])(?:import|export)\b[^;'"]*?['"]@backprop\/[^'"]+['"]|\bimport\s*\(\s*['"]@backprop\//m;

const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;
const BUILTINS = new Set(builtinModules);

/** The npm packages a module imports: `@scope/name` or `name`, without relative paths and built-ins. */
export function importedPackages(code: string): string[] {
  const names = new Set<string>();
  for (const [, spec] of code.matchAll(SPECIFIER)) {
    if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('node:')) continue;
    const parts = spec.split('/');
    const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
    if (!BUILTINS.has(name)) names.add(name);
  }
  return [...names];
}

const SHELL_LANGS = new Set(['sh', 'bash', 'shell', 'console', 'zsh']);
const INSTALL = /^\s*(?:npm\s+(?:i|install|add)|pnpm\s+(?:add|i|install)|yarn\s+add)\s+(.*)$/;

/** Package names from install commands in a README's shell blocks (version ranges dropped). */
export function installedPackages(markdown: string): string[] {
  const names = new Set<string>();
  let open = false;
  let inShell = false;
  for (const line of markdown.split(/\r?\n/)) {
    const fence = /^ {0,3}```\s*(\w*)/.exec(line);
    if (fence) {
      open = !open;
      inShell = open && SHELL_LANGS.has(fence[1]);
      continue;
    }
    const m = inShell ? INSTALL.exec(line.replace(/^\$\s*/, '').replace(/\s+#.*$/, '')) : null;
    if (!m) continue;
    for (const token of m[1].split(/\s+/)) {
      if (token === '' || token.startsWith('-')) continue;
      names.add(token.replace(/(.)@.*$/, '$1'));
    }
  }
  return [...names];
}

export function blockHash(code: string): string {
  return createHash('sha256').update(code).digest('hex').slice(0, 12);
}

export function extractBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( {0,3})(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    let end = i + 1;
    while (end < lines.length && !(lines[end].trim().startsWith(fence) && lines[end].trim().replace(/[`~]/g, '') === '')) end++;
    const loader = CODE_LANGS.get(open[3].toLowerCase());
    if (loader !== undefined) {
      let prev = i - 1;
      while (prev >= 0 && lines[prev].trim() === '') prev--;
      const code = lines.slice(i + 1, end).join('\n') + '\n';
      blocks.push({
        index: blocks.length + 1,
        line: i + 1,
        loader: loader as 'ts' | 'js',
        code,
        notRunnable: prev >= 0 && lines[prev].trim() === NOT_RUNNABLE_MARKER,
        importsBackprop: BACKPROP_IMPORT.test(code),
        imports: importedPackages(code),
        hash: blockHash(code),
      });
    }
    i = end;
  }
  return blocks;
}

/**
 * Every `packages/*` README, plus `apps/cli/README.md` once it has a ts/js example meant to run (an
 * unmarked block importing `@backprop/*`): its shell commands and plugin-module snippet are not examples
 * to run, and from then on its fragments need the marker like any package README's.
 */
export function findReadmes(root: string): Readme[] {
  const readmes: Readme[] = [];
  const read = (dir: string): Readme => {
    const path = join(root, dir, 'README.md');
    const pkg = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) as { name: string };
    const markdown = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
    return {
      packageName: pkg.name,
      path: `${dir}/README.md`,
      exists: markdown !== undefined,
      blocks: markdown === undefined ? [] : extractBlocks(markdown),
      installs: markdown === undefined ? [] : installedPackages(markdown),
    };
  };
  const packageDirs = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, 'packages', d.name, 'package.json')))
    .map((d) => `packages/${d.name}`)
    .sort();
  for (const dir of packageDirs) readmes.push(read(dir));
  if (existsSync(join(root, 'apps/cli/README.md'))) {
    const cli = read('apps/cli');
    if (cli.blocks.some((b) => !b.notRunnable && b.importsBackprop)) readmes.push(cli);
  }
  return readmes;
}
