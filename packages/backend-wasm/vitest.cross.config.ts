// The golden-fixture and gradCheck suites of tensor, autograd and layers, run again with the wasm backend
// active: the 'cross' project of vitest.config.ts (`npm test` runs both projects, `npm run test:cross`
// this one alone). Every @backprop/* import, the packages' own relative imports of their
// src/ and this package's src/ must resolve to the same files, so that one @backprop/tensor module holds
// the kernel registry: with a second copy (its dist/), the wasm kernels would register in a registry no
// test uses and everything would quietly run on cpu. test-cross/backend-active.test.ts checks that.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string): string => fileURLToPath(new URL(`../${pkg}/src/index.ts`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: ['tensor', 'autograd', 'init', 'layers'].map((pkg) => ({ find: new RegExp(`^@backprop/${pkg}$`), replacement: src(pkg) })),
  },
  test: {
    include: [
      'test-cross/**/*.test.ts',
      '../tensor/test/golden-core.test.ts',
      '../tensor/test/conv-golden.test.ts',
      '../tensor/test/indexing-golden.test.ts',
      '../tensor/test/golden-selection.test.ts',
      '../autograd/test/golden-core-grads.test.ts',
      '../autograd/test/conv-golden-grads.test.ts',
      '../autograd/test/ops-gradcheck.test.ts',
      '../autograd/test/conv-gradcheck.test.ts',
      '../autograd/test/indexing-grad.test.ts',
      '../autograd/test/golden-selection-grads.test.ts',
      '../autograd/test/selection-gradcheck.test.ts',
      '../autograd/test/lstm-cell-grad.test.ts',
      '../autograd/test/lstm-sequence-grad.test.ts',
      '../autograd/test/gru-sequence-grad.test.ts',
      '../layers/test/golden.test.ts',
      '../layers/test/golden-conv.test.ts',
      '../layers/test/golden-normalization.test.ts',
      '../layers/test/golden-recurrent.test.ts',
      '../layers/test/gradcheck.test.ts',
      '../layers/test/gradcheck-conv-rnn.test.ts',
    ],
    exclude: [],
    setupFiles: ['test-cross/setup.ts'],
    name: 'cross',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
