#!/usr/bin/env node
// Scaffolds a workspace package with the shared configs: node tooling/scripts/new-package.mjs <name> "<description>" [dep ...]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [name, description, ...deps] = process.argv.slice(2);
if (!name || !description) {
  console.error('usage: new-package.mjs <name> "<description>" [@backprop/dep ...]');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = join(root, 'packages', name);
if (existsSync(dir)) {
  console.error(`new-package: packages/${name} exists already`);
  process.exit(2);
}
mkdirSync(join(dir, 'src'), { recursive: true });
mkdirSync(join(dir, 'test'), { recursive: true });
const pkg = {
  name: `@backprop/${name}`,
  version: '0.0.0',
  description,
  license: 'MIT',
  type: 'module',
  sideEffects: false,
  engines: { node: '>=20' },
  main: './dist/index.cjs',
  module: './dist/index.js',
  types: './dist/index.d.ts',
  exports: {
    '.': {
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/index.d.cts', default: './dist/index.cjs' },
    },
    './package.json': './package.json',
  },
  files: ['dist', 'README.md'],
  scripts: { build: 'tsup', test: 'vitest run', lint: 'eslint .', typecheck: 'tsc -p tsconfig.json' },
  dependencies: Object.fromEntries(deps.map((d) => [d, 'workspace:^'])),
  devDependencies: {
    '@backprop/eslint-config': 'workspace:*',
    '@backprop/tsconfig': 'workspace:*',
    '@backprop/vitest-config': 'workspace:*',
  },
};
const files = {
  'package.json': JSON.stringify(pkg, null, 2) + '\n',
  'tsconfig.json': '{\n  "extends": "@backprop/tsconfig/library.json"\n}\n',
  'tsup.config.ts':
    "import { defineConfig } from 'tsup';\n\nexport default defineConfig({ entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, clean: true, target: 'es2022' });\n",
  'eslint.config.js': "import config from '@backprop/eslint-config';\n\nexport default config;\n",
  'vitest.config.ts': "export { default } from '@backprop/vitest-config';\n",
  'README.md': `# @backprop/${name}\n\n${description}\n`,
  'src/index.ts': `/**\n * @backprop/${name}: ${description}\n *\n * @packageDocumentation\n */\nexport {};\n`,
};
for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
console.log(`created packages/${name}`);

// The umbrella @backprop/all re-exports every publishable package under a namespace named after its folder
// (tooling/package-checks checks that none is missing), so a new package joins it here.
const umbrella = join(root, 'packages', 'all');
if (existsSync(join(umbrella, 'src', 'index.ts'))) {
  const namespace = name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());
  const manifestPath = join(umbrella, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  manifest.dependencies = { ...manifest.dependencies, [`@backprop/${name}`]: 'workspace:^' };
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  const index = join(umbrella, 'src', 'index.ts');
  writeFileSync(index, `${readFileSync(index, 'utf8')}/** \`@backprop/${name}\`: ${description} */\nexport * as ${namespace} from '@backprop/${name}';\n`);
  console.log(`added @backprop/${name} to packages/all as the namespace '${namespace}' (add a row to its README)`);
}
console.log('after the first build: npx pnpm@10.34.8 --filter @backprop/package-checks api:update (commit the API report)');
