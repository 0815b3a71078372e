import { defineConfig } from 'tsup';

// keepNames: summaries and errors print class names, which bundling would otherwise rename (`_LastTimeStep`).
export default defineConfig({ entry: ['src/bin.ts'], format: ['esm'], clean: true, target: 'node20', keepNames: true, banner: { js: '#!/usr/bin/env node' } });
