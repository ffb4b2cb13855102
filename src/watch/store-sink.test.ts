// The store sink against a real DuckDB file: which stored input a file's lines continue after a restart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { openDuckDbStore } from '../store/duckdb.js';
import { type SinkPruned, type SinkSource, StoreSink, type StoreSinkOptions } from './store-sink.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-sink-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A sink over the DuckDB file at `path`, as `watch --store` makes it (with `more` options). */
function sink(path: string, more: Partial<StoreSinkOptions> = {}): StoreSink {
  return new StoreSink({
    location: path,
    open: () => openDuckDbStore(path, { boundedStrings: true }),
    release: true,
    onProblem: (e) => {
      if (e) throw e;
    },
    ...more,
  });
}

/** A sink keeping two days (`--keep 2d`, a round an hour) on a test clock; what each round did goes to `said`. */
function keeping(
  path: string,
  said: (SinkPruned | undefined)[],
  now: () => number,
  more: Partial<StoreSinkOptions> = {},
): StoreSink {
  return sink(path, {
    retention: { keepMs: 2 * DAY, everyMs: 3_600_000 },
    onPrune: (p, e) => {
      if (e) throw e;
      said.push(p);
    },
    now,
    ...more,
  });
}

/** `n` events of `src`, one a second from time `at`, as the lines after `line`; returns the last line added. */
function addAt(s: StoreSink, src: SinkSource, at: number, n: number, line: number): number {
  const events: { ev: FwEvent; start: number }[] = [];
  for (let i = 1; i <= n; i++)
    events.push({
      ev: {
        format: 'netfilter',
        action: 'deny',
        direction: 'inbound',
        timestamp: at + (i - 1) * 1000,
        sourceIp: '203.0.113.7',
        destinationIp: '192.0.2.10',
        transport: 'tcp',
        destinationPort: 22,
        line: line + i,
        file: src.readPath,
      },
      start: (line + i - 1) * LINE_BYTES,
    });
  const last = line + n;
  s.add(
    src,
    events,
    [],
    { offset: last * LINE_BYTES, line: last },
    { first: line + 1, starts: events.map((e) => e.start) },
  );
  return last;
}

/** Events in the DuckDB file at `path`. */
async function storedEvents(path: string): Promise<number> {
  const store = await openDuckDbStore(path, { readOnly: true });
  try {
    return Number((await store.sql('SELECT count(*) FROM events')).rows[0]![0]);
  } finally {
    await store.close();
  }
}

const LINE_BYTES = 100;
const DAY = 86_400_000;

/** Lines `from`..`to` (1-based) of one content of a file, each LINE_BYTES long, as events carrying their number. */
function chunk(s: StoreSink, source: SinkSource, from: number, to: number, tag: number): void {
  const events: { ev: FwEvent; start: number }[] = [];
  const starts: number[] = [];
  for (let line = from; line <= to; line++) {
    const start = (line - 1) * LINE_BYTES;
    starts.push(start);
    events.push({
      ev: {
        format: 'netfilter',
        action: 'deny',
        direction: 'inbound',
        timestamp: Date.UTC(2026, 10, 20, 10) + line * 1000,
        ipVersion: 4,
        sourceIp: '203.0.113.7',
        destinationIp: '192.0.2.10',
        transport: 'tcp',
        destinationPort: 22,
        ipId: tag * 1000 + line,
        line,
        file: source.readPath,
      },
      start,
    });
  }
  s.add(source, events, [], { offset: to * LINE_BYTES, line: to }, { first: from, starts });
}

