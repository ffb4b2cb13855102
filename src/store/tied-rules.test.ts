// A log whose rules nearly all tie (20,000 log prefixes seen once each): `query top --by rule` and the console's
// `/api/top?by=rule` answer `limit` rows ordered by count, then the name in byte order, the same rows on both,
// and no statement reads or binds every tied rule (rank() kept all ties: 74.5 s for 100,000 in the console).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/helpers.js';
import { startConsole } from '../serve/server.js';
import { netfilterLine } from './contract.js';
import { LOOKUP_CHUNK } from './duckdb.js';

const TIED = 20_000;
let store: string;

/** The most rows any DuckDB statement returned, and the most values any bound, while `run` runs. */
async function statementSizes<T>(
  run: () => Promise<T>,
): Promise<{ result: T; rows: number; values: number }> {
  const proto = DuckDBConnection.prototype as unknown as {
    runAndReadAll: (sql: string, values?: DuckDBValue[]) => Promise<{ getRows(): DuckDBValue[][] }>;
  };
  const original = proto.runAndReadAll;
  let rows = 0;
  let values = 0;
  proto.runAndReadAll = async function (this: unknown, sql: string, v?: DuckDBValue[]) {
    values = Math.max(values, Array.isArray(v) ? v.length : 0);
    const reader = await original.call(this, sql, v);
    rows = Math.max(rows, reader.getRows().length);
    return reader;
  } as typeof original;
  try {
    return { result: await run(), rows, values };
  } finally {
    proto.runAndReadAll = original;
  }
}

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-tied-rules-'));
  store = join(dir, 's.duckdb');
  const lines: string[] = [];
  let n = 0;
  // Three rules seen more than once, first seen in an order that is not theirs by name.
  for (const [prefix, count] of [
    ['ZETA', 2],
    ['BETA', 3],
    ['ALPHA', 3],
  ] as const)
    for (let i = 0; i < count; i++) lines.push(netfilterLine(n++, { prefix }));
  // 20,000 more once each, stored in an order unlike their names' (so string ids do not break the ties).
  for (let i = 0; i < TIED; i++)
    lines.push(netfilterLine(n++, { prefix: `R${String((i * 7919) % TIED).padStart(5, '0')}` }));
  const log = join(dir, 'kern.log');
  writeFileSync(log, `${lines.join('\n')}\n`);
  const r = await runCli(['ingest', '--no-detect', '--store', store, log]);
  expect(r.code, r.err).toBe(0);
}, 120_000);

describe('rules that tie', () => {
  const expected = [
    { key: 'ALPHA', count: 3 },
    { key: 'BETA', count: 3 },
    { key: 'ZETA', count: 2 },
    ...Array.from({ length: 7 }, (_, i) => ({ key: `R0000${i}`, count: 1 })),
  ];
  let app: Awaited<ReturnType<typeof startConsole>> | undefined;
  afterAll(async () => {
    await app?.close();
  });

  it('query top --by rule: limit rows, count then name, read without every tie', async () => {
    const { result, rows, values } = await statementSizes(() =>
      runCli(['query', 'top', '--by', 'rule', '--limit', '10', '--json', '--store', store]),
    );
    expect(result.code, result.err).toBe(0);
    expect(JSON.parse(result.out)).toEqual(expected);
    expect(rows).toBeLessThan(1000);
    expect(values).toBeLessThanOrEqual(LOOKUP_CHUNK);
  }, 60_000);

  it('/api/top?by=rule: the same rows, no statement reading or binding every tie', async () => {
    app = await startConsole({ storePath: store, host: '127.0.0.1', port: 0, lang: 'en' });
    const { result, rows, values } = await statementSizes(async () => {
      const r = await fetch(new URL('/api/top?by=rule&limit=10', app!.url));
      return (await r.json()) as { key: string; count: number }[];
    });
    expect(result.map(({ key, count }) => ({ key, count }))).toEqual(expected);
    expect(rows).toBeLessThan(1000);
    expect(values).toBeLessThanOrEqual(LOOKUP_CHUNK);
  }, 60_000);
});
