// The DuckDB store: the store contract, read-only SQL that cannot write or escape, and its faults.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { openCountryReader } from '../context/geo.js';
import { appendEvent, Dictionary, EventBatch } from '../core/batch.js';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { knowledgeBase } from '../knowledge/index.js';
import { classifyV4 } from '../net/address-class.js';
import { intToIpv4 } from '../net/ip.js';
import { duckDbConsole } from '../serve/duckdb-queries.js';
import { parseView } from '../serve/queries.js';
import { topFromAddressDaysAndEdges } from './address-days.js';
import { leaveSummariesPending, netfilterLine, storeContract, tiedAddressesLog } from './contract.js';
import { publicCountryRanges, rankCountries, rankStoreCountries, wordsText } from './country.js';
import { DEFER_SUMMARY_EVENTS, type DuckDbStore, openDuckDbStore, SMALL_WRITE_BYTES } from './duckdb.js';
import { ingestIntoStore, unnamedInput } from './ingest.js';
import { TRAFFIC_COUNT_COLUMNS } from './rare-fields.js';
import { ADDRESS_DAY_TABLES } from './schema.js';
import { SCHEMA_VERSION, type SourceCounts, StoreError } from './types.js';
import { WriterMemory } from './writer-memory.js';

const ROOT = join(import.meta.dirname, '..', '..');
const kb = knowledgeBase();

storeContract('duckdb', (dir) => openDuckDbStore(join(dir, 'fwlens.duckdb')));

/** A store at a new path holding `n` generated netfilter events; returns the store path and the log. */
async function filled(n: number): Promise<{ dir: string; path: string; log: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
  const log = join(dir, 'kern.log');
  writeFileSync(log, `${Array.from({ length: n }, (_, i) => netfilterLine(i)).join('\n')}\n`);
  const path = join(dir, 'fwlens.duckdb');
  const store = await openDuckDbStore(path);
  await ingestIntoStore(store, [log], { kb });
  await store.close();
  return { dir, path, log };
}

/** Undo migration 8 on an open connection: a store as version 7 left it has no traffic count columns. */
async function dropTrafficCounts(c: { run(sql: string): Promise<unknown> }): Promise<void> {
  for (const column of TRAFFIC_COUNT_COLUMNS) await c.run(`ALTER TABLE events DROP COLUMN ${column}`);
}

/**
 * Take a store back to before version 9: the rows waiting in the per-day summaries' recent tables merged into
 * the summaries (one row per day and address, as version 8 kept them), the recent tables and views gone.
 */
async function dropRecentDays(c: { run(sql: string): Promise<unknown> }): Promise<void> {
  for (const { table, recent, view } of ADDRESS_DAY_TABLES) {
    await c.run(`CREATE TEMP TABLE merged AS SELECT * FROM ${view}`);
    await c.run(`DELETE FROM ${table}`);
    await c.run(`INSERT INTO ${table} SELECT * FROM merged`);
    await c.run('DROP TABLE merged');
    await c.run(`DROP VIEW ${view}`);
    await c.run(`DROP TABLE ${recent}`);
  }
}

async function fault(p: Promise<unknown>): Promise<StoreError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(StoreError);
    return e as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('read-only SQL', async () => {
  const { dir, path } = await filled(20);
  const before = readFileSync(path);

  it.each([
    "INSERT INTO events (file_id, line, format, action, direction) VALUES (1, 1, 'x', 'deny', 'inbound')",
    'DELETE FROM events',
    'UPDATE events SET rule = 1',
    'DROP TABLE events',
    'CREATE TABLE t (a INT)',
    `COPY events TO '${join(dir, 'leak.csv')}'`,
    `EXPORT DATABASE '${join(dir, 'export')}'`,
    `ATTACH '${join(dir, 'other.duckdb')}' AS other`,
    'INSTALL httpfs',
    'LOAD httpfs',
    'SET enable_external_access = true',
    "SET access_mode = 'READ_WRITE'",
    'SET lock_configuration = false',
    "PRAGMA enable_profiling = 'json'",
    `SET profiling_output = '${join(dir, 'profile.json')}'`,
    "SELECT * FROM read_csv('/etc/passwd')",
    "SELECT * FROM read_text('/etc/hostname')",
    `SELECT * FROM '${join(dir, 'kern.log')}'`,
    'SELECT 1; DELETE FROM events',
    "SELECT 1; DROP TABLE events; --'",
  ])('cannot write or escape: %s', async (sql) => {
    const store = await openDuckDbStore(path, { readOnly: true });
    try {
      const e = await fault(store.sql(sql));
      expect(e.kind).toBe('usage');
      expect(await store.eventCount()).toBe(20);
    } finally {
      await store.close();
    }
    for (const f of ['leak.csv', 'export', 'other.duckdb', 'profile.json'])
      expect(() => statSync(join(dir, f))).toThrow();
  });

  it('takes one query at a time: several are refused in one sentence, not answered by the last', async () => {
    const store = await openDuckDbStore(path, { readOnly: true });
    try {
      for (const sql of ['SELECT 1; SELECT 2', 'SELECT count(*) FROM events;\nSELECT 2;']) {
        const e = await fault(store.sql(sql));
        expect([e.kind, e.message]).toEqual([
          'usage',
          '--sql takes one query at a time, and this text holds several (separated by ;); run each with its own --sql',
        ]);
      }
      expect((await store.sql('SELECT count(*) AS n FROM events;')).rows).toEqual([['20']]);
    } finally {
      await store.close();
    }
  });

  it('the store file is byte for byte unchanged, and queries still answer', async () => {
    const store = await openDuckDbStore(path, { readOnly: true });
    try {
      const r = await store.sql(
        "SELECT src_ip, count(*) AS n FROM events_v WHERE rule = 'BLOCK' GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 2",
      );
      expect(r.columns).toEqual(['src_ip', 'n']);
      expect(r.rows.length).toBe(2);
    } finally {
      await store.close();
    }
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a store opened for writing refuses raw SQL', async () => {
    const { path: p2 } = await filled(1);
    const store = await openDuckDbStore(p2);
    try {
      expect((await fault(store.sql('SELECT 1'))).kind).toBe('read-only');
    } finally {
      await store.close();
    }
  });
});