describe('StoreSink', () => {
  it('after a restart, the rest of an older content read from its copy continues that content, not the newer one of the same inode', async () => {
    const db = join(dir, 's.duckdb');
    const file = { dev: 1, ino: 42 };
    const old: SinkSource = {
      readPath: join(dir, 'fw.log'),
      name: join(dir, 'fw.log'),
      file: { ...file, fp: 'a'.repeat(64), fpLen: 1024 },
      byName: false,
    };
    const now: SinkSource = { ...old, file: { ...file, fp: 'b'.repeat(64), fpLen: 1024 } };
    // The first run: the old content's 20 lines, then (copied and truncated) the new content's first 8 lines.
    const first = sink(db);
    await first.start();
    chunk(first, old, 1, 20, 1);
    expect(await first.commit(true)).toBe(true);
    chunk(first, now, 1, 8, 2);
    expect(await first.commit(true)).toBe(true);
    await first.close();
    // Killed before its checkpoint caught up (it said line 15 of the old content): the restart reads lines
    // 16-20 of the old content again from the copy, then the new content from its start.
    const second = sink(db);
    await second.start();
    chunk(second, old, 16, 20, 1);
    expect(await second.commit(true)).toBe(true);
    chunk(second, now, 1, 12, 2);
    expect(await second.commit(true)).toBe(true);
    await second.close();
    const store = await openDuckDbStore(db, { readOnly: true });
    try {
      const rows = async (sql: string) => (await store.sql(sql)).rows.map((r) => r.map(Number));
      // Every line once: two inputs (one per content), 20 and 12 events, no number twice.
      expect(await rows('SELECT id, lines, events FROM inputs ORDER BY id')).toEqual([
        [1, 20, 20],
        [2, 12, 12],
      ]);
      expect(await rows('SELECT count(*), count(DISTINCT ip_id) FROM events')).toEqual([[32, 32]]);
    } finally {
      await store.close();
    }
  });

  it('keeps the store within --keep as it writes: at the first commit, then once per round', async () => {
    const db = join(dir, 'r.duckdb');
    let clock = Date.UTC(2026, 10, 24, 12);
    const said: (SinkPruned | undefined)[] = [];
    const s = keeping(db, said, () => clock);
    await s.start();
    const src: SinkSource = { readPath: join(dir, 'fw.log'), name: join(dir, 'fw.log'), byName: true };
    let line = 0;
    // Five days of 10 lines: the first commit drops what is older than two days (three days' worth).
    for (const d of [4, 3, 2.5, 1, 0]) line = addAt(s, src, clock - d * DAY, 10, line);
    expect(await s.commit(true)).toBe(true);
    expect(await storedEvents(db)).toBe(20);
    expect(said).toHaveLength(1);
    expect(said[0]!.age).toMatchObject({ events: 30, before: clock - 2 * DAY });
    expect(s.status()).toMatchObject({ prunedEvents: 30, prunedFindings: 0 });
    // Old lines read later (a file read from its start) stay until the next round, an hour later.
    line = addAt(s, src, clock - 5 * DAY, 10, line);
    clock += 60_000;
    expect(await s.commit(true)).toBe(true);
    expect(await storedEvents(db)).toBe(30);
    expect(said).toHaveLength(1);
    line = addAt(s, src, clock, 1, line);
    clock += 3_600_000;
    expect(await s.commit(true)).toBe(true);
    expect(await storedEvents(db)).toBe(21);
    expect(said).toHaveLength(2);
    expect(s.status().prunedEvents).toBe(40);
    await s.close();
  });

  it('keeps the store within --keep while its source is quiet: on the timer when due, not while lines wait', async () => {
    const db = join(dir, 'q.duckdb');
    let clock = Date.UTC(2026, 10, 24, 12);
    const said: (SinkPruned | undefined)[] = [];
    let opens = 0;
    const s = keeping(db, said, () => clock, {
      open: () => {
        opens++;
        return openDuckDbStore(db, { boundedStrings: true });
      },
    });
    await s.start();
    const src: SinkSource = { readPath: join(dir, 'fw.log'), name: join(dir, 'fw.log'), byName: true };
    // A round before anything was committed (an empty store), then the first commit still prunes.
    await s.pruneIdle();
    expect(said).toHaveLength(1);
    let line = 0;
    for (const d of [3, 1, 0]) line = addAt(s, src, clock - d * DAY, 10, line);
    // Lines waiting: no idle round (the commit will prune).
    clock += 2 * 3_600_000;
    await s.pruneIdle();
    expect(said).toHaveLength(1);
    expect(await s.commit(true)).toBe(true);
    expect(said).toHaveLength(2);
    expect(await storedEvents(db)).toBe(20);
    // The source goes quiet: nothing is committed any more, and a day and a half later the day before
    // yesterday's lines are older than --keep. Not before the round is due, then on the timer.
    clock += 1_800_000;
    await s.pruneIdle();
    expect(said).toHaveLength(2);
    const opened = opens;
    clock += 1.5 * DAY;
    await s.pruneIdle();
    expect(said).toHaveLength(3);
    expect(said[2]!.age).toMatchObject({ events: 10 });
    expect(await storedEvents(db)).toBe(10);
    // It opened the store for the round and let it go (release: true), so `query` can open the file.
    expect(opens).toBe(opened + 1);
    expect(s.status()).toMatchObject({ prunedEvents: 20 });
    await s.close();
  });

  it('applies a size bound as the watch writes, never dropping the newest day', async () => {
    const db = join(dir, 'z.duckdb');
    const clock = Date.UTC(2026, 10, 24, 12);
    const said: SinkPruned[] = [];
    const s = sink(db, {
      retention: { maxBytes: 1 },
      onPrune: (p) => {
        if (p) said.push(p);
      },
      now: () => clock,
    });
    await s.start();
    const src: SinkSource = { readPath: join(dir, 'fw.log'), name: join(dir, 'fw.log'), byName: true };
    let line = 0;
    for (const d of [3, 2, 1, 0]) line = addAt(s, src, clock - d * DAY, 1, line);
    expect(await s.commit(true)).toBe(true);
    // One byte cannot be kept: every day but the newest goes, and the newest stays.
    expect(said[0]!.size).toMatchObject({ events: 3 });
    expect(said[0]!.size!.bytesAfter).toBeGreaterThan(1);
    expect(await storedEvents(db)).toBe(1);
    await s.close();
  });
});
