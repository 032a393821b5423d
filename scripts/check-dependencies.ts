/**
 * Fails when the dependency direction of ARCHITECTURE.md is broken: a workspace uses only
 * the internal packages its row in `allowed` names, and declares in its package.json each
 * one it imports (knip does not report an undeclared workspace package); the pure packages
 * do no I/O; nothing imports from apps. Checks both package.json and the imports actually
 * written in the source, including relative paths that leave a workspace.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Which internal packages each workspace may use. A workspace missing here fails the check. */
const allowed: Record<string, readonly string[] | 'any-package'> = {
  '@switchboard/contracts': [],
  '@switchboard/calendar': [],
  '@switchboard/simulator': ['@switchboard/contracts', '@switchboard/calendar'],
  '@switchboard/kpis': ['@switchboard/contracts'],
  '@switchboard/quality': [],
  '@switchboard/planning': ['@switchboard/contracts', '@switchboard/calendar', '@switchboard/kpis'],
  '@switchboard/telemetry': ['@switchboard/contracts', '@switchboard/calendar', '@switchboard/kpis'],
  '@switchboard/db': ['@switchboard/contracts'],
  '@switchboard/ingest': ['@switchboard/contracts', '@switchboard/telemetry'],
  '@switchboard/api': [
    '@switchboard/contracts',
    '@switchboard/calendar',
    '@switchboard/kpis',
    '@switchboard/planning',
    '@switchboard/quality',
    '@switchboard/telemetry',
    '@switchboard/db',
  ],
  '@switchboard/workflows': [
    '@switchboard/contracts',
    '@switchboard/calendar',
    '@switchboard/kpis',
    '@switchboard/planning',
    '@switchboard/quality',
    '@switchboard/telemetry',
    '@switchboard/db',
  ],
  '@switchboard/host': [
    '@switchboard/contracts',
    '@switchboard/calendar',
    '@switchboard/kpis',
    '@switchboard/planning',
    '@switchboard/quality',
    '@switchboard/telemetry',
    '@switchboard/db',
    '@switchboard/ingest',
    '@switchboard/api',
    '@switchboard/workflows',
  ],
  '@switchboard/web': 'any-package',
  '@switchboard/simulator-cli': 'any-package',
  '@switchboard/worker': 'any-package',
  '@switchboard/tests': 'any-package',
  '@switchboard/bench': 'any-package',
};

/** Packages that must stay pure: no file system, network or processes. */
const pure = new Set([
  '@switchboard/contracts',
  '@switchboard/calendar',
  '@switchboard/kpis',
  '@switchboard/planning',
  '@switchboard/quality',
  '@switchboard/simulator',
]);
const ioModules = /^(node:)?(fs|fs\/promises|net|http|https|http2|child_process|dgram|dns|tls|worker_threads|cluster)$/;

interface Workspace {
  name: string;
  dir: string;
  isApp: boolean;
  deps: string[];
}

function listWorkspaces(root: string): Workspace[] {
  const dirs = ['apps', 'packages'].flatMap((group) => readdirSync(path.join(root, group)).map((d) => path.join(root, group, d)));
  dirs.push(path.join(root, 'workflows'), path.join(root, 'tests'), path.join(root, 'bench'));
  return dirs
    .filter((dir) => statSync(path.join(dir, 'package.json'), { throwIfNoEntry: false }))
    .map((dir) => {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name: string;
        dependencies?: Record<string, string>;
        devDependencies?: Record<string, string>;
      };
      return {
        name: pkg.name,
        dir,
        isApp: path.relative(root, dir).startsWith('apps'),
        deps: Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((d) => d.startsWith('@switchboard/')),
      };
    });
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.next', 'dist', '.turbo'].includes(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|js|mjs)$/.test(entry.name)) out.push(full);
  }
  return out;
}

const IMPORT = /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;

export function checkDependencies(root = path.resolve(import.meta.dirname, '..')): string[] {
  const problems: string[] = [];
  const workspaces = listWorkspaces(root);
  const appDirs = workspaces.filter((w) => w.isApp).map((w) => w.dir);
  const appNames = new Set(workspaces.filter((w) => w.isApp).map((w) => w.name));

  for (const ws of workspaces) {
    const rule = allowed[ws.name];
    if (rule === undefined) {
      problems.push(`${ws.name}: not in scripts/check-dependencies.ts; declare what it may depend on`);
      continue;
    }
    const permits = (dep: string) => !appNames.has(dep) && (rule === 'any-package' || rule.includes(dep));
    for (const dep of ws.deps) {
      if (!permits(dep)) problems.push(`${ws.name}: package.json depends on ${dep}, which ARCHITECTURE.md does not allow`);
    }
    for (const file of sourceFiles(ws.dir)) {
      const rel = path.relative(root, file);
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const spec = match[1] ?? match[2] ?? match[3] ?? '';
        const internal = spec.match(/^@switchboard\/[^/]+/)?.[0];
        if (internal && internal !== ws.name && !permits(internal)) problems.push(`${rel}: imports ${spec}`);
        else if (internal && internal !== ws.name && !ws.deps.includes(internal)) {
          problems.push(`${rel}: imports ${internal}, which ${path.relative(root, ws.dir)}/package.json does not declare`);
        }
        if (spec.startsWith('.')) {
          const target = path.resolve(path.dirname(file), spec);
          if (!target.startsWith(ws.dir + path.sep)) problems.push(`${rel}: imports ${spec} across workspaces; import the package by name`);
          else if (!ws.isApp && appDirs.some((d) => target.startsWith(d + path.sep))) problems.push(`${rel}: imports from apps/`);
        }
        if (pure.has(ws.name) && ioModules.test(spec) && !/\/scripts\//.test(file) && !file.endsWith('.test.ts')) {
          problems.push(`${rel}: ${ws.name} must do no I/O but imports ${spec}`);
        }
      }
    }
  }
  return problems;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkDependencies();
  if (problems.length > 0) {
    console.error(`dependency direction broken (ARCHITECTURE.md):\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log('dependency direction: ok');
}