describe('faults', () => {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill();
  });

  it('a store held by another process: one sentence; the next run, once it is free, works', async () => {
    const { path, log } = await filled(3);
    // A real second process holds the store open for writing.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import { DuckDBInstance } from '@duckdb/node-api'; const i = await DuckDBInstance.create(process.argv[1]); await i.connect(); process.stdout.write('ready\\n'); setInterval(() => {}, 1000);",
        path,
      ],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    children.push(holder);
    await new Promise<void>((resolve, reject) => {
      holder.stdout!.on('data', (d) => String(d).includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited ${code}`)));
    });
    const e = await fault(openDuckDbStore(path));
    expect(e.kind).toBe('locked');
    expect(e.message).toBe(`the store ${path} is in use by another process; try again when it has finished`);
    expect((await fault(openDuckDbStore(path, { readOnly: true }))).kind).toBe('locked');
    holder.kill();
    await new Promise((r) => holder.once('exit', r));
    writeFileSync(log, `${netfilterLine(3)}\n`, { flag: 'a' });
    const store = await openDuckDbStore(path);
    try {
      expect((await ingestIntoStore(store, [log], { kb }))[0]).toMatchObject({ kind: 'appended', events: 1 });
      expect(await store.eventCount()).toBe(4);
    } finally {
      await store.close();
    }
  });

  it('a file that is no database, or a damaged store: one sentence, kind corrupt', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const garbage = join(dir, 'garbage.duckdb');
    writeFileSync(garbage, 'this is not a database\n'.repeat(1000));
    const e = await fault(openDuckDbStore(garbage));
    expect(e.kind).toBe('corrupt');
    expect(e.message.split('\n').length).toBe(1);
    const { path } = await filled(50);
    const bytes = readFileSync(path);
    // Overwrite the headers (the first 12 KB) of a real store.
    bytes.fill(0x5a, 0, 12 * 1024);
    writeFileSync(path, bytes);
    expect((await fault(openDuckDbStore(path))).kind).toBe('corrupt');
    // A DuckDB database that is not ours is not taken over.
    const other = join(dir, 'other.duckdb');
    const inst = await DuckDBInstance.create(other);
    const c = await inst.connect();
    await c.run('CREATE TABLE t (a INT)');
    c.closeSync();
    inst.closeSync();
    expect((await fault(openDuckDbStore(other))).message).toBe(
      `${other} is a DuckDB database but not a fwlens store`,
    );
  });

  it('a store from a newer fwlens: refused, not touched', async () => {
    const { path } = await filled(2);
    const inst = await DuckDBInstance.create(path);
    const c = await inst.connect();
    await c.run('INSERT INTO schema_version (version) VALUES (99)');
    c.closeSync();
    inst.closeSync();
    const before = readFileSync(path);
    for (const readOnly of [false, true]) {
      const e = await fault(openDuckDbStore(path, { readOnly }));
      expect(e.kind).toBe('newer-schema');
      expect(e.message).toContain(`schema version 99, newer than this fwlens reads (${SCHEMA_VERSION})`);
    }
    expect(readFileSync(path).equals(before)).toBe(true);
  });

  it('a missing store for a query: one sentence that says how to fill it', async () => {
    const e = await fault(openDuckDbStore('/nonexistent/fwlens.duckdb', { readOnly: true }));
    expect(e.kind).toBe('missing');
  });

  // A full disk needs a tiny file system: a tmpfs, mounted by the test itself (root only) and unmounted
  // before it ends, so a filtered or failed run leaves no mount behind.
  it('a full disk: one sentence, no half-written part, and the next run (with room) reads it all', async (ctx) => {
    if (process.getuid?.() !== 0) ctx.skip('needs root to mount a 2 MB tmpfs');
    const mounted = mkdtempSync(join(tmpdir(), 'fwlens-full-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mounted], { stdio: 'ignore' });
    } catch {
      ctx.skip('mount -t tmpfs failed here');
    }
    try {
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
      const log = join(dir, 'big.log');
      const n = 20_000;
      writeFileSync(
        log,
        `${Array.from({ length: n }, (_, i) => netfilterLine(i, { src: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, port: i % 60000 })).join('\n')}\n`,
      );
      const path = join(mounted, 'fwlens.duckdb');
      const store = await openDuckDbStore(path);
      try {
        const e = await fault(ingestIntoStore(store, [log], { kb, detect: false }));
        expect(e.kind).toBe('disk-full');
        expect(e.message).toBe(
          `the disk holding the store ${path} is full; nothing of the unfinished part was kept, the next run reads it again`,
        );
      } finally {
        await store.close().catch(() => undefined);
      }
      const again = await openDuckDbStore(path);
      try {
        expect(await again.eventCount()).toBe(0);
        expect(await again.inputs()).toEqual([]);
      } finally {
        await again.close();
      }
      execFileSync('mount', ['-o', 'remount,size=64m', mounted]);
      const roomy = await openDuckDbStore(path);
      try {
        expect((await ingestIntoStore(roomy, [log], { kb, detect: false }))[0]).toMatchObject({
          kind: 'new',
          events: n,
        });
        expect(await roomy.eventCount()).toBe(n);
      } finally {
        await roomy.close();
      }
    } finally {
      execFileSync('umount', [mounted], { stdio: 'ignore' });
    }
  });
});

describe('query ip', () => {
  it('counts a source per day, port and target as the plain rankings do: ties, IPv6, ports-less packets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-ip-'));
    const log = join(dir, 'kern.log');
    const days = ['2026-11-19', '2026-11-20', '2026-11-21'];
    const v4Line = (i: number, dst: string, port: number) =>
      `${days[i % 3]}T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}+00:00 fw kernel: [BLOCK] IN=eth0 OUT= SRC=198.51.100.9 DST=${dst} LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=${i} PROTO=TCP SPT=${1000 + i} DPT=${port} WINDOW=1024 RES=0x00 SYN URGP=0`;
    const v6Line = (i: number, dst: string, udp: boolean) =>
      `${days[i % 3]}T11:00:${String(i).padStart(2, '0')}+00:00 fw kernel: [BLOCK] IN=eth0 OUT= SRC=2001:db8::9 DST=${dst} LEN=60 TC=0 HOPLIMIT=50 FLOWLBL=0 ${udp ? 'PROTO=UDP SPT=1000 DPT=53 LEN=20' : 'PROTO=ICMPv6 TYPE=128 CODE=0 ID=1 SEQ=1'}`;
    // Ports 1-25 with 1-3 packets each (many ties), to 12 targets; other sources around them.
    const sent: { day: string; port: number; dst: string }[] = [];
    const lines: string[] = [];
    let i = 0;
    for (let port = 1; port <= 25; port++)
      for (let k = 0; k < 1 + (port % 3); k++, i++) {
        const dst = `192.0.2.${((i * 7) % 12) + 1}`;
        sent.push({ day: days[i % 3]!, port, dst });
        lines.push(v4Line(i, dst, port), netfilterLine(i, { src: '203.0.113.5', port }));
      }
    lines.push(
      ...[0, 1, 2].map((j) => v6Line(j, '2001:db8::a', true)),
      ...[3, 4].map((j) => v6Line(j, '2001:db8::b', j === 3)),
      v6Line(5, '2001:db8::c', false),
    );
    writeFileSync(log, `${lines.join('\n')}\n`);
    const path = join(dir, 'fwlens.duckdb');
    const store = await openDuckDbStore(path);
    try {
      await ingestIntoStore(store, [log], { kb });
      // The reference: counted here, ranked by count, then port / address ascending, cut at ten.
      const tally = <K>(keys: K[]) => {
        const m = new Map<K, number>();
        for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1);
        return [...m];
      };
      const v4 = (a: string) => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
      const ip = await store.querySource('198.51.100.9');
      expect(ip.events).toBe(sent.length);
      expect(ip.perDay).toEqual(
        tally(sent.map((e) => e.day))
          .sort()
          .map(([key, count]) => ({ key, count })),
      );
      expect(ip.ports).toEqual(
        tally(sent.map((e) => e.port))
          .sort((x, y) => y[1] - x[1] || x[0] - y[0])
          .slice(0, 10)
          .map(([port, count]) => ({ key: `${port}/tcp`, count })),
      );
      expect(ip.targets).toEqual(
        tally(sent.map((e) => e.dst))
          .sort((x, y) => y[1] - x[1] || v4(x[0]) - v4(y[0]))
          .slice(0, 10)
          .map(([key, count]) => ({ key, count })),
      );
      expect(ip.firstSeen).toBe(Date.parse('2026-11-19T10:00:00Z'));
      expect(ip.topPort).toEqual({ port: 2, transport: 'tcp' });
      const six = await store.querySource('2001:db8::9');
      expect(six).toMatchObject({
        events: 6,
        perDay: [
          { key: '2026-11-19', count: 2 },
          { key: '2026-11-20', count: 2 },
          { key: '2026-11-21', count: 2 },
        ],
        ports: [{ key: '53/udp', count: 4 }],
        targets: [
          { key: '2001:db8::a', count: 3 },
          { key: '2001:db8::b', count: 2 },
          { key: '2001:db8::c', count: 1 },
        ],
      });
      expect((await store.querySource('198.51.100.77')).events).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('ties of addresses', () => {
  it('are ranked as on ClickHouse, IPv4 by number then IPv6 by value, not in the order first stored', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-ties-'));
    const log = join(dir, 'kern.log');
    const { lines, ranked, targets } = tiedAddressesLog();
    writeFileSync(log, `${lines.join('\n')}\n`);
    const store = await openDuckDbStore(join(dir, 'fwlens.duckdb'));
    const consoles = [duckDbConsole(store), duckDbConsole(store, { summaries: false })];
    try {
      await ingestIntoStore(store, [log], { kb, detect: false });
      const shown = (rows: { key: string; count: number }[]) => rows.map((r) => `${r.key} ${r.count}`);
      const day = Date.parse('2026-11-21T00:00:00Z');
      // Every path: the per-source table, whole days, partial days at an edge, and the events themselves.
      const windows = [
        undefined,
        { since: day },
        { since: day - 3_600_000 },
        { since: Date.parse('2026-11-21T09:00:00Z'), until: Date.parse('2026-11-21T11:00:00Z') },
      ];
      for (const limit of [5, 6, 8])
        for (const w of windows)
          expect(shown(await store.top('src', limit, w)), `${limit} ${JSON.stringify(w)}`).toEqual(
            ranked.slice(0, limit),
          );
      expect(shown((await store.queryPort(22, undefined, { limit: 5 })).sources)).toEqual(ranked.slice(0, 5));
      expect(shown((await store.querySource('2001:db8::99', undefined, { limit: 3 })).targets)).toEqual(
        targets,
      );
      // New sources: by count, then first time (each source's differs here: the first stored of the tied comes first).
      expect(shown(await store.newSources(day, 3))).toEqual([...ranked.slice(0, 2), '2001:db8::30 2']);
      for (const c of consoles)
        for (const q of ['', 'f=port:22', `from=${day - 3_600_000}`])
          expect(shown(await c.top(parseView(new URLSearchParams(q)), 'src', 6)), q).toEqual(
            ranked.slice(0, 6),
          );
    } finally {
      for (const c of consoles) await c.close();
      await store.close();
    }
  });
});

describe('schema', () => {
  it('records its version and migrates an empty file to it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    mkdirSync(join(dir, 'deep', 'er'), { recursive: true });
    const store = await openDuckDbStore(join(dir, 'deep', 'er', 'x.duckdb'));
    try {
      expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
    } finally {
      await store.close();
    }
  });

  it('migrates a version 1 store with events: the per-day address summaries are filled from them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'v1.duckdb');
    const log = join(dir, 'kern.log');
    writeFileSync(log, `${Array.from({ length: 30 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
    // A store as version 1 left it: migration 1 only, its events in.
    const store = await openDuckDbStore(path);
    await ingestIntoStore(store, [log], { kb, detect: false });
    await store.close();
    await onRawFile(path, async (c) => {
      await dropRecentDays(c);
      await c.run('DROP TABLE source_days');
      await c.run('DROP TABLE destination_days');
      await c.run('DROP VIEW sources_v');
      await c.run('DROP TABLE sources_recent');
      await c.run('DROP TABLE sources');
      await c.run('ALTER TABLE events DROP COLUMN alarm_sid');
      await c.run('DROP TABLE summary_pending');
      await dropTrafficCounts(c);
      await c.run('DELETE FROM schema_version WHERE version > 1');
    });
    const again = await openDuckDbStore(path);
    try {
      expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await summaryMismatches(again)).toEqual([]);
    } finally {
      await again.close();
    }
  });
});

describe('recent rows of the per-day summaries (schema 9)', () => {
  it('migrates a version 8 store: its summaries stay, the next small write waits beside them and answers the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'v8.duckdb');
    const log = join(dir, 'kern.log');
    const line = (i: number) =>
      netfilterLine(i, { day: i % 2 ? '2026-11-20' : '2026-11-21', src: `198.51.100.${i % 7}` });
    writeFileSync(log, `${Array.from({ length: 60 }, (_, i) => line(i)).join('\n')}\n`);
    const store = await openDuckDbStore(path);
    store.addressDaysRecentRows = 1;
    await ingestIntoStore(store, [log], { kb, detect: false });
    await store.close();
    // A store as version 8 left it: the summaries one row per day and address, no recent tables, no views.
    await onRawFile(path, async (c) => {
      await dropRecentDays(c);
      await c.run('DELETE FROM schema_version WHERE version > 8');
    });
    const again = await openDuckDbStore(path);
    try {
      expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await summaryMismatches(again)).toEqual([]);
      expect(await tableRows(again, 'source_days')).toBeGreaterThan(0);
      appendFileSync(log, `${Array.from({ length: 20 }, (_, i) => line(60 + i)).join('\n')}\n`);
      await ingestIntoStore(again, [log], { kb, detect: false });
      expect(await tableRows(again, 'source_days_recent')).toBeGreaterThan(0);
      expect(await summaryMismatches(again)).toEqual([]);
      expect(await summaryDuplicates(again)).toBe(0);
      const day = Date.parse('2026-11-21T00:00:00Z');
      expect(await again.top('src', 3, { since: day })).toEqual([
        { key: '198.51.100.0', count: 6 },
        { key: '198.51.100.1', count: 6 },
        { key: '198.51.100.2', count: 6 },
      ]);
    } finally {
      await again.close();
    }
  });
});

describe('traffic counts (schema 8)', () => {
  const flows = [
    join(ROOT, 'test', 'fixtures', 'juniper-srx', 'srx-structured-and-text.log'),
    join(ROOT, 'test', 'fixtures', 'zeek-conn', 'json-and-ipv6.log'),
    join(ROOT, 'test', 'fixtures', 'cisco-asa', 'asa-traffic.log'),
  ];

  it('keeps the counts in their columns, not in the rare-fields JSON, and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const store = await openDuckDbStore(join(dir, 'c.duckdb'));
    try {
      await ingestIntoStore(store, flows, { kb, detect: false });
      // An ASA Teardown's bytes both ways: total_bytes.
      const totals = (await storedEvents(store)).filter((e) => e.networkBytes !== undefined);
      expect(totals.length).toBeGreaterThan(0);
      const t = await (await store.connect()).runAndReadAll(
        'SELECT count(total_bytes)::INTEGER, sum(total_bytes)::DOUBLE FROM events',
      );
      expect(t.getRows()[0]).toEqual([totals.length, totals.reduce((n, e) => n + e.networkBytes!, 0)]);
      const events = await storedEvents(store);
      const counted = events.filter((e) => e.sourceBytes !== undefined);
      expect(counted.length).toBeGreaterThan(3);
      const c = await store.connect();
      const sums = (
        await c.runAndReadAll(`SELECT count(src_bytes)::INTEGER, sum(src_bytes)::DOUBLE, sum(dst_bytes)::DOUBLE,
          (SELECT count(*)::INTEGER FROM events WHERE extra LIKE '%Bytes%' OR extra LIKE '%Packets%') FROM events`)
      ).getRows()[0]!;
      const total = (k: 'sourceBytes' | 'destinationBytes') => events.reduce((n, e) => n + (e[k] ?? 0), 0);
      expect(sums).toEqual([counted.length, total('sourceBytes'), total('destinationBytes'), 0]);
      // The readable view shows them.
      const view = await c.runAndReadAll(
        'SELECT count(*)::INTEGER FROM events_v WHERE src_packets IS NOT NULL',
      );
      expect(view.getRows()[0]![0]).toBe(events.filter((e) => e.sourcePackets !== undefined).length);
    } finally {
      await store.close();
    }
  });

  it('migrates a version 7 store: the columns are added, its events read back as before, new ones with counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'v7.duckdb');
    const store = await openDuckDbStore(path);
    await ingestIntoStore(store, [flows[0]!], { kb, detect: false });
    const before = (await storedEvents(store)).map((e) => {
      const {
        sourcePackets: _a,
        sourceBytes: _b,
        destinationPackets: _c,
        destinationBytes: _d,
        networkBytes: _e,
        ...rest
      } = e;
      return rest;
    });
    await store.close();
    // A store as version 7 left it: no count columns (and no parser gave counts then).
    await onRawFile(path, async (c) => {
      await dropRecentDays(c);
      await dropTrafficCounts(c);
      await c.run('DELETE FROM schema_version WHERE version > 7');
    });
    const again = await openDuckDbStore(path);
    try {
      expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await storedEvents(again)).toEqual(before);
      await ingestIntoStore(again, [flows[1]!], { kb, detect: false });
      const zeek = (await storedEvents(again)).filter((e) => e.format === 'zeek-conn');
      expect(zeek.some((e) => e.sourcePackets !== undefined && e.destinationBytes !== undefined)).toBe(true);
    } finally {
      await again.close();
    }
  });
});

