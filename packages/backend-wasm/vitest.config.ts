// Two projects in one run (so one JSON report counts both): this package's own tests, and 'cross', the
// golden and gradCheck suites of tensor, autograd and layers with wasm active (vitest.cross.config.ts).
import shared from '@backprop/vitest-config';
import { defineConfig, mergeConfig } from 'vitest/config';

export default mergeConfig(
  shared,
  defineConfig({ test: { projects: [{ extends: true, test: { name: 'backend-wasm' } }, './vitest.cross.config.ts'] } }),
);
