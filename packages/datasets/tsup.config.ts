import { defineConfig } from 'tsup';

// removeNodeProtocol: false keeps `node:fs/promises` in the lazily loaded Node-only paths, so that browser
// bundlers see them as Node built-ins rather than as packages named `fs` to resolve.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  target: 'es2022',
  removeNodeProtocol: false,
});
