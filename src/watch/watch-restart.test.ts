import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BASE,
  checkpointLine,
  checkpointPaths,
  exited,
  LINES,
  scanLine as line,
  type Run,
  SCANNERS,
  startWatch,
  statusPid,
} from '../../test/support/watch-child.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-restart-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fwlens watch across SIGKILL', () => {
  it('resumes exactly: every line read once, each finding announced once', { timeout: 60_000 }, async () => {
    const log = join(dir, 'fw.log');
    const state = join(dir, 'state');
    writeFileSync(log, '');
    const runs: Run[] = [startWatch(log, state)];
    let written = 0;
    const writer = (async () => {
      while (written < LINES) {
        const n = Math.min(120, LINES - written);
        appendFileSync(log, `${Array.from({ length: n }, (_, k) => line(written + k)).join('\n')}\n`);
        written += n;
        await sleep(150);
      }
    })();
    // Two hard kills while lines keep coming, each once the watcher has checkpointed something new.
    for (const atLeast of [LINES * 0.25, LINES * 0.55]) {
      while (checkpointLine(state) < atLeast) await sleep(20);
      await sleep(Math.random() * 150);
      const r = runs[runs.length - 1]!;
      r.child.kill('SIGKILL');
      expect(await exited(r.child)).toBe(null);
      runs.push(startWatch(log, state));
    }
    await writer;
    const last = runs[runs.length - 1]!;
    // The last run is up (its status names it) and has handled every line.
    while (statusPid(state) !== last.child.pid || checkpointLine(state) < LINES) await sleep(50);
    last.child.kill('SIGTERM');
    expect(await exited(last.child)).toBe(0);

    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(cp.positions).toHaveLength(1);
    expect(cp.positions[0].line).toBe(LINES);
    expect(cp.positions[0].offset).toBe(statSync(log).size);
    // Lines handled over all three runs: fewer would be lines lost, more lines read twice.
    expect(cp.totals.lines).toBe(LINES);

    const docs = runs.flatMap((r) => r.out.map((l) => JSON.parse(l)));
    const news = docs.filter((d) => d.fwlens.alert.kind === 'new');
    const ids = news.map((d) => d.fwlens.alert.id);
    expect(new Set(ids).size).toBe(ids.length);
    const scanNews = news.filter((d) => d.rule.id === 'vertical-scan').map((d) => d.source.ip);
    expect(new Set(scanNews).size).toBe(scanNews.length);
    // Every scanner was announced, whichever run saw it cross its threshold.
    expect(new Set(scanNews)).toEqual(
      new Set(Array.from({ length: SCANNERS }, (_, k) => `203.0.113.${k + 1}`)),
    );
    // The restarts said where they resumed from nothing but their checkpoint: no "lost" notice.
    expect(runs.map((r) => r.err).join('')).not.toMatch(/were not read/);
  });
});

describe('fwlens watch dedup across SIGKILL', () => {
  const probe = (k: number, at: number) =>
    `${new Date(at + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.77 DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${4000 + k} WINDOW=1024 SYN URGP=0\n`;
  const scan = (at: number) => Array.from({ length: 12 }, (_, k) => probe(k, at)).join('');
  const scansOf = (r: Run) =>
    r.out
      .map((l) => JSON.parse(l))
      .filter((d) => d.rule.id === 'vertical-scan' && d.source.ip === '203.0.113.77');

  /** Scan, kill -9 once it is alerted and checkpointed, the same source scans again 3 h later (a new episode). */
  async function scenario(name: string, forgetPolicy: boolean) {
    const log = join(dir, `${name}.log`);
    const state = join(dir, `${name}-state`);
    writeFileSync(log, scan(BASE));
    const first = startWatch(log, state);
    while (scansOf(first).length === 0 || checkpointLine(state) < 12) await sleep(50);
    first.child.kill('SIGKILL');
    await exited(first.child);
    expect(existsSync(join(state, 'alerts', 'policy.json'))).toBe(true);
    if (forgetPolicy) unlinkSync(join(state, 'alerts', 'policy.json'));
    appendFileSync(log, scan(BASE + 3 * 3600_000));
    const second = startWatch(log, state);
    while (statusPid(state) !== second.child.pid || checkpointLine(state) < 24) await sleep(50);
    await sleep(1000); // a few detection polls
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    const alerts = JSON.parse(readFileSync(join(state, 'status.json'), 'utf8')).alerts;
    return { first: scansOf(first), second: scansOf(second), alerts };
  }

  it('keeps the dedup state written with the checkpoint: the new episode 3 h later is not alerted again within 15 min', {
    timeout: 60_000,
  }, async () => {
    const kept = await scenario('dedup', false);
    expect(kept.first).toHaveLength(1);
    expect(kept.second).toEqual([]);
    expect(kept.alerts['suppressed.dedup']).toBe(1);
    // The same run without the dedup state on disk alerts it: the scenario does reach the dedup rule.
    const forgotten = await scenario('nodedup', true);
    expect(forgotten.second).toHaveLength(1);
    expect(forgotten.second[0].fwlens.alert.kind).toBe('new');
  });
});

