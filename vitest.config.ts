import { defineConfig } from 'vitest/config';

// chDB segfaults at exit under worker threads, so every project runs in forks.
// Most files spend their time waiting on child processes (hosts, Temporal, Chromium), so two
// run at once on the 2-core CI machine; the fault suite then runs alone, because its
// figures (lag, drain, detection times) are only worth reading on an otherwise idle machine.
const include = ['packages/**/*.test.ts', 'workflows/**/*.test.ts', 'apps/**/*.test.ts', 'tests/**/*.test.ts', 'scripts/**/*.test.ts'];
const exclude = ['**/node_modules/**', '**/.next/**'];

export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 120_000,
    hookTimeout: 180_000,
    projects: [
      { extends: true, test: { name: 'main', include, exclude: [...exclude, 'tests/faults/**'], maxWorkers: 2, sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'faults', include: ['tests/faults/**/*.test.ts'], exclude, maxWorkers: 1, sequence: { groupOrder: 1 } } },
    ],
  },
});
