import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from '../../test/support/cli-child.js';
import {
  clickhouseServerBinary,
  freePort,
  type LocalCluster,
  startLocalCluster,
} from '../../test/support/clickhouse-servers.js';
import { EXIT } from '../cli/main.js';
import { knowledgeBase } from '../knowledge/index.js';
import { startConsole } from '../serve/server.js';
import { Host } from './clickhouse/connection.js';
import { openClickHouseStore } from './clickhouse/store.js';
import { parseClickHouseAddress } from './clickhouse/url.js';
import { netfilterLine, tiedAddressesLog } from './contract.js';
import { openDuckDbStore } from './duckdb.js';
import { ingestIntoStore } from './ingest.js';
import { StoreError } from './types.js';

const kb = knowledgeBase();
const binary = clickhouseServerBinary();
let server: LocalCluster | undefined;
let databases = 0;

function freshAddress(): string {
  return `clickhouse://127.0.0.1:${server!.servers[0]!.httpPort}/fwg_${process.pid}_${++databases}`;
}

const open = (address: string, readOnly = false) =>
  openClickHouseStore(parseClickHouseAddress(address)!, { readOnly });

/** fwlens in a process of its own: exit code, stdout and stderr. */
const cli = runCliProcess;

/** A console on each store (a DuckDB file, a ClickHouse address), on loopback at a free port. */
function consolesOf(storePaths: string[]) {
  return Promise.all(
    storePaths.map((storePath) =>
      startConsole({ storePath, host: '127.0.0.1', port: 0, lang: 'en', warm: false }),
    ),
  );
}

