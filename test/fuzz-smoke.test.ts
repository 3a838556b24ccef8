import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Figures } from '../fuzz/run.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

describe('fuzz smoke run (npm run fuzz, 45 s)', () => {
  it('finds no hang, crash, wrong exit code, lost or doubled article, broken database or 5xx', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(REPO, 'fuzz/run.ts'), '--seconds', '45', '--seed', '20261205', '--json'], { cwd: REPO, encoding: 'utf8', timeout: 170_000 });
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