describe('alarm names (schema 3)', () => {
  const srx = join(ROOT, 'test', 'fixtures', 'juniper-srx', 'srx-catalog.log');

  /** The events of a store as their alarm names, in line order. */
  async function alarmsOf(store: DuckDbStore): Promise<(string | undefined)[]> {
    const out: (string | undefined)[] = [];
    for await (const ev of store.events({})) out.push(ev.alarmName);
    return out;
  }

  it('stores the alarm name in its column, ranks it, and reads it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const store = await openDuckDbStore(join(dir, 'a.duckdb'));
    try {
      await ingestIntoStore(store, [srx], { kb, detect: false });
      const top = await store.top('alarm', 100);
      expect(top.length).toBeGreaterThan(2);
      expect(top.map((r) => r.key)).toContain('TCP sweep!');
      const alarms = (await alarmsOf(store)).filter((a) => a !== undefined);
      expect(alarms.length).toBe(top.reduce((n, r) => n + r.count, 0));
      // Not also in the rare-fields JSON.
      const c = await store.connect();
      const inExtra = await c.runAndReadAll(
        `SELECT count(*)::INTEGER FROM events WHERE extra LIKE '%alarmName%'`,
      );
      expect(inExtra.getRows()[0]![0]).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('migrates a version 2 store whose alarm names are in the rare-fields JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'v2.duckdb');
    const store = await openDuckDbStore(path);
    await ingestIntoStore(store, [srx], { kb, detect: false });
    const want = await store.top('alarm', 100);
    const wantEvents = await alarmsOf(store);
    await store.close();
    // A store as version 2 left it: no alarm column, the names in `extra` and absent from `strings`.
    await onRawFile(path, async (c) => {
      await c.run(`UPDATE events SET extra = json_object('alarmName', s.text)::VARCHAR FROM strings s
        WHERE s.id = events.alarm_sid`);
      await c.run(`DELETE FROM strings WHERE id IN (SELECT alarm_sid FROM events)
        AND id NOT IN (SELECT rule_sid FROM events WHERE rule_sid IS NOT NULL)`);
      await c.run('ALTER TABLE events DROP COLUMN alarm_sid');
      await c.run('DROP VIEW sources_v');
      await c.run('DROP TABLE sources_recent');
      await c.run('DROP TABLE sources');
      await c.run('DROP TABLE summary_pending');
      await dropRecentDays(c);
      await dropTrafficCounts(c);
      await c.run('DELETE FROM schema_version WHERE version > 2');
    });
    const again = await openDuckDbStore(path);
    try {
      expect(await again.schemaVersion()).toBe(SCHEMA_VERSION);
      // Ties are ranked by string id, which the migration gives out anew: compared as sets of counts.
      const byKey = (rows: { key: string; count: number }[]) =>
        [...rows].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
      expect(byKey(await again.top('alarm', 100))).toEqual(byKey(want));
      expect(await alarmsOf(again)).toEqual(wantEvents);
      const view = await (await again.connect()).runAndReadAll(
        `SELECT count(*)::INTEGER FROM events_v WHERE alarm = 'TCP sweep!'`,
      );
      expect(view.getRows()[0]![0]).toBe(1);
      // A later write finds the migrated names in `strings` and adds none twice (another file, the same records).
      const copy = join(dir, 'srx-again.log');
      writeFileSync(copy, `not a firewall record\n${readFileSync(srx, 'utf8')}`);
      await ingestIntoStore(again, [copy], { kb, detect: false });
      const c2 = await again.connect();
      const dup = await c2.runAndReadAll('SELECT text FROM strings GROUP BY text HAVING count(*) > 1');
      expect(dup.getRows()).toEqual([]);
      const twice = await again.top('alarm', 100);
      expect(byKey(twice)).toEqual(byKey(want.map((r) => ({ ...r, count: r.count * 2 }))));
    } finally {
      await again.close();
    }
  });
});

/** Rows where a summary disagrees with the events (per day and address), for both summaries. */
async function summaryMismatches(store: DuckDbStore): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const { view: table, side } of ADDRESS_DAY_TABLES) {
    const q = `SELECT coalesce(d, -1) AS d, v4, sid, sum(n)::DOUBLE AS n FROM (
        SELECT floor(ts / 86400000)::BIGINT AS d, ${side}_v4 AS v4, ${side}_text_sid AS sid, 1 AS n FROM events
          WHERE ${side}_v4 IS NOT NULL OR ${side}_text_sid IS NOT NULL
        UNION ALL SELECT day, v4, text_sid, -(events::BIGINT) FROM ${table})
      GROUP BY ALL HAVING sum(n) <> 0`;
    const reader = await (await store.connect()).runAndReadAll(q);
    out.push(...reader.getRowObjectsJS().map((r) => ({ table, ...r })));
  }
  return out;
}

/** Every event a store holds, as it reads them back. */
async function storedEvents(store: DuckDbStore): Promise<FwEvent[]> {
  const out: FwEvent[] = [];
  for await (const ev of store.events()) out.push(ev);
  return out;
}

