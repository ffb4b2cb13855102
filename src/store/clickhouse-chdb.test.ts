// The ClickHouse backend's own statements on a current ClickHouse: the store contract through chdb (ClickHouse
// embedded), which is not a dependency (~546 MB installed): skipped with a message unless it can be loaded.
// Run it with `npm install --no-save chdb` (or FWLENS_CHDB=/path/to/chdb/index.mjs) and `npx vitest run src/store/clickhouse-chdb.test.ts`.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Host } from './clickhouse/connection.js';
import { ClickHouseStore, INSERT_ROWS, PROBLEM_FILES_PER_STATEMENT } from './clickhouse/store.js';
import { parseClickHouseAddress } from './clickhouse/url.js';
import { storeContract } from './contract.js';

/** The part of chdb's Session used here: one SQL text (inline data after FORMAT included), its output as text. */
interface ChdbSession {
  query(sql: string, format?: string): string;
  cleanup?(): void;
}

async function loadChdb(): Promise<{ Session: new (path: string) => ChdbSession } | string> {
  const specifier = process.env.FWLENS_CHDB ?? 'chdb';
  try {
    return (await import(/* @vite-ignore */ specifier)) as { Session: new (path: string) => ChdbSession };
  } catch (e) {
    return (e as Error).message.split('\n')[0]!;
  }
}

const chdb = await loadChdb();
if (typeof chdb === 'string')
  console.warn(
    `SKIPPED: the ClickHouse statements on a current ClickHouse need chdb, which is not installed (${chdb}); npm install --no-save chdb to run them`,
  );

/**
 * A store host that runs each statement in chdb instead of sending it over HTTP: the same SQL text, the same
 * formats (JSONEachRow rows, TabSeparated lines, JSONCompact, inserts as JSONEachRow and TabSeparated data).
 * What it does not check: HTTP, `readonly=1`, and what needs a cluster (Distributed tables, per-shard settings).
 */
class ChdbHost {
  readonly options = { url: 'chdb', readOnly: false };
  constructor(private readonly session: ChdbSession) {}
  async command(sql: string): Promise<void> {
    this.session.query(sql);
  }
  async rows<T>(sql: string, settings?: Record<string, number>): Promise<T[]> {
    const s = settings
      ? ` SETTINGS ${Object.entries(settings)
          .map(([k, v]) => `${k} = ${v}`)
          .join(', ')}`
      : '';
    return this.session
      .query(sql + s, 'JSONEachRow')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as T);
  }
  async *lines(sql: string): AsyncIterable<string> {
    for (const l of this.session.query(sql, 'TabSeparated').split('\n')) if (l) yield l;
  }
  async compact(sql: string): Promise<{ columns: string[]; rows: unknown[][] }> {
    const doc = JSON.parse(this.session.query(sql, 'JSONCompact')) as {
      meta: { name: string }[];
      data: unknown[][];
    };
    return { columns: doc.meta.map((m) => m.name), rows: doc.data };
  }
  async insert(table: string, values: Record<string, unknown>[]): Promise<void> {
    if (values.length === 0) return;
    this.session.query(
      `INSERT INTO ${table} FORMAT JSONEachRow\n${values.map((v) => JSON.stringify(v)).join('\n')}\n`,
    );
  }
  async insertLines(table: string, columns: readonly string[], chunks: Buffer[]): Promise<void> {
    if (chunks.length === 0) return;
    this.session.query(
      `INSERT INTO ${table} (${columns.join(', ')}) FORMAT TabSeparated\n${Buffer.concat(chunks).toString()}`,
    );
  }
  async close(): Promise<void> {}
}

describe.skipIf(typeof chdb === 'string')(
  'the ClickHouse store on chdb (a current ClickHouse, embedded)',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-chdb-'));
    const session = typeof chdb === 'string' ? undefined : new chdb.Session(join(dir, 'data'));
    afterAll(() => {
      session?.cleanup?.();
      rmSync(dir, { recursive: true, force: true });
    });
    let databases = 0;
    const open = async () => {
      const address = parseClickHouseAddress(`clickhouse://127.0.0.1:1/chdb_${process.pid}_${++databases}`)!;
      const store = new ClickHouseStore(
        address,
        [new ChdbHost(session!) as unknown as Host],
        false,
        INSERT_ROWS,
        PROBLEM_FILES_PER_STATEMENT,
      );
      await store.prepare();
      return store;
    };

    it('is a current ClickHouse', () => {
      const version = session!.query('SELECT version()', 'TabSeparated').trim();
      console.log(`chdb runs ClickHouse ${version}`);
      expect(Number(version.split('.')[0])).toBeGreaterThanOrEqual(24);
    });

    storeContract('clickhouse statements on chdb', open);
  },
);
