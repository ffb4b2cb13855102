// One watcher per state directory: a second one is refused in one sentence; a lock whose process is gone, or whose pid now names another process, is taken over.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { exited, scanLine, startWatch, waitFor } from '../../test/support/watch-child.js';
import { processIdentity, sameProcessAlive, setProcRoot } from '../util/process-alive.js';
import { LOCK_FILE, STATUS_FILE } from './state.js';
import { ioErrorText } from './watcher.js';

/** The pid on the lock's first line. */
const lockPid = (lock: string) => readFileSync(lock, 'utf8').split('\n')[0]!.trim();

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
      expect(await waitFor(() => existsSync(lock) && lockPid(lock) === String(first.child.pid))).toBe(true);
      const second = await runCli(['watch', '--state-dir', state, log], { env: { LANG: 'en_US.UTF-8' } });
      expect(second.code).toBe(1);
      expect(second.err).toBe(
        `fwlens: another watcher (pid ${first.child.pid}) uses the state directory ${state}; give each watcher its own --state-dir\n`,
      );
      // The refused watcher left the lock, the checkpoint and the status to the first.
      expect(lockPid(lock)).toBe(String(first.child.pid));
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

describe('a lock or status whose pid now names another process (after a reboot, or a pid reused)', () => {
  /** A live process that is no watcher, as a pid reused after a reboot would be. */
  const other = () => spawn('sleep', ['600'], { stdio: 'ignore' });

  it('is a stale lock: taken over with a sentence saying so, whether or not the lock names its process', {
    timeout: 60_000,
  }, async () => {
    const sleeper = other();
    try {
      const pid = sleeper.pid!;
      const id = processIdentity(pid);
      // Written by this version: the pid with the identity of the watcher that had it (another start time).
      // Written by an older version or by hand (QA wrote `echo $PID > lock`): the pid alone.
      const locks = [`${pid}\n${id ? id.replace(/:\d+$/, ':1') : 'boot:1'}\n`, `${pid}\n`];
      for (const [i, text] of locks.entries()) {
        const state = join(dir, `stale-${i}`);
        mkdirSync(state, { recursive: true });
        writeFileSync(join(state, LOCK_FILE), text);
        const r = await runCli(['watch', '--state-dir', state, '-'], {
          stdin: `${scanLine(1)}\n`,
          env: { LANG: 'en_US.UTF-8' },
        });
        expect([r.code, r.err]).toEqual([0, expect.not.stringContaining('another watcher')]);
        expect(r.err).toContain(
          `fwlens: the state directory ${state} was locked by pid ${pid}, which is no longer a watcher (killed, or the machine restarted and the pid is another process now): the stale lock was taken over\n`,
        );
        expect(existsSync(join(state, LOCK_FILE))).toBe(false);
      }
    } finally {
      sleeper.kill();
    }
  });

  it('makes --status say the watcher is not running, with exit code 1', { timeout: 60_000 }, async () => {
    const state = join(dir, 'status-reused');
    const r = await runCli(['watch', '--state-dir', state, '-'], {
      stdin: `${scanLine(1)}\n`,
      env: { LANG: 'en_US.UTF-8' },
    });
    expect(r.code).toBe(0);
    const sleeper = other();
    try {
      const file = join(state, STATUS_FILE);
      const status = JSON.parse(readFileSync(file, 'utf8'));
      // The watcher wrote who it is; its pid is now another process's.
      if (processIdentity(process.pid) !== undefined)
        expect(status.processIdentity).toEqual(expect.any(String));
      writeFileSync(file, JSON.stringify({ ...status, pid: sleeper.pid }));
      const shown = await runCli(['watch', '--status', '--state-dir', state], {
        env: { LANG: 'en_US.UTF-8' },
      });
      expect(shown.code).toBe(1);
      expect(shown.out).toMatch(new RegExp(`^pid ${sleeper.pid} \\(not running\\), status written `));
      // An older status without the identity: a process that is no `watch` is no watcher either.
      const { processIdentity: _, ...old } = status;
      writeFileSync(file, JSON.stringify({ ...old, pid: sleeper.pid }));
      const older = await runCli(['watch', '--status', '--state-dir', state], {
        env: { LANG: 'en_US.UTF-8' },
      });
      expect(older.code).toBe(1);
    } finally {
      sleeper.kill();
    }
  });

  it('tells processes apart by boot id and start time, and falls back to kill(pid, 0) without /proc', () => {
    const proc = join(dir, 'proc');
    mkdirSync(join(proc, String(process.pid)), { recursive: true });
    mkdirSync(join(proc, 'sys', 'kernel', 'random'), { recursive: true });
    writeFileSync(join(proc, 'sys', 'kernel', 'random', 'boot_id'), 'b00t\n');
    // A command name with spaces and parentheses: the fields are counted after its last ')'.
    const fields = Array.from({ length: 50 }, (_, i) => String(i + 3));
    writeFileSync(join(proc, String(process.pid), 'stat'), `${process.pid} (a) b (c) ${fields.join(' ')}\n`);
    try {
      setProcRoot(proc);
      expect(processIdentity(process.pid)).toBe('b00t:22');
      expect(sameProcessAlive(process.pid, 'b00t:22')).toBe(true);
      expect(sameProcessAlive(process.pid, 'b00t:23')).toBe(false);
      expect(sameProcessAlive(process.pid, 'other-boot:22')).toBe(false);
      setProcRoot(join(dir, 'no-proc'));
      expect(processIdentity(process.pid)).toBeUndefined();
      expect(sameProcessAlive(process.pid, 'b00t:23', 'watch')).toBe(true);
      expect(sameProcessAlive(process.pid, undefined, 'watch')).toBe(true);
    } finally {
      setProcRoot(undefined);
    }
  });
});

describe('ioErrorText', () => {
  it('keeps the words of a file system error, without its code, system call or path, in linear time', () => {
    expect(ioErrorText(new Error('ENOSPC: no space left on device, write'))).toBe('no space left on device');
    expect(ioErrorText(new Error("EACCES: permission denied, open '/var/lib/fwlens/status.json'"))).toBe(
      'permission denied',
    );
    expect(ioErrorText(new Error('EIO: i/o error'))).toBe('i/o error');
    expect(ioErrorText(new Error('something else, entirely'))).toBe('something else, entirely');
    // The shape recheck found polynomial for the pattern this replaced (test/redos.test.ts checks every pattern).
    const hostile = `0: x${", a '".repeat(50_000)}\n`;
    expect(ioErrorText(new Error(hostile))).toBe('x');
  });
});
