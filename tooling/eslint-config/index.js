// Shared flat config: every package's eslint.config.js spreads this, so rules live in one place.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // tsup writes `tsup.config.bundled_*.mjs` beside its config while a build runs; a lint that runs at the same
  // time (turbo runs a dependent's build and a package's lint in parallel) must not read the vanishing file.
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '**/*.bundled_*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Plain JavaScript files here are Node scripts (benchmarks, child processes, repo scripts).
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: Object.fromEntries(
        ['process', 'console', 'Buffer', 'URL', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance', 'fetch', 'TextEncoder', 'TextDecoder', 'structuredClone', 'globalThis', '__dirname'].map((g) => [g, 'readonly']),
      ),
    },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Packages reach each other only through their public entry points.
      'no-restricted-imports': ['error', { patterns: ['@backprop/*/src/*', '@backprop/*/dist/*'] }],
    },
  },
);
