// A followed file named relative one time and absolute (from another working directory) the next is one file:
// the checkpoint finds it, and the lines written while the watcher was stopped are read and announced.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { exited, scanLine, waitFor } from '../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-paths-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** `fwlens watch --json` on `file`, run in `cwd` (tsx by its resolved address, so any directory works). */
function watch(cwd: string, file: string, state: string) {
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(ROOT, 'test', 'support', 'cli-process.ts'),
      'watch',
      '--json',
      '--poll',
      '50',
      '--state-dir',
      state,
      file,
    ],
    { cwd, env: { ...process.env, LANG: 'en_US.UTF-8' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const run = { child, out: '', err: '' };
  child.stdout.on('data', (d: Buffer) => {
    run.out += d;
  });
  child.stderr.on('data', (d: Buffer) => {
    run.err += d;
  });
  return run;
}

describe('a followed file named another way after a restart', () => {
  it('is found in the checkpoint, and what came meanwhile is announced', { timeout: 60_000 }, async () => {
    const logs = join(dir, 'logs');
    mkdirSync(logs);
    const log = join(logs, 'fw.log');
    writeFileSync(log, `${scanLine(1)}\n`);
    const state = join(dir, 'state');
    const first = watch(dir, 'logs/fw.log', state);
    const saved = () => {
      try {
        return readFileSync(join(state, 'checkpoint.json'), 'utf8').includes(log);
      } catch {
        return false;
      }
    };
    expect(await waitFor(saved), first.err).toBe(true);
    first.child.kill('SIGTERM');
    await exited(first.child);
    // A scan written while it was stopped, then the watcher again: another directory, the absolute name.
    appendFileSync(log, `${Array.from({ length: 80 }, (_, k) => scanLine(2 * k)).join('\n')}\n`);
    const second = watch(ROOT, log, state);
    try {
      const found = await waitFor(() => second.out.includes('"vertical-scan"'));
      expect(found, second.err).toBe(true);
    } finally {
      second.child.kill('SIGTERM');
      await exited(second.child);
    }
  });
});