/** Statements run on a store's file as plain DuckDB, outside the store (to make it look as an older version left it). */
async function onRawFile(path: string, work: (c: DuckDBConnection) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  try {
    await work(c);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Rows in one table of a store. */
async function tableRows(store: DuckDbStore, table: string): Promise<number> {
  const c = await store.connect();
  const n = (await c.runAndReadAll(`SELECT count(*) FROM ${table}`)).getRows()[0]![0];
  c.closeSync();
  return Number(n);
}

/**
 * Rows where the per-source table (with its recent rows: `sources_v`) disagrees with the events, and sources
 * held twice in `sources` or in `sources_v`.
 */
async function sourcesMismatches(store: DuckDbStore): Promise<unknown[]> {
  const c = await store.connect();
  const q = `SELECT coalesce(a.v4, b.v4) AS v4, coalesce(a.sid, b.sid) AS sid, a.n, b.n AS held, a.t, b.t AS held_t,
      a.f, b.f AS held_f FROM
      (SELECT src_v4 AS v4, src_text_sid AS sid, count(*)::DOUBLE AS n, count(ts)::DOUBLE AS t, min(ts)::DOUBLE AS f
        FROM events WHERE src_v4 IS NOT NULL OR src_text_sid IS NOT NULL GROUP BY ALL) a
      FULL JOIN (SELECT v4, text_sid AS sid, events::DOUBLE AS n, timed::DOUBLE AS t, first_ts::DOUBLE AS f FROM sources_v) b
        ON a.v4 IS NOT DISTINCT FROM b.v4 AND a.sid IS NOT DISTINCT FROM b.sid
      WHERE a.n IS DISTINCT FROM b.n OR a.t IS DISTINCT FROM b.t OR a.f IS DISTINCT FROM b.f`;
  const rows = (await c.runAndReadAll(q)).getRowObjectsJS() as unknown[];
  for (const table of ['sources', 'sources_v']) {
    const dup = (
      await c.runAndReadAll(
        `SELECT count(*) - count(DISTINCT (coalesce(v4, 0), coalesce(text_sid, 0), v4 IS NULL)) FROM ${table}`,
      )
    ).getRows()[0]![0];
    if (Number(dup) !== 0) rows.push({ table, duplicates: Number(dup) });
  }
  c.closeSync();
  return rows;
}

/**
 * Rows beyond one per day and address in the summaries (the console's bound needs none) and in their views (the
 * recent rows merged).
 */
async function summaryDuplicates(store: DuckDbStore): Promise<number> {
  const c = await store.connect();
  let n = 0;
  for (const table of ADDRESS_DAY_TABLES.flatMap((t) => [t.table, t.view]))
    n += Number(
      (
        await c.runAndReadAll(
          `SELECT count(*) - count(DISTINCT (coalesce(day, -1), coalesce(v4, 0), coalesce(text_sid, 0))) FROM ${table}`,
        )
      ).getRows()[0]![0],
    );
  return n;
}

describe('per-day address summaries', () => {
  it('written by many small commits (a watcher) answer as one bulk ingest, before and after their recent rows merge', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-recent-'));
    const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
    const at = (d: string, s: number) => day(d) + 10 * 3_600_000 + s * 1000;
    // A busy source in every part (a few events each: no single recent row of it comes near the bar), many
    // light ones, an IPv6 source, destinations that vary, and lines without a time.
    const lines = (days: string[], n: number, seed: number) =>
      days.flatMap((d, k) =>
        Array.from({ length: n }, (_, j) => {
          const i = seed + k * n + j;
          if (i % 25 === 0)
            return `kernel: [BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.${i % 5} LEN=40 TTL=50 ID=${i} PROTO=TCP SPT=4000 DPT=23 WINDOW=1024 SYN URGP=0`;
          if (i % 9 === 0)
            return netfilterLine(i, { day: d, src: '2001:db8::7' })
              .replace('TTL=50 ID', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ID')
              .replace('DST=192.0.2.10', `DST=2001:db8:1::${i % 3}`);
          const src = i % 4 === 0 ? '203.0.113.7' : `198.51.100.${(i * 7 + k) % 40}`;
          return netfilterLine(i, { day: d, src }).replace('DST=192.0.2.10', `DST=192.0.2.${i % 13}`);
        }),
      );
    const bulkLog = join(dir, 'bulk.log');
    const smallLog = join(dir, 'small.log');
    const bulk = await openDuckDbStore(join(dir, 'bulk.duckdb'));
    const small = await openDuckDbStore(join(dir, 'small.duckdb'));
    // The reference merges at every write, as a bulk ingest's large parts do; the other once 150 rows wait in a
    // recent table, so its summaries and their recent tables both hold rows.
    bulk.addressDaysRecentRows = 1;
    small.addressDaysRecentRows = 150;
    writeFileSync(bulkLog, '');
    writeFileSync(smallLog, '');
    /** The same lines into both stores: the bulk one in one write, the other in commits of 30 lines. */
    const add = async (more: string[]) => {
      appendFileSync(bulkLog, `${more.join('\n')}\n`);
      await ingestIntoStore(bulk, [bulkLog], { kb, detect: false });
      for (let i = 0; i < more.length; i += 30) {
        appendFileSync(smallLog, `${more.slice(i, i + 30).join('\n')}\n`);
        await ingestIntoStore(small, [smallLog], { kb, detect: false });
      }
    };
    const waiting = async (store: DuckDbStore) => {
      let n = 0;
      for (const { recent } of ADDRESS_DAY_TABLES) n += await tableRows(store, recent);
      return n;
    };
    /** Every answer the per-day summaries give, addresses as text. */
    const answers = async (store: DuckDbStore) => {
      const c = await store.connect();
      const texts = new Map(
        (await c.runAndReadAll('SELECT id, text FROM strings')).getRows().map((r) => [r[0], String(r[1])]),
      );
      const key = (v4: unknown, sid: unknown) =>
        v4 === null ? texts.get(sid as number) : intToIpv4(Number(v4));
      const out: Record<string, unknown> = {};
      for (const { view } of ADDRESS_DAY_TABLES)
        out[view] = (await c.runAndReadAll(`SELECT day, v4, text_sid, events::DOUBLE FROM ${view}`))
          .getRows()
          .map((r) => `${r[0]} ${key(r[1], r[2])} ${r[3]}`)
          .sort();
      const windows = [
        {},
        { from: day('2026-11-20') },
        { from: day('2026-11-20'), to: day('2026-11-21') },
        { to: day('2026-11-21') },
        { from: at('2026-11-19', 20), to: at('2026-11-21', 30) },
        { from: at('2026-11-20', 10) },
        { to: at('2026-11-22', 15) },
        { from: at('2026-11-21', 5), to: at('2026-11-21', 25) },
      ];
      for (const w of windows)
        for (const limit of [1, 12])
          for (const side of ['src', 'dst'] as const)
            out[`${side} ${JSON.stringify(w)} ${limit}`] = (
              await topFromAddressDaysAndEdges(
                async (sql, values) => (await c.runAndReadAll(sql, values)).getRows(),
                side,
                w,
                limit,
              )
            ).map(([v4, sid, n]) => `${key(v4, sid)} ${n}`);
      c.closeSync();
      // `query top --by src` and the console's top lists (whole days, and the last days up to an hour).
      for (const w of [undefined, { since: day('2026-11-21') }, { since: at('2026-11-19', 40) }])
        out[`top ${JSON.stringify(w)}`] = await store.top('src', 5, w);
      const console = duckDbConsole(store);
      try {
        for (const q of ['', `from=${day('2026-11-20')}`, `from=${day('2026-11-19') + 3_600_000}`])
          for (const side of ['src', 'dst'] as const)
            out[`console ${side} ${q}`] = await console.top(parseView(new URLSearchParams(q)), side, 6);
      } finally {
        await console.close();
      }
      out.newSources = await store.newSources(day('2026-11-20'), 10);
      return out;
    };
    try {
      await add(lines(['2026-11-19', '2026-11-20', '2026-11-21'], 200, 0));
      // Waiting rows and merged ones: the answers read both.
      expect(await waiting(small)).toBeGreaterThan(0);
      expect(await tableRows(small, 'source_days')).toBeGreaterThan(0);
      expect(await summaryDuplicates(small)).toBe(0);
      expect(await summaryMismatches(small)).toEqual([]);
      const first = await answers(bulk);
      expect(first['src {} 1']).toEqual(['203.0.113.7 152']);
      expect(await answers(small)).toEqual(first);
      // Retention cutting inside a day, rows of the days it cuts waiting (late lines of those days came last):
      // they lose those days too, and the rest are merged.
      small.addressDaysRecentRows = 100_000;
      await add(lines(['2026-11-19', '2026-11-20'], 15, 3000));
      small.addressDaysRecentRows = 150;
      const cut = at('2026-11-20', 30);
      const c = await small.connect();
      const early = await c.runAndReadAll('SELECT count(*)::DOUBLE FROM source_days_recent WHERE day <= ?', [
        Math.floor(cut / 86_400_000),
      ]);
      c.closeSync();
      expect(early.getRows()[0]![0]).toBeGreaterThan(0);
      await bulk.prune(cut);
      await small.prune(cut);
      expect(await waiting(small)).toBe(0);
      expect(await summaryDuplicates(small)).toBe(0);
      expect(await summaryMismatches(small)).toEqual([]);
      expect(await answers(small)).toEqual(await answers(bulk));
      // More days, rows waiting again; then a commit that merges whatever waits.
      await add(lines(['2026-11-21', '2026-11-22'], 150, 1000));
      expect(await waiting(small)).toBeGreaterThan(0);
      expect(await answers(small)).toEqual(await answers(bulk));
      small.addressDaysRecentRows = 1;
      await add(lines(['2026-11-22'], 10, 5000));
      expect(await waiting(small)).toBe(0);
      expect(await summaryDuplicates(small)).toBe(0);
      expect(await summaryMismatches(small)).toEqual([]);
      expect(await answers(small)).toEqual(await answers(bulk));
    } finally {
      await bulk.close();
      await small.close();
    }
  }, 180_000);

  it('agree with the events after several parts, an append, IPv6 and retention inside a day', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const store = await openDuckDbStore(join(dir, 's.duckdb'));
    try {
      const log = join(dir, 'kern.log');
      const days = ['2026-11-19', '2026-11-20', '2026-11-21'];
      const lines = days.flatMap((day, d) =>
        Array.from({ length: 40 }, (_, i) =>
          netfilterLine(i, { day, src: i % 3 === 0 ? '203.0.113.7' : `198.51.100.${(i * 7 + d) % 20}` }),
        ),
      );
      lines.push(
        netfilterLine(5, { src: '2001:db8::7' }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 '),
      );
      writeFileSync(log, `${lines.join('\n')}\n`);
      // Small parts: many transactions, each adding its own summary rows.
      await ingestIntoStore(store, [log], { kb, detect: false, partBytes: 2000 });
      appendFileSync(log, `${netfilterLine(59, { day: '2026-11-21', src: '203.0.113.7' })}\n`);
      await ingestIntoStore(store, [log], { kb, detect: false });
      expect(await store.eventCount()).toBe(122);
      // One part spanning all three days and events without a time, for addresses with rows on each of those
      // days already (a commit reads only the part's days of the summaries: each must be found), then a part
      // of untimed events alone.
      const untimed = (id: number) =>
        `kernel: [BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=40 TTL=50 ID=${id} PROTO=TCP SPT=4000 DPT=23 WINDOW=1024 SYN URGP=0`;
      const mixed = join(dir, 'mixed.log');
      writeFileSync(
        mixed,
        `${[
          netfilterLine(21, { day: '2026-11-19', src: '203.0.113.7' }),
          netfilterLine(22, { day: '2026-11-19', src: '198.51.100.3' }),
          untimed(1),
          netfilterLine(41, { day: '2026-11-20', src: '203.0.113.7' }),
          netfilterLine(42, { day: '2026-11-21', src: '203.0.113.7' }),
          untimed(2),
        ].join('\n')}\n`,
      );
      await ingestIntoStore(store, [mixed], { kb, detect: false });
      appendFileSync(mixed, `${untimed(3)}\n`);
      await ingestIntoStore(store, [mixed], { kb, detect: false });
      expect(await store.eventCount()).toBe(129);
      expect(await summaryDuplicates(store)).toBe(0);
      expect(await summaryMismatches(store)).toEqual([]);
      expect(await summaryDuplicates(store)).toBe(0);
      expect(await sourcesMismatches(store)).toEqual([]);
      // query top --by src of everything or whole days comes from the summaries: as the plain GROUP BY.
      const c = await store.connect();
      const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
      for (const w of [
        undefined,
        { since: day('2026-11-20') },
        { since: day('2026-11-20'), until: day('2026-11-21') },
        { since: day('2026-11-20') + 15_000 }, // inside a day: its rest grouped from the events
        { since: day('2026-11-19') + 1 },
        // Partial days at both edges or at the end alone (the edges grouped from the events).
        { since: day('2026-11-20') - 15_000, until: day('2026-11-21') + 20_000 },
        { since: day('2026-11-19') + 15_000, until: day('2026-11-21') + 20_000 }, // edges too long: the events
        { until: day('2026-11-21') + 20_000 },
        { since: day('2026-11-20') + 15_000, until: day('2026-11-20') + 40_000 },
      ])
        for (const limit of [1, 3, 25]) {
          const plain = (
            await c.runAndReadAll(
              `SELECT coalesce(ipv4_text(src_v4), (SELECT text FROM strings WHERE id = src_text_sid)) AS k, count(*)::DOUBLE AS n
                FROM events WHERE ${w ? 'ts >= ? AND ts < ?' : '(src_v4 IS NOT NULL OR src_text_sid IS NOT NULL)'}
                GROUP BY src_v4, src_text_sid ORDER BY n DESC, src_v4, src_text_sid LIMIT ?`,
              [...(w ? [BigInt(w.since ?? 0), BigInt(w.until ?? 2 ** 52)] : []), limit],
            )
          )
            .getRows()
            .map((r) => ({ key: String(r[0]), count: Number(r[1]) }));
          expect(await store.top('src', limit, w), JSON.stringify({ w, limit })).toEqual(plain);
        }
      // The summaries with partial days at the edges, called directly (the rule that picks them wants whole days
      // that outweigh the edges, which these three days of events at 10:00 cannot give): edges holding events.
      const t = (d: string, s: number) => day(d) + 10 * 3_600_000 + s * 1000;
      for (const w of [
        { since: t('2026-11-19', 20), until: t('2026-11-21', 30) },
        { since: t('2026-11-20', 10) },
        { until: t('2026-11-20', 15) },
        { since: t('2026-11-20', 5), until: t('2026-11-20', 25) },
      ])
        for (const limit of [1, 3, 25]) {
          const plain = (
            await c.runAndReadAll(
              `SELECT src_v4, src_text_sid, count(*)::DOUBLE AS n FROM events WHERE ts >= ? AND ts < ?
                GROUP BY src_v4, src_text_sid ORDER BY n DESC, src_v4, src_text_sid LIMIT ?`,
              [BigInt(w.since ?? 0), BigInt(w.until ?? 2 ** 52), limit],
            )
          ).getRows();
          const edges = await topFromAddressDaysAndEdges(
            async (sql, values) => (await c.runAndReadAll(sql, values)).getRows(),
            'src',
            { from: w.since, to: w.until },
            limit,
          );
          expect(edges, JSON.stringify({ w, limit })).toEqual(plain.map((r) => [r[0], r[1], Number(r[2])]));
        }
      c.closeSync();
      // A cut-off at 10:00:20 on the middle day: that day is recounted from what is left of it.
      const r = await store.prune(Date.parse('2026-11-20T10:00:20Z'));
      expect(r.events).toBe(62);
      expect(await summaryMismatches(store)).toEqual([]);
      expect(await sourcesMismatches(store)).toEqual([]);
      await store.pruneToSize(1);
      expect(await summaryMismatches(store)).toEqual([]);
      expect(await summaryDuplicates(store)).toBe(0);
      expect(await sourcesMismatches(store)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('the string table', () => {
  for (const [name, odd] of [
    ['plain texts (read as one joined text)', undefined],
    // A NUL inside a text, before a text the second file uses: read by places, that text would get the wrong id.
    [
      'a text with a NUL (read row by row)',
      `INSERT INTO strings SELECT max(id) + 1, 'a' || chr(0) || 'b' FROM strings;
        INSERT INTO strings SELECT max(id) + 1, '[NEW]' FROM strings`,
    ],
    // A gap of two ids: read by places, the second new text would get the id of the text after the gap.
    ['a gap in the ids (read row by row)', `INSERT INTO strings SELECT max(id) + 3, 'x' FROM strings`],
    ['an empty text', `INSERT INTO strings SELECT max(id) + 1, '' FROM strings`],
  ] as const)
    for (const bounded of [false, 1])
      it(`a later ${bounded ? 'bounded' : 'whole-table'} write gives known texts their ids and new ones new ids: ${name}`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-strings-'));
        const path = join(dir, 's.duckdb');
        const v6 = (i: number, src: string) =>
          netfilterLine(i, { src, prefix: 'V6 DROP' }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
        const first = join(dir, 'a.log');
        writeFileSync(
          first,
          `${[v6(5, '2001:db8::7'), v6(5, '2001:db8::8'), netfilterLine(1)].join('\n')}\n`,
        );
        const store = await openDuckDbStore(path, { boundedStrings: false });
        await ingestIntoStore(store, [first], { kb, detect: false });
        await store.close();
        if (odd) {
          await onRawFile(path, async (c) => {
            await c.run(odd);
          });
        }
        const second = join(dir, 'b.log');
        writeFileSync(
          second,
          `${[v6(5, '2001:db8::8'), v6(5, '2001:db8::9'), netfilterLine(2, { prefix: 'NEW' })].join('\n')}\n`,
        );
        const again = await openDuckDbStore(path, { boundedStrings: bounded });
        try {
          await ingestIntoStore(again, [second], { kb, detect: false });
          const c = await again.connect();
          const one = async (sql: string) => (await c.runAndReadAll(sql)).getRows();
          expect(await one('SELECT text FROM strings GROUP BY text HAVING count(*) > 1')).toEqual([]);
          expect(await one('SELECT id FROM strings GROUP BY id HAVING count(*) > 1')).toEqual([]);
          // Every string id an event holds names the text the event had.
          const sources =
            await one(`SELECT e.file_id, s.text FROM events e JOIN strings s ON s.id = e.src_text_sid
          ORDER BY e.file_id, s.text`);
          expect(sources.map((r) => `${r[0]} ${r[1]}`)).toEqual([
            '1 2001:db8::7',
            '1 2001:db8::8',
            '2 2001:db8::8',
            '2 2001:db8::9',
          ]);
          const prefixes =
            await one(`SELECT DISTINCT e.file_id, s.text FROM events e JOIN strings s ON s.id = e.prefix_sid
          ORDER BY ALL`);
          expect(prefixes.map((r) => `${r[0]} ${r[1]}`)).toEqual([
            '1 [BLOCK]',
            '1 [V6 DROP]',
            '2 [NEW]',
            '2 [V6 DROP]',
          ]);
          // The odd rows are still there, once.
          if (odd)
            expect(
              (
                await one(
                  `SELECT count(*)::INTEGER FROM strings WHERE text IN ('a' || chr(0) || 'b', 'x', '')`,
                )
              )[0]![0],
            ).toBe(1);
          c.closeSync();
        } finally {
          await again.close();
        }
      });
});

describe('a prune and the string table', () => {
  for (const bounded of [false, 1000] as const)
    it(`deletes the texts no row holds any more, never reuses an id, and a later ${bounded ? 'bounded' : 'whole-table'} write names its texts right`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-prune-strings-'));
      const v6 = (i: number, src: string, prefix: string, day: string) =>
        netfilterLine(i, { src, prefix, day }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
      const first = join(dir, 'a.log');
      writeFileSync(
        first,
        `${[
          v6(5, '2001:db8::1', 'OLD', '2026-11-19'),
          v6(5, '2001:db8::2', 'OLD', '2026-11-19'),
          v6(5, '2001:db8::3', 'OLD', '2026-11-19'),
          v6(5, '2001:db8::3', 'V6 DROP', '2026-11-21'),
          v6(5, '2001:db8::4', 'V6 DROP', '2026-11-21'),
          // The text with the highest id goes with the first day, but stays: ids go on from it.
          v6(5, '2001:db8::9', 'LAST', '2026-11-19').replace(' fw kernel:', ' gone-fw kernel:'),
        ].join('\n')}\n`,
      );
      const second = join(dir, 'b.log');
      writeFileSync(
        second,
        `${[
          v6(5, '2001:db8::1', 'OLD', '2026-11-22'),
          v6(5, '2001:db8::5', 'NEW', '2026-11-22'),
          v6(5, '2001:db8::4', 'V6 DROP', '2026-11-22'),
        ].join('\n')}\n`,
      );
      const path = join(dir, 's.duckdb');
      const store = await openDuckDbStore(path, { boundedStrings: bounded });
      const c = await store.connect();
      const one = async (sql: string) => (await c.runAndReadAll(sql)).getRows();
      const texts = async () =>
        (await one('SELECT text FROM strings ORDER BY text')).map((r) => String(r[0]));
      const maxId = async () => Number((await one('SELECT max(id) FROM strings'))[0]![0]);
      try {
        await ingestIntoStore(store, [first], { kb, detect: false });
        expect(await texts()).toEqual(
          expect.arrayContaining(['2001:db8::1', '2001:db8::2', '2001:db8::3', '2001:db8::4', '[OLD]']),
        );
        const highest = await maxId();
        const last = ['2001:db8::9', '[LAST]', 'LAST', 'gone-fw'];
        const [[top]] = (await one('SELECT text FROM strings ORDER BY id DESC LIMIT 1')) as [[string]];
        expect(last).toContain(top);
        const r = await store.prune(Date.parse('2026-11-20T00:00:00Z'));
        expect(r.events).toBe(4);
        // The first day's addresses, prefixes and rule names are gone but the one with the highest id; what the
        // kept day holds stays.
        const left = await texts();
        const gone = ['2001:db8::1', '2001:db8::2', '[OLD]', 'OLD', ...last.filter((t) => t !== top)];
        for (const t of gone) expect(left).not.toContain(t);
        expect(left).toEqual(
          expect.arrayContaining(['2001:db8::3', '2001:db8::4', '[V6 DROP]', 'V6 DROP', top]),
        );
        expect(r.strings).toBe(gone.length);
        expect(await maxId()).toBe(highest);
        // The same writer goes on: a text that went comes back, a new one comes, a kept one is met again.
        await ingestIntoStore(store, [second], { kb, detect: false });
        expect(await one('SELECT text FROM strings GROUP BY text HAVING count(*) > 1')).toEqual([]);
        expect(await one('SELECT id FROM strings GROUP BY id HAVING count(*) > 1')).toEqual([]);
        const named = async () =>
          (
            await one(`SELECT e.file_id, e.line, s.text, p.text FROM events e
              LEFT JOIN strings s ON s.id = e.src_text_sid LEFT JOIN strings p ON p.id = e.prefix_sid ORDER BY ALL`)
          ).map((row) => row.map(String).join(' '));
        const expected = [
          '1 4 2001:db8::3 [V6 DROP]',
          '1 5 2001:db8::4 [V6 DROP]',
          '2 1 2001:db8::1 [OLD]',
          '2 2 2001:db8::5 [NEW]',
          '2 3 2001:db8::4 [V6 DROP]',
        ];
        expect(await named()).toEqual(expected);
        // Texts added after the prune have ids past every id given before it.
        expect(
          (
            await one(
              `SELECT min(id) FROM strings WHERE text IN ('2001:db8::1', '[OLD]', '2001:db8::5', '[NEW]')`,
            )
          )[0]![0],
        ).toBeGreaterThan(highest);
        // What the store reads back and answers for the address that came back.
        expect((await store.top('src', 5)).map((t) => t.key).sort()).toEqual([
          '2001:db8::1',
          '2001:db8::3',
          '2001:db8::4',
          '2001:db8::5',
        ]);
      } finally {
        c.closeSync();
        await store.close();
      }
      // Another process later: it reads the table with its gaps whole (or looks texts up) and writes on.
      const third = join(dir, 'c.log');
      writeFileSync(third, `${v6(5, '2001:db8::2', 'OLD', '2026-11-23')}\n`);
      const again = await openDuckDbStore(path, { boundedStrings: bounded });
      try {
        await ingestIntoStore(again, [third], { kb, detect: false });
        const c2 = await again.connect();
        const rows = (
          await c2.runAndReadAll(`SELECT e.file_id, s.text, p.text FROM events e
            JOIN strings s ON s.id = e.src_text_sid JOIN strings p ON p.id = e.prefix_sid WHERE e.file_id = 3`)
        ).getRows();
        expect(rows.map((row) => row.map(String).join(' '))).toEqual(['3 2001:db8::2 [OLD]']);
        expect(
          (
            await c2.runAndReadAll(
              'SELECT count(*)::INTEGER FROM events e LEFT JOIN strings s ON s.id = e.src_text_sid WHERE s.text IS NULL',
            )
          ).getRows()[0]![0],
        ).toBe(0);
        c2.closeSync();
      } finally {
        await again.close();
      }
    });
});

describe('a bounded string table (watch --store)', () => {
  it('keeps at most its bound of texts between writes and stores what a writer with the whole table stores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-bounded-'));
    const v6 = (i: number, src: string, prefix: string) =>
      netfilterLine(i, { src, prefix }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
    // Five writes; each meets addresses and prefixes of the writes before it and new ones.
    const files = Array.from({ length: 5 }, (_, w) => {
      const path = join(dir, `part-${w}.log`);
      const lines = Array.from({ length: 12 }, (_, k) =>
        v6(k, `2001:db8::${((w * 5 + k) % 17).toString(16)}`, k % 3 === 0 ? `P${w}` : 'V6 DROP'),
      );
      lines.push(netfilterLine(w, { prefix: `P${(w + 1) % 5}` }));
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    });
    const bounded = await openDuckDbStore(join(dir, 'bounded.duckdb'), { boundedStrings: 4 });
    const whole = await openDuckDbStore(join(dir, 'whole.duckdb'), { boundedStrings: false });
    try {
      const held: number[] = [];
      for (const f of files) {
        await ingestIntoStore(bounded, [f], { kb, detect: false });
        held.push(bounded.stringsInMemory);
        await ingestIntoStore(whole, [f], { kb, detect: false });
      }
      expect(Math.max(...held)).toBeLessThanOrEqual(4);
      expect(whole.stringsInMemory).toBeGreaterThan(20);
      for (const store of [bounded, whole]) {
        const c = await store.connect();
        expect(
          (await c.runAndReadAll('SELECT text FROM strings GROUP BY text HAVING count(*) > 1')).getRows(),
        ).toEqual([]);
        expect(
          (await c.runAndReadAll('SELECT id FROM strings GROUP BY id HAVING count(*) > 1')).getRows(),
        ).toEqual([]);
        c.closeSync();
      }
      const texts = async (store: DuckDbStore) => {
        const c = await store.connect();
        const rows = (await c.runAndReadAll('SELECT text FROM strings ORDER BY text')).getRows();
        c.closeSync();
        return rows.map((r) => String(r[0]));
      };
      expect(await texts(bounded)).toEqual(await texts(whole));
      const got = await storedEvents(bounded);
      expect(got.length).toBe(65);
      expect(got).toEqual(await storedEvents(whole));
    } finally {
      await bounded.close();
      await whole.close();
    }
  });
});

describe('a write that meets many long texts (any ingest)', () => {
  it('holds at most its bounds (and one batch) of the string table, and stores what an unbounded write stores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-spill-'));
    // 80,000 lines, every one with a log prefix of its own (120 characters): two inputs, two writes.
    const long = (i: number) => `DROP-${String(i).padStart(8, '0')}-${'x'.repeat(106)}`;
    const files = [0, 1].map((f) => {
      const path = join(dir, `lp-${f}.log`);
      const lines = Array.from({ length: 40_000 }, (_, k) =>
        netfilterLine(k, { prefix: long(f * 40_000 + k) }),
      );
      // A text of the first write met again in the second (the table's id, not a new one).
      if (f === 1) lines.push(netfilterLine(7, { prefix: long(3) }));
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    });
    const bounded = await openDuckDbStore(join(dir, 'bounded.duckdb'));
    bounded.writeStringTexts = 2_000;
    bounded.writeStringChars = 100_000;
    const whole = await openDuckDbStore(join(dir, 'whole.duckdb'), { boundedStrings: false });
    try {
      for (const f of files) {
        await ingestIntoStore(bounded, [f], { kb, detect: false });
        await ingestIntoStore(whole, [f], { kb, detect: false });
      }
      // The bound, and at most one batch's texts (32,768 rows, a prefix and a rule each) checked against it
      // before they are appended.
      expect(bounded.stringsHeldPeak.texts).toBeLessThanOrEqual(2_000 + 2 * 32_768 + 10);
      expect(bounded.stringsHeldPeak.chars).toBeLessThanOrEqual(100_000 + 2 * 32_768 * 120);
      expect(whole.stringsHeldPeak.texts).toBeGreaterThan(140_000);
      const table = async (store: DuckDbStore) => {
        const c = await store.connect();
        const rows = (await c.runAndReadAll('SELECT id::INTEGER, text FROM strings ORDER BY id')).getRows();
        c.closeSync();
        return rows;
      };
      const t = await table(bounded);
      expect(t.length).toBeGreaterThan(80_000);
      expect(t).toEqual(await table(whole));
      const got = await storedEvents(bounded);
      expect(got.length).toBe(80_001);
      expect(got).toEqual(await storedEvents(whole));
    } finally {
      await bounded.close();
      await whole.close();
    }
  }, 180_000);
});

describe('a part whose lines carry many long texts (any ingest)', () => {
  /** A table's rows in an order of their own, for comparing two stores. */
  const rowsOf = async (store: DuckDbStore, sql: string) => {
    const c = await store.connect();
    const rows = (await c.runAndReadAll(sql)).getRows().map((r) => r.map(String));
    c.closeSync();
    return rows;
  };
  // A string's id depends on where batches begin (a write gives its batch's new texts ids column by column), so
  // the texts are compared as a set, each stored once.
  const TABLES = [
    'SELECT text, count(*) FROM strings GROUP BY text ORDER BY text',
    'SELECT file_id, line, kind, reason, text FROM unparsed ORDER BY file_id, line',
    'SELECT id, path, "offset", lines, events, unparsed, stats FROM inputs ORDER BY id',
  ];

  it.each([
    ['in this thread', { thread: false }],
    ['in ingest threads', { threadMinBytes: 1 }],
  ])(
    'ends at PART_TEXT_CHARS of texts, commits each part with its offset, and stores what one part stores (%s)',
    async (_, reading) => {
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-part-texts-'));
      // 3,000 lines, each with a 200-character log prefix of its own (its rule name is another text of ~200),
      // with ordinary lines and lines no parser reads between them; then 600 more appended for a second run.
      const long = (i: number) => `DROP-${String(i).padStart(6, '0')}-${'y'.repeat(188)}`;
      const lines = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, k) => {
          const i = from + k;
          if (i % 97 === 0) return `garbage line ${i} that no parser reads`;
          return i % 5 === 0 ? netfilterLine(i) : netfilterLine(i, { prefix: long(i) });
        });
      const log = join(dir, 'texts.log');
      writeFileSync(log, `${lines(0, 3_000).join('\n')}\n`);
      const bound = 60_000;
      const bounded = await openDuckDbStore(join(dir, 'bounded.duckdb'));
      const whole = await openDuckDbStore(join(dir, 'whole.duckdb'));
      // The writes each store begins (one per part).
      const writes = (store: DuckDbStore) => {
        const counted = { n: 0 };
        const begin = store.begin.bind(store);
        store.begin = (hint) => {
          counted.n++;
          return begin(hint);
        };
        return counted;
      };
      const boundedWrites = writes(bounded);
      const wholeWrites = writes(whole);
      const opts = { kb, detect: false, ...reading };
      try {
        for (const run of [0, 1]) {
          if (run === 1) writeFileSync(log, `${lines(3_000, 3_600).join('\n')}\n`, { flag: 'a' });
          const [b] = await ingestIntoStore(bounded, [log], { ...opts, partTextChars: bound });
          const [w] = await ingestIntoStore(whole, [log], {
            ...opts,
            partTextChars: Number.POSITIVE_INFINITY,
          });
          expect(b!.error).toBeUndefined();
          expect(b!.lines).toBe(run === 0 ? 3_000 : 600);
          expect({ ...b, stats: undefined }).toEqual({ ...w, stats: undefined });
          expect(b!.stats).toEqual(w!.stats);
        }
        // ~2,400 lines of ~400 characters of texts each (the first run's), ~960,000 characters: parts of at most
        // the bound and one batch of lines past it, where one part held them all before.
        expect(wholeWrites.n).toBe(2);
        expect(boundedWrites.n).toBeGreaterThanOrEqual(10 + 2);
        expect(boundedWrites.n).toBeLessThanOrEqual(Math.ceil((3_600 * 400) / bound) + 2);
        for (const sql of TABLES) expect(await rowsOf(bounded, sql)).toEqual(await rowsOf(whole, sql));
        const got = await storedEvents(bounded);
        expect(got.length).toBeGreaterThan(3_500);
        expect(got).toEqual(await storedEvents(whole));
        // Each part committed the input's offset at its end: the stored offset is the file's end.
        expect((await bounded.inputs())[0]!.offset).toBe(statSync(log).size);
      } finally {
        await bounded.close();
        await whole.close();
      }
    },
    180_000,
  );
});

describe('a writer that opens the store again for every write (watch --store)', () => {
  const v6 = (i: number, src: string, prefix = 'V6 DROP') =>
    netfilterLine(i, { src, prefix }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
  const table = async (store: DuckDbStore) => {
    const c = await store.connect();
    const rows = (await c.runAndReadAll('SELECT id::INTEGER, text FROM strings ORDER BY id')).getRows();
    c.closeSync();
    return rows;
  };

  it('keeps its filter of the table between opens, reads what another writer added, and stores what a writer with the whole table stores', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-memory-'));
    // Six writes of new and earlier addresses; the fourth is another writer's (a cron ingest) with addresses
    // the watcher meets afterwards.
    const files = Array.from({ length: 6 }, (_, w) => {
      const path = join(dir, `part-${w}.log`);
      const lines = Array.from({ length: 20 }, (_, k) =>
        v6(k, `2001:db8::${(w * 11 + k).toString(16)}`, k % 4 === 0 ? `P${w}` : 'V6 DROP'),
      );
      if (w >= 4) lines.push(v6(99, '2001:db8::c0:1'), v6(98, '2001:db8::c0:2'));
      if (w === 3) lines.push(v6(99, '2001:db8::c0:1'), v6(98, '2001:db8::c0:2'), v6(97, '2001:db8::c0:3'));
      writeFileSync(path, `${lines.join('\n')}\n`);
      return path;
    });
    const memory = new WriterMemory();
    const watched = join(dir, 'watched.duckdb');
    /** Texts the table holds (0 before the store exists). */
    const textCount = async (path: string) => {
      if (!existsSync(path)) return 0;
      const s = await openDuckDbStore(path, { readOnly: true });
      const c = await s.connect();
      const n = Number((await c.runAndReadAll('SELECT count(*) FROM strings')).getRows()[0]![0]);
      c.closeSync();
      await s.close();
      return n;
    };
    let added = 0;
    const whole = await openDuckDbStore(join(dir, 'whole.duckdb'), { boundedStrings: false });
    try {
      for (const [w, f] of files.entries()) {
        const other = w === 3;
        const before = await textCount(watched);
        const store = await openDuckDbStore(
          watched,
          other ? { boundedStrings: false } : { boundedStrings: 4, memory },
        );
        await ingestIntoStore(store, [f], { kb, detect: false });
        if (!other) {
          // The same memory every time: the texts new to the table were known new without a look-up.
          const { filtered, lookedUp } = store.stringLookups;
          expect(filtered).toBeGreaterThan(0);
          expect(lookedUp).toBeLessThan(filtered);
        }
        await store.close();
        if (!other) added += (await textCount(watched)) - before;
        await ingestIntoStore(whole, [f], { kb, detect: false });
      }
      const store = await openDuckDbStore(watched, { readOnly: true });
      try {
        // Id for id the table of a writer that loaded the whole table each time: the other writer's texts were
        // found again (not given a second id), the new ones numbered in the same order.
        expect(await table(store)).toEqual(await table(whole));
        const got = await storedEvents(store);
        expect(got.length).toBe(6 * 20 + 3 + 2 * 2);
        expect(got).toEqual(await storedEvents(whole));
      } finally {
        await store.close();
      }
      // Every text this writer added to the table was known new by its filter, without a look-up (at this size
      // the filter has no false "maybe"); the look-ups were the texts of the table its 4 remembered texts lacked.
      const last = await openDuckDbStore(watched, { boundedStrings: 4, memory });
      expect(last.stringLookups.filtered).toBe(added);
      await last.close();
    } finally {
      await whole.close();
    }
  });

  it('starts afresh when the file is another store now (removed and made again)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-memory-new-'));
    const path = join(dir, 'watched.duckdb');
    const a = join(dir, 'a.log');
    writeFileSync(a, `${[v6(1, '2001:db8::a'), v6(2, '2001:db8::b')].join('\n')}\n`);
    // In the store made again the same texts come after others: their ids differ from the first store's.
    const b = join(dir, 'b.log');
    writeFileSync(
      b,
      `${[v6(1, '2001:db8::f1', 'OTHER'), v6(2, '2001:db8::f2', 'OTHER'), v6(3, '2001:db8::b')].join('\n')}\n`,
    );
    // A bound larger than the texts: what the first store's writer knew stays in memory for the next open.
    const memory = new WriterMemory();
    const first = await openDuckDbStore(path, { boundedStrings: 100, memory });
    await ingestIntoStore(first, [a], { kb, detect: false });
    await first.close();
    rmSync(path, { force: true });
    rmSync(`${path}.wal`, { force: true });
    const made = await openDuckDbStore(path, { boundedStrings: false });
    await ingestIntoStore(made, [b], { kb, detect: false });
    await made.close();
    const again = await openDuckDbStore(path, { boundedStrings: 100, memory });
    try {
      await ingestIntoStore(again, [a], { kb, detect: false });
      const c = await again.connect();
      const rows = (
        await c.runAndReadAll(
          `SELECT e.file_id, e.line, s.text FROM events e JOIN strings s ON s.id = e.src_text_sid ORDER BY ALL`,
        )
      ).getRows();
      expect(rows.map((r) => `${r[0]}:${r[1]} ${r[2]}`)).toEqual([
        '1:1 2001:db8::f1',
        '1:2 2001:db8::f2',
        '1:3 2001:db8::b',
        '2:1 2001:db8::a',
        '2:2 2001:db8::b',
      ]);
      expect(
        (await c.runAndReadAll('SELECT text FROM strings GROUP BY text HAVING count(*) > 1')).getRows(),
      ).toEqual([]);
      c.closeSync();
    } finally {
      await again.close();
    }
  });
});

