import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

function runCli(args: string[]) {
  const result = spawnSync('npx', ['tsx', 'packages/planning/scripts/erlang.ts', ...args], { cwd: root, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const example = ['--calls', '100', '--interval-s', '1800', '--aht-s', '180', '--target-s', '20'];

describe('erlang CLI', () => {
  it('prints the fewest agents for the target as one JSON object', () => {
    const { status, stdout } = runCli([...example, '--target-sl', '0.8']);
    expect(status).toBe(0);
    const out = JSON.parse(stdout) as Record<string, number>;
    expect(Object.keys(out)).toEqual(['agents', 'service_level', 'p_wait', 'asa_s', 'occupancy']);
    expect(out.agents).toBe(14);
    expect(out.service_level).toBeCloseTo(0.88835, 6);
    expect(out.p_wait).toBeCloseTo(0.174132, 6);
    expect(out.asa_s).toBeCloseTo(7.836, 3);
    expect(out.occupancy).toBeCloseTo(0.7143, 4);
  });

  it('evaluates a given headcount under Erlang A', () => {
    const { status, stdout } = runCli([...example, '--patience-s', '300', '--agents', '14']);
    expect(status).toBe(0);
    const out = JSON.parse(stdout) as Record<string, number>;
    expect(out.agents).toBe(14);
    expect(out.p_wait).toBeCloseTo(0.14526, 5);
    expect(out.p_abandon).toBeCloseTo(0.013984, 6);
  });

  it('refuses a bad flag value with a message and exit code 2', () => {
    const { status, stdout, stderr } = runCli([...example, '--target-sl', '80']);
    expect(status).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^--target-sl: target service_level must be between 0 and 1/);
  });

  it('refuses an unknown flag with exit code 2', () => {
    const { status, stderr } = runCli([...example, '--target-sl', '0.8', '--agnets', '3']);
    expect(status).toBe(2);
    expect(stderr).toMatch(/Unknown option '--agnets'/);
  });
});
