#!/usr/bin/env node
// Finds (and with --fix rewrites) reads of a tensor's raw host array, `t.data`, outside @backprop/tensor
// and the backends. Above the tensor package, values are read through the accessors that every backend
// serves (`dataSync()`, `await read()`, `item()`, `toArray()`) or computed with ops, so the same model code
// runs where the values live in a wasm heap or a GPU buffer. Uses the TypeScript checker, so only the
// `data` property of `Tensor` counts (not a kernel's `TensorData`, a DataLoader's or a DOM event's).
//
//   node tooling/scripts/host-array-reads.mjs          list them; exit 1 if any
//   node tooling/scripts/host-array-reads.mjs --fix    rewrite reads as dataSync(); list the writes left
//   … --only=layers,cli                                 only these packages or apps
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(root, 'packages', 'tensor', 'package.json'));
const ts = require('typescript');

// Packages allowed to touch host arrays: the tensor package (it owns them) and the backends (kernels).
const EXEMPT = new Set(['tensor', 'backend-wasm', 'backend-webgpu']);

function sourceFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const onlyArg = process.argv.find((a) => a.startsWith('--only='));
const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
const files = [];
for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    if (group === 'packages' && EXEMPT.has(name)) continue;
    if (only && !only.has(name)) continue;
    for (const sub of ['src', 'test']) {
      try {
        files.push(...sourceFiles(join(root, group, name, sub)));
      } catch {
        // no such folder
      }
    }
  }
}

const program = ts.createProgram(files, {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  strict: true,
  skipLibCheck: true,
  noEmit: true,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
  types: ['node'],
});
const checker = program.getTypeChecker();

/** Whether `symbol` is the `data` member of @backprop/tensor's Tensor class (source or built types). */
function isTensorData(symbol) {
  return (symbol?.declarations ?? []).some((d) => {
    const cls = d.parent;
    const file = d.getSourceFile().fileName;
    return ts.isClassDeclaration(cls) && cls.name?.text === 'Tensor' && /packages[\\/]tensor[\\/]/.test(file);
  });
}

const fix = process.argv.includes('--fix');
const found = [];
const writes = [];
for (const sf of program.getSourceFiles()) {
  if (!files.includes(sf.fileName)) continue;
  const edits = [];
  const visit = (node) => {
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'data' && isTensorData(checker.getSymbolAtLocation(node.name))) {
      const { line } = sf.getLineAndCharacterOfPosition(node.getStart());
      const where = `${relative(root, sf.fileName)}:${line + 1}`;
      // A write through the array (t.data[i] = v, t.data.set(…), t.data.fill(…)) needs an op, not a rename.
      const parent = node.parent;
      const isWrite =
        (ts.isElementAccessExpression(parent) && ts.isBinaryExpression(parent.parent) && parent.parent.left === parent && parent.parent.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && parent.parent.operatorToken.kind <= ts.SyntaxKind.LastAssignment) ||
        (ts.isPropertyAccessExpression(parent) && ['set', 'fill', 'copyWithin', 'reverse', 'sort'].includes(parent.name.text));
      if (isWrite) writes.push(where);
      else {
        found.push(where);
        edits.push(node.name.getEnd());
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (fix && edits.length > 0) {
    let text = readFileSync(sf.fileName, 'utf8');
    for (const end of edits.sort((a, b) => b - a)) text = `${text.slice(0, end - 'data'.length)}dataSync()${text.slice(end)}`;
    writeFileSync(sf.fileName, text);
  }
}

if (fix) {
  console.log(`host-array-reads: rewrote ${found.length} reads as dataSync()`);
} else {
  for (const where of found) console.log(`${where}: reads tensor.data (use dataSync(), await read(), item(), toArray() or an op)`);
}
for (const where of writes) console.log(`${where}: writes into tensor.data (use copy_, fill_, addInPlace_ or another op)`);
const problems = (fix ? 0 : found.length) + writes.length;
if (problems > 0) process.exit(1);
