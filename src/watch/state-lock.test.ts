// One watcher per state directory: a second one is refused in one sentence; a lock whose process is gone is taken over.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { exited, scanLine, startWatch, waitFor } from '../../test/support/watch-child.js';
import { LOCK_FILE } from './state.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-state-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the state directory of a watcher', () => {
  it('is refused to a second watcher while the first runs, and taken over once it was killed', {
    timeout: 60_000,
  }, async () => {
    const log = join(dir, 'fw.log');
    writeFileSync(log, `${scanLine(0)}\n`);
    const state = join(dir, 'state');
    const lock = join(state, LOCK_FILE);
    const first = startWatch(log, state);
    try {
      expect(
        await waitFor(
          () => existsSync(lock) && readFileSync(lock, 'utf8').trim() === String(first.child.pid),
        ),
      ).toBe(true);
      const second = await runCli(['watch', '--state-dir', state, log], { env: { LANG: 'en_US.UTF-8' } });
      expect(second.code).toBe(1);
      expect(second.err).toBe(
        `fwlens: another watcher (pid ${first.child.pid}) uses the state directory ${state}; give each watcher its own --state-dir\n`,
      );
      // The refused watcher left the lock, the checkpoint and the status to the first.
      expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.child.pid));
    } finally {
      first.child.kill('SIGKILL');
      await exited(first.child);
    }
    // Killed: its lock stays behind, and the next watcher takes it over (then gives it back when it stops).
    expect(existsSync(lock)).toBe(true);
    const next = await runCli(['watch', '--state-dir', state, '-'], {
      stdin: `${scanLine(1)}\n`,
      env: { LANG: 'en_US.UTF-8' },
    });
    expect([next.code, next.err]).toEqual([0, expect.not.stringContaining('another watcher')]);
    expect(existsSync(lock)).toBe(false);
  });
});
