// What a monitoring check needs from `--status`: sources that cannot be read and stdin listed, a state disk that
// cannot be written said once each way and shown, a status not rewritten for long called stale, lag in bytes.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { scanLine, waitFor } from '../../test/support/watch-child.js';
import { knowledgeBase } from '../knowledge/index.js';
import { type Checkpoint, STATUS_FILE, StateDir } from './state.js';
import { type StateWriteProblem, Watcher, type WatcherOptions } from './watcher.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-status-problems-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Source = Record<string, unknown> & { path: string };
const alerter = { announce: async () => {}, flush: async () => {}, close: async () => {}, stats: () => ({}) };

function watcher(opts: Partial<WatcherOptions> & Pick<WatcherOptions, 'files' | 'state'>): Watcher {
  return new Watcher({
    from: 'start',
    pollMs: 20,
    checkpointMs: 50,
    statusMs: 50,
    records: {},
    kb: knowledgeBase(),
    alerter,
    onNotice: () => {},
    ...opts,
  });
}

const sources = async (w: Watcher) => (await w.status()).sources as Source[];

/** Wait until the sources satisfy `test` (looked at every 50 ms), at most `ms`. */
async function until(w: Watcher, test: (s: Source[]) => boolean, ms = 10_000): Promise<Source[]> {
  const end = Date.now() + ms;
  for (;;) {
    const s = await sources(w);
    if (test(s) || Date.now() > end) return s;
    await sleep(50);
  }
}

describe('--status sources', () => {
  it('lists a followed file that is not there with its problem until it comes, and stdin with its lines', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'fw.log');
    const missing = join(dir, 'later.log');
    writeFileSync(log, `${scanLine(0)}\n`);
    const stdin = new PassThrough();
    const w = watcher({ files: [log, missing], stdin, state: new StateDir(join(dir, 'state-a')) });
    await w.start();
    try {
      stdin.write(`${scanLine(1)}\n${scanLine(2)}\n${scanLine(3)}\n`);
      // Before: `sources: []` for the missing file, stdin not listed and `lag ? s`.
      const listed = await until(w, (s) => s.some((f) => f.path === '-' && f['line'] === 3));
      expect(listed.find((s) => s.path === missing)).toMatchObject({ problem: 'not there (yet)' });
      expect(listed.find((s) => s.path === '-')).toMatchObject({ stdin: true, line: 3, ended: false });
      expect(listed.find((s) => s.path === '-')!['bytesRead']).toBe(
        Buffer.byteLength(`${scanLine(1)}\n${scanLine(2)}\n${scanLine(3)}\n`),
      );
      const status = await w.status();
      // Lag is input not yet read, in bytes; the newest event's time is given, not a lag growing on a quiet firewall.
      expect(status['lagSeconds']).toBeUndefined();
      expect(status['newestEventAt']).toBe(new Date(Date.parse(scanLine(3).slice(0, 24))).toISOString());
      expect(status['lagBytes']).toBe(0);
      // The file comes: listed as a file, its problem gone.
      writeFileSync(missing, `${scanLine(4)}\n`);
      const after = await until(w, (s) => s.some((f) => f.path === missing && f['line'] === 1));
      expect(after.find((f) => f.path === missing)).toMatchObject({ line: 1, lag: 0 });
      expect(after.find((f) => f.path === missing)!['problem']).toBeUndefined();
    } finally {
      stdin.end();
      await w.stop();
    }
  });

  it.skipIf(process.getuid?.() === 0)(
    'lists a file it may not read with why (not as root, which reads any file)',
    {
      timeout: 30_000,
    },
    async () => {
      const log = join(dir, 'secret.log');
      writeFileSync(log, `${scanLine(0)}\n`);
      chmodSync(log, 0o000);
      const w = watcher({ files: [log], state: new StateDir(join(dir, 'state-b')) });
      await w.start();
      try {
        const s = (await sources(w)).find((f) => f.path === log);
        expect(String(s?.['problem'])).toMatch(/^permission denied/);
      } finally {
        await w.stop();
        chmodSync(log, 0o644);
      }
    },
  );
});

/** A state directory on a disk that is full while `full` is set. */
class FullDisk extends StateDir {
  full = false;
  private fail(): void {
    if (this.full)
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
        syscall: 'write',
      });
  }
  override save(cp: Checkpoint): void {
    this.fail();
    super.save(cp);
  }
  override writeStatus(status: unknown): void {
    this.fail();
    super.writeStatus(status);
  }
}