describe('fwlens watch killed while its file is rotated', () => {
  /** Lines handled over all runs, from the checkpoint (0 before the first one). */
  const handled = (state: string): number => {
    try {
      return JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8')).totals.lines ?? 0;
    } catch {
      return 0;
    }
  };

  /**
   * A writer appends the generated log in batches; the watcher is killed with SIGKILL once it has
   * checkpointed a quarter, and while it is down the file is rotated (`rotate`) between two batches and
   * the writer goes on into the new file. The restarted watcher must read the rest of the old file from
   * its checkpoint, then the new one from its start: every line once, every scanner announced once.
   */
  async function rotatedWhileDown(name: string, rotate: (log: string) => void) {
    const log = join(dir, `${name}.log`);
    const state = join(dir, `${name}-state`);
    writeFileSync(log, '');
    const runs: Run[] = [startWatch(log, state)];
    let written = 0;
    let down = false;
    let rotated = false;
    const writer = (async () => {
      while (written < LINES) {
        // Past 40 % the writer waits for the kill (a slow start must not let it finish first).
        while (written >= LINES * 0.4 && !down) await sleep(20);
        const n = Math.min(120, LINES - written);
        appendFileSync(log, `${Array.from({ length: n }, (_, k) => line(written + k)).join('\n')}\n`);
        written += n;
        // Rotated while the watcher is down, after at least one batch it did not see.
        if (down && !rotated) {
          rotate(log);
          rotated = true;
        }
        await sleep(100);
      }
    })();
    while (handled(state) < LINES * 0.25) await sleep(20);
    runs[0]!.child.kill('SIGKILL');
    expect(await exited(runs[0]!.child)).toBe(null);
    down = true;
    while (!rotated) await sleep(20);
    await sleep(300); // more batches into the new file while nobody reads
    runs.push(startWatch(log, state));
    await writer;
    const last = runs[1]!;
    while (statusPid(state) !== last.child.pid || handled(state) < LINES) await sleep(50);
    await sleep(500);
    last.child.kill('SIGTERM');
    expect(await exited(last.child)).toBe(0);
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    const news = runs
      .flatMap((r) => r.out.map((l) => JSON.parse(l)))
      .filter((d) => d.fwlens.alert.kind === 'new' && d.rule.id === 'vertical-scan')
      .map((d) => d.source.ip);
    return { cp, news, err: runs.map((r) => r.err).join('') };
  }

  const check = (r: Awaited<ReturnType<typeof rotatedWhileDown>>, rotated: string) => {
    // Lines handled over both runs: fewer would be lines lost, more lines read twice.
    expect(r.cp.totals.lines).toBe(LINES);
    expect(new Set(r.news).size).toBe(r.news.length);
    expect(new Set(r.news)).toEqual(
      new Set(Array.from({ length: SCANNERS }, (_, k) => `203.0.113.${k + 1}`)),
    );
    expect(r.err).not.toMatch(/were not read/);
    expect(r.err).toContain(rotated);
  };

  it('renamed to .1 while down: the rest of .1 from the checkpoint, then the new file from its start', {
    timeout: 90_000,
  }, async () => {
    const r = await rotatedWhileDown('rename', (log) => {
      renameSync(log, `${log}.1`);
      writeFileSync(log, '');
    });
    check(r, 'resumed from');
    // Said as the other resumptions are: the name the file has now, resumed from the one its position was saved under.
    expect(r.err).toMatch(/\.1: resumed from \S*[^1]\n/);
  });

  it('copied and truncated while down: the rest from the copy, then the truncated file from its start', {
    timeout: 90_000,
  }, async () => {
    const r = await rotatedWhileDown('copytruncate', (log) => {
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
    });
    check(r, 'was copied and truncated');
  });
});

describe('fwlens watch with a state directory another watcher used', () => {
  it('neither reads on nor calls lost the files of the other command line; its own file resumes', {
    timeout: 60_000,
  }, async () => {
    const other = join(dir, 'other.log');
    const mine = join(dir, 'mine.log');
    const gone = join(dir, 'gone.log');
    const state = join(dir, 'state-shared');
    writeFileSync(other, `${line(0)}\n${line(1)}\n`);
    writeFileSync(gone, `${line(2)}\n`);
    writeFileSync(mine, `${line(3)}\n`);
    // A first watcher follows the other files, then stops with them in its checkpoint.
    const first = startWatch(join(dir, '{other,gone}.log').replace('{other,gone}', '[og]*[re]'), state);
    while (checkpointLine(state) < 1) await sleep(20);
    await sleep(300);
    first.child.kill('SIGTERM');
    expect(await exited(first.child)).toBe(0);
    const saved = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(checkpointPaths(state).sort()).toEqual([gone, other]);
    // Meanwhile the other log grows and one of its files goes.
    appendFileSync(other, `${line(4)}\n`);
    unlinkSync(gone);
    // A second watcher of another file with the same state directory.
    const second = startWatch(mine, state);
    while (statusPid(state) !== second.child.pid || checkpointPaths(state)[0] !== mine) await sleep(20);
    await sleep(300);
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(second.err).not.toMatch(/were not read|resumed/);
    const cp = JSON.parse(readFileSync(join(state, 'checkpoint.json'), 'utf8'));
    expect(cp.positions.map((p: { path: string }) => p.path)).toEqual([mine]);
    expect(cp.positions[0].line).toBe(1);
    // Lines handled by the second run: its one line, none of the other file's.
    expect(cp.totals.lines - saved.totals.lines).toBe(1);
  });
});
