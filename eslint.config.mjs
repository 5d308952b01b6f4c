// ESLint (flat config): typescript-eslint's recommended-type-checked rules on the TypeScript of src/,
// scripts/ and test/, with type information from tsconfig.json (projectService). Layout is Prettier's
// job (`npm run format`); eslint-config-prettier turns off the rules that would fight it.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

/** The Node globals that the plain CommonJS files use (jest configs, scripts/ensure-built.cjs, test fixtures). */
const nodeCommonJsGlobals = {
  require: 'readonly',
  module: 'writable',
  exports: 'writable',
  __dirname: 'readonly',
  __filename: 'readonly',
  process: 'readonly',
  console: 'readonly',
  fetch: 'readonly',
  setTimeout: 'readonly',
};

export default defineConfig(
  {
    ignores: ['node_modules/', 'dist/', 'coverage/', 'test/artifacts/', '.data/', '.idgraph/', '.bench/', 'examples/dist/', 'examples/*/generated/'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
  },
  {
    // The typed clients of examples/ import the code that `npm run examples` generates (git-ignored),
    // absent when lint runs: every call would be `any`. Linted without types here; `npm run examples`
    // typechecks them against the generated code.
    files: ['examples/**/*.ts'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: nodeCommonJsGlobals },
  },
  prettier,
);
