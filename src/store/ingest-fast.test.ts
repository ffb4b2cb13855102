// The store ingest with the netfilter byte fast path against the same ingest without it: on a mixed log of
// real netfilter lines, lines the fast path declines, other formats, multi-line records and damaged lines,
// both give the same stored rows, unparsed lines (with their line numbers), inputs and findings.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateFile } from '../../bench/generate.js';
import { CORPUS, HAVE_CORPUS, ingestFiles, ROOT } from '../../test/helpers.js';
import { canonicalFlags } from '../core/batch.js';
import type { FwEvent } from '../event.js';
import { knowledgeBase } from '../knowledge/index.js';
import { ipv6Groups } from '../net/ip.js';
import { openDuckDbStore } from './duckdb.js';
import { type IngestOutcome, ingestIntoStore, ingestThreadsStarted } from './ingest.js';

const kb = knowledgeBase();

/** Netfilter logs of the corpus (real lines from others' systems), and one of another format. */
function corpusLogs(): Buffer[] {
  if (!HAVE_CORPUS) return [];
  const out: Buffer[] = [];
  for (const d of ['iptables', 'ufw', 'nftables', 'other-unifi', 'other-proxmox-pvefw', 'fortigate'])
    for (const f of readdirSync(join(CORPUS, d)).sort())
      if (f.endsWith('.log')) out.push(readFileSync(join(CORPUS, d, f)));
  return out;
}

/** Lines the fast path declines (the readable path reads them) and damaged ones (no parser reads them). */
const ODD_LINES = [
  // Rare fields, a quoted inner packet, a fragment, an uncanonical IPv6 address, a prefix read as a tag.
  'Nov 20 11:11:09 edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.7 DST=192.0.2.10 LEN=1500 TTL=51 ID=1 PROTO=ICMP TYPE=3 CODE=4 MTU=1400 [SRC=192.0.2.10 DST=203.0.113.7 LEN=1500 TOS=0x00 PREC=0x00 TTL=64 ID=2 DF PROTO=TCP SPT=443 DPT=5555 WINDOW=0 RES=0x00 ACK URGP=0 ]',
  'Nov 20 11:11:10 edge kernel: OUTPUT DROP IN= OUT=eth0 SRC=192.0.2.10 DST=203.0.113.9 LEN=60 TTL=64 ID=3 PROTO=TCP SPT=4000 DPT=25 WINDOW=64240 SYN UID=1000 GID=1000',
  'Nov 20 11:11:11 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.8 DST=192.0.2.10 LEN=40 TTL=50 ID=4 FRAG:185 PROTO=UDP',
  'Nov 20 11:11:12 edge kernel: DROP IN=eth0 OUT= SRC=2001:0db8:0000:0000:0000:0000:0000:0001 DST=2001:db8::2 LEN=80 TC=0 HOPLIMIT=60 FLOWLBL=0 PROTO=TCP SPT=1 DPT=22 WINDOW=1 SYN',
  'Jan  8 03:37:09 DENY: IN=eth0 OUT= SRC=203.0.113.20 DST=192.0.2.10 LEN=60 TTL=51 ID=5 PROTO=TCP SPT=2 DPT=23 WINDOW=1 SYN',
  'Nov 20 11:11:13 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.21 DST=192.0.2.10 LEN=60 TTL=51 ID=6 PROTO=TCP SPT=3 DPT=80 WINDOW=1 SYN MARK=0x1',
  // Damaged: cut short, absurd values, a NUL, invalid UTF-8, a CR line end, garbage.
  'Nov 20 11:11:14 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.22 DST=192.0.2.10 LEN=60 TTL=51 ID=7 PROTO=TCP SPT=4',
  'Nov 20 11:11:15 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.23 DST=192.0.2.10 LEN=60 TTL=51 ID=8 PROTO=TCP SPT=99999 DPT=22',
  'Nov 20 11:11:16 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.24 DST=192.0.2.10 LEN=60 TTL=51 ID=9 PROTO=TCP SPT=5 DPT=22 WINDOW=1 SYN\0\0',
  'Nov 20 11:11:17 edge\xff\xfe kernel: DROP IN=eth0 OUT= SRC=203.0.113.25 DST=192.0.2.10 LEN=60 TTL=51 ID=10 PROTO=TCP SPT=6 DPT=22 WINDOW=1 SYN',
  'Nov 20 11:11:18 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.26 DST=192.0.2.10 LEN=60 TTL=51 ID=11 PROTO=TCP SPT=7 DPT=22 WINDOW=1 SYN\r',
  'not a firewall line at all',
  '<4>',
  '',
  `Nov 20 11:11:19 edge kernel: DROP IN=eth0 OUT= SRC=203.0.113.27 DST=192.0.2.10 ${'X'.repeat(5000)}`,
];

