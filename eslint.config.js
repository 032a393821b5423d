import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's sandbox and is replayed from history, so it does no I/O and
// decides the same way every run. The worker bundles workflows.ts and what it imports at run time,
// which is only @temporalio/workflow; types may come from anywhere (they are erased).
const workflowFiles = ['workflows/src/workflows.ts'];
const nodeBuiltins = `node:.*|${builtinModules.join('|')}`;

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/.next/**', '**/dist/**', '.data/**', '.tools/**', '**/next-env.d.ts', 'migrations/postgres/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: workflowFiles,
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { regex: `^(${nodeBuiltins})$`, allowTypeImports: true, message: 'Node.js modules do not exist in the workflow sandbox: do I/O in an activity.' },
            {
              regex: `^(?!(@temporalio/workflow|${nodeBuiltins})$)`,
              allowTypeImports: true,
              message: 'Workflow code imports only @temporalio/workflow at run time (types from anywhere): other code runs in an activity.',
            },
          ],
        },
      ],
      'no-restricted-syntax': ['error', { selector: 'ImportExpression', message: 'Workflow code imports nothing at run time: use an activity.' }],
      // The sandbox makes Date, Date.now() (the workflow task's time) and Math.random() (seeded per
      // run) replay-safe, so they stay allowed. Its setTimeout is a durable timer, but sleep() says so
      // and follows cancellation scopes; the rest is absent from the sandbox or non-deterministic.
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate'].map((name) => ({ name, message: 'Use sleep() from @temporalio/workflow.' })),
        ...['process', 'require', 'fetch', 'performance', 'crypto', 'WeakRef', 'FinalizationRegistry'].map((name) => ({
          name,
          message: 'Not available or not deterministic in workflow code: use @temporalio/workflow (uuid4, sleep, workflowInfo) or an activity.',
        })),
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