describe('a state directory that cannot be written', () => {
  it('is said once per file with what is at risk, shown in the status, and said again when it works', {
    timeout: 30_000,
  }, async () => {
    const log = join(dir, 'full.log');
    writeFileSync(log, `${scanLine(0)}\n`);
    const state = new FullDisk(join(dir, 'state-full'));
    const said: StateWriteProblem[] = [];
    const notices: string[] = [];
    const w = watcher({
      files: [log],
      state,
      statusHeartbeatMs: 100,
      onStateWrite: (p) => said.push(p),
      onNotice: (n) => notices.push(`${n.path}: ${n.detail}`),
    });
    await w.start();
    try {
      expect(await waitFor(() => readCheckpointLine(state) === 1, 10_000)).toBe(true);
      state.full = true;
      for (let i = 1; i <= 3; i++) {
        writeFileSync(log, `${Array.from({ length: i + 1 }, (_, k) => scanLine(k)).join('\n')}\n`);
        await sleep(300);
      }
      expect(await waitFor(() => said.length >= 2, 10_000)).toBe(true);
      // One sentence per file (not one per try), with the file, the system's words and when the checkpoint was
      // last written. Before: `fwlens: <dir>: ENOSPC: no space left on device, write`, and nothing when it worked again.
      expect(said.map((p) => [p.what, p.file, p.error]).sort()).toEqual([
        ['checkpoint', state.checkpointPath(), 'no space left on device'],
        ['status', state.statusPath(), 'no space left on device'],
      ]);
      expect(said.find((p) => p.what === 'checkpoint')!.lastWritten).toEqual(expect.any(Number));
      expect(notices.join('\n')).not.toContain('ENOSPC');
      expect((await w.status())['checkpointFailing']).toMatchObject({
        file: state.checkpointPath(),
        error: 'no space left on device',
      });
      state.full = false;
      expect(await waitFor(() => said.length >= 4, 10_000)).toBe(true);
      expect(
        said
          .slice(2)
          .map((p) => [p.what, p.error])
          .sort(),
      ).toEqual([
        ['checkpoint', undefined],
        ['status', undefined],
      ]);
      expect(readCheckpointLine(state)).toBe(4);
      expect((await w.status())['checkpointFailing']).toBeUndefined();
    } finally {
      await w.stop();
    }
  });
});

function readCheckpointLine(state: StateDir): number {
  try {
    return JSON.parse(readFileSync(state.checkpointPath(), 'utf8')).positions[0]?.line ?? 0;
  } catch {
    return 0;
  }
}

describe('--status of a status not rewritten for long', () => {
  it('calls it stale past three heartbeats, with exit code 1', { timeout: 30_000 }, async () => {
    const state = join(dir, 'stale');
    const env = { LANG: 'en_US.UTF-8' };
    expect(
      (await runCli(['watch', '--state-dir', state, '-'], { stdin: `${scanLine(1)}\n`, env })).code,
    ).toBe(0);
    const file = join(state, STATUS_FILE);
    const status = JSON.parse(readFileSync(file, 'utf8'));
    // Written by this (running) process: fresh, then 4 minutes old (the heartbeat is 60 s).
    expect(status.statusHeartbeatSeconds).toBe(60);
    const fresh = await runCli(['watch', '--status', '--state-dir', state], { env });
    expect([fresh.code, fresh.err]).toEqual([0, '']);
    expect(fresh.out).toMatch(/lag 0 bytes not yet read, newest event \d+ s ago \([\d.]+ days?\)/);
    const old = new Date(Date.now() - 240_000).toISOString();
    writeFileSync(file, JSON.stringify({ ...status, writtenAt: old }));
    const stale = await runCli(['watch', '--status', '--state-dir', state], { env });
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(
      new RegExp(
        `^fwlens: the status of the watcher of .*stale \\(pid ${process.pid}\\) was written at ${old}, 24\\d s ago, more than three of its 60 s heartbeats`,
      ),
    );
    expect(stale.out).toMatch(/^pid \d+, status written .* \(24\d s ago, stale\)/);
    const json = await runCli(['watch', '--status', '--json', '--state-dir', state], { env });
    expect([json.code, JSON.parse(json.out).stale]).toEqual([1, true]);
  });
});