/** The mixed log: generated busy traffic (with planted scans) in slices, the corpus and the odd lines between them. */
async function mixedLog(dir: string): Promise<string> {
  const busyPath = join(dir, 'busy.log');
  await generateFile(20_000, busyPath);
  const busy = readFileSync(busyPath, 'latin1')
    .split('\n')
    .filter((l) => l !== '');
  const others = [
    ...corpusLogs().map((b) => b.toString('latin1')),
    readFileSync(join(ROOT, 'examples', 'sample.log'), 'latin1'),
  ];
  const parts: string[] = [];
  const slice = Math.ceil(busy.length / (others.length + 1));
  for (let i = 0; i <= others.length; i++) {
    parts.push(busy.slice(i * slice, (i + 1) * slice).join('\n'));
    parts.push(ODD_LINES.join('\n'));
    if (i < others.length) parts.push(others[i]!.replace(/\n$/, ''));
  }
  const path = join(dir, 'mixed.log');
  writeFileSync(path, Buffer.from(`${parts.join('\n')}\n`, 'latin1'));
  return path;
}

interface Stored {
  outcome: IngestOutcome;
  tables: Record<string, unknown[][]>;
}

/**
 * Ingest `log` into a fresh store (in parts, so line numbers continue over parts) and read every table back.
 * `thread`: each part read (and detected) in an ingest thread (the default) or in this one.
 */
async function ingestAndRead(
  dir: string,
  log: string,
  fastPath: boolean,
  detect: boolean,
  thread = true,
  more: { partBytes?: number; threadBatches?: number } = {},
): Promise<Stored> {
  const path = join(
    dir,
    `${fastPath ? 'fast' : 'readable'}-${detect}-${thread}-${JSON.stringify(more)}.duckdb`,
  );
  rmSync(path, { force: true });
  const store = await openDuckDbStore(path);
  let outcome: IngestOutcome;
  try {
    [outcome] = (await ingestIntoStore(store, [log], {
      kb,
      year: 2026,
      detect,
      fastPath,
      thread,
      // Every part in a thread, however small (by default only parts from THREAD_MIN_BYTES on).
      threadMinBytes: 0,
      maxLineBytes: 4096,
      // Several parts (read one after another by one thread), the line numbers continuing over them.
      partBytes: 2 * 1024 * 1024,
      ...more,
    })) as [IngestOutcome];
  } finally {
    await store.close();
  }
  const ro = await openDuckDbStore(path, { readOnly: true });
  try {
    const tables: Record<string, unknown[][]> = {};
    for (const [name, sql] of [
      ['events', 'SELECT * FROM events ORDER BY file_id, line'],
      ['events_v', 'SELECT * FROM events_v ORDER BY file_id, line'],
      ['strings', 'SELECT * FROM strings ORDER BY id'],
      ['unparsed', 'SELECT * FROM unparsed ORDER BY file_id, line'],
      ['inputs', 'SELECT id, lines, events, unparsed, first_ts, last_ts, stats FROM inputs ORDER BY id'],
      ['findings', 'SELECT * EXCLUDE (id) FROM findings ORDER BY id'],
      ['evidence', 'SELECT * EXCLUDE (finding_id) FROM evidence ORDER BY finding_id, ord'],
      ['source_days', 'SELECT * FROM source_days ORDER BY ALL'],
      ['destination_days', 'SELECT * FROM destination_days ORDER BY ALL'],
      ['sources', 'SELECT * FROM sources ORDER BY ALL'],
      ['sources_recent', 'SELECT * FROM sources_recent ORDER BY ALL'],
    ] as const)
      tables[name] = (await ro.sql(sql)).rows;
    return { outcome, tables };
  } finally {
    await ro.close();
  }
}

