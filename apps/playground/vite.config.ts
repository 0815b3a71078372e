import { resolve } from 'node:path';
import { defineConfig } from 'vite';

// Cross-origin isolation: only an isolated page (and its workers) gets SharedArrayBuffer, which the wasm
// backend needs to run matrix products on several Web Workers at once. Every resource the site loads is
// its own, so require-corp blocks nothing. A static host serving dist/ needs the same two headers, or
// wasm runs on one thread.
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Four pages: the playground, digits and text, each with its own training worker, and the graph explorer. `base: './'` keeps every URL relative, so the built site
// works from any folder (a static host, a sub-path, or the browser tests' server).
export default defineConfig({
  root: import.meta.dirname,
  base: './',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions: {
      input: {
        playground: resolve(import.meta.dirname, 'index.html'),
        digits: resolve(import.meta.dirname, 'digits.html'),
        graph: resolve(import.meta.dirname, 'graph.html'),
        textgen: resolve(import.meta.dirname, 'textgen.html'),
      },
    },
  },
  resolve: {
    alias: Object.fromEntries(['node:fs/promises', 'node:path', 'node:zlib', 'node:worker_threads'].map((m) => [m, resolve(import.meta.dirname, 'src/common/node-only.ts')])),
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
