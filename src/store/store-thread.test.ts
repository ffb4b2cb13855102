// A DuckDB store written from a thread of its own (real files, real threads): the caller's event loop runs on
// during a large commit, a store's failure comes back as its sentence, and a thread that stops is replaced by
// the watcher's store sink with every line stored once.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from '../../test/helpers.js';
import { appendEvent, Dictionary, EventBatch } from '../core/batch.js';
import type { FwEvent } from '../event.js';
import { type SinkSource, StoreSink } from '../watch/store-sink.js';
import { openDuckDbStore } from './duckdb.js';
import { unnamedInput } from './ingest.js';
import { StoreThread } from './store-thread-client.js';
import { type StoredInput, StoreError, type WritingStore } from './types.js';

let dir: string;
const threads: StoreThread[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-store-thread-'));
});
afterEach(async () => {
  for (const t of threads.splice(0)) await t.end();
  rmSync(dir, { recursive: true, force: true });
});

/** A store thread for the DuckDB file at `path`, as `watch --store` makes it. */
function storeThread(path: string, waitMs = 0): StoreThread {
  const t = new StoreThread({ location: path, waitMs, boundedStrings: true, memoryLimit: '512MB' });
  threads.push(t);
  return t;
}

/** Event `k` of a busy log: ever-new sources, many ports. */
function event(k: number, file = 'fw.log'): FwEvent {
  return {
    format: 'netfilter',
    action: 'deny',
    direction: 'inbound',
    timestamp: Date.UTC(2026, 10, 20, 10) + k * 10,
    ipVersion: 4,
    sourceIp: `198.51.${(k >> 8) & 255}.${k & 255}`,
    destinationIp: '192.0.2.10',
    transport: 'tcp',
    sourcePort: 1024 + (k % 60_000),
    destinationPort: 1 + (k % 1024),
    ipId: k,
    line: k + 1,
    file,
  };
}

/** Column batches of events 0..n-1. */
function batches(n: number): EventBatch[] {
  const dict = new Dictionary();
  const out = [new EventBatch(dict)];
  for (let k = 0; k < n; k++) {
    if (out.at(-1)!.full) out.push(new EventBatch(dict));
    appendEvent(out.at(-1)!, event(k), 0, k + 1);
  }
  return out;
}

/**
 * Write `n` events as one input in one transaction into `store`, counting the ticks of a 5 ms timer of this
 * thread meanwhile, against the ticks the transaction's time had room for.
 */
async function tickedCommit(store: WritingStore, n: number): Promise<{ ticks: number; room: number }> {
  const bs = batches(n);
  const id = await store.nextInputId();
  const input: StoredInput = { ...unnamedInput(id, 'fw.log'), lines: n, offset: n, events: n };
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const began = performance.now();
  const w = await store.begin();
  for (const b of bs) await w.appendEvents(b, id);
  await w.appendProblems([]);
  await w.commit(input);
  const took = performance.now() - began;
  clearInterval(timer);
  return { ticks, room: Math.floor(took / 5) };
}

async function counts(path: string): Promise<{ events: number; lines: number }> {
  const store = await openDuckDbStore(path, { readOnly: true });
  try {
    const r = await store.sql('SELECT count(*), count(DISTINCT line) FROM events');
    return { events: Number(r.rows[0]![0]), lines: Number(r.rows[0]![1]) };
  } finally {
    await store.close();
  }
}

/** Why opening `open` fails. */
async function fault(open: Promise<unknown>): Promise<StoreError> {
  try {
    await open;
  } catch (e) {
    return e as StoreError;
  }
  throw new Error('it opened');
}

const LINE_BYTES = 100;

/** Lines from..to (1-based) of `source` handed to the sink as one chunk. */
function chunk(s: StoreSink, source: SinkSource, from: number, to: number): void {
  const events: { ev: FwEvent; start: number }[] = [];
  const starts: number[] = [];
  for (let line = from; line <= to; line++) {
    const start = (line - 1) * LINE_BYTES;
    starts.push(start);
    events.push({ ev: { ...event(line - 1, source.readPath), line }, start });
  }
  s.add(source, events, [], { offset: to * LINE_BYTES, line: to }, { first: from, starts });
}

