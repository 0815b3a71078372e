// Shared vitest settings. Each package also writes a JSON report that tooling/scripts/test-summary.mjs
// adds up into the one closing line CI reads.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
    testTimeout: 60_000,
    pool: 'forks',
  },
});
