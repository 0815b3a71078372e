#!/usr/bin/env node
// API reference in Markdown from the TSDoc comments of each publishable package's built declarations
// (dist/index.d.ts), with TypeDoc and typedoc-plugin-markdown, into docs/api/<package>/, plus docs/api/README.md
// as the index. Not part of CI (it is a generator, not a check); run it after changing public docs:
//   node tooling/package-checks/src/gen-api-docs.mjs [--packages tensor,io]
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Application, LogLevel } from 'typedoc';
import { missingDist, publishablePackages, root, selectedPackages } from './lib/workspace.mjs';
import { tempDir } from './lib/proc.mjs';

const docsDir = join(root, 'docs', 'api');

async function generate(pkg) {
  const dir = tempDir(`docs-${pkg.folder}`);
  const tsconfig = join(dir, 'tsconfig.json');
  // The declarations may name DOM or Node globals; both are in scope, as for our users.
  writeFileSync(tsconfig, JSON.stringify({
    compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'ESNext', moduleResolution: 'Bundler', strict: true, skipLibCheck: true, types: ['node'], typeRoots: [join(root, 'node_modules', '@types')] },
    files: [join(pkg.dir, 'dist', 'index.d.ts')],
  }));
  const out = join(docsDir, pkg.folder);
  rmSync(out, { recursive: true, force: true });
  const app = await Application.bootstrapWithPlugins({
    entryPoints: [join(pkg.dir, 'dist', 'index.d.ts')],
    tsconfig,
    name: pkg.name,
    plugin: ['typedoc-plugin-markdown'],
    out,
    readme: 'none',
    excludeExternals: true,
    excludePrivate: true,
    excludeProtected: true,
    disableSources: true,
    hideGenerator: true,
    gitRevision: 'main',
    logLevel: LogLevel.Error,
    // typedoc-plugin-markdown: one page per module member kind keeps the file count small.
    outputFileStrategy: 'modules',
    hidePageHeader: true,
    hideBreadcrumbs: true,
    useCodeBlocks: true,
    parametersFormat: 'table',
    sanitizeComments: true,
  });
  const project = await app.convert();
  if (!project) throw new Error(`${pkg.name}: TypeDoc could not convert dist/index.d.ts`);
  await app.generateOutputs(project);
  return out;
}

// The umbrella only re-exports the other packages: its pages would repeat all of theirs.
const { selected } = selectedPackages();
const failures = [];
for (const pkg of selected.filter((p) => p.name !== '@backprop/all')) {
  if (missingDist(pkg).length) {
    failures.push(`${pkg.name}: not built (expected dist/index.d.ts; run the build first)`);
    continue;
  }
  try {
    const out = await generate(pkg);
    console.log(`✓ ${pkg.name}: ${relative(root, out)}/ (${readdirSync(out, { recursive: true }).length} files)`);
  } catch (error) {
    failures.push(`${pkg.name}: ${error.message}`);
  }
}

// The index lists every package whose docs exist, whether or not this run regenerated them.
mkdirSync(docsDir, { recursive: true });
const rows = publishablePackages()
  .filter((p) => readdirSync(docsDir).includes(p.folder))
  .map((p) => `| [\`${p.name}\`](${p.folder}/README.md) | ${p.manifest.description ?? ''} |`);
writeFileSync(join(docsDir, 'README.md'), `# API reference

Generated from the TSDoc comments of each package's public exports (its built \`dist/index.d.ts\`) by
TypeDoc with typedoc-plugin-markdown. Do not edit these files: edit the doc comments in the package's
\`src/\`, then regenerate (after building):

\`\`\`sh
npx pnpm@10.34.8 exec turbo run build --filter="./packages/*"
npx pnpm@10.34.8 --filter @backprop/package-checks docs:api        # or: -- --packages tensor,io
\`\`\`

The committed \`packages/<name>/api-report.api.md\` files are the reviewed record of each public surface;
these pages are for reading.

| package | what it is |
| --- | --- |
${rows.join('\n')}
`);
for (const f of failures) console.log(`✗ ${f}`);
if (failures.length) process.exitCode = 1;
