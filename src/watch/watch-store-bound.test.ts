// `fwlens watch --store` with its store taken by another process for long after it started: memory stays within
// --store-memory, lines are held back in their files (also across a rotation) and stored once afterwards.
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { exited, scanLine as line, startWatch, statusPid } from '../../test/support/watch-child.js';
import { openStore } from '../store/open.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-watch-bound-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The watcher's status file (rewritten every 2 s). */
const status = (state: string) => {
  try {
    return JSON.parse(readFileSync(join(state, 'status.json'), 'utf8'));
  } catch {
    return undefined;
  }
};

const lines = (from: number, n: number) =>
  `${Array.from({ length: n }, (_, k) => line(from + k)).join('\n')}\n`;

/** Lines the generator makes garbage (no format reads them) among lines `from` .. `to - 1`. */
const garbageIn = (from: number, to: number) => {
  let n = 0;
  for (let i = from; i < to; i++) if (i % 997 === 996) n++;
  return n;
};

/** Options of a watcher writing to `db` that gives up on a locked store at once, retries every second, and
 * keeps at most `memory` of lines meanwhile. */
const lockedStoreArgs = (db: string, memory: string) => [
  `--store=${db}`,
  '--store-wait',
  '0',
  '--store-every',
  '1',
  '--store-memory',
  memory,
];

describe('fwlens watch --store, the store locked for long', () => {
  it('keeps at most --store-memory of lines, holds the rest back in the files, then stores every line once', {
    timeout: 240_000,
  }, async () => {
    const log = join(dir, 'fw.log');
    const state = join(dir, 'state');
    const db = join(dir, 'locked.duckdb');
    const memory = 256 * 1024;
    const half = 20_000;
    writeFileSync(log, '');
    const run = startWatch(log, state, lockedStoreArgs(db, '256KiB'));
    // Once the watcher runs (it waits for a store held at its start), another process (this one) takes the DuckDB
    // file (the watcher lets go when asked) and holds it: the watcher cannot open it again.
    while (statusPid(state) !== run.child.pid) await sleep(50);
    const holder = await openStore(db, { waitMs: 30_000 });
    appendFileSync(log, lines(0, 2000));
    try {
      while (!/cannot write the store/.test(run.err)) await sleep(50);
      for (let from = 2000; from < half; from += 2000) {
        appendFileSync(log, lines(from, 2000));
        await sleep(100);
      }
      while ((status(state)?.counts?.lines ?? 0) < half) await sleep(100);
      // Rotated by rename while lines are held back in it: they are read again through a descriptor of it.
      renameSync(log, `${log}.1`);
      for (let from = half; from < 2 * half; from += 2000) {
        appendFileSync(log, lines(from, 2000));
        await sleep(100);
      }
      while ((status(state)?.counts?.lines ?? 0) < 2 * half) await sleep(100);
      await sleep(2500); // one more status after the last line
      const held = status(state);
      console.log(
        `held back: ${JSON.stringify({ ...held.store, rss: held.rssBytes })}, lines ${held.counts.lines}`,
      );
      expect(held.counts.lines).toBe(2 * half); // the watch read on (and alerted) throughout
      expect(held.store.failing).toBeDefined();
      expect(held.store.waitingBytes).toBeLessThanOrEqual(memory);
      expect(held.store.memoryLimitBytes).toBe(memory);
      expect(held.store.heldBackFiles).toBe(2); // the rotated file and the new one
      // Both files were read whole; what is not in memory is held back in them.
      expect(held.store.waitingBytes + held.store.heldBackBytes).toBeGreaterThan(
        2 * Buffer.byteLength(lines(0, half)) - 4 * memory,
      );
      expect(held.store.holdBacks).toBe(1);
      expect(run.err.match(/leaves the lines for the store in the log files/g)).toHaveLength(1);
      expect(held.rssBytes).toBeLessThan(400 * 2 ** 20);

      await holder.close();
      while (!/holds every line again/.test(run.err)) await sleep(100);
      while (status(state)?.store?.waitingEvents !== 0 || status(state)?.store?.heldBackFiles !== 0)
        await sleep(100);
      const after = status(state);
      expect(after.store.rereadLines).toBeGreaterThan(0);
      expect(run.err.match(/holds every line again/g)).toHaveLength(1);
    } finally {
      await holder.close().catch(() => undefined);
      run.child.kill('SIGTERM');
    }
    expect(await exited(run.child)).toBe(0);

    const store = await openStore(db, { readOnly: true });
    try {
      const r = await store.sql(
        `SELECT count(*), count(DISTINCT e.line), min(e.line), max(e.line)
           FROM events e JOIN inputs i ON i.id = e.file_id GROUP BY i.id ORDER BY i.id`,
      );
      const events = (from: number) => half - garbageIn(from, from + half);
      // The rotated file first (its lines were read first), then the new one: each line once.
      expect(r.rows.map((row) => row.map(Number))).toEqual([
        [events(0), events(0), 1, half],
        [events(half), events(half), 1, half],
      ]);
      const unparsed = await store.sql('SELECT count(*), count(DISTINCT (file_id, line)) FROM unparsed');
      expect(unparsed.rows[0]!.map(Number)).toEqual([garbageIn(0, 2 * half), garbageIn(0, 2 * half)]);
      const inputs = await store.sql('SELECT lines, events FROM inputs ORDER BY id');
      expect(inputs.rows.map((row) => row.map(Number))).toEqual([
        [half, events(0)],
        [half, events(half)],
      ]);
    } finally {
      await store.close();
    }
  });

  it('standard input is not read on while --store-memory waits, and every line is stored once after', {
    timeout: 120_000,
  }, async () => {
    const state = join(dir, 'state-stdin');
    const db = join(dir, 'stdin.duckdb');
    const total = 20_000;
    const run = startWatch('-', state, lockedStoreArgs(db, '64KiB'));
    // Held once the watcher runs (a store held at its start is waited for before anything is read).
    while (statusPid(state) !== run.child.pid) await sleep(50);
    const holder = await openStore(db, { waitMs: 30_000 });
    let ended = false;
    try {
      run.child.stdin!.on('error', () => undefined);
      run.child.stdin!.end(lines(0, total), () => {
        ended = true;
      });
      while (!/cannot write the store/.test(run.err)) await sleep(50);
      await sleep(3000);
      const paused = status(state);
      // Paused: what waits is within the bound plus one read of the pipe, the rest is still in the pipe.
      expect(paused.store.waitingBytes).toBeLessThanOrEqual(64 * 1024 + 65_536);
      expect(paused.counts.lines).toBeLessThan(total / 4);
      expect(ended).toBe(false);
      await holder.close();
      expect(await exited(run.child)).toBe(0); // stdin read to its end, everything committed, then the exit
    } finally {
      await holder.close().catch(() => undefined);
      run.child.kill('SIGTERM');
    }
    const store = await openStore(db, { readOnly: true });
    try {
      const r = await store.sql('SELECT count(*), count(DISTINCT line), max(line) FROM events');
      const bad = garbageIn(0, total);
      expect(r.rows[0]!.map(Number)).toEqual([total - bad, total - bad, total]);
      const u = await store.sql('SELECT count(DISTINCT line) FROM unparsed');
      expect(Number(u.rows[0]![0])).toBe(bad);
    } finally {
      await store.close();
    }
  });
});
