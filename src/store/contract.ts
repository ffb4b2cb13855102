// The store contract: the checks every store backend passes (call storeContract from the backend's test file).
import {
  appendFileSync,
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { ContextEnricher } from '../context/enrich.js';
import { openCountryReader } from '../context/geo.js';
import { appendEvent, canonicalFlags, Dictionary, EventBatch } from '../core/batch.js';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { ingest } from '../ingest/pipeline.js';
import { knowledgeBase } from '../knowledge/index.js';
import { intToIpv4 } from '../net/ip.js';
import { NO_COUNTRY, rankCountries, wordsText } from './country.js';
import { ingestIntoStore } from './ingest.js';
import { SCHEMA_VERSION, type Store, type StoredInput, StoreError } from './types.js';

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Leave the embedded store at `path` (closed) as a run killed between its parts' commits and their summaries'
 * leaves it: every event's part pending in `summary_pending`, the summaries empty.
 */
export async function leaveSummariesPending(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const c = await instance.connect();
  for (const t of [
    'source_days',
    'destination_days',
    'source_days_recent',
    'destination_days_recent',
    'sources',
    'sources_recent',
  ])
    await c.run(`DELETE FROM ${t}`);
  await c.run(
    'INSERT INTO summary_pending SELECT file_id, min(line), max(line) FROM events GROUP BY file_id',
  );
  c.closeSync();
  instance.closeSync();
}
const FIX = join(ROOT, 'test', 'fixtures');

/** Every fixture log that has reviewed expected output (all formats): every store must give their events back exactly. */
export const CONTRACT_FIXTURES: string[] = readdirSync(FIX, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .flatMap((d) =>
    readdirSync(join(FIX, d.name))
      .filter((f) => !f.endsWith('.expected.json'))
      .filter((f) => existsSync(join(FIX, d.name, `${f.replace(/\.[^.]+$/, '')}.expected.json`)))
      .map((f) => join(d.name, f)),
  )
  .sort();

/** A netfilter line with the given time (syslog stamp with a year), source, port and prefix. */
export function netfilterLine(
  i: number,
  opts: { day?: string; src?: string; port?: number; prefix?: string } = {},
) {
  const sec = String(i % 60).padStart(2, '0');
  const day = opts.day ?? '2026-11-21';
  return `${day}T10:00:${sec}+00:00 fw kernel: [${opts.prefix ?? 'BLOCK'}] IN=eth0 OUT= SRC=${opts.src ?? `203.0.113.${i % 250}`} DST=192.0.2.10 LEN=40 TOS=0x00 PREC=0x00 TTL=50 ID=${i} PROTO=TCP SPT=${1000 + i} DPT=${opts.port ?? 22} WINDOW=1024 RES=0x00 SYN URGP=0`;
}

/**
 * A log whose sources (and the targets of source 2001:db8::99) are first seen in an order that is not theirs
 * by address, most of them tied: `ranked` is how every store ranks them (count, then IPv4 by number, then
 * IPv6 by value), `targets` the three first targets of 2001:db8::99, as `address count`.
 */
export function tiedAddressesLog(): { lines: string[]; ranked: string[]; targets: string[] } {
  const v6Line = (i: number, src: string, dst: string) =>
    `2026-11-21T10:00:${String(i % 60).padStart(2, '0')}+00:00 fw kernel: [BLOCK] IN=eth0 OUT= SRC=${src} DST=${dst} LEN=80 TC=0 HOPLIMIT=57 FLOWLBL=0 PROTO=TCP SPT=${40000 + i} DPT=22 WINDOW=1024 RES=0x00 SYN URGP=0`;
  const sources: [string, number][] = [
    ['2001:db8::30', 2],
    ['2001:db8:0:1::1', 2],
    ['203.0.113.9', 2],
    ['2001:db8::4', 2],
    ['198.51.100.1', 2],
    ['2001:db8::ff:1', 3],
    ['2001:db8::a', 2],
  ];
  const lines: string[] = [];
  let i = 0;
  for (const [src, n] of sources)
    for (let k = 0; k < n; k++, i++)
      lines.push(src.includes(':') ? v6Line(i, src, '2001:db8:ffff::10') : netfilterLine(i, { src }));
  for (const dst of ['2001:db8::30', '2001:db8:0:1::1', '2001:db8::4', '2001:db8::a'])
    lines.push(v6Line(i++, '2001:db8::99', dst));
  return {
    lines,
    ranked: [
      '2001:db8::99 4',
      '2001:db8::ff:1 3',
      '198.51.100.1 2',
      '203.0.113.9 2',
      '2001:db8::4 2',
      '2001:db8::a 2',
      '2001:db8::30 2',
      '2001:db8:0:1::1 2',
    ],
    targets: ['2001:db8::4 1', '2001:db8::a 1', '2001:db8::30 1'],
  };
}

/** Events of files as the pipeline reads them (what the store must give back). */
async function parsed(paths: string[]): Promise<FwEvent[]> {
  const out: FwEvent[] = [];
  await ingest(
    paths.map((path) => ({ path })),
    { onEvent: (ev) => out.push(ev) },
  );
  return out;
}

/** An event as a store gives it back: flags in the kernel's order, nothing else changed. */
function normal(ev: FwEvent): FwEvent {
  const copy = { ...ev };
  if (copy.tcpFlags) copy.tcpFlags = canonicalFlags(copy.tcpFlags);
  return JSON.parse(JSON.stringify(copy)) as FwEvent;
}

async function all(store: Store): Promise<FwEvent[]> {
  const out: FwEvent[] = [];
  for await (const ev of store.events()) out.push(ev);
  return out;
}

const kb = knowledgeBase();

/**
 * Register the contract tests for one backend. `open(dir)` opens (creating) a fresh store in `dir`;
 * `reopen(store)` closes and opens it again (to check what survives).
 */
export function storeContract(name: string, open: (dir: string) => Promise<Store>): void {
  describe(`store contract: ${name}`, () => {
    const fresh = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'fwlens-store-'));
      return { dir, store: await open(dir) };
    };

    it('a new store is empty at the current schema version', async () => {
      const { store } = await fresh();
      try {
        expect(await store.schemaVersion()).toBe(SCHEMA_VERSION);
        expect(await store.inputs()).toEqual([]);
        expect(await store.eventCount()).toBe(0);
        expect(await store.nextInputId()).toBe(1);
      } finally {
        await store.close();
      }
    });

    // Every fixture of every format, written and read back: on ClickHouse's two servers this took most of the
    // default minute on a loaded machine (and ran out of it at a load of 15 on 2 cores).
    it('gives back every event of every fixture exactly as parsed, input by input in time order', {
      timeout: 180_000,
    }, async () => {
      const { store } = await fresh();
      try {
        const paths = CONTRACT_FIXTURES.map((f) => join(FIX, f));
        // The fixtures are complete files, some without a final line end (as their authors wrote them): their
        // last line is read at once, not held back as a line still being written (a fresh clone's files are new).
        const outcomes = await ingestIntoStore(store, paths, { kb, partialLineQuietMs: 0 });
        expect(outcomes.map((o) => o.kind)).toEqual(paths.map(() => 'new'));
        // Each input's events in line order; the inputs by their first time (those without one last), as given
        // when they tie.
        const byFile = new Map(paths.map((p) => [p, [] as FwEvent[]]));
        for (const ev of await parsed(paths)) byFile.get(ev.file!)!.push(ev);
        const first = (evs: FwEvent[]) =>
          Math.min(...evs.map((e) => e.timestamp ?? Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
        const order = [...byFile.values()].map((evs, i) => ({ evs, i, t: first(evs) }));
        order.sort((a, b) => a.t - b.t || a.i - b.i);
        const want = order.flatMap((o) => o.evs).map(normal);
        expect(new Set(order.map((o) => o.i)).size).toBe(paths.length);
        expect(want.length).toBeGreaterThan(50);
        expect(await store.eventCount()).toBe(want.length);
        expect((await all(store)).map(normal)).toEqual(want);
      } finally {
        await store.close();
      }
    });

    it('a rolled-back write leaves nothing, a committed one everything', async () => {
      const { store } = await fresh();
      try {
        const batch = new EventBatch(new Dictionary());
        appendEvent(
          batch,
          { format: 'netfilter', action: 'deny', direction: 'inbound', sourceIp: '198.51.100.1' },
          0,
          1,
        );
        const w = await store.begin();
        await w.appendEvents(batch, 1);
        await w.rollback();
        expect(await store.eventCount()).toBe(0);
        expect(await store.inputs()).toEqual([]);
        const w2 = await store.begin();
        await w2.appendEvents(batch, 1);
        const input: StoredInput = {
          id: 1,
          path: 'x.log',
          dev: 1,
          ino: 2,
          fingerprint: 'f',
          fingerprintBytes: 1,
          size: 10,
          offset: 10,
          lines: 1,
          events: 1,
          unparsed: 0,
          stats: {
            path: 'x.log',
            formats: {},
            lines: 1,
            events: 1,
            malformed: 0,
            nonTraffic: {},
            unrecognized: 0,
            blank: 0,
            multiEventExtra: 0,
          },
        };
        await w2.commit(input);
        expect(await store.eventCount()).toBe(1);
        expect(await store.inputs()).toEqual([input]);
      } finally {
        await store.close();
      }
    });

    it('incremental: appended lines only, line numbers continue, a partial last line waits', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        writeFileSync(log, `${[0, 1, 2].map((i) => netfilterLine(i)).join('\n')}\n`);
        expect((await ingestIntoStore(store, [log], { kb }))[0]).toMatchObject({ kind: 'new', events: 3 });
        expect((await ingestIntoStore(store, [log], { kb }))[0]).toMatchObject({
          kind: 'unchanged',
          events: 0,
        });
        appendFileSync(log, `${netfilterLine(3)}\n${netfilterLine(4).slice(0, 30)}`);
        const second = (await ingestIntoStore(store, [log], { kb }))[0]!;
        expect(second).toMatchObject({ kind: 'appended', events: 1, lines: 1 });
        expect(second.pendingBytes).toBe(30);
        appendFileSync(log, `${netfilterLine(4).slice(30)}\n`);
        expect((await ingestIntoStore(store, [log], { kb }))[0]).toMatchObject({
          kind: 'appended',
          events: 1,
        });
        const events = await all(store);
        expect(events.map((e) => e.line)).toEqual([1, 2, 3, 4, 5]);
        expect(events.map((e) => e.ipId)).toEqual([0, 1, 2, 3, 4]);
        expect(normal(events[4]!)).toEqual(normal((await parsed([log]))[4]!));
        expect((await store.inputs())[0]).toMatchObject({
          lines: 5,
          events: 5,
          offset: readFileSync(log).length,
        });
      } finally {
        await store.close();
      }
    });

    it('an unterminated last line of a file that has gone quiet is its real last line', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        writeFileSync(log, `${netfilterLine(0)}\n${netfilterLine(1)}`);
        const [o] = await ingestIntoStore(store, [log], { kb, partialLineQuietMs: 0 });
        expect(o).toMatchObject({ kind: 'new', events: 2, lines: 2 });
        expect(o!.pendingBytes).toBeUndefined();
        expect((await ingestIntoStore(store, [log], { kb }))[0]).toMatchObject({ kind: 'unchanged' });
      } finally {
        await store.close();
      }
    });

    it('a rotated (renamed) file is recognised and not read again; its new name continues it', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        writeFileSync(log, `${[0, 1].map((i) => netfilterLine(i)).join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb });
        renameSync(log, `${log}.1`);
        appendFileSync(`${log}.1`, `${netfilterLine(2)}\n`);
        writeFileSync(log, `${netfilterLine(10, { src: '198.51.100.7' })}\n`);
        const [rotated, fresh2] = await ingestIntoStore(store, [`${log}.1`, log], { kb });
        expect(rotated).toMatchObject({ kind: 'renamed', previousPath: log, events: 1, inputId: 1 });
        expect(fresh2).toMatchObject({ kind: 'new', events: 1, inputId: 2 });
        expect(await store.eventCount()).toBe(4);
        expect((await store.inputs()).map((i) => i.path)).toEqual([`${log}.1`, log]);
      } finally {
        await store.close();
      }
    });

    it('a copy of a stored file beside it is an input of its own from where the original ended; the original stays', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        writeFileSync(log, `${[0, 1, 2].map((i) => netfilterLine(i)).join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb });
        // A backup copy that goes on a little further than what was read of the original.
        const copy = join(dir, 'kern.log.bak');
        copyFileSync(log, copy);
        appendFileSync(copy, `${netfilterLine(3)}\n`);
        const [copied] = await ingestIntoStore(store, [copy], { kb });
        expect(copied).toMatchObject({ kind: 'copied', previousPath: log, events: 1, lines: 1, inputId: 2 });
        // The original is still the first input: nothing new in it, not read again as new.
        const [again] = await ingestIntoStore(store, [log], { kb });
        expect(again).toMatchObject({ kind: 'unchanged', inputId: 1 });
        expect(await store.eventCount()).toBe(4);
        expect((await store.inputs()).map((i) => [i.path, i.lines])).toEqual([
          [log, 3],
          [copy, 4],
        ]);
      } finally {
        await store.close();
      }
    });

    it('a rotated file compressed afterwards (kern.log.1 -> kern.log.2.gz) is not read again', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log.1');
        writeFileSync(log, `${Array.from({ length: 40 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb });
        // Two lines more were written before the rotation, then logrotate compressed it.
        appendFileSync(log, `${netfilterLine(40)}\n${netfilterLine(41)}\n`);
        writeFileSync(`${dir}/kern.log.2.gz`, gzipSync(readFileSync(log)));
        rmSync(log);
        const [o] = await ingestIntoStore(store, [`${dir}/kern.log.2.gz`], { kb });
        expect(o).toMatchObject({ kind: 'renamed', previousPath: log, events: 2, lines: 2, inputId: 1 });
        expect((await all(store)).map((e) => e.line)).toEqual(Array.from({ length: 42 }, (_, i) => i + 1));
        expect((await ingestIntoStore(store, [`${dir}/kern.log.2.gz`], { kb }))[0]).toMatchObject({
          kind: 'unchanged',
        });
        expect(await store.eventCount()).toBe(42);
      } finally {
        await store.close();
      }
    });

    it('a truncated file is read again from its start as a new input, and says so', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        writeFileSync(log, `${[0, 1, 2].map((i) => netfilterLine(i)).join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb });
        writeFileSync(log, `${netfilterLine(0)}\n`);
        expect((await ingestIntoStore(store, [log], { kb }))[0]).toMatchObject({
          kind: 'truncated',
          events: 1,
          inputId: 2,
        });
        expect(await store.eventCount()).toBe(4);
      } finally {
        await store.close();
      }
    });

    it('splits a large append into parts (one transaction each) with the same result', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        writeFileSync(log, `${Array.from({ length: 200 }, (_, i) => netfilterLine(i)).join('\n')}\n`);
        const [o] = await ingestIntoStore(store, [log], { kb, partBytes: 4096 });
        expect(o).toMatchObject({ kind: 'new', events: 200, lines: 200 });
        expect((await all(store)).map(normal)).toEqual((await parsed([log])).map(normal));
      } finally {
        await store.close();
      }
    });

    it('keeps every unparsed line with its number and reason, and findings with evidence by file and line', async () => {
      const { store } = await fresh();
      try {
        const sample = join(ROOT, 'examples', 'sample.log');
        const [o] = await ingestIntoStore(store, [sample], { kb });
        const problems = await store.problems(1000);
        expect(problems.length).toBe(o!.unparsed);
        const lines = readFileSync(sample, 'utf8').split('\n');
        for (const p of problems) expect(lines[p.line - 1]!.startsWith(p.text.replace(/…$/, ''))).toBe(true);
        const findings = await store.findings();
        expect(findings.length).toBe(o!.findings);
        expect(findings.length).toBeGreaterThan(0);
        for (const f of findings)
          for (const e of f.evidence) {
            expect(e.file).toBe(sample);
            expect(lines[e.line! - 1]).toBe(e.text);
          }
        // An address, or a network, answers with the findings of its sources (a network's were none before).
        const titles = (fs: Finding[]) => fs.map((f) => `${f.detector} ${f.firstSeen} ${f.title.en}`).sort();
        for (const [query, has] of [
          ['203.0.113.77', (s: string) => s === '203.0.113.77'],
          ['203.0.113.0/24', (s: string) => s.startsWith('203.0.113.')],
          ['198.51.100.0/25', (s: string) => s.startsWith('198.51.100.') && Number(s.split('.')[3]) < 128],
          ['fe80::/10', (s: string) => /^fe[89ab]/.test(s)],
          ['2001:db8::/32', (s: string) => s.startsWith('2001:db8:')],
        ] as const) {
          const want = titles(findings.filter((f) => f.sources.some(has)));
          if (query !== '2001:db8::/32') expect(want.length, query).toBeGreaterThan(0);
          expect(titles((await store.querySource(query)).findings), query).toEqual(want);
        }
      } finally {
        await store.close();
      }
    });

    it('hostile values stay data: quotes, SQL, control characters, very long names', async () => {
      const { dir, store } = await fresh();
      try {
        const hostile = [
          "it's",
          `"; DROP TABLE events; --`,
          "'); DELETE FROM inputs; --",
          'esc\u001b[2Jbell\u0007',
          'R'.repeat(20_000),
          '中文\\n',
        ];
        const batch = new EventBatch(new Dictionary());
        hostile.forEach((rule, i) => {
          appendEvent(
            batch,
            {
              format: 'netfilter',
              action: 'deny',
              direction: 'inbound',
              timestamp: 1_795_000_000_000 + i,
              sourceIp: '198.51.100.1',
              ruleName: rule,
              observerHost: rule,
            },
            0,
            i + 1,
          );
        });
        const w = await store.begin();
        await w.appendEvents(batch, 1);
        await w.appendProblems([
          { inputId: 1, line: 9, kind: 'malformed', reason: hostile[1]!, text: hostile[3]! },
        ]);
        await w.commit({
          id: 1,
          path: join(dir, 'we\'ird"; DROP.log'),
          dev: 0,
          ino: 0,
          fingerprint: "'",
          fingerprintBytes: 0,
          size: 0,
          offset: 0,
          lines: 9,
          events: hostile.length,
          unparsed: 1,
          stats: {
            path: 'x',
            formats: {},
            lines: 9,
            events: 6,
            malformed: 1,
            nonTraffic: {},
            unrecognized: 0,
            blank: 0,
            multiEventExtra: 0,
          },
        });
        expect((await all(store)).map((e) => e.ruleName)).toEqual(hostile);
        expect((await store.top('rule', 10)).map((r) => r.key).sort()).toEqual([...hostile].sort());
        expect((await store.problems(5))[0]).toMatchObject({ reason: hostile[1], text: hostile[3] });
        expect((await store.inputs())[0]!.path).toBe(join(dir, 'we\'ird"; DROP.log'));
        await expect(store.querySource("1.2.3.4' OR 1=1 --")).rejects.toBeInstanceOf(StoreError);
        expect(await store.eventCount()).toBe(hostile.length);
      } finally {
        await store.close();
      }
    });

    it('answers the presets: address (and network), port, top, new sources', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        const lines = [
          ...Array.from({ length: 5 }, (_, i) =>
            netfilterLine(i, { day: '2026-11-20', src: '203.0.113.7', port: 3389 }),
          ),
          ...Array.from({ length: 3 }, (_, i) =>
            netfilterLine(i, { day: '2026-11-21', src: '203.0.113.7', port: 22 }),
          ),
          ...Array.from({ length: 2 }, (_, i) =>
            netfilterLine(i, { day: '2026-11-21', src: '198.51.100.9', port: 3389 }),
          ),
          netfilterLine(1, { day: '2026-11-21', src: '2001:db8::7', port: 443 }).replace(
            'TTL=50 ID=1 ',
            'TC=0 HOPLIMIT=50 FLOWLBL=0 ',
          ),
          // IPv6 sources at the edges of networks (one event each, a port each, a day before the windows below).
          ...[
            '2001:db8::ffff:ffff:ffff:ffff',
            '2001:db8:0:1::',
            '2001:db8:0:1::9',
            '2001:db8:1::5',
            '2001:db9::1',
          ].map((src, k) =>
            netfilterLine(2 + k, { day: '2026-11-20', src, port: 8001 + k }).replace(
              `TTL=50 ID=${2 + k} `,
              'TC=0 HOPLIMIT=50 FLOWLBL=0 ',
            ),
          ),
        ];
        writeFileSync(log, `${lines.join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb });
        const ip = await store.querySource('203.0.113.7');
        expect(ip).toMatchObject({ events: 8, firstSeen: Date.parse('2026-11-20T10:00:00Z') });
        expect(ip.perDay).toEqual([
          { key: '2026-11-20', count: 5 },
          { key: '2026-11-21', count: 3 },
        ]);
        expect(ip.ports[0]).toEqual({ key: '3389/tcp', count: 5 });
        expect(ip.topPort).toEqual({ port: 3389, transport: 'tcp' });
        expect((await store.querySource('203.0.113.0/24')).events).toBe(8);
        expect((await store.querySource('2001:db8:0::7')).events).toBe(1);
        // IPv6 networks: a range of the 128-bit values, wider and narrower than /64 (the two halves in
        // ClickHouse), named by their canonical text with the host bits cleared.
        for (const [net, events, shown] of [
          ['2001:db8::/32', 5, '2001:db8::/32'],
          ['2001:db8::/48', 4, '2001:db8::/48'],
          ['2001:db8::/64', 2, '2001:db8::/64'],
          ['2001:DB8::7/64', 2, '2001:db8::/64'],
          ['2001:db8:0:1::/64', 2, '2001:db8:0:1::/64'],
          ['2001:db8::/120', 1, '2001:db8::/120'],
          ['2001:db8:0:1::8/125', 1, '2001:db8:0:1::8/125'],
          ['2001:db8::ffff:ffff:ffff:ffff/128', 1, '2001:db8::ffff:ffff:ffff:ffff'],
          ['::/0', 6, '::/0'],
        ] as const) {
          const q = await store.querySource(net);
          expect([q.events, q.ip], net).toEqual([events, shown]);
        }
        expect((await store.queryPort(3389)).sources).toEqual([
          { key: '203.0.113.7', count: 5 },
          { key: '198.51.100.9', count: 2 },
        ]);
        // One transport of a port, and shorter lists.
        expect((await store.queryPort(3389, undefined, { transport: 'tcp' })).events).toBe(7);
        expect((await store.queryPort(3389, undefined, { transport: 'udp' })).events).toBe(0);
        expect((await store.queryPort(3389, undefined, { limit: 1 })).sources).toEqual([
          { key: '203.0.113.7', count: 5 },
        ]);
        expect((await store.querySource('203.0.113.7', undefined, { limit: 1 })).ports).toEqual([
          { key: '3389/tcp', count: 5 },
        ]);
        expect(await store.top('port', 2)).toEqual([
          { key: '3389/tcp', count: 7 },
          { key: '22/tcp', count: 3 },
        ]);
        const since = Date.parse('2026-11-21T00:00:00Z');
        expect((await store.top('src', 5, { since }))[0]).toEqual({ key: '203.0.113.7', count: 3 });
        expect((await store.newSources(since, 10)).map((r) => r.key).sort()).toEqual([
          '198.51.100.9',
          '2001:db8::7',
        ]);
      } finally {
        await store.close();
      }
    });

    it('per-source counts (IPv4 in order, then IPv6) rank countries with the context country data', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        const v6 = (i: number, src: string) =>
          netfilterLine(i, { src }).replace(`TTL=50 ID=${i} `, 'TC=0 HOPLIMIT=50 FLOWLBL=0 ');
        // Public addresses of known owners (their countries in the bundled data), documentation and private ones.
        const sources = [
          ['8.8.8.8', 4],
          ['162.142.125.10', 3],
          ['1.0.0.1', 2],
          ['203.0.113.7', 2],
          ['10.0.0.1', 1],
          ['8.8.4.4', 1],
        ] as const;
        const lines = sources.flatMap(([src, n]) =>
          Array.from({ length: n }, (_, i) => netfilterLine(i, { src })),
        );
        // IPv6: every 32-bit part of the last one differs from the others' (a store may hand them on as numbers).
        const full = '2a03:2880:f10c:83:face:b00c:0:25de';
        lines.push(v6(1, '2a00:1450::1'), v6(2, '2a00:1450::1'), v6(3, '2001:db8::7'), v6(4, full));
        writeFileSync(log, `${lines.join('\n')}\n`);
        await ingestIntoStore(store, [log], { kb, detect: false });
        const counts: { v4?: number; ip?: string; count: number }[] = [];
        for await (const batch of store.sourceCounts())
          batch.count.forEach((count, i) => {
            counts.push(
              'v4' in batch
                ? { v4: batch.v4[i]!, count }
                : { ip: 'v6' in batch ? wordsText(batch.v6, i) : batch.ip[i]!, count },
            );
          });
        const v4 = counts.filter((c) => c.v4 !== undefined);
        expect(v4.map((c) => intToIpv4(c.v4!))).toEqual([
          '1.0.0.1',
          '8.8.4.4',
          '8.8.8.8',
          '10.0.0.1',
          '162.142.125.10',
          '203.0.113.7',
        ]);
        expect(v4.map((c) => c.count)).toEqual([2, 1, 4, 1, 3, 2]);
        expect(counts.filter((c) => c.v4 === undefined).sort((a, b) => (a.ip! < b.ip! ? -1 : 1))).toEqual([
          { ip: '2001:db8::7', count: 1 },
          { ip: '2a00:1450::1', count: 2 },
          { ip: full, count: 1 },
        ]);
        const geo = openCountryReader();
        expect(geo.reader).toBeDefined();
        // The same answers as the context gives address by address.
        const enricher = new ContextEnricher(kb);
        const expected = new Map<string, { count: number; sources: number }>();
        for (const [src, n] of [
          ...sources,
          ['2a00:1450::1', 2] as const,
          ['2001:db8::7', 1] as const,
          [full, 1] as const,
        ]) {
          const key = enricher.of(src).country ?? NO_COUNTRY;
          const e = expected.get(key) ?? { count: 0, sources: 0 };
          expected.set(key, { count: e.count + n, sources: e.sources + 1 });
        }
        const ranked = await rankCountries(store.sourceCounts(), geo.reader!, 10);
        expect(new Map(ranked.map((r) => [r.key, { count: r.count, sources: r.sources }]))).toEqual(expected);
        expect(ranked[0]).toEqual({ key: 'US', count: 8, sources: 3 });
        expect(ranked.find((r) => r.key === NO_COUNTRY)).toEqual({ key: NO_COUNTRY, count: 4, sources: 3 });
        expect(await rankCountries(store.sourceCounts(), geo.reader!, 1)).toHaveLength(1);
        const late = { since: Date.parse('2026-11-21T10:00:02Z') };
        let inWindow = 0;
        for await (const batch of store.sourceCounts(late)) for (const c of batch.count) inWindow += c;
        expect(inWindow).toBe(6); // i >= 2: two of 8.8.8.8, one of 162.142.125.10, three IPv6
      } finally {
        await store.close();
      }
    });

    it('retention by size drops the oldest days first, never the newest', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        const days = ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04'];
        writeFileSync(
          log,
          `${days.flatMap((day, d) => Array.from({ length: 5 + d }, (_, i) => netfilterLine(i, { day }))).join('\n')}\n`,
        );
        await ingestIntoStore(store, [log], { kb });
        const roomy = await store.pruneToSize(1e12);
        expect(roomy).toMatchObject({ events: 0, findings: 0 });
        expect(roomy.before).toBeUndefined();
        expect(roomy.bytesBefore).toBeGreaterThan(0);
        expect(roomy.bytesAfter).toBe(roomy.bytesBefore);
        expect(await store.eventCount()).toBe(5 + 6 + 7 + 8);
        // A bound nothing fits: every day but the newest goes, and the newest stays even so.
        const tight = await store.pruneToSize(1);
        expect(tight).toMatchObject({ events: 5 + 6 + 7, before: Date.parse('2026-06-04T00:00:00Z') });
        expect(tight.bytesAfter).toBeGreaterThan(1);
        expect(await store.eventCount()).toBe(8);
        expect((await store.pruneToSize(1)).events).toBe(0);
      } finally {
        await store.close();
      }
    });

    it('retention drops what is older than the cut-off, never the newest day, with the unparsed lines before it', async () => {
      const { dir, store } = await fresh();
      try {
        const log = join(dir, 'kern.log');
        const garbage = (tag: string) => `garbage that no format reads ${tag}`;
        // Unparsed lines have no time: one before the old event goes with it, the ones after it stay.
        writeFileSync(
          log,
          `${[garbage('a'), netfilterLine(0, { day: '2026-01-01' }), garbage('b'), netfilterLine(1, { day: '2026-06-01' }), garbage('c'), netfilterLine(2, { day: '2026-06-01' })].join('\n')}\n`,
        );
        await ingestIntoStore(store, [log], { kb });
        expect((await store.problems(10)).map((p) => p.line)).toEqual([1, 3, 5]);
        expect(await store.prune(Date.parse('2026-03-01'))).toMatchObject({ events: 1, unparsed: 1 });
        expect((await store.problems(10)).map((p) => p.line)).toEqual([3, 5]);
        // A cut-off after everything still keeps the newest day.
        expect(await store.prune(Date.parse('2027-01-01'))).toMatchObject({ events: 0, unparsed: 0 });
        expect(await store.eventCount()).toBe(2);
        expect((await store.problems(10)).map((p) => p.line)).toEqual([3, 5]);
      } finally {
        await store.close();
      }
    });
  });
}