describe.skipIf(!binary)('ClickHouse store guards (one local server)', () => {
  beforeAll(async () => {
    server = await startLocalCluster(1);
  }, 90_000);
  afterAll(async () => {
    await server?.close();
  }, 30_000);

  it('a new file another run committed meanwhile: this run counts nothing and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-new-race-'));
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${Array.from({ length: 50 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
    const address = freshAddress();
    const a = await open(address);
    const b = await open(address);
    try {
      // b looked at the store before a's run committed: the file was new for both.
      expect(await b.ownInputs()).toEqual([]);
      expect((await ingestIntoStore(a, [log], { kb, detect: false }))[0]).toMatchObject({
        kind: 'new',
        events: 50,
      });
      const [input] = await a.inputs();
      const w = await b.begin();
      const e = await w.commit({ ...input!, id: await b.nextInputId(), events: 0 }).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).kind).toBe('locked');
      expect((e as StoreError).message).toMatch(
        /^another fwlens run wrote .*kern\.log into the ClickHouse store/,
      );
      expect((await a.inputs()).length).toBe(1);
      expect(await a.eventCount()).toBe(50);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two fwlens ingest of the same new file at once: it is stored once, a losing run exits 1 and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-new-race-cli-'));
    const address = freshAddress();
    const db = address.split('/').at(-1)!;
    // The store exists before the races (two runs creating it at once is another matter).
    await (await open(address)).close();
    const files = [1, 2, 3].map((f) => {
      const path = join(dir, `r${f}.log`);
      writeFileSync(
        path,
        `${Array.from({ length: 2000 }, (_, i) => netfilterLine(i + f, { day: `2026-0${f}-0${1 + (i % 5)}` })).join('\n')}\n`,
      );
      return path;
    });
    const host = new Host({ url: server!.servers[0]!.url, readOnly: true }, 'test');
    try {
      for (const path of files) {
        const runs = await Promise.all(
          [0, 1].map(() => cli(['ingest', '--no-detect', '--store', address, path])),
        );
        // A run that started after the other committed finds nothing new; one that raced it stored it or lost.
        const won = runs.filter((r) => r.code === EXIT.ok && r.err.includes('2,000 events')).length;
        for (const r of runs)
          if (r.code === EXIT.ok) expect(r.err).toMatch(/2,000 events|nothing new since the last run/);
          else {
            expect(r.code).toBe(EXIT.inputError);
            expect(r.err).toContain('at the same time; this run did not count its part');
          }
        const [rows] = await host.rows<{ n: string }>(
          `SELECT uniqExact(id) AS n FROM ${db}.inputs WHERE path = '${path}'`,
        );
        expect(Number(rows!.n)).toBe(won);
        expect(won).toBeLessThanOrEqual(1);
      }
      const store = await open(address, true);
      const inputs = await store.inputs();
      expect(await store.eventCount()).toBe(inputs.reduce((n, i) => n + i.events, 0));
      await store.close();
    } finally {
      await host.close();
    }
  }, 120_000);

  it('raw SQL: one SELECT or WITH query only (no KILL QUERY), no system tables, the store as default database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-sql-guard-'));
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${Array.from({ length: 20 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
    const address = freshAddress();
    const w = await open(address);
    await ingestIntoStore(w, [log], { kb });
    await w.close();
    const store = await open(address, true);
    try {
      const refused = async (sql: string) =>
        store.sql(sql).then(
          () => undefined,
          (x: unknown) => x as StoreError,
        );
      for (const sql of [
        'KILL QUERY WHERE 1',
        '  /* c */ kill query where user = currentUser() SYNC',
        'SHOW PROCESSLIST',
        'SYSTEM FLUSH LOGS',
        'EXISTS TABLE events',
      ]) {
        const e = await refused(sql);
        expect(e, sql).toBeInstanceOf(StoreError);
        expect(e!.kind, sql).toBe('usage');
        expect(e!.message, sql).toMatch(/^--sql runs queries only/);
      }
      for (const sql of ['SELECT 1; KILL QUERY WHERE 1', 'SELECT 1; SELECT 2', 'SELECT 1;;  SELECT 2;']) {
        const e = await refused(sql);
        expect(e, sql).toBeInstanceOf(StoreError);
        expect(e!.message, sql).toMatch(/^--sql takes one query at a time/);
      }
      expect((await store.sql('SELECT 1 AS one;')).rows).toEqual([[1]]);
      for (const sql of [
        'SELECT query FROM system.processes',
        'SELECT * FROM "system"."query_log"',
        'WITH 1 AS x SELECT count() FROM `SYSTEM` . processes',
        'SELECT 1 FROM events_v WHERE 1 IN (SELECT 1 FROM system.query_thread_log)',
      ]) {
        const e = await refused(sql);
        expect(e, sql).toBeInstanceOf(StoreError);
        expect(e!.message, sql).toMatch(/^--sql reads the store's own tables only/);
      }
      // Names without a database are the store's; a string naming a system table is only a string.
      expect((await store.sql('SELECT count(*) FROM events_v')).rows).toEqual([['20']]);
      expect((await store.sql('SELECT count() FROM inputs_v;')).rows).toEqual([['1']]);
      expect((await store.sql("SELECT 'system.processes' AS s")).rows).toEqual([['system.processes']]);
      expect((await store.sql('(SELECT 1 AS one)')).rows).toEqual([[1]]);
      const cli1 = await cli(['query', '--store', address, '--sql', 'KILL QUERY WHERE 1']);
      expect(cli1.code).toBe(EXIT.usage);
      expect(cli1.err).toMatch(/^fwlens: --sql runs queries only/);
      const cli2 = await cli(['query', '--store', address, '--sql', 'SELECT count(*) FROM events']);
      expect(cli2.code).toBe(EXIT.ok);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('ingest of a file that is not a firewall log: the sentence analyze says, exit 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-junk-'));
    const junk = join(dir, 'junk.log');
    writeFileSync(junk, 'garbage\nmore garbage\n');
    const r = await cli(['ingest', '--no-detect', '--store', freshAddress(), junk]);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toContain(
      `fwlens: ${junk} does not look like a firewall log fwlens knows (none of its 2 lines matched a format; see \`fwlens formats\`)\n`,
    );
  }, 60_000);

  it('ties at the limit: count, then the key, the same rows on DuckDB and ClickHouse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-ties-'));
    const log = join(dir, 'kern.log');
    // Rules first seen in an order that is not theirs by name, three of them tied.
    const rules: [string, number][] = [
      ['ZETA', 3],
      ['MID', 3],
      ['BETA', 5],
      ['ALPHA', 3],
      ['OMEGA', 1],
    ];
    let n = 0;
    const lines = rules.flatMap(([prefix, count]) =>
      Array.from({ length: count }, () => netfilterLine(n++, { prefix, port: 1000 - n })),
    );
    writeFileSync(log, `${lines.join('\n')}\n`);
    const address = freshAddress();
    const expected = [
      { key: 'BETA', count: 5 },
      { key: 'ALPHA', count: 3 },
    ];
    const duck = await openDuckDbStore(join(dir, 'fw.duckdb'));
    const ch = await open(address);
    try {
      for (const store of [duck, ch]) await ingestIntoStore(store, [log], { kb, detect: false });
      expect(await duck.top('rule', 2, undefined)).toEqual(expected);
      expect(await ch.top('rule', 2, undefined)).toEqual(expected);
      for (const limit of [1, 3, 4, 8]) {
        expect(await duck.top('rule', limit, undefined), `rule ${limit}`).toEqual(
          await ch.top('rule', limit, undefined),
        );
        expect(await duck.top('port', limit, undefined), `port ${limit}`).toEqual(
          await ch.top('port', limit, undefined),
        );
      }
    } finally {
      await duck.close();
      await ch.close();
    }
    // The console's top lists the same way, on both.
    const consoles = await consolesOf([join(dir, 'fw.duckdb'), address]);
    try {
      const top = async (url: string, query: string) =>
        (await fetch(new URL(`/api/top?${query}`, url))).json();
      const [d, c] = consoles.map((x) => x.url) as [string, string];
      expect(await top(d, 'by=rule&limit=2')).toMatchObject(expected);
      for (const limit of [1, 3, 4]) {
        expect(await top(d, `by=rule&limit=${limit}`)).toEqual(await top(c, `by=rule&limit=${limit}`));
        expect(await top(d, `by=port&limit=${limit}`)).toEqual(await top(c, `by=port&limit=${limit}`));
      }
    } finally {
      await Promise.all(consoles.map((x) => x.close()));
    }
  }, 60_000);

  it('ties of addresses: IPv4 by number, then IPv6 by value, the same rows on DuckDB and ClickHouse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-address-ties-'));
    const log = join(dir, 'kern.log');
    const { lines, ranked, targets } = tiedAddressesLog();
    writeFileSync(log, `${lines.join('\n')}\n`);
    const address = freshAddress();
    const duck = await openDuckDbStore(join(dir, 'fw.duckdb'));
    const ch = await open(address);
    const shown = (rows: { key: string; count: number }[]) => rows.map((r) => `${r.key} ${r.count}`);
    try {
      for (const store of [duck, ch]) await ingestIntoStore(store, [log], { kb, detect: false });
      for (const store of [duck, ch]) {
        for (const limit of [5, 6, 8])
          expect(shown(await store.top('src', limit))).toEqual(ranked.slice(0, limit));
        expect(shown((await store.queryPort(22, undefined, { limit: 5 })).sources)).toEqual(
          ranked.slice(0, 5),
        );
        expect(shown((await store.querySource('2001:db8::99', undefined, { limit: 3 })).targets)).toEqual(
          targets,
        );
      }
    } finally {
      await duck.close();
      await ch.close();
    }
    const consoles = await consolesOf([join(dir, 'fw.duckdb'), address]);
    try {
      for (const { url } of consoles)
        for (const query of ['by=src&limit=6', 'by=src&limit=6&f=port:22']) {
          const rows = (await (await fetch(new URL(`/api/top?${query}`, url))).json()) as {
            key: string;
            count: number;
          }[];
          expect(shown(rows), `${url} ${query}`).toEqual(ranked.slice(0, 6));
        }
    } finally {
      await Promise.all(consoles.map((x) => x.close()));
    }
  }, 60_000);

  it('an unreachable server for a read: its own sentence (nothing of unfinished parts); the console answers 503', async () => {
    const closed = await freePort();
    const r = await cli(['query', '--store', `clickhouse://127.0.0.1:${closed}/x`, 'top']);
    expect(r.code).toBe(EXIT.inputError);
    expect(r.err).toBe(
      `fwlens: cannot reach the ClickHouse store clickhouse://127.0.0.1:${closed}/x (ECONNREFUSED); nothing was read, try again when it answers\n`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-console-down-'));
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${netfilterLine(1)}\n`);
    const address = freshAddress();
    const w = await open(address);
    await ingestIntoStore(w, [log], { kb, detect: false });
    await w.close();
    const app = await startConsole({
      storePath: address,
      host: '127.0.0.1',
      port: 0,
      lang: 'en',
      warm: false,
    });
    try {
      await server!.stop(0);
      const res = await fetch(new URL('/api/timeline?from=5&to=77', app.url));
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: string };
      expect(body.error).toContain('cannot reach the ClickHouse store');
      expect(body.error).not.toContain('unfinished part');
    } finally {
      await app.close();
      await server!.restart(0);
    }
  }, 120_000);
});
