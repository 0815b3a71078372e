import { defineConfig } from 'tsup';

// keepNames: summaries and error messages print `module.constructor.name`, which esbuild would otherwise
// rename to `_Linear` for classes that refer to themselves.
export default defineConfig({ entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, clean: true, target: 'es2022', keepNames: true });
