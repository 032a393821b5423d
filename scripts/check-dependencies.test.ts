import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencies } from './check-dependencies.ts';
import { tempDataDir } from '../tests/support/host.ts';

const fake = tempDataDir('arch');
afterAll(() => rmSync(fake, { recursive: true, force: true }));

function workspace(dir: string, name: string, deps: string[], source: string) {
  mkdirSync(path.join(fake, dir, 'src'), { recursive: true });
  writeFileSync(path.join(fake, dir, 'package.json'), JSON.stringify({ name, dependencies: Object.fromEntries(deps.map((d) => [d, '*'])) }));
  writeFileSync(path.join(fake, dir, 'src/index.ts'), source);
}

describe('dependency direction (ARCHITECTURE.md)', () => {
  it('holds for this repository', () => {
    expect(checkDependencies()).toEqual([]);
  });

  it('catches a store depending on another store, I/O in a pure package, imports from apps, undeclared packages and unknown workspaces', () => {
    workspace('apps/web', '@switchboard/web', [], 'export const page = 1;\n');
    workspace('packages/telemetry', '@switchboard/telemetry', ['@switchboard/db'], "import { x } from '@switchboard/db';\n");
    workspace('packages/simulator', '@switchboard/simulator', [], "import { readFileSync } from 'node:fs';\n");
    workspace('packages/ingest', '@switchboard/ingest', [], "import { page } from '../../../apps/web/src/index.ts';\n");
    workspace('packages/mystery', '@switchboard/mystery', [], 'export {};\n');
    workspace('packages/db', '@switchboard/db', [], 'export const x = 1;\n');
    workspace('packages/api', '@switchboard/api', [], "import type { x } from '@switchboard/db';\n");
    mkdirSync(path.join(fake, 'tests'), { recursive: true });
    const problems = checkDependencies(fake);
    expect(problems).toEqual(
      expect.arrayContaining([
        '@switchboard/telemetry: package.json depends on @switchboard/db, which ARCHITECTURE.md does not allow',
        'packages/telemetry/src/index.ts: imports @switchboard/db',
        'packages/simulator/src/index.ts: @switchboard/simulator must do no I/O but imports node:fs',
        'packages/ingest/src/index.ts: imports ../../../apps/web/src/index.ts across workspaces; import the package by name',
        '@switchboard/mystery: not in scripts/check-dependencies.ts; declare what it may depend on',
        'packages/api/src/index.ts: imports @switchboard/db, which packages/api/package.json does not declare',
      ]),
    );
  });
});