describe('StoreThread', () => {
  it("writes the store in its own thread: this thread's timers run on through a commit of 300,000 events", {
    timeout: 120_000,
  }, async () => {
    const path = join(dir, 'threaded.duckdb');
    const thread = storeThread(path);
    const store = await thread.open();
    // The first commit creates the tables; the second is the one measured.
    await tickedCommit(store, 1000);
    const { ticks, room } = await tickedCommit(store, 300_000);
    await store.close();
    // Written in this thread (openDuckDbStore), the appenders' synchronous calls hold the timer for most of it.
    expect(ticks, `${ticks} ticks of ${room}`).toBeGreaterThanOrEqual(room / 2);
    expect(await counts(path)).toEqual({ events: 301_000, lines: 300_000 });
  });

  it("a store's failure comes back as its sentence and kind, as opening it here gives", {
    timeout: 60_000,
  }, async () => {
    const garbage = join(dir, 'garbage.duckdb');
    writeFileSync(garbage, Buffer.alloc(8192, 0x41));
    const newer = join(dir, 'newer.duckdb');
    await (await openDuckDbStore(newer)).close();
    const inst = await DuckDBInstance.create(newer);
    const c = await inst.connect();
    await c.run('INSERT INTO schema_version (version) VALUES (99)');
    c.closeSync();
    inst.closeSync();
    for (const path of [garbage, newer]) {
      const here = await fault(openDuckDbStore(path, { boundedStrings: true }));
      const there = await fault(storeThread(path).open());
      expect(there).toBeInstanceOf(StoreError);
      expect(there.kind).toBe(here.kind);
      expect(there.text).toEqual(here.text);
    }
    // Held by another process past the wait: the lock's sentence.
    const held = join(dir, 'held.duckdb');
    await (await openDuckDbStore(held)).close();
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const i = await DuckDBInstance.create(${JSON.stringify(held)});
         await i.connect();
         console.log('held');
         setInterval(() => {}, 1000);`,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise((resolve) => holder.stdout!.once('data', resolve));
      const e = await fault(storeThread(held, 300).open());
      expect(e.kind).toBe('locked');
      expect(e.message).toBe(
        `the store ${held} is in use by another process; try again when it has finished`,
      );
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('a thread that stops mid-commit, or after its commit before it answered, is replaced: every line stored once', {
    timeout: 120_000,
  }, async () => {
    const path = join(dir, 'crash.duckdb');
    const thread = storeThread(path);
    const problems: unknown[] = [];
    const sink = new StoreSink({
      location: path,
      open: () => thread.open(),
      end: () => thread.end(),
      release: false,
      onProblem: (e) => problems.push(e),
    });
    const log = join(dir, 'fw.log');
    const src: SinkSource = {
      readPath: log,
      name: log,
      byName: false,
      file: { dev: 1, ino: 2, fp: 'a1b2c3d4', fpLen: 16 },
    };
    chunk(sink, src, 1, 1000);
    expect(await sink.commit(true)).toBe(true);
    // Stopped while it appends a large chunk: nothing of it committed.
    chunk(sink, src, 1001, 201_000);
    const committing = sink.commit(true);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await thread.crash();
    expect(await committing).toBe(false);
    const said = problems[0] as StoreError;
    expect(said).toBeInstanceOf(StoreError);
    expect(said.message).toBe(
      `the thread that writes the store ${path} stopped (exit code 70) before its write was committed`,
    );
    // The next try opens the store in a new thread and commits what waited.
    expect(await sink.commit(true)).toBe(true);
    expect(thread.started).toBe(2);
    expect(problems.at(-1)).toBeUndefined();
    // Stopped after the store committed a chunk, before the answer: the next commit finds it stored.
    chunk(sink, src, 201_001, 202_000);
    await thread.crash('after-commit');
    expect(await sink.commit(true)).toBe(false);
    chunk(sink, src, 202_001, 203_000);
    expect(await sink.commit(true)).toBe(true);
    expect(thread.started).toBe(3);
    expect(sink.status().skippedLines).toBe(1000);
    await sink.close();
    expect(await counts(path)).toEqual({ events: 203_000, lines: 203_000 });
  });
});
