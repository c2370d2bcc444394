/**
 * ESLint (flat config): typescript-eslint's type-checked recommendations over the product and the tests, the React
 * hooks rules over the renderer, and the project's own rules (build/eslint/) over everything: the layering rule that
 * follows build/architecture/layers.ts, and a reason for every eslint-disable comment. `npm run lint`; part of
 * `npm test`. Every rule turned off or down here says why.
 */
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import type { ESLint } from 'eslint';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { localPlugin } from './build/eslint/plugin.js';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig(
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
  {
    ignores: [
      // what builds, tests and packaging write (.gitignore)
      ...['dist/', 'coverage/', 'out/', 'release/', 'release-previous/', 'test-artifacts/', '.vite/', 'tmp/'],
      // an Electron main file insecure on purpose, for the electronegativity test
      'tests/electron/fixtures/insecure-shell/',
      // forbidden imports on purpose: tests/architecture/layering.test.ts lints them as if they lived in the product
      'tests/architecture/fixtures/',
    ],
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        // one program per world; tsconfig.tests.json holds core/, app/, cli/, intermediary/, bench/ and tests/
        project: ['./tsconfig.tests.json', './renderer/tsconfig.json', './electron/tsconfig.json', './tsconfig.tools.json'],
        tsconfigRootDir: root,
      },
    },
  },
  {
    files: ['**/*.{ts,tsx,mts,cts}'],
    rules: {
      // an async function without await implements a Promise-returning interface (handlers, policy sources, async
      // byte streams) and turns a throw into a rejection; dropping `async` to please the rule would change that
      '@typescript-eslint/require-await': 'off',
      // a leading underscore marks a name left unused on purpose: a parameter a signature demands, a property split off
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['tests/**/*.ts'],
    rules: {
      // tests read test data (the vectors' manifest.json, configuration files) and the CLI's JSON output as it comes;
      // a wrong shape fails the assertion that reads it
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    rules: {
      // the code matches control characters on purpose (file names, XML 1.0 characters, terminal output) and says
      // so with escapes like \x00
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat['recommended-latest']],
    rules: {
      // The next four judge code for the React Compiler, which the renderer is not built with. What they flag — data
      // loading that sets state in an effect, latest-value refs read during render, a render timestamp, a virtualiser
      // the compiler cannot memoise — is what issue 11's React split reworks; turn them on there.
      'react-hooks/set-state-in-effect': 'off',
      'react-hooks/refs': 'off',
      'react-hooks/purity': 'off',
      'react-hooks/incompatible-library': 'off',
    },
  },
  {
    // typescript-eslint's rule types (TS nodes) and ESLint's plugin type do not meet; the rule is plain ESLint at run time
    plugins: { local: localPlugin as ESLint.Plugin },
    rules: { 'local/layering': 'error', 'local/disable-reason': 'error' },
  },
);