describe('a bounded write rolled back', () => {
  it('forgets the ids it gave; the next write gives its texts ids once, as a writer that never rolled back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-rollback-'));
    const v6 = (i: number, src: string) =>
      netfilterLine(i, { src }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
    const first = join(dir, 'a.log');
    writeFileSync(first, `${Array.from({ length: 6 }, (_, i) => v6(i, `2001:db8::${i}`)).join('\n')}\n`);
    const second = join(dir, 'b.log');
    // Two texts of the first file, one the rolled-back write gave an id to (not the other one), two new ones.
    writeFileSync(
      second,
      `${['2001:db8::1', '2001:db8::5', '2001:db8::b', '2001:db8::c', '2001:db8::d'].map((a, i) => v6(i, a)).join('\n')}\n`,
    );
    const bounded = await openDuckDbStore(join(dir, 'bounded.duckdb'), { boundedStrings: 4 });
    const plain = await openDuckDbStore(join(dir, 'plain.duckdb'), { boundedStrings: false });
    try {
      for (const store of [bounded, plain]) await ingestIntoStore(store, [first], { kb, detect: false });
      // A write that meets two new texts (and a known one), appends them, and is rolled back.
      const batch = new EventBatch(new Dictionary());
      for (const [i, src] of ['2001:db8::a', '2001:db8::b', '2001:db8::1'].entries())
        appendEvent(
          batch,
          {
            format: 'netfilter',
            action: 'deny',
            direction: 'inbound',
            ipVersion: 6,
            sourceIp: src,
            line: i + 1,
          },
          0,
          i + 1,
        );
      const w = await bounded.begin();
      await w.appendEvents(batch, await bounded.nextInputId());
      await w.rollback();
      for (const store of [bounded, plain]) await ingestIntoStore(store, [second], { kb, detect: false });
      const table = async (store: DuckDbStore) => {
        const c = await store.connect();
        const rows = (await c.runAndReadAll('SELECT id::INTEGER, text FROM strings ORDER BY id')).getRows();
        c.closeSync();
        return rows;
      };
      // The same table, id for id: the rolled-back ids were given again in the order rows first used them.
      expect(await table(bounded)).toEqual(await table(plain));
      const got = await storedEvents(bounded);
      expect(got.length).toBe(11);
      expect(got).toEqual(await storedEvents(plain));
    } finally {
      await bounded.close();
      await plain.close();
    }
  });
});

