// Between two parts of one ingest: the file is rotated (renamed, a new one at its path, or copied and
// truncated), or the ingest thread of the next part stops (out of memory under its heap cap). Real DuckDB stores, real threads.
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generate.js';
import { knowledgeBase } from '../knowledge/index.js';
import { openDuckDbStore } from './duckdb.js';
import { type IngestOutcome, ingestIntoStore, type StoreIngestOptions } from './ingest.js';
import type { Store, StoredInput } from './types.js';

const kb = knowledgeBase();
/** Generated netfilter lines: about 6 MB, so parts of 1.5 MB make four or five of them. */
const LINES = 24_000;
const PART_BYTES = 1.5 * 1024 * 1024;

/** What a new log at the path holds: 7 lines unlike the original's first ones (its last lines). */
function freshLines(): string {
  const lines = readFileSync(original, 'utf8').trimEnd().split('\n');
  return `${lines.slice(-7).join('\n')}\n`;
}

/** `store`, calling `afterCommit(n)` once its n-th transaction (n from 1) has committed. */
function withCommitHook(store: Store, afterCommit: (n: number) => void): Store {
  let commits = 0;
  return new Proxy(store, {
    get(target, key) {
      if (key === 'begin')
        return async () => {
          const w = await target.begin();
          return {
            ...w,
            commit: async (input: StoredInput) => {
              await w.commit(input);
              afterCommit(++commits);
            },
          };
        };
      const v = Reflect.get(target, key);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

async function ingestWith(
  dbPath: string,
  paths: string[],
  opts: Partial<StoreIngestOptions>,
  afterCommit: (n: number) => void = () => undefined,
): Promise<IngestOutcome[]> {
  const store = await openDuckDbStore(dbPath);
  try {
    return await ingestIntoStore(withCommitHook(store, afterCommit), paths, {
      kb,
      year: 2026,
      detect: false,
      partBytes: PART_BYTES,
      ...opts,
    });
  } finally {
    await store.close();
  }
}

/** Every stored event's input, line and addresses, in order; and the inputs' offsets and line counts. */
async function storedRows(dbPath: string): Promise<{ events: unknown[][]; inputs: unknown[][] }> {
  const ro = await openDuckDbStore(dbPath, { readOnly: true });
  try {
    const events = (
      await ro.sql('SELECT file_id, line, ts, src_v4, dst_v4, dst_port FROM events ORDER BY ALL')
    ).rows;
    const inputs = (await ro.sql('SELECT id, path, "offset", lines, events FROM inputs ORDER BY id')).rows;
    return { events, inputs };
  } finally {
    await ro.close();
  }
}

let dir: string;
let original: string;

const THREAD_MODES = [
  ['in this thread', false],
  ['in ingest threads', true],
] as const;

/** A copy of the original, ingested in parts; `rotate(log)` runs once the first part has committed. */
async function ingestRotating(
  name: string,
  thread: boolean,
  rotate: (log: string) => void,
): Promise<{ log: string; db: string; first: IngestOutcome }> {
  const log = join(dir, `${name}-${thread}.log`);
  copyFileSync(original, log);
  const db = join(dir, `${name}-${thread}.duckdb`);
  const [first] = await ingestWith(db, [log], { thread, threadMinBytes: 0 }, (n) => {
    if (n === 1) rotate(log);
  });
  return { log, db, first: first! };
}

describe('store ingest between parts', () => {
  let size: number;
  /** The original file ingested at once into a store of its own. */
  let whole: { events: unknown[][]; inputs: unknown[][] };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fwlens-rotation-'));
    original = join(dir, 'original.log');
    await generateFile(LINES, original);
    size = statSync(original).size;
    const db = join(dir, 'whole.duckdb');
    await ingestWith(db, [original], { partBytes: 1 << 30 });
    whole = await storedRows(db);
    expect(whole.events.length).toBe(LINES);
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(THREAD_MODES)(
    'a file rotated after the first part is read to its end (%s), and the new one is read next run',
    async (_, thread) => {
      // logrotate's create mode: the file renamed, a new one at its path, while the ingest is between parts.
      const { log, db, first } = await ingestRotating('rotated', thread, (log) => {
        renameSync(log, `${log}.1`);
        writeFileSync(log, freshLines());
      });
      expect(first.kind).toBe('new');
      expect(first.lines).toBe(LINES);
      const after = await storedRows(db);
      // Every line of the renamed file, none of the new one: the same events as the whole file at once.
      expect(after.events).toEqual(whole.events);
      expect(after.inputs).toEqual([[1, log, String(size), String(LINES), String(LINES)]]);
      const [again, renamed] = await ingestWith(db, [log, `${log}.1`], { thread, threadMinBytes: 0 });
      expect(again!.kind).toBe('new');
      expect(again!.lines).toBe(7);
      expect(renamed!.kind).toBe('renamed');
      expect(renamed!.lines).toBe(0);
    },
    120_000,
  );

  it.each(THREAD_MODES)(
    'a file truncated after the first part (copytruncate, %s): nothing skipped, the copy read on next run',
    async (_, thread) => {
      // logrotate's copytruncate: the file copied, then emptied in place, while the ingest is between parts.
      const { log, db, first } = await ingestRotating('truncated', thread, (log) => {
        copyFileSync(log, `${log}.1`);
        truncateSync(log, 0);
        appendFileSync(log, freshLines());
      });
      expect(first.kind).toBe('failed');
      expect(first.errorText?.en).toContain('became shorter while it was read');
      const stored = first.lines;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(LINES);
      expect(first.errorText?.en).toContain(`from line ${stored + 1} `);
      expect((await storedRows(db)).events).toEqual(whole.events.slice(0, stored));
      const [again, copy] = await ingestWith(db, [log, `${log}.1`], { thread, threadMinBytes: 0 });
      expect(again!.kind).toBe('truncated');
      expect(again!.lines).toBe(7);
      expect(copy!.kind).toBe('renamed');
      expect(copy!.lines).toBe(LINES - stored);
      // Input 1 (now the copy) holds every line of the original once, in order.
      const after = await storedRows(db);
      expect(after.events.filter((e) => e[0] === 1)).toEqual(whole.events);
      expect(after.events.filter((e) => e[0] === 2)).toHaveLength(7);
    },
    120_000,
  );

  it('an ingest thread out of memory: that part is not stored, the parts before stay, the next run goes on', async () => {
    const log = join(dir, 'oom.log');
    copyFileSync(original, log);
    const db = join(dir, 'oom.duckdb');
    const saved = process.env['FWLENS_WORKER_HEAP_MB'];
    let outcome: IngestOutcome;
    try {
      // Part 2's thread starts while part 1 commits; the threads started after that get an 8 MB heap, too
      // small for the knowledge base a detecting thread loads.
      [outcome] = (await ingestWith(db, [log], { detect: true, threadMinBytes: 0 }, (n) => {
        if (n === 1) process.env['FWLENS_WORKER_HEAP_MB'] = '8';
      })) as [IngestOutcome];
    } finally {
      if (saved === undefined) delete process.env['FWLENS_WORKER_HEAP_MB'];
      else process.env['FWLENS_WORKER_HEAP_MB'] = saved;
    }
    expect(outcome.kind).toBe('failed');
    const storedLines = outcome.lines;
    expect(storedLines).toBeGreaterThan(0);
    expect(storedLines).toBeLessThan(LINES);
    expect(outcome.errorText?.en).toMatch(/memory/);
    expect(outcome.errorText?.en).toContain(`from line ${storedLines + 1}.`);
    expect(outcome.errorText?.en).toContain('FWLENS_WORKER_HEAP_MB');
    expect(outcome.errorText?.zh).toContain('FWLENS_WORKER_HEAP_MB');
    const partial = await storedRows(db);
    expect(partial.events).toEqual(whole.events.slice(0, storedLines));
    expect(partial.inputs[0]![3]).toBe(String(storedLines));
    // The next run (the default heap) reads on from there: the same events as the whole file at once.
    const [next] = await ingestWith(db, [log], { detect: true, threadMinBytes: 0 });
    expect(next!.kind).toBe('appended');
    expect(next!.lines).toBe(LINES - storedLines);
    expect((await storedRows(db)).events).toEqual(whole.events);
  }, 120_000);
});
