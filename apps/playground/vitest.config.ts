import { defineConfig, mergeConfig } from 'vitest/config';
import shared from '@backprop/vitest-config';

// The browser tests build the site and start chromium once per file: their hooks need longer than the
// default 10 s, and the unit tests and the browser tests run one file at a time so that training in the
// browser has both cores to itself.
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  }),
);