describe('a small write', () => {
  it(`looks its texts up instead of loading the string table; a write of ${SMALL_WRITE_BYTES / 2 ** 20} MB or more loads it`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-small-'));
    const path = join(dir, 's.duckdb');
    const v6 = (i: number, src: string) =>
      netfilterLine(i, { src }).replace('TTL=50 ID=5 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
    const big = join(dir, 'a.log');
    writeFileSync(
      big,
      `${Array.from({ length: 60 }, (_, i) => v6(i, `2001:db8::${i.toString(16)}`)).join('\n')}\n`,
    );
    const first = await openDuckDbStore(path);
    await ingestIntoStore(first, [big], { kb, detect: false });
    await first.close();
    const store = await openDuckDbStore(path);
    try {
      const small = join(dir, 'b.log');
      writeFileSync(small, `${[v6(1, '2001:db8::1'), v6(2, '2001:db8::ffff')].join('\n')}\n`);
      await ingestIntoStore(store, [small], { kb, detect: false });
      // Only what the small write met: two addresses and a few names (format, transport, prefix, ...).
      expect(store.stringsInMemory).toBeLessThan(12);
      const c = await store.connect();
      const ids = (
        await c.runAndReadAll(
          `SELECT text, count(*)::INTEGER FROM strings WHERE text IN ('2001:db8::1', '2001:db8::ffff') GROUP BY text ORDER BY text`,
        )
      ).getRows();
      expect(ids).toEqual([
        ['2001:db8::1', 1],
        ['2001:db8::ffff', 1],
      ]);
      const tableSize = Number((await c.runAndReadAll('SELECT count(*) FROM strings')).getRows()[0]![0]);
      c.closeSync();
      const w = await store.begin({ bytes: SMALL_WRITE_BYTES });
      await w.rollback();
      expect(store.stringsInMemory).toBe(tableSize);
    } finally {
      await store.close();
    }
  });
});

