import { defineConfig } from 'vitest/config';

// chDB segfaults at exit under worker threads, so every project runs in forks.
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    include: ['packages/**/*.test.ts', 'workflows/**/*.test.ts', 'apps/**/*.test.ts', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/.next/**'],
  },
});
