// The ClickHouse store against real local clickhouse-server processes: two shards behind Distributed tables.
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runCli } from '../../test/helpers.js';
import {
  clickhouseServerBinary,
  freePort,
  type LocalCluster,
  startLocalCluster,
} from '../../test/support/clickhouse-servers.js';
import { EXIT } from '../cli/main.js';
import { knowledgeBase } from '../knowledge/index.js';
import { intToIpv4 } from '../net/ip.js';
import { startConsole } from '../serve/server.js';
import { Host } from './clickhouse/connection.js';
import { EVENT_INSERT_COLUMNS } from './clickhouse/rows.js';
import { intLiteral, stringLiteral } from './clickhouse/sql.js';
import { type ClickHouseStore, openClickHouseStore } from './clickhouse/store.js';
import { parseClickHouseAddress } from './clickhouse/url.js';
import { netfilterLine, storeContract } from './contract.js';
import { openDuckDbStore } from './duckdb.js';
import { ingestIntoStore } from './ingest.js';
import { TRAFFIC_COUNT_COLUMNS } from './rare-fields.js';
import { SCHEMA_VERSION, type Store, StoreError } from './types.js';

const kb = knowledgeBase();
const binary = clickhouseServerBinary();
if (!binary) {
  if (process.env.CI)
    throw new Error('clickhouse-server is not installed (.ci/run installs it); CI cannot skip these tests');
  console.warn(
    'SKIPPED: the ClickHouse store tests need clickhouse-server (apt-get install clickhouse-server)',
  );
}

let cluster: LocalCluster | undefined;
let databases = 0;

/** The address of a fresh database on the two-shard cluster (or on the first server alone). */
function freshAddress(opts: { single?: boolean; origin?: string; db?: string } = {}): string {
  const c = cluster!;
  const db = opts.db ?? `fw_${process.pid}_${++databases}`;
  const hosts = (opts.single ? c.servers.slice(0, 1) : c.servers).map((s) => `127.0.0.1:${s.httpPort}`);
  const query = [
    ...(opts.single ? [] : [`cluster=${c.cluster}`]),
    ...(opts.origin ? [`origin=${opts.origin}`] : []),
  ];
  return `clickhouse://${hosts.join(',')}/${db}${query.length ? `?${query.join('&')}` : ''}`;
}

async function open(
  address: string,
  opts: { readOnly?: boolean; insertRows?: number; problemFilesPerStatement?: number } = {},
) {
  return openClickHouseStore(parseClickHouseAddress(address)!, opts);
}

