import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Figures } from '../fuzz/run.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function run(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (status) => {
      clearTimeout(timer);
      done({ status, stdout, stderr });
    });
  });
}

describe('fuzz smoke run (npm run fuzz, 45 s)', () => {
  it('finds no hang, crash, wrong exit code, lost or doubled article, broken database or 5xx', async () => {
    // spawned, not spawnSync: a test worker blocked for a minute misses vitest's own RPC deadline
    const r = await run(process.execPath, ['--import', 'tsx', join(REPO, 'fuzz/run.ts'), '--seconds', '45', '--seed', '20261205', '--json'], 170_000);
    const fig = JSON.parse(r.stdout.trim().split('\n').pop() ?? 'null') as Figures | null;
    expect(fig, r.stderr.slice(-2000)).not.toBeNull();
    expect(fig!.problems).toEqual([]);
    expect(r.status).toBe(0);
    // each kind of round ran, and tried something
    expect(fig!.rounds.files).toBeGreaterThanOrEqual(1);
    expect(fig!.rounds.api).toBeGreaterThanOrEqual(1);
    expect(fig!.rounds.kill).toBeGreaterThanOrEqual(1);
    expect(fig!.files).toBeGreaterThan(0);
    expect(fig!.goodArticles).toBeGreaterThan(0);
    expect(fig!.requests).toBeGreaterThan(20);
  }, 180_000);
});