describe('times before 1970', () => {
  it('count on the day and in the hour they fall in (floored, not rounded toward zero)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-1969-'));
    const store = await openDuckDbStore(join(dir, 's.duckdb'));
    try {
      const log = join(dir, 'kern.log');
      // Two events late on 1969-12-31, one early on 1970-01-01 (same source), one two days later.
      const at = (stamp: string, i: number) =>
        netfilterLine(i, { src: '198.51.100.4' }).replace(/^\S+/, stamp);
      const stamps = ['1969-12-31T23:59:40+00:00', '1969-12-31T23:59:50+00:00', '1970-01-01T00:00:10+00:00'];
      writeFileSync(log, `${[...stamps.map(at), at('1970-01-03T12:00:00+00:00', 3)].join('\n')}\n`);
      await ingestIntoStore(store, [log], { kb, detect: false });
      expect(await store.eventCount()).toBe(4);
      expect(await summaryMismatches(store)).toEqual([]);
      const days = await (await store.connect()).runAndReadAll(
        'SELECT day::DOUBLE, events::DOUBLE FROM source_days_v ORDER BY day',
      );
      expect(days.getRows()).toEqual([
        [-1, 2],
        [0, 1],
        [2, 1],
      ]);
      expect((await store.querySource('198.51.100.4')).perDay).toEqual([
        { key: '1969-12-31', count: 2 },
        { key: '1970-01-01', count: 1 },
        { key: '1970-01-03', count: 1 },
      ]);
      // The console's timeline puts the 1969 events in the hour before the epoch, not in the one after it.
      const tl = await duckDbConsole(store).timeline({ filters: [], from: -3_600_000, to: 3_600_000 }, 2);
      expect(tl.start).toBe(-3_600_000);
      expect(tl.bucketMs).toBe(3_600_000);
      expect(tl.series, JSON.stringify(tl)).toEqual({ deny: [2, 1] });
      // Retention by size keeps the newest day and drops whole days from the oldest (1969-12-31 first).
      await store.pruneToSize(1);
      expect(await summaryMismatches(store)).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describe('the per-source table (schema 5) and countries inside the store', () => {
  it('answers new-sources, top sources and countries as grouping the events does; a version 4 store migrates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-sources-'));
    const path = join(dir, 's.duckdb');
    const log = join(dir, 'kern.log');
    // Sources all over the IPv4 space (public, private, documentation, class edges), repeated, over three days,
    // some without a time, and IPv6 ones.
    const edges = [
      '10.0.0.1',
      '100.64.0.1',
      '192.0.2.1',
      '198.18.0.5',
      '224.0.0.1',
      '8.8.8.8',
      '1.1.1.1',
      '0.0.0.1',
    ];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const src =
        i % 10 === 0
          ? edges[i % edges.length]!
          : i % 3 === 0
            ? `203.0.113.${i % 7}`
            : [rand() % 256, rand() % 256, rand() % 256, rand() % 256].join('.');
      lines.push(netfilterLine(i, { day: ['2026-11-19', '2026-11-20', '2026-11-21'][i % 3]!, src }));
    }
    lines.push(
      netfilterLine(1, { src: '2001:db8::7' }).replace('TTL=50 ID=1 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 '),
    );
    lines.push(
      netfilterLine(2, { src: '2a00:1450::1' }).replace('TTL=50 ID=2 ', 'TC=0 HOPLIMIT=50 FLOWLBL=0 '),
    );
    // IPv6 sources: random global unicast ones, the edges of 2000::/3, 2001:db8::/32, 2001:2::/32 and 3fff::/20,
    // 6to4, and outside global unicast (IPv4-mapped, NAT64, link-local, unique local), over the three days, some
    // repeated.
    const v6Edges = [
      '2000::',
      '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
      '2001:db8::',
      '2001:db9::',
      '2001:2::1',
      '2002:808:808::1',
      '3fff::1',
      '3fff:1000::',
      '3fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      '4000::1',
      '::ffff:8.8.8.8',
      '64:ff9b::808:808',
      'fe80::1',
      'fd00::7',
    ];
    // And the first and last addresses of the database's long-prefix networks (up to /128), where every word
    // of the address decides the country.
    const nets = openCountryReader().reader!.ipv6Networks()!;
    const deep: string[] = [];
    for (let i = 0; deep.length < 400; i = (i + 7919) % nets.country.length) {
      const lo = nets.lo.subarray(4 * i, 4 * i + 4);
      const hi = nets.hi.subarray(4 * i, 4 * i + 4);
      if (lo[0] === hi[0] && lo[1] === hi[1]) deep.push(wordsText(lo, 0), wordsText(hi, 0));
    }
    for (let i = 0; i < 1500; i++) {
      const group = () => (rand() % 65_536).toString(16);
      const src =
        i % 10 === 0
          ? v6Edges[(i / 10) % v6Edges.length]!
          : i % 2 === 1
            ? deep[(i >> 1) % deep.length]!
            : [
                (0x2000 + (rand() % 0x2000)).toString(16),
                group(),
                group(),
                group(),
                group(),
                group(),
                group(),
                group(),
              ].join(':');
      lines.push(
        netfilterLine(i, { day: ['2026-11-19', '2026-11-20', '2026-11-21'][i % 3]!, src }).replace(
          `TTL=50 ID=${i} `,
          'TC=0 HOPLIMIT=50 FLOWLBL=0 ',
        ),
      );
    }
    lines.push(
      'kernel: [BLOCK] IN=eth0 OUT= SRC=8.8.8.8 DST=192.0.2.10 LEN=40 TTL=50 ID=9 PROTO=TCP SPT=4000 DPT=23 WINDOW=1024 SYN URGP=0',
    );
    // The first 2,500 lines now, the rest after the migration below.
    writeFileSync(log, `${lines.slice(0, 2500).join('\n')}\n`);
    const store = await openDuckDbStore(path);
    try {
      // Each part's sources merged into the per-source table as it commits (from one recent row on).
      store.sourcesRecentRows = 1;
      await ingestIntoStore(store, [log], { kb, detect: false, partBytes: 50_000 });
      expect(await sourcesMismatches(store)).toEqual([]);
      expect(await tableRows(store, 'sources_recent')).toBe(0);
    } finally {
      await store.close();
    }
    // A version 4 store (no per-source table): the next writer makes it from the events.
    const raw = await DuckDBInstance.create(path);
    const conn = await raw.connect();
    await conn.run('DROP VIEW sources_v');
    await conn.run('DROP TABLE sources_recent');
    await conn.run('DROP TABLE sources');
    await conn.run('DROP TABLE summary_pending');
    await dropRecentDays(conn);
    await dropTrafficCounts(conn);
    await conn.run('DELETE FROM schema_version WHERE version >= 5');
    conn.closeSync();
    raw.closeSync();
    const writer = await openDuckDbStore(path);
    try {
      expect(await sourcesMismatches(writer)).toEqual([]);
      // The rest of the log with the usual bound: its sources wait in `sources_recent`, many of them (the
      // repeated edges) with a row in `sources` too, so every answer below merges the two.
      appendFileSync(log, `${lines.slice(2500).join('\n')}\n`);
      await ingestIntoStore(writer, [log], { kb, detect: false, partBytes: 50_000 });
      expect(await tableRows(writer, 'sources_recent')).toBeGreaterThan(500);
      const c = await writer.connect();
      const both = (
        await c.runAndReadAll(`SELECT count(*) FROM sources_recent r JOIN sources s
          ON r.v4 IS NOT DISTINCT FROM s.v4 AND r.text_sid IS NOT DISTINCT FROM s.text_sid`)
      ).getRows()[0]![0];
      c.closeSync();
      expect(Number(both)).toBeGreaterThan(10);
    } finally {
      await writer.close();
    }
    const read = await openDuckDbStore(path, { readOnly: true });
    try {
      expect(await read.schemaVersion()).toBe(SCHEMA_VERSION);
      expect(await sourcesMismatches(read)).toEqual([]);
      const c = await read.connect();
      // new-sources and top sources of everything as the plain GROUP BY (ties broken the same way).
      const since = Date.parse('2026-11-20T00:00:00Z');
      const plainNew = (
        await c.runAndReadAll(
          `SELECT src_v4, src_text_sid, min(ts)::DOUBLE AS f, count(*)::DOUBLE AS n FROM events
            WHERE (src_v4 IS NOT NULL OR src_text_sid IS NOT NULL) AND ts IS NOT NULL
            GROUP BY ALL HAVING min(ts) >= ? ORDER BY n DESC, f, src_v4, src_text_sid LIMIT 50`,
          [BigInt(since)],
        )
      ).getRows();
      const fresh = await read.newSources(since, 50);
      expect(fresh.map((r) => [r.count, r.firstSeen])).toEqual(
        plainNew.map((r) => [Number(r[3]), Number(r[2])]),
      );
      expect(fresh.length).toBe(50);
      const plainTop = (
        await c.runAndReadAll(
          `SELECT count(*)::DOUBLE AS n FROM events WHERE src_v4 IS NOT NULL OR src_text_sid IS NOT NULL
            GROUP BY src_v4, src_text_sid ORDER BY n DESC, src_v4, src_text_sid LIMIT 20`,
        )
      ).getRows();
      expect((await read.top('src', 20)).map((r) => r.count)).toEqual(plainTop.map((r) => Number(r[0])));
      // A read-only store fetches only the texts it shows (not the whole string table): every source, IPv6
      // ones among them, every rule and the ports' transports named as the readable view names them.
      const byKey = (rows: { key: string; count: number }[]) => rows.map((r) => `${r.key} ${r.count}`).sort();
      const plain = async (sql: string) =>
        (await c.runAndReadAll(sql)).getRows().map((r) => ({ key: String(r[0]), count: Number(r[1]) }));
      expect(byKey(await read.top('src', 1e6))).toEqual(
        byKey(await plain('SELECT src_ip, count(*) FROM events_v WHERE src_ip IS NOT NULL GROUP BY 1')),
      );
      expect(byKey(await read.top('rule', 1e6))).toEqual(
        byKey(await plain('SELECT rule, count(*) FROM events_v WHERE rule IS NOT NULL GROUP BY 1')),
      );
      expect(byKey(await read.top('port', 1e6))).toEqual(
        byKey(
          await plain(
            `SELECT dst_port || coalesce('/' || transport, ''), count(*) FROM events_v WHERE dst_port IS NOT NULL GROUP BY 1`,
          ),
        ),
      );
      expect((await read.newSources(since, 1e6)).map((r) => r.key).sort()).toEqual(
        (
          await plain(
            `SELECT src_ip, min(ts) FROM events_v WHERE src_ip IS NOT NULL AND ts IS NOT NULL GROUP BY 1 HAVING min(ts) >= ${since}`,
          )
        )
          .map((r) => r.key)
          .sort(),
      );
      expect((await read.top('src', 1e6)).filter((r) => r.key.includes(':')).length).toBeGreaterThan(1000);
      c.closeSync();
      // Countries: inside the store (the ranges joined there) equal to every source's count walked in JS,
      // for everything (the per-source table) and for a window (the events).
      const geo = openCountryReader();
      const ranges = publicCountryRanges(geo.reader!)!;
      expect(ranges.lo.length).toBeGreaterThan(100_000);
      // DuckDB's nested-loop ASOF join (taken for a few expected rows on the left) is off: on a small store it
      // joined each source to every range (7-12 s for 485 sources).
      expect((await read.sql("SELECT current_setting('asof_loop_join_threshold')")).rows).toEqual([['0']]);
      // Against every source address as the readable view shows it (text), each looked up by the context's
      // rule on its own: nothing of the store's numbers, ranges or joins is in the reference.
      async function* asText(
        window: { since?: number; until?: number } | undefined,
      ): AsyncIterable<SourceCounts> {
        const where = [
          'src_ip IS NOT NULL',
          ...(window?.since === undefined ? [] : [`ts >= ${window.since}`]),
          ...(window?.until === undefined ? [] : [`ts < ${window.until}`]),
        ].join(' AND ');
        const { rows } = await read.sql(
          `SELECT src_ip, count(*)::DOUBLE FROM events_v WHERE ${where} GROUP BY 1`,
        );
        yield { ip: rows.map((r) => String(r[0])), count: Float64Array.from(rows, (r) => Number(r[1])) };
      }
      for (const window of [undefined, { since }, { since: since + 1234, until: since + 86_400_000 }]) {
        // The ranges joined inside the store, IPv6 against the IPv6 ranges (the thresholds at 0).
        const inStore = await rankStoreCountries(read, geo.reader!, 300, window, { from: { v4: 0, v6: 0 } });
        expect(inStore).toEqual(await rankCountries(asText(window), geo.reader!, 300));
        // The usual thresholds (this store is small: the sources walked in JS, IPv6 looked up one by one),
        // and the other mixes.
        for (const from of [undefined, { v4: 0, v6: Infinity }, { v4: Infinity, v6: 0 }])
          expect(await rankStoreCountries(read, geo.reader!, 300, window, from && { from })).toEqual(inStore);
        // With the ranges' cache file: made and written by the first run, read by the next (in a fresh reader).
        const cacheDir = join(dir, 'cache');
        for (const reader of [geo.reader!, openCountryReader().reader!])
          expect(
            await rankStoreCountries(read, reader, 300, window, { from: { v4: 0, v6: 0 }, cacheDir }),
          ).toEqual(inStore);
        // And the walk over the store's per-source counts (the other stores' way) agrees.
        expect(await rankCountries(read.sourceCounts(window), geo.reader!, 300)).toEqual(inStore);
        expect(inStore.length).toBeGreaterThan(10);
        // The IPv6 sources are there: as numbers (global unicast) and as text (the others).
        let numbers = 0;
        let texts = 0;
        for await (const b of read.sourceCounts(window))
          if ('v6' in b) numbers += b.count.length;
          else if ('ip' in b) texts += b.count.length;
        expect(numbers).toBeGreaterThan(300);
        expect(texts).toBeGreaterThanOrEqual(4);
      }
      // The ranges give each address the country the context's look-up gives it, and so do the blocks.
      const wholeBlocks = new Map(
        Array.from(ranges.blocks.whole, (b, i) => [b, ranges.blocks.wholeCountry[i]!] as const),
      );
      const mixedBlocks = new Set(Array.from(ranges.blocks.mixed));
      expect(mixedBlocks.size).toBeGreaterThan(1000);
      for (let i = 0; i < 20_000; i++) {
        const a = rand() * 2 + (rand() & 1);
        const ip = intToIpv4(a);
        let lo = 0;
        let hi = ranges.lo.length - 1;
        let found: string | undefined;
        while (lo <= hi) {
          const mid = (lo + hi) >> 1;
          if (ranges.lo[mid]! > a) hi = mid - 1;
          else if (ranges.hi[mid]! < a) lo = mid + 1;
          else {
            found = ranges.country[mid];
            break;
          }
        }
        const want = classifyV4(a) === 'public' ? geo.reader!.country(ip) : undefined;
        expect(found, ip).toBe(want);
        // Its /16 block: whole (that country), mixed, or in no range (no country).
        const block = Math.floor(a / 65_536);
        if (wholeBlocks.has(block)) expect(wholeBlocks.get(block), ip).toBe(want);
        else if (!mixedBlocks.has(block)) expect(want, ip).toBeUndefined();
      }
    } finally {
      await read.close();
    }
  });

  it('merges a large part straight into the per-source table: one day (rows kept as grouped), several days, untimed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'direct.duckdb');
    const log = join(dir, 'direct.log');
    // 600 sources, each seen in several parts (a part of 100,000 bytes holds ~380 lines).
    const NETS = ['192.0.2', '198.51.100', '203.0.113'];
    const day = (d: string, from: number, n: number) =>
      Array.from({ length: n }, (_, k) =>
        netfilterLine(from + k, { day: d, src: `${NETS[(from + k) % 3]}.${(from + k) % 200}` }),
      );
    const untimed = (n: number) =>
      Array.from(
        { length: n },
        (_, k) =>
          `kernel: [BLOCK] IN=eth0 OUT= SRC=${NETS[k % 3]}.${k % 200} DST=192.0.2.10 LEN=40 TTL=50 ID=9 PROTO=TCP SPT=4000 DPT=23 WINDOW=1024 SYN URGP=0`,
      );
    const store = await openDuckDbStore(path);
    try {
      // A part of at least 150 sources while none wait goes straight into `sources`.
      store.sourcesRecentRows = 150;
      // One day in parts: each part's rows are one per source.
      writeFileSync(log, `${day('2026-11-20', 0, 2000).join('\n')}\n`);
      await ingestIntoStore(store, [log], { kb, detect: false, partBytes: 100_000 });
      expect(await sourcesMismatches(store)).toEqual([]);
      expect(await tableRows(store, 'sources_recent')).toBe(0);
      // Parts that span two days and untimed lines: a source can have several rows in a part.
      appendFileSync(
        log,
        `${[...day('2026-11-20', 2000, 300), ...day('2026-11-21', 2300, 1200), ...untimed(500)].join('\n')}\n`,
      );
      await ingestIntoStore(store, [log], { kb, detect: false, partBytes: 200_000 });
      expect(await sourcesMismatches(store)).toEqual([]);
      expect(await tableRows(store, 'sources_recent')).toBe(0);
      // A small part waits in `sources_recent`; the answers are the same.
      appendFileSync(log, `${day('2026-11-21', 3500, 20).join('\n')}\n`);
      await ingestIntoStore(store, [log], { kb, detect: false });
      expect(await tableRows(store, 'sources_recent')).toBe(20);
      expect(await sourcesMismatches(store)).toEqual([]);
      expect(await tableRows(store, 'sources')).toBe(600);
    } finally {
      await store.close();
    }
  });
});