describe.skipIf(!binary)('ClickHouse store (two local servers, one Distributed cluster)', () => {
  beforeAll(async () => {
    cluster = await startLocalCluster(2);
  }, 90_000);
  afterAll(async () => {
    await cluster?.close();
  }, 30_000);

  storeContract('clickhouse, two shards', () => open(freshAddress()));

  it('retention deletes the old unparsed lines of many inputs in pieces, each input up to its last dropped line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-unparsed-'));
    const store = await open(freshAddress(), { problemFilesPerStatement: 2 });
    try {
      // Five inputs, each: a damaged line, a January event, a damaged line, a June event, a damaged line.
      const files = Array.from({ length: 5 }, (_, f) => {
        const path = join(dir, `fw${f}.log`);
        writeFileSync(
          path,
          `${[`garbage ${f} a`, netfilterLine(f, { day: '2026-01-01' }), `garbage ${f} b`, netfilterLine(10 + f, { day: '2026-06-01' }), `garbage ${f} c`].join('\n')}\n`,
        );
        return path;
      });
      await ingestIntoStore(store, files, { kb: knowledgeBase() });
      expect((await store.problems(100)).length).toBe(15);
      // Three statements of at most two inputs: the first damaged line of each input goes, the others stay.
      expect(await store.prune(Date.parse('2026-03-01'))).toMatchObject({ events: 5, unparsed: 5 });
      const left = await store.problems(100);
      expect(left.map((p) => p.line).sort()).toEqual([3, 3, 3, 3, 3, 5, 5, 5, 5, 5]);
    } finally {
      await store.close();
    }
  });

  it('hostile values survive the literal escaping byte for byte', async () => {
    const host = new Host({ url: cluster!.servers[0]!.url, readOnly: true }, 'test');
    const hostile = [
      "it's",
      "'; DROP TABLE events; --",
      'back\\slash\\',
      "\\'); DELETE FROM inputs; --",
      'nul\u0000byte',
      'line\nbreak\r\ttab',
      'esc\u001b[2Jbell\u0007del\u007f',
      '中文 ∑ 😀',
      '{p:String} ?',
      'x'.repeat(100_000),
    ];
    try {
      for (const value of hostile) {
        const [row] = await host.rows<{ v: string; n: string }>(
          `SELECT ${stringLiteral(value)} AS v, length(${stringLiteral(value)}) AS n`,
        );
        expect(row!.v).toBe(value);
        expect(Number(row!.n)).toBe(Buffer.byteLength(value));
      }
      // A lone surrogate is no text: it goes in as U+FFFD, never as a broken literal.
      const [lone] = await host.rows<{ v: string }>(`SELECT ${stringLiteral('a\ud800b')} AS v`);
      expect(lone!.v).toBe('a\ufffdb');
      expect(() => intLiteral(Number.NaN)).toThrow(RangeError);
      expect(() => intLiteral(1.5)).toThrow(RangeError);
    } finally {
      await host.close();
    }
  });

  it('two firewalls into two shards: the answers across both equal the DuckDB store on the same files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-two-'));
    const logA = join(dir, 'fw-a.log');
    const logB = join(dir, 'fw-b.log');
    const lines = (host: string, offset: number) =>
      Array.from({ length: 400 }, (_, i) =>
        netfilterLine(i + offset, {
          day: i % 3 === 0 ? '2026-11-20' : '2026-11-21',
          src: i % 7 === 0 ? '203.0.113.7' : `198.51.100.${(i * 13 + offset) % 200}`,
          port: [22, 23, 3389, 445, 8080][i % 5]!,
          prefix: i % 2 ? 'BLOCK' : 'DROP',
        }).replace(' fw kernel:', ` ${host} kernel:`),
      ).join('\n');
    writeFileSync(logA, `${lines('fw-a', 0)}\n`);
    // fw-b also sees a vertical scan (40 ports from one source): a finding on the second firewall.
    const scan = Array.from({ length: 40 }, (_, i) =>
      netfilterLine(i, { src: '203.0.113.66', port: 1000 + i * 7 }),
    );
    writeFileSync(
      logB,
      // and one packet dated before 1970 from the busiest source: its day is 1969-12-31 in both backends.
      `${lines('fw-b', 57)}\n${netfilterLine(3, { src: '2001:db8::7', port: 443 })}\n${scan.join('\n')}\n${netfilterLine(5, { src: '203.0.113.7', day: '1969-12-31' })}\n`,
    );
    const address = freshAddress({ origin: 'fw-a' });
    const a = await open(address);
    const b = await open(address.replace('origin=fw-a', 'origin=fw-b'));
    try {
      await ingestIntoStore(a, [logA], { kb });
      await ingestIntoStore(b, [logB], { kb });
    } finally {
      await a.close();
      await b.close();
    }
    // Both shards hold part of the events (sharded by source address).
    const db = address.split('/').at(-1)!.split('?')[0]!;
    const perShard: number[] = [];
    for (const s of cluster!.servers) {
      const host = new Host({ url: s.url, readOnly: true }, 'test');
      perShard.push(
        Number((await host.rows<{ n: string }>(`SELECT count() AS n FROM ${db}.events_local`))[0]!.n),
      );
      await host.close();
    }
    expect(perShard.every((n) => n > 50)).toBe(true);
    expect(perShard[0]! + perShard[1]!).toBe(842);

    const duckDir = mkdtempSync(join(tmpdir(), 'fwlens-ch-duck-'));
    const duck = await openDuckDbStore(join(duckDir, 'fwlens.duckdb'));
    await ingestIntoStore(duck, [logA, logB], { kb });
    await duck.close();
    const duckRead = await openDuckDbStore(join(duckDir, 'fwlens.duckdb'), { readOnly: true });
    const ch = await open(address, { readOnly: true });
    try {
      const since = Date.parse('2026-11-21T00:00:00Z');
      const answers = async (s: Store) => ({
        count: await s.eventCount(),
        ip: await s.querySource('203.0.113.7'),
        net: await s.querySource('198.51.100.0/24'),
        v6: await s.querySource('2001:db8::7'),
        port: await s.queryPort(3389),
        topSrc: await s.top('src', 1000),
        topSrcSince: await s.top('src', 1000, { since }),
        topPort: await s.top('port', 100),
        topRule: await s.top('rule', 100),
        newSources: await s.newSources(since, 1000),
        findings: (await s.findings()).map((f) => `${f.detector} ${f.sources.join(',')}`).sort(),
        inputs: (await s.inputs()).map((i) => [i.path, i.lines, i.events, i.offset]),
      });
      const want = await answers(duckRead);
      const got = await answers(ch);
      expect(want.count).toBe(842);
      expect(want.findings.length).toBeGreaterThan(0);
      expect(want.ip.perDay[0]).toEqual({ key: '1969-12-31', count: 1 });
      // Rankings: the same rows; order within equal counts is each backend's own.
      const byCount = (rows: { key: string; count: number }[]) =>
        [...rows].sort((x, y) => y.count - x.count || (x.key < y.key ? -1 : 1));
      for (const k of ['topSrc', 'topSrcSince', 'topPort', 'topRule'] as const)
        expect(byCount(got[k])).toEqual(byCount(want[k]));
      expect(byCount(got.newSources)).toEqual(byCount(want.newSources));
      expect(got.newSources.map((r) => r.firstSeen).sort()).toEqual(
        want.newSources.map((r) => r.firstSeen).sort(),
      );
      for (const k of ['ip', 'net', 'v6', 'port'] as const) {
        const g = got[k] as unknown as Record<string, unknown>;
        const w = want[k] as unknown as Record<string, unknown>;
        for (const field of Object.keys(w)) {
          const gv = g[field];
          const wv = w[field];
          if (Array.isArray(wv) && field !== 'findings' && field !== 'perDay')
            expect(byCount(gv as never), `${k}.${field}`).toEqual(byCount(wv as never));
          else expect(gv, `${k}.${field}`).toEqual(wv);
        }
      }
      expect(got.count).toBe(want.count);
      expect(got.findings).toEqual(want.findings);
      expect(got.inputs).toEqual(want.inputs);
      // Every event back, in input order, equal to the DuckDB store's.
      const evs = async (s: Store) => {
        const out = [];
        for await (const ev of s.events()) out.push(ev);
        return out;
      };
      expect(await evs(ch)).toEqual(await evs(duckRead));
    } finally {
      await ch.close();
      await duckRead.close();
    }
  });

  it('per-day source summaries: top sources and new sources equal the plain GROUP BY over events', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-days-'));
    const log = join(dir, 'kern.log');
    const day = (i: number) => ['2026-11-19', '2026-11-20', '2026-11-21'][i % 3]!;
    const src = (i: number) =>
      i % 5 === 0 ? '203.0.113.7' : i % 11 === 0 ? '2001:db8::7' : `198.51.100.${(i * 7) % 90}`;
    const part = (from: number, n: number) =>
      Array.from({ length: n }, (_, k) =>
        netfilterLine(from + k, { day: day(from + k), src: src(from + k) }),
      );
    // Lines without a time (no syslog stamp): counted over everything, left out of any range.
    const untimed = (i: number) =>
      `kernel: [BLOCK] IN=eth0 OUT= SRC=203.0.113.${200 + (i % 3)} DST=192.0.2.10 LEN=40 TTL=50 ID=${i} PROTO=TCP SPT=4000 DPT=23 WINDOW=1024 SYN URGP=0`;
    writeFileSync(log, `${[...part(0, 300), untimed(1), untimed(2)].join('\n')}\n`);
    const address = freshAddress();
    const db = address.split('/').at(-1)!.split('?')[0]!;
    const writer = await open(address);
    try {
      await ingestIntoStore(writer, [log], { kb, detect: false });
      // A second run (another write, another generation): the same sources again, on the same days.
      appendFileSync(log, `${[...part(300, 200), untimed(3)].join('\n')}\n`);
      await ingestIntoStore(writer, [log], { kb, detect: false });
    } finally {
      await writer.close();
    }
    // A write that never commits (another run committed the same input meanwhile): its summaries stay unseen.
    const late = await open(address);
    try {
      const w = await late.begin();
      const { appendEvent, Dictionary, EventBatch } = await import('../core/batch.js');
      const { ingest } = await import('../ingest/pipeline.js');
      const batch = new EventBatch(new Dictionary(), 600);
      await ingest([{ path: log }], { onEvent: (ev) => appendEvent(batch, ev, 0, ev.line ?? 0) });
      await w.appendEvents(batch, 1);
      const [input] = await late.inputs();
      await expect(w.commit({ ...input!, events: input!.events + 1 })).rejects.toBeInstanceOf(StoreError);
    } finally {
      await late.close();
    }

    const mid = Date.parse('2026-11-20T00:00:00Z');
    const end = Date.parse('2026-11-21T00:00:00Z');
    const ch = (await open(address, { readOnly: true })) as ClickHouseStore;
    try {
      const plainTop = async (where: string) =>
        (
          await ch.readRows<{ kind: number; v4: number; txt: string | null; c: string }>(
            `SELECT src_kind AS kind, src_v4 AS v4, src_v6_hi AS hi, src_v6_lo AS lo, any(src_text) AS txt,
              count() AS c FROM ${db}.events WHERE src_kind != 0 AND ${where} AND ${ch.committedRows}
              GROUP BY kind, v4, hi, lo ORDER BY c DESC, kind, v4, hi, lo LIMIT 1000`,
          )
        ).map((r) => ({
          key: Number(r.kind) === 4 ? intToIpv4(Number(r.v4)) : r.txt!,
          count: Number(r.c),
        }));
      const counts = await ch.readRows<{ n: string; untimed: string; raw: string }>(
        `SELECT count() AS n, countIf(ts IS NULL) AS untimed, (SELECT count() FROM ${db}.events) AS raw
          FROM ${db}.events WHERE ${ch.committedRows}`,
      );
      expect(Number(counts[0]!.n)).toBe(503);
      expect(Number(counts[0]!.untimed)).toBe(3);
      expect(Number(counts[0]!.raw)).toBeGreaterThan(503); // the unfinished write's rows are there, unseen
      const all = await ch.top('src', 1000);
      expect(all).toEqual(await plainTop('1'));
      expect(all.reduce((n, r) => n + r.count, 0)).toBe(503);
      expect(all[0]).toEqual({ key: '203.0.113.7', count: 100 });
      expect(await ch.top('src', 1000, { since: mid })).toEqual(await plainTop(`ts >= ${mid}`));
      expect(await ch.top('src', 1000, { until: end })).toEqual(await plainTop(`ts < ${end}`));
      expect(await ch.top('src', 5, { since: mid, until: end })).toEqual(
        (await plainTop(`ts >= ${mid} AND ts < ${end}`)).slice(0, 5),
      );
      // Short lists sum only the sources that can reach them (a bar from the busiest rows): each is the head
      // of the plain ranking, whatever the range.
      // Ranges with partial days at their edges add each edge's events grouped per source as one more row.
      const h6 = 6 * 3_600_000;
      for (const [window, where] of [
        [undefined, '1'],
        [{ since: mid }, `ts >= ${mid}`],
        [{ until: end }, `ts < ${end}`],
        [{ since: mid, until: end }, `ts >= ${mid} AND ts < ${end}`],
        [{ since: mid - h6 }, `ts >= ${mid - h6}`],
        [{ until: end + h6 }, `ts < ${end + h6}`],
        [{ since: mid - h6, until: end + h6 }, `ts >= ${mid - h6} AND ts < ${end + h6}`],
      ] as const) {
        const plain = await plainTop(where);
        for (const limit of [1, 2, 3, 5, 10])
          expect(await ch.top('src', limit, window), `${where}, limit ${limit}`).toEqual(
            plain.slice(0, limit),
          );
      }
      // Not a whole day: the events themselves, the same answer as before.
      expect(await ch.top('src', 1000, { since: mid + 1 })).toEqual(await plainTop(`ts >= ${mid + 1}`));
      const plainNew = await ch.readRows<{
        kind: number;
        v4: number;
        txt: string | null;
        f: string;
        c: string;
      }>(
        `SELECT src_kind AS kind, src_v4 AS v4, src_v6_hi AS hi, src_v6_lo AS lo, any(src_text) AS txt,
          min(ts) AS f, count() AS c FROM ${db}.events WHERE src_kind != 0 AND ts IS NOT NULL AND ${ch.committedRows}
          GROUP BY kind, v4, hi, lo HAVING f >= ${end} ORDER BY c DESC, f, kind, v4, hi, lo LIMIT 1000`,
      );
      const fresh = await ch.newSources(end, 1000);
      expect(fresh.map((r) => [r.count, r.firstSeen])).toEqual(
        plainNew.map((r) => [Number(r.c), Number(r.f)]),
      );
      expect(fresh.length).toBeGreaterThan(0);
    } finally {
      await ch.close();
    }

    // A version 3 store (no summaries) is migrated by the next writer: the summaries are made from its events.
    const hosts = cluster!.servers.map((s) => new Host({ url: s.url, readOnly: false }, 'test'));
    let want: unknown;
    try {
      const reader = await open(address, { readOnly: true });
      want = await reader.top('src', 1000);
      await reader.close();
      for (const h of hosts) {
        await h.command(`DROP TABLE ${db}.source_days`);
        await h.command(`DROP TABLE ${db}.source_days_local`);
        // Nor the traffic count columns of schema 8.
        for (const table of ['events', 'events_local'])
          for (const column of TRAFFIC_COUNT_COLUMNS)
            await h.command(`ALTER TABLE ${db}.${table} DROP COLUMN ${column}`);
        await h.command(`TRUNCATE TABLE ${db}.schema_version`);
        await h.command(`INSERT INTO ${db}.schema_version (version) VALUES (3)`);
      }
    } finally {
      for (const h of hosts) await h.close();
    }
    await expect(open(address, { readOnly: true })).rejects.toMatchObject({ kind: 'older-schema' });
    await (await open(address)).close();
    const migrated = await open(address, { readOnly: true });
    try {
      expect(await migrated.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await migrated.top('src', 1000)).toEqual(want);
    } finally {
      await migrated.close();
    }

    // Retention drops the summaries' days with the events' days.
    const pruner = await open(address);
    try {
      await pruner.prune(mid);
      const after = (await open(address, { readOnly: true })) as ClickHouseStore;
      try {
        const top = await after.top('src', 1000);
        expect(top.reduce((n, r) => n + r.count, 0)).toBe(await after.eventCount());
        const old = await after.readRows<{ n: string }>(
          `SELECT count() AS n FROM ${db}.source_days WHERE day < '2026-11-20' AND day > '1970-01-01'`,
        );
        expect(Number(old[0]!.n)).toBe(0);
      } finally {
        await after.close();
      }
    } finally {
      await pruner.close();
    }
  });

  it('inode numbers repeat across machines: another origin never continues or replaces this one’s input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-origin-'));
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${[0, 1, 2].map((i) => netfilterLine(i)).join('\n')}\n`);
    const address = freshAddress({ origin: 'fw-a' });
    const a = await open(address);
    try {
      expect((await ingestIntoStore(a, [log], { kb }))[0]).toMatchObject({ kind: 'new', events: 3 });
    } finally {
      await a.close();
    }
    // The same inode with other content, now on "another machine".
    writeFileSync(log, `${[5, 6].map((i) => netfilterLine(i, { src: '192.0.2.99' })).join('\n')}\n`);
    const b = await open(address.replace('origin=fw-a', 'origin=fw-b'));
    try {
      expect((await ingestIntoStore(b, [log], { kb }))[0]).toMatchObject({
        kind: 'new',
        events: 2,
        inputId: 2,
      });
      expect(await b.eventCount()).toBe(5);
    } finally {
      await b.close();
    }
  });

  it('two writers claiming input ids at the same time never get the same one', async () => {
    const address = freshAddress();
    const a = await open(address.replace('cluster=', 'origin=a&cluster='));
    const b = await open(address.replace('cluster=', 'origin=b&cluster='));
    try {
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).nextInputId()));
      expect(new Set(claims).size).toBe(claims.length);
      // Claims that met each other were all given up (gaps are allowed); alone, a writer takes the next id.
      expect(Math.min(...claims)).toBeGreaterThanOrEqual(1);
      expect(await a.nextInputId()).toBeGreaterThan(Math.max(...claims));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two runs ingesting the same file at once: one commits, the other counts nothing and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-twice-'));
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${Array.from({ length: 500 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
    const address = freshAddress();
    const a = await open(address);
    const b = await open(address);
    try {
      const [first] = await ingestIntoStore(a, [log], { kb, detect: false });
      // The second run started from the same state as the first (it saw no input yet): replay that by
      // committing, as the second run, the same part under the same input id.
      const w = await b.begin();
      const again = await open(address, { readOnly: true });
      const events: import('../event.js').FwEvent[] = [];
      for await (const ev of again.events()) events.push(ev);
      await again.close();
      const { appendEvent, Dictionary, EventBatch } = await import('../core/batch.js');
      const batch = new EventBatch(new Dictionary(), events.length + 1);
      for (const ev of events) appendEvent(batch, ev, 0, ev.line!);
      await w.appendEvents(batch, first!.inputId!);
      const [input] = await a.inputs();
      const e = await w.commit(input!).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(StoreError);
      expect((e as StoreError).kind).toBe('locked');
      expect((e as StoreError).message).toMatch(
        /^another fwlens run wrote .*kern\.log into the ClickHouse store/,
      );
      expect(await a.eventCount()).toBe(500);
      expect((await ingestIntoStore(a, [log], { kb }))[0]).toMatchObject({ kind: 'unchanged' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('a server stopped mid-ingest: one sentence, nothing of the unfinished part counts, the next run resumes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-stop-'));
    const log = join(dir, 'kern.log');
    const n = 3000;
    writeFileSync(
      log,
      `${Array.from({ length: n }, (_, i) => netfilterLine(i, { src: `198.51.100.${i % 250}`, port: 1 + (i % 900) })).join('\n')}\n`,
    );
    const address = freshAddress();
    const db = address.split('/').at(-1)!.split('?')[0]!;
    const store = await open(address, { insertRows: 100 });
    // The real store and servers; the second shard is killed (SIGKILL) right after the 8th insert of events:
    // that insert reached both shards, the next one of the same part fails.
    let inserts = 0;
    let stopped = false;
    const insertLines = Host.prototype.insertLines;
    Host.prototype.insertLines = async function (
      this: Host,
      table: string,
      columns: readonly string[],
      chunks: Buffer[],
    ) {
      await insertLines.call(this, table, columns, chunks);
      if (table.endsWith('.events') && ++inserts === 8 && !stopped) {
        stopped = true;
        await cluster!.stop(1, true);
      }
    };
    // Parts of ~600 lines: six inserts each, so the 8th is the second of the second part.
    const partBytes =
      600 * (Buffer.byteLength(netfilterLine(1000, { src: '198.51.100.100', port: 500 })) + 1);
    let failure: unknown;
    try {
      await ingestIntoStore(store, [log], { kb, detect: false, partBytes });
    } catch (e) {
      failure = e;
    } finally {
      Host.prototype.insertLines = insertLines;
    }
    expect(stopped).toBe(true);
    expect(failure).toBeInstanceOf(StoreError);
    const sentence = (failure as StoreError).message;
    expect(sentence.split('\n').length).toBe(1);
    expect(sentence).toMatch(
      /^the ClickHouse store clickhouse:\/\/.* \(.+\); nothing of an unfinished part counts/,
    );
    // The shard is down: reading across the cluster fails with one sentence too.
    await expect(store.eventCount()).rejects.toBeInstanceOf(StoreError);
    await store.close();
    await cluster!.restart(1);
    const again = (await open(address)) as ClickHouseStore;
    try {
      const [input] = await again.inputs();
      expect(input!.lines).toBeGreaterThan(0);
      expect(input!.lines).toBeLessThan(n);
      // Exactly the committed parts count; the rows of the unfinished part are on disk but not counted.
      expect(await again.eventCount()).toBe(input!.events);
      const host = new Host({ url: cluster!.servers[0]!.url, readOnly: true }, 'test');
      const raw = Number(
        (await host.rows<{ n: string }>(`SELECT count() AS n FROM ${db}.events_local`))[0]!.n,
      );
      const host1 = new Host({ url: cluster!.servers[1]!.url, readOnly: true }, 'test');
      const raw1 = Number(
        (await host1.rows<{ n: string }>(`SELECT count() AS n FROM ${db}.events_local`))[0]!.n,
      );
      await host.close();
      await host1.close();
      expect(raw + raw1).toBeGreaterThan(input!.events);
      const [o] = await ingestIntoStore(again, [log], { kb, detect: false, partBytes });
      expect(o).toMatchObject({ kind: 'appended', lines: n - input!.lines });
      expect(await again.eventCount()).toBe(n);
      const lines: number[] = [];
      for await (const ev of again.events()) lines.push(ev.line!);
      expect(lines).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    } finally {
      await again.close();
    }
  });

  it('raw SQL cannot write, change settings or reach files and the network', async () => {
    const address = freshAddress({ single: true });
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-sql-'));
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${Array.from({ length: 20 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
    const w = await open(address);
    await ingestIntoStore(w, [log], { kb });
    await w.close();
    const db = address.split('/').at(-1)!;
    const store = await open(address, { readOnly: true });
    const port = cluster!.servers[0]!.httpPort;
    try {
      for (const sql of [
        `INSERT INTO ${db}.events_local (gen) VALUES (1)`,
        `INSERT INTO ${db}.inputs (gen, id) VALUES (1, 99)`,
        `ALTER TABLE ${db}.events DELETE WHERE 1`,
        `ALTER TABLE ${db}.events DROP PARTITION '2026-11-21'`,
        `DROP TABLE ${db}.events`,
        `TRUNCATE TABLE ${db}.events`,
        `CREATE TABLE ${db}.t (a UInt8) ENGINE = Memory`,
        'SET readonly = 0',
        `SELECT count() FROM ${db}.events SETTINGS readonly = 0`,
        `SELECT * FROM file('/etc/passwd', 'TSV', 'a String')`,
        `SELECT * FROM url('http://127.0.0.1:${port}/?query=SELECT%201', 'TSV', 'a String')`,
        `SELECT * FROM remote('127.0.0.1:${cluster!.servers[0]!.tcpPort}', system.one)`,
        `SELECT 1; DROP TABLE ${db}.events`,
        `OPTIMIZE TABLE ${db}.events`,
      ]) {
        const e = await store.sql(sql).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e, sql).toBeInstanceOf(StoreError);
        expect((e as StoreError).kind, sql).toBe('usage');
        expect((e as StoreError).message.split('\n').length).toBe(1);
      }
      expect(await store.eventCount()).toBe(20);
      const r = await store.sql(
        `SELECT src_ip, count() AS n FROM ${db}.events_v GROUP BY src_ip ORDER BY n DESC, src_ip LIMIT 2`,
      );
      expect(r.columns).toEqual(['src_ip', 'n']);
      expect(r.rows.length).toBe(2);
    } finally {
      await store.close();
    }
  });

  it('alarm names: their own column, ranked by top --by alarm, and a version 2 store migrates', async () => {
    const srx = join(ROOT, 'test', 'fixtures', 'juniper-srx', 'srx-catalog.log');
    const address = freshAddress();
    const fresh = await open(address);
    const alarmsOf = async (st: Store) => {
      const out: string[] = [];
      for await (const ev of st.events({})) if (ev.alarmName !== undefined) out.push(ev.alarmName);
      return out.sort();
    };
    let want: Awaited<ReturnType<Store['top']>>;
    let wantAlarms: string[];
    try {
      await ingestIntoStore(fresh, [srx], { kb, detect: false });
      want = await fresh.top('alarm', 100);
      wantAlarms = await alarmsOf(fresh);
    } finally {
      await fresh.close();
    }
    expect(want.map((r) => r.key)).toContain('SYN flood!');
    expect(wantAlarms.length).toBe(want.reduce((n, r) => n + r.count, 0));
    // The same in the DuckDB store.
    const duckDir = mkdtempSync(join(tmpdir(), 'fwlens-ch-alarm-'));
    const duck = await openDuckDbStore(join(duckDir, 'a.duckdb'));
    try {
      await ingestIntoStore(duck, [srx], { kb, detect: false });
      const byKey = (rows: typeof want) =>
        [...rows].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
      expect(byKey(await duck.top('alarm', 100))).toEqual(byKey(want));
    } finally {
      await duck.close();
    }

    // A version 2 store on one server: no alarm column, the names in `extra`, copied from the store above.
    const from = address.split('/').at(-1)!.split('?')[0]!;
    const old = freshAddress({ single: true });
    const db = old.split('/').at(-1)!;
    await (await open(old)).close();
    const host = new Host({ url: cluster!.servers[0]!.url, readOnly: false }, 'test');
    try {
      await host.command(`ALTER TABLE ${db}.events DROP COLUMN alarm`);
      for (const column of TRAFFIC_COUNT_COLUMNS)
        await host.command(`ALTER TABLE ${db}.events DROP COLUMN ${column}`);
      await host.command(`TRUNCATE TABLE ${db}.schema_version`);
      await host.command(`INSERT INTO ${db}.schema_version (version) VALUES (2)`);
      const counts: readonly string[] = TRAFFIC_COUNT_COLUMNS;
      const columns = EVENT_INSERT_COLUMNS.filter((c) => c !== 'alarm' && !counts.includes(c));
      const select = columns.map((c) =>
        c === 'extra' ? `if(alarm IS NULL, extra, concat('{"alarmName":"', alarm, '"}')) AS extra` : c,
      );
      await host.command(
        `INSERT INTO ${db}.events (${columns.join(', ')}) SELECT ${select.join(', ')} FROM ${from}.events`,
      );
      await host.command(`INSERT INTO ${db}.inputs SELECT * FROM ${from}.inputs`);
    } finally {
      await host.close();
    }
    const migrated = await open(old);
    try {
      expect(await migrated.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await migrated.top('alarm', 100)).toEqual(want);
      expect(await alarmsOf(migrated)).toEqual(wantAlarms);
    } finally {
      await migrated.close();
    }
    // The readable view shows the name, an older row's from `extra`.
    const reader = await open(old, { readOnly: true });
    try {
      const view = await reader.sql(`SELECT count() AS n FROM ${db}.events_v WHERE alarm = 'SYN flood!'`);
      expect(Number(view.rows[0]![0])).toBe(want.find((r) => r.key === 'SYN flood!')!.count);
    } finally {
      await reader.close();
    }
  });

  it('a store from a newer fwlens, a foreign database, a bad address, a missing store: one sentence each', async () => {
    const address = freshAddress({ single: true });
    const db = address.split('/').at(-1)!;
    const host = new Host({ url: cluster!.servers[0]!.url, readOnly: false }, 'test');
    try {
      const missing = await open(address, { readOnly: true }).catch((e: unknown) => e);
      expect((missing as StoreError).kind).toBe('missing');
      await (await open(address)).close();
      await host.command(`INSERT INTO ${db}.schema_version (version) VALUES (99)`);
      for (const readOnly of [false, true]) {
        const e = (await open(address, { readOnly }).catch((x: unknown) => x)) as StoreError;
        expect(e.kind).toBe('newer-schema');
        expect(e.message).toContain(`schema version 99, newer than this fwlens reads (${SCHEMA_VERSION})`);
      }
      await host.command(`CREATE DATABASE foreign_${process.pid}`);
      await host.command(`CREATE TABLE foreign_${process.pid}.t (a UInt8) ENGINE = Memory`);
      const foreign = (await open(address.replace(db, `foreign_${process.pid}`)).catch(
        (x: unknown) => x,
      )) as StoreError;
      expect(foreign.kind).toBe('corrupt');
      expect(
        await host.rows(`SELECT name FROM system.tables WHERE database = 'foreign_${process.pid}'`),
      ).toEqual([{ name: 't' }]);
    } finally {
      await host.close();
    }
    expect(parseClickHouseAddress('clickhouse://h:8123/db;drop')).toBeUndefined();
    expect(parseClickHouseAddress('clickhouse://h:99999/db')).toBeUndefined();
    expect(parseClickHouseAddress('clickhouse://a:1,b:2/db')).toBeUndefined();
    expect(parseClickHouseAddress("clickhouse://h/db?cluster=x'y")).toBeUndefined();
    expect(parseClickHouseAddress('clickhouse://u:p%40ss@h/db')).toMatchObject({
      username: 'u',
      password: 'p@ss',
      hosts: ['http://h:8123'],
      shown: 'clickhouse://u@h/db',
    });
    const closed = await freePort();
    const e = (await open(`clickhouse://127.0.0.1:${closed}/x`).catch((x: unknown) => x)) as StoreError;
    expect(e.kind).toBe('unreachable');
    expect(e.message).toBe(
      `cannot reach the ClickHouse store clickhouse://127.0.0.1:${closed}/x (ECONNREFUSED); nothing of an unfinished part counts, the next run goes on from the last finished one`,
    );
  });

  describe('fwlens ingest / query / analyze --store with a clickhouse:// address', () => {
    const SAMPLE = join(ROOT, 'examples', 'sample.log');

    it('the sample: analyze --store gives the same reports as analyze of the file; query answers; --sql cannot write', async () => {
      const url = freshAddress();
      const first = await runCli(['ingest', '--store', url, SAMPLE]);
      expect(first.code).toBe(EXIT.ok);
      expect(first.err).toMatch(
        /sample\.log: [\d,]+ lines, [\d,]+ events, \d+ unparsed, \d+ findings? stored/,
      );
      expect((await runCli(['ingest', '--store', url, SAMPLE])).err).toBe(
        `fwlens: ${SAMPLE}: nothing new since the last run\n`,
      );
      const fromFile = await runCli(['analyze', '--json', '--workers', '1', SAMPLE]);
      const fromStore = await runCli(['analyze', '--json', `--store=${url}`]);
      expect(fromStore.code).toBe(fromFile.code);
      expect(JSON.parse(fromStore.out)).toEqual(JSON.parse(fromFile.out));
      expect((await runCli(['analyze', `--store=${url}`])).out).toBe(
        (await runCli(['analyze', '--workers', '1', SAMPLE])).out,
      );
      const ip = JSON.parse((await runCli(['query', '--store', url, '--json', 'ip', '203.0.113.66'])).out);
      expect(ip).toMatchObject({ ip: '203.0.113.66', events: 200, firstSeen: '2026-11-21T16:20:03.000Z' });
      expect(ip.findings[0].detector).toBe('vertical-scan');
      const db = url.split('/').at(-1)!.split('?')[0]!;
      const write = await runCli([
        'query',
        '--store',
        url,
        '--sql',
        `ALTER TABLE ${db}.events_local DELETE WHERE 1`,
      ]);
      expect(write.code).toBe(EXIT.usage);
      expect(write.err).toMatch(/^fwlens: --sql runs queries only \(SELECT/);
      const read = await runCli([
        'query',
        '--store',
        url,
        '--json',
        '--sql',
        `SELECT count() AS n FROM ${db}.events_v`,
      ]);
      expect(JSON.parse(read.out)).toEqual([{ n: String(JSON.parse(fromFile.out).totals.events) }]);
    });

    it('fwlens serve on the cluster answers every view as the console on the DuckDB store of the same files', async () => {
      const url = freshAddress();
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-serve-'));
      const duck = join(dir, 's.duckdb');
      // And three packets around the epoch: two late on 1969-12-31, one early on 1970-01-01.
      const epoch = join(dir, 'epoch.log');
      writeFileSync(
        epoch,
        `${['1969-12-31T23:59:40+00:00', '1969-12-31T23:59:50+00:00', '1970-01-01T00:00:10+00:00']
          .map((stamp, i) => netfilterLine(i, { src: '198.51.100.4' }).replace(/^\S+/, stamp))
          .join('\n')}\n`,
      );
      for (const store of [url, duck])
        expect((await runCli(['ingest', '--store', store, SAMPLE, epoch])).code).toBe(EXIT.ok);
      const ch = await startConsole({ storePath: url, host: '127.0.0.1', port: 0, lang: 'en', warm: false });
      const dk = await startConsole({ storePath: duck, host: '127.0.0.1', port: 0, lang: 'en', warm: false });
      try {
        const get = async (base: string, path: string) => {
          const r = await fetch(new URL(path, base));
          expect(r.status, path).toBe(200);
          return path.startsWith('/api/export') ? r.text() : r.json();
        };
        const span = (await get(dk.url, '/api/meta')) as { span: { first: number; last: number } };
        expect(((await get(ch.url, '/api/meta')) as { span: unknown }).span).toEqual(span.span);
        const day = 86_400_000;
        const views = [
          '',
          `from=${span.span.last + 1 - day}&to=${span.span.last + 1}`,
          'f=src:203.0.113.66',
          'f=!src:203.0.113.66&f=port:22',
          'f=port:22/tcp&f=action:deny',
          'f=src:198.51.100.0/24',
          'from=-3600000&to=3600000', // the hours either side of the epoch
        ];
        let compared = 0;
        for (const q of views) {
          const and = q ? `&${q}` : '';
          for (const path of [
            `/api/timeline?${q}`,
            `/api/findings?${q}`,
            `/api/events?offset=0&limit=500${and}`,
          ]) {
            expect(await get(ch.url, path), path).toEqual(await get(dk.url, path));
            compared++;
          }
          for (const by of ['src', 'dst', 'port', 'rule']) {
            const path = `/api/top?by=${by}&limit=500${and}`;
            // Equal counts in the same order too (addresses by value on both, not by DuckDB's string ids).
            expect(await get(ch.url, path), path).toEqual(await get(dk.url, path));
            compared++;
          }
          const exp = `/api/export?format=ndjson${and}`;
          expect(await get(ch.url, exp), exp).toBe(await get(dk.url, exp));
        }
        expect(compared).toBeGreaterThan(30);
        // The 1969 packets count before the epoch (floored, not rounded toward zero) on the cluster too.
        const tl = (await get(ch.url, '/api/timeline?from=-3600000&to=3600000')) as {
          start: number;
          bucketMs: number;
          series: Record<string, number[]>;
        };
        const before = Object.values(tl.series)
          .flatMap((counts) => counts.filter((_, i) => tl.start + (i + 1) * tl.bucketMs <= 0))
          .reduce((a, b) => a + b, 0);
        expect(before, JSON.stringify(tl)).toBe(2);
        expect(await get(ch.url, '/api/unparsed?limit=50')).toEqual(
          await get(dk.url, '/api/unparsed?limit=50'),
        );
        const first = (
          (await get(dk.url, '/api/events?offset=0&limit=1')) as { input: number; line: number }[]
        )[0]!;
        const one = `/api/event?input=${first.input}&line=${first.line}`;
        expect(await get(ch.url, one)).toEqual(await get(dk.url, one));
      } finally {
        await ch.close();
        await dk.close();
      }
    });

    it('an unreachable server: one sentence, exit 1, no stack, in a real process; a bad address: exit 2', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-ch-cli-'));
      const log = join(dir, 'kern.log');
      writeFileSync(log, `${netfilterLine(1)}\n`);
      const closed = await freePort();
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          join(ROOT, 'test', 'support', 'cli-process.ts'),
          'ingest',
          '--store',
          `clickhouse://fw:secret@127.0.0.1:${closed}/x`,
          log,
        ],
        {
          cwd: ROOT,
          env: { ...process.env, LANG: 'en_US.UTF-8', NO_COLOR: '1' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let err = '';
      child.stderr.on('data', (d) => {
        err += d;
      });
      const code = await new Promise<number | null>((r) => child.on('close', r));
      expect(code).toBe(EXIT.inputError);
      expect(err).toBe(
        `fwlens: cannot reach the ClickHouse store clickhouse://fw@127.0.0.1:${closed}/x (ECONNREFUSED); nothing of an unfinished part counts, the next run goes on from the last finished one\n`,
      );
      expect(err).not.toContain('secret');
      const bad = await runCli(['query', '--store', 'clickhouse://127.0.0.1/x;DROP', 'top']);
      expect(bad.code).toBe(EXIT.usage);
      expect(bad.err).toMatch(
        /^fwlens: clickhouse:\/\/127\.0\.0\.1\/x;DROP is not a ClickHouse store address; write clickhouse:\/\//,
      );
      const zh = await runCli([
        'query',
        '--lang',
        'zh',
        '--store',
        `clickhouse://127.0.0.1:${closed}/x`,
        'top',
      ]);
      expect(zh.code).toBe(EXIT.inputError);
      expect(zh.err).toContain('无法连接 ClickHouse 存储库');
    });
  });
});