describe('store ingest: netfilter byte fast path against the readable path', () => {
  let dir: string;
  let log: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fwlens-ingest-fast-'));
    log = await mixedLog(dir);
  }, 60_000);

  it.each([true, false])(
    'stores the same rows, unparsed lines, inputs and findings (detection %s)',
    async (detect) => {
      const fast = await ingestAndRead(dir, log, true, detect);
      // The reference: the readable path only, in this thread.
      const readable = await ingestAndRead(dir, log, false, detect, false);
      const { fastEvents, ...fastOutcome } = fast.outcome;
      expect(fastOutcome).toEqual(readable.outcome);
      expect(readable.outcome.fastEvents).toBeUndefined();
      // The fast path read most events, the readable path the rest.
      expect(fastEvents).toBeGreaterThan(readable.outcome.events * 0.9);
      expect(fastEvents).toBeLessThan(readable.outcome.events);
      for (const name of Object.keys(readable.tables))
        expect(fast.tables[name], name).toEqual(readable.tables[name]);
      // What is compared holds what it should: damaged lines by their numbers, other formats, findings.
      const t = readable.tables;
      expect(t.events!.length).toBe(readable.outcome.events);
      expect(t.unparsed!.length).toBe(readable.outcome.unparsed);
      // The damaged odd lines are stored as unparsed under their own line numbers (line ends as the reader splits).
      const lines = readFileSync(log, 'latin1').split(/\r\n|\r|\n/);
      const unparsedAt = new Set(t.unparsed!.map(([, line]) => Number(line)));
      const damaged = (l: string) =>
        l.includes('SPT=99999') || l.includes('\0') || l.length > 4096 || l === 'not a firewall line at all';
      const want = lines.flatMap((l, i) => (damaged(l) ? [i + 1] : []));
      expect(want.length).toBe(4 * (corpusLogs().length + 2));
      for (const n of want) expect(unparsedAt.has(n), `line ${n}`).toBe(true);
      const formats = new Set(t.events_v!.map((r) => r[4]));
      expect(formats.has('netfilter')).toBe(true);
      if (HAVE_CORPUS) expect(formats.size).toBeGreaterThan(1);
      if (detect) expect(t.findings!.length).toBeGreaterThan(0);
      else expect(t.findings!.length).toBe(0);
    },
    120_000,
  );

  it.each([false, true])(
    'stores the same whether parts are read in an ingest thread or in this one (detection %s)',
    async (detect) => {
      const before = ingestThreadsStarted();
      const threaded = await ingestAndRead(dir, log, true, detect, true);
      // Without detection every part went to the thread the first part started; with it, a thread per part.
      if (detect) expect(ingestThreadsStarted()).toBeGreaterThanOrEqual(before + 3);
      else expect(ingestThreadsStarted()).toBe(before + 1);
      const here = await ingestAndRead(dir, log, true, detect, false);
      expect(threaded.outcome.lines).toBeGreaterThan(0);
      expect(statSync(log).size).toBeGreaterThan(3 * 2 * 1024 * 1024);
      expect(threaded.outcome).toEqual(here.outcome);
      expect(threaded.outcome.fastEvents).toBeGreaterThan(0);
      if (detect) expect(threaded.outcome.findings).toBeGreaterThan(0);
      for (const name of Object.keys(here.tables))
        expect(threaded.tables[name], name).toEqual(here.tables[name]);
    },
    120_000,
  );

  it.each([false, true])(
    'a .gz is read whole in an ingest thread or in this one, and stores the same (detection %s)',
    async (detect) => {
      const gz = join(dir, 'mixed.log.gz');
      writeFileSync(gz, gzipSync(readFileSync(log)));
      const before = ingestThreadsStarted();
      const threaded = await ingestAndRead(dir, gz, true, detect, true);
      expect(ingestThreadsStarted()).toBe(before + 1);
      const here = await ingestAndRead(dir, gz, true, detect, false);
      expect(ingestThreadsStarted()).toBe(before + 1);
      expect(threaded.outcome).toEqual(here.outcome);
      expect(threaded.outcome.fastEvents).toBeGreaterThan(0);
      if (detect) expect(threaded.outcome.findings).toBeGreaterThan(0);
      for (const name of Object.keys(here.tables))
        expect(threaded.tables[name], name).toEqual(here.tables[name]);
      // The same events as the plain file (read in parts, so its string ids come in another order: as texts).
      const plain = await ingestAndRead(dir, log, true, detect, false);
      expect(threaded.tables['events_v']).toEqual(plain.tables['events_v']);
      expect(threaded.tables['unparsed']).toEqual(plain.tables['unparsed']);
    },
    120_000,
  );

  it.each([true, false])(
    'tells progress as batches are appended: lines and the position in the file, up to its end (thread %s)',
    async (thread) => {
      const path = join(dir, `progress-${thread}.duckdb`);
      rmSync(path, { force: true });
      // A copy that grows: the second run reads only what was appended.
      const grown = join(dir, `progress-${thread}.log`);
      writeFileSync(grown, readFileSync(log));
      const run = async () => {
        const store = await openDuckDbStore(path);
        const calls: [number, number | undefined, string][] = [];
        try {
          const [outcome] = (await ingestIntoStore(store, [grown], {
            kb,
            year: 2026,
            detect: false,
            thread,
            threadMinBytes: 0,
            maxLineBytes: 4096,
            partBytes: 2 * 1024 * 1024,
            threadBatches: 1,
            partialLineQuietMs: 0,
            onProgress: (lines, bytes, p) => calls.push([lines, bytes, p]),
          })) as [IngestOutcome];
          return { outcome, calls };
        } finally {
          await store.close();
        }
      };
      const first = { from: 0, ...(await run()), size: statSync(grown).size };
      writeFileSync(grown, readFileSync(log), { flag: 'a' });
      const second = { from: first.size, ...(await run()), size: statSync(grown).size };
      expect(second.outcome.kind).toBe('appended');
      for (const { from, outcome, calls, size } of [first, second]) {
        // A call per batch (32,768 rows at most), never backwards, the last at the file's end.
        expect(calls.length).toBeGreaterThanOrEqual(Math.ceil(outcome.events / 32_768));
        for (let i = 1; i < calls.length; i++) {
          expect(calls[i]![0]).toBeGreaterThan(calls[i - 1]![0]);
          expect(calls[i]![1]!).toBeGreaterThanOrEqual(calls[i - 1]![1]!);
        }
        expect(calls.every(([, bytes, p]) => bytes! > from && bytes! <= size && p === grown)).toBe(true);
        expect(calls.at(-1)![1]).toBe(size);
        // The lines this run read, not those stored before it.
        expect(calls.at(-1)![0]).toBeLessThanOrEqual(outcome.lines);
        expect(calls.at(-1)![0]).toBeGreaterThan(outcome.lines - 50);
        expect(outcome.lines).toBeGreaterThan(10_000);
      }
    },
    60_000,
  );

  it('a part of several batches in a thread: the columns handed back are filled again as new ones', async () => {
    // The mixed log three times over: ~70,000 lines, three batches of 32,768 rows in one part. With one batch in
    // flight the thread waits for each to come back and fills its columns again, so a value a cleared column
    // kept from its last use would show up in the rows compared here.
    const big = join(dir, 'three-times.log');
    const text = readFileSync(log);
    writeFileSync(big, Buffer.concat([text, text, text]));
    const one = { partBytes: 64 * 1024 * 1024, threadBatches: 1 };
    const threaded = await ingestAndRead(dir, big, true, false, true, one);
    const here = await ingestAndRead(dir, big, true, false, false, one);
    expect(threaded.outcome.events).toBeGreaterThan(2 * 32_768);
    expect(threaded.outcome).toEqual(here.outcome);
    for (const name of Object.keys(here.tables))
      expect(threaded.tables[name], name).toEqual(here.tables[name]);
  }, 120_000);

  it('reads back every event as the readable pipeline makes it (the appender writes each field)', async () => {
    const path = join(dir, 'read-back.duckdb');
    const writer = await openDuckDbStore(path);
    try {
      await ingestIntoStore(writer, [log], { kb, year: 2026, detect: false, maxLineBytes: 4096 });
    } finally {
      await writer.close();
    }
    const { events } = await ingestFiles([log], { year: 2026, maxLineBytes: 4096 });
    const want = events.map((ev) => (ev.tcpFlags ? { ...ev, tcpFlags: canonicalFlags(ev.tcpFlags) } : ev));
    const store = await openDuckDbStore(path, { readOnly: true });
    const got: FwEvent[] = [];
    try {
      for await (const ev of store.events()) got.push(ev);
    } finally {
      await store.close();
    }
    expect(got.length).toBe(want.length);
    for (let i = 0; i < got.length; i++) expect(got[i], `line ${want[i]!.line}`).toEqual(want[i]);
    // Every stored IPv6 number (written straight into the vectors' buffers) is its text's value.
    const check = await openDuckDbStore(path, { readOnly: true });
    try {
      for (const side of ['src', 'dst']) {
        const { rows } = await check.sql(
          `SELECT DISTINCT s.text, e.${side}_v6::VARCHAR FROM events e JOIN strings s ON s.id = e.${side}_text_sid`,
        );
        expect(rows.length, side).toBeGreaterThan(10);
        for (const [text, value] of rows) {
          const g = ipv6Groups(String(text));
          const want = g ? g.reduce((v, x) => (v << 16n) | BigInt(x), 0n).toString() : null;
          expect(value === null ? null : String(value), String(text)).toBe(want);
        }
      }
    } finally {
      await check.close();
    }
    // The file holds what the comparison needs to mean something: IPv6, ICMP, rare fields, alarm names.
    expect(got.some((e) => e.ipVersion === 6)).toBe(true);
    expect(got.some((e) => e.icmpType !== undefined)).toBe(true);
    expect(got.some((e) => e.inner !== undefined || e.uid !== undefined)).toBe(true);
    if (HAVE_CORPUS) expect(got.some((e) => e.alarmName !== undefined)).toBe(true);
  }, 60_000);

  it('is not used with a zone name, and changes nothing there', async () => {
    const path = join(dir, 'tz.duckdb');
    const store = await openDuckDbStore(path);
    try {
      const [o] = await ingestIntoStore(store, [log], { kb, detect: false, timeZone: 'Europe/Berlin' });
      expect(o!.events).toBeGreaterThan(0);
      expect(o!.fastEvents).toBeUndefined();
    } finally {
      await store.close();
    }
    expect(existsSync(path)).toBe(true);
  }, 60_000);
});