describe('deferred summaries (schema 7)', () => {
  const NETS = ['192.0.2', '198.51.100', '203.0.113'];
  /** Lines over two days from ~900 sources (IPv4 and IPv6), untimed ones among them. */
  function mixedLines(from: number, n: number): string[] {
    return Array.from({ length: n }, (_, k) => {
      const i = from + k;
      if (i % 17 === 0)
        return `kernel: [BLOCK] IN=eth0 OUT= SRC=${NETS[i % 3]}.${i % 200} DST=192.0.2.10 LEN=40 TTL=50 ID=9 PROTO=TCP SPT=4000 DPT=23 WINDOW=1024 SYN URGP=0`;
      if (i % 5 === 0)
        return `2026-11-2${1 + (i % 2)}T10:00:00+00:00 fw kernel: [BLOCK] IN=eth0 OUT= SRC=2001:db8::${(i % 300).toString(16)} DST=2001:db8:1::1 LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=TCP SPT=5000 DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0`;
      return netfilterLine(i, { day: i % 2 ? '2026-11-21' : '2026-11-22', src: `${NETS[i % 3]}.${i % 200}` });
    });
  }
  // The per-day summaries through their views: when their recent rows are merged depends on how parts are
  // grouped into runs, not what they hold.
  const SUMMARIES = ['source_days_v', 'destination_days_v', 'sources', 'sources_recent', 'summary_pending'];
  async function summaries(store: DuckDbStore): Promise<Record<string, unknown[][]>> {
    const c = await store.connect();
    const out: Record<string, unknown[][]> = {};
    for (const t of SUMMARIES) out[t] = (await c.runAndReadAll(`SELECT * FROM ${t} ORDER BY ALL`)).getRows();
    c.closeSync();
    return out;
  }

  it("writes them after the part, beside the next part: the same summaries as in the part's own transaction", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const log = join(dir, 'mixed.log');
    writeFileSync(log, `${mixedLines(0, 3000).join('\n')}\n`);
    const ingest = async (name: string, defer: number) => {
      const store = await openDuckDbStore(join(dir, name));
      store.deferSummaryEvents = defer;
      store.sourcesRecentRows = 150;
      store.addressDaysRecentRows = 150;
      try {
        // Parts of ~380 lines; with a bound of 200 events the first parts are deferred and each part after a
        // deferred one is written beside its summaries (deferred too, however small: the last part).
        await ingestIntoStore(store, [log], { kb, detect: false, partBytes: 100_000 });
        appendFileSync(log, `${mixedLines(3000, 50).join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb, detect: false });
        expect(await summaryMismatches(store)).toEqual([]);
        expect(await sourcesMismatches(store)).toEqual([]);
        return await summaries(store);
      } finally {
        await store.close();
        writeFileSync(log, `${mixedLines(0, 3000).join('\n')}\n`);
      }
    };
    const here = await ingest('here.duckdb', Number.POSITIVE_INFINITY);
    const deferred = await ingest('deferred.duckdb', 200);
    const all = await ingest('all.duckdb', 1);
    expect(here.source_days_v!.length).toBeGreaterThan(500);
    expect(here.summary_pending).toEqual([]);
    for (const t of SUMMARIES) {
      expect(deferred[t], t).toEqual(here[t]);
      expect(all[t], t).toEqual(here[t]);
    }
  });

  it('a write finishes the summaries a stopped run left pending, and a failed one leaves them for the next', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'p.duckdb');
    const log = join(dir, 'a.log');
    writeFileSync(log, `${mixedLines(0, 2000).join('\n')}\n`);
    let store = await openDuckDbStore(path);
    store.deferSummaryEvents = 1;
    await ingestIntoStore(store, [log], { kb, detect: false, partBytes: 100_000 });
    await store.close();
    await leaveSummariesPending(path);
    store = await openDuckDbStore(path);
    try {
      expect((await summaryMismatches(store)).length).toBeGreaterThan(0);
      // The next write (another file) writes them first.
      const other = join(dir, 'b.log');
      writeFileSync(other, `${mixedLines(5000, 30).join('\n')}\n`);
      await ingestIntoStore(store, [other], { kb, detect: false });
      expect(await summaryMismatches(store)).toEqual([]);
      expect(await sourcesMismatches(store)).toEqual([]);
      expect(await tableRows(store, 'summary_pending')).toBe(0);
      // Deferred summaries that fail: the ingest says so in one sentence, the parts stay pending, the next
      // run writes them.
      store.deferSummaryEvents = 1;
      const side = await store.connect();
      await side.run('ALTER TABLE destination_days_recent RENAME TO destination_days_away');
      appendFileSync(log, `${mixedLines(2000, 500).join('\n')}\n`);
      const e = await fault(ingestIntoStore(store, [log], { kb, detect: false, partBytes: 100_000 }));
      expect(e.message).toMatch(/destination_days/);
      expect(e.message).not.toMatch(/\n\s+at /);
      expect(await tableRows(store, 'summary_pending')).toBeGreaterThan(0);
      await side.run('ALTER TABLE destination_days_away RENAME TO destination_days_recent');
      side.closeSync();
      // The next write of this same store object (a watch runs for months) counts them, however small it is.
      store.deferSummaryEvents = DEFER_SUMMARY_EVENTS;
      appendFileSync(log, `${mixedLines(2500, 10).join('\n')}\n`);
      await ingestIntoStore(store, [log], { kb, detect: false });
      expect(await summaryMismatches(store)).toEqual([]);
      expect(await sourcesMismatches(store)).toEqual([]);
      expect(await tableRows(store, 'summary_pending')).toBe(0);
    } finally {
      await store.close();
    }
  });
});

describe('findings', () => {
  it('stores findings as given, in order, with their lists, missing times and evidence', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-duck-'));
    const path = join(dir, 'f.duckdb');
    const finding = (i: number, extra: Partial<Finding>): Finding => ({
      detector: 'vertical-scan',
      title: { en: `scan ${i}`, zh: `扫描 ${i}` },
      explanation: { en: 'e', zh: 'e' },
      severity: 3,
      confidence: 0.75,
      sources: [],
      targets: [],
      ports: [],
      counts: { events: i },
      evidence: [],
      advice: { en: 'a', zh: 'a' },
      ...extra,
    });
    const given: Finding[] = [
      // A finding from a log without times: no first or last, empty lists, no technique.
      finding(1, { timeBasis: 'line-order' }),
      finding(2, {
        firstSeen: 1_795_000_000_000,
        lastSeen: 1_795_000_600_000,
        sources: ['2001:db8::1', '192.0.2.7'],
        targets: ['198.51.100.1', '198.51.100.2', '198.51.100.3'],
        ports: [22, 23, 3389, 65535],
        technique: 'syn',
        evidence: [
          { text: 'first line', file: join(dir, 'kern.log'), line: 7 },
          { text: 'x'.repeat(3000), line: 9 },
        ],
      }),
      finding(3, {
        title: { en: `"; DROP TABLE findings; -- it's \\ [a, b]`, zh: '中文' },
        sources: ["it's", '"quoted"', 'a,b', '[x]'],
        evidence: [{ text: 'esc\u001b[2J' }],
      }),
    ];
    const store = await openDuckDbStore(path);
    try {
      const w = await store.begin();
      await w.appendFindings(
        given.map((f, i) => ({
          finding: f,
          evidenceInputs: f.evidence.map(() => (i === 1 ? 1 : undefined)),
        })),
      );
      await w.appendFindings([{ finding: finding(4, {}), evidenceInputs: [] }]);
      await w.appendFindings([]);
      await w.commit(unnamedInput(1, join(dir, 'kern.log')));
      const back = await store.findings();
      expect(back.map((f) => f.counts.events)).toEqual([1, 2, 3, 4]);
      const want = [...given, finding(4, {})].map((f, i) => ({
        ...f,
        // Evidence reads back with the path of its input and texts cut at EVIDENCE_TEXT_CHARS.
        evidence: f.evidence.map((e) => ({
          ...(i === 1 ? { file: join(dir, 'kern.log') } : {}),
          ...(e.line === undefined ? {} : { line: e.line }),
          text: e.text.length > 2048 ? `${e.text.slice(0, 2048)}…` : e.text,
        })),
      }));
      expect(back).toEqual(want);
    } finally {
      await store.close();
    }
    // The columns queries filter on hold the same lists and times.
    const ro = await openDuckDbStore(path, { readOnly: true });
    try {
      const { rows } = await ro.sql(
        'SELECT id, first_ts, sources, targets, ports, technique FROM findings ORDER BY id',
      );
      expect(
        // Ids and times come back as decimal texts.
        rows.map(([id, first, ...rest]) => [Number(id), first === null ? null : Number(first), ...rest]),
      ).toEqual([
        [1, null, [], [], [], null],
        [
          2,
          1_795_000_000_000,
          ['2001:db8::1', '192.0.2.7'],
          ['198.51.100.1', '198.51.100.2', '198.51.100.3'],
          [22, 23, 3389, 65535],
          'syn',
        ],
        [3, null, ["it's", '"quoted"', 'a,b', '[x]'], [], [], null],
        [4, null, [], [], [], null],
      ]);
    } finally {
      await ro.close();
    }
  });
});
