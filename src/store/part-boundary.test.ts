// Multi-line records (journald export, pretty-printed JSON documents) and the store's parts: however a file is
// cut into parts, and however it grows between runs, the store holds what `analyze` of the whole file gives —
// the same events, unparsed lines and line numbers — and never a record read as two halves.
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CORPUS, HAVE_CORPUS, ingestFiles, ROOT } from '../../test/helpers.js';
import { canonicalFlags } from '../core/batch.js';
import type { FwEvent } from '../event.js';
import type { LineProblem } from '../ingest/pipeline.js';
import { knowledgeBase } from '../knowledge/index.js';
import { openDuckDbStore } from './duckdb.js';
import { type IngestOutcome, ingestIntoStore, type StoreIngestOptions } from './ingest.js';

const kb = knowledgeBase();

/** A small deterministic generator (mulberry32), so a failing cut can be run again. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A `journalctl -o export` log as a kernel firewall writes it: records of fields ended by a blank line, with
 * what real ones hold besides — IPv6, fields after MESSAGE, a record without MESSAGE, a record that ends
 * without its blank line, a NUL-damaged field, plain syslog lines and garbage between records — then the
 * corpus' real export log.
 */
function journaldExportLog(): string {
  const out: string[] = [];
  for (let i = 0; i < 60; i++) {
    const us = 1_764_900_000_000_000 + i * 1_234_567;
    const src = i % 7 === 3 ? `2001:db8:${i.toString(16)}::7` : `203.0.113.${i + 1}`;
    const dst = i % 7 === 3 ? '2001:db8::10' : '192.0.2.10';
    const lenField =
      i % 7 === 3 ? 'LEN=80 TC=0 HOPLIMIT=52 FLOWLBL=0' : `LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=${i}`;
    out.push(
      `__CURSOR=s=35ec845e042c462a9db31f14745b7721;i=${(0x62000 + i).toString(16)};b=c2f79f98;m=${i};t=${us.toString(16)};x=${i}`,
      `__REALTIME_TIMESTAMP=${us}`,
      `__MONOTONIC_TIMESTAMP=${1_840_000_000 + i}`,
      '_BOOT_ID=c2f79f985830406a9e08241d015eff05',
      '_TRANSPORT=kernel',
      'PRIORITY=4',
      'SYSLOG_IDENTIFIER=kernel',
    );
    if (i % 13 !== 5)
      out.push(
        `MESSAGE=[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=${src} DST=${dst} ${lenField} PROTO=TCP SPT=${40_000 + i} DPT=${[22, 23, 80, 443, 3389][i % 5]} WINDOW=1024 RES=0x00 SYN URGP=0`,
      );
    if (i % 11 === 4) out.push('_SOURCE_MONOTONIC\0\0_TIMESTAMP=1');
    out.push('_HOSTNAME=edge');
    // Most records end with their blank line; some run straight into the next record.
    if (i % 17 !== 9) out.push('');
    if (i % 19 === 10)
      out.push(
        `Dec  5 10:00:${String(i).padStart(2, '0')} edge kernel: DROP IN=eth0 OUT= SRC=198.51.100.${i} DST=192.0.2.10 LEN=40 TTL=50 ID=1 PROTO=UDP SPT=53 DPT=5353 LEN=20`,
      );
    if (i % 23 === 12) out.push('not a record at all');
  }
  const corpus = HAVE_CORPUS
    ? readFileSync(join(CORPUS, 'iptables', 'integrations-journald-export.log'), 'utf8')
    : '';
  return `${out.join('\n')}\n${corpus}`;
}

/**
 * Pretty-printed JSON documents (Azure flow logs as a blob holds them, re-indented in three ways), with a
 * one-line document among them, blank lines, a document cut short by the next one and, last, a document
 * that never closes.
 */
function prettyJsonLog(): string {
  const docs: unknown[] = [];
  for (const f of ['native-multi-flow.log', 'native-document.log'])
    for (const line of readFileSync(join(ROOT, 'test', 'fixtures', 'azure-nsg-flow', f), 'utf8').split('\n'))
      if (line.trim() !== '') docs.push(JSON.parse(line));
  const out: string[] = [];
  docs.forEach((doc, i) => {
    const indent = [2, 4, '\t'][i % 3]!;
    if (i === 2) out.push(JSON.stringify(doc));
    else out.push(JSON.stringify(doc, null, indent));
    if (i % 2 === 1) out.push('');
    if (i === 3) out.push(JSON.stringify(doc, null, 2).split('\n').slice(0, 6).join('\n'));
  });
  out.push(JSON.stringify(docs[0], null, 2));
  out.push(JSON.stringify(docs[1], null, 2).split('\n').slice(0, 9).join('\n'));
  return `${out.join('\n')}\n`;
}

/** What `analyze` makes of a file: its events, every unparsed line, and the line accounting. */
async function analyzeFile(path: string) {
  const problems: (LineProblem & { kind: string })[] = [];
  const { events, stats } = await ingestFiles([path], {
    year: 2026,
    onProblem: (kind, p) => problems.push({ ...p, kind }),
  });
  const input = stats.inputs[0]!;
  return {
    events: events.map((ev) => (ev.tcpFlags ? { ...ev, tcpFlags: canonicalFlags(ev.tcpFlags) } : ev)),
    unparsed: problems.map((p) => [p.line, p.kind, p.reason, p.text]),
    accounting: {
      lines: input.lines,
      events: input.events,
      malformed: input.malformed,
      unrecognized: input.unrecognized,
      blank: input.blank,
      formats: input.formats,
    },
  };
}

type Stored = Awaited<ReturnType<typeof analyzeFile>> & { outcomes: IngestOutcome[]; offset: number };

/** Run `ingest` (once per entry of `runs`, each before its growth step) into a fresh store and read it back. */
async function storeOf(
  dbPath: string,
  log: string,
  runs: { opts: Partial<StoreIngestOptions>; before?: () => void }[],
): Promise<Stored> {
  const outcomes: IngestOutcome[] = [];
  const store = await openDuckDbStore(dbPath);
  try {
    for (const run of runs) {
      run.before?.();
      outcomes.push(...(await ingestIntoStore(store, [log], { kb, year: 2026, detect: false, ...run.opts })));
    }
  } finally {
    await store.close();
  }
  const ro = await openDuckDbStore(dbPath, { readOnly: true });
  try {
    const events: FwEvent[] = [];
    for await (const ev of ro.events()) events.push(ev);
    const unparsed = (await ro.sql('SELECT line, kind, reason, text FROM unparsed ORDER BY line')).rows.map(
      ([line, kind, reason, text]) => [Number(line), String(kind), String(reason), String(text)],
    );
    const [input] = (await ro.sql('SELECT stats, "offset" FROM inputs ORDER BY id DESC LIMIT 1')).rows;
    const stats = JSON.parse(String(input![0]));
    return {
      events,
      unparsed,
      accounting: {
        lines: stats.lines,
        events: stats.events,
        malformed: stats.malformed,
        unrecognized: stats.unrecognized,
        blank: stats.blank,
        formats: stats.formats,
      },
      outcomes,
      offset: Number(input![1]),
    };
  } finally {
    await ro.close();
  }
}

/** The store equals analyze: events one by one (with their line numbers), unparsed lines, accounting, offset. */
function expectSame(got: Stored, want: Awaited<ReturnType<typeof analyzeFile>>, size: number, what: string) {
  expect(got.events.length, what).toBe(want.events.length);
  for (let i = 0; i < want.events.length; i++)
    expect(got.events[i], `${what}: event of line ${want.events[i]!.line}`).toEqual(want.events[i]);
  expect(got.unparsed, what).toEqual(want.unparsed);
  expect(got.accounting, what).toEqual(want.accounting);
  expect(got.offset, what).toBe(size);
}

describe.each([
  ['journald export', 'journald.log', journaldExportLog],
  ['pretty-printed JSON', 'documents.json', prettyJsonLog],
])('store parts never cut a multi-line record: %s', (_name, file, make) => {
  let dir: string;
  let log: string;
  let text: Buffer;
  let want: Awaited<ReturnType<typeof analyzeFile>>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fwlens-part-boundary-'));
    log = join(dir, file);
    text = Buffer.from(make());
    writeFileSync(log, text);
    want = await analyzeFile(log);
    // The log holds what the comparison needs: multi-line records with events, unparsed lines, blank lines.
    expect(want.events.length).toBeGreaterThan(10);
    expect(want.unparsed.length).toBeGreaterThan(0);
    expect(want.accounting.blank).toBeGreaterThan(want.events.length);
  });

  it('one part, a part per record and random part sizes all store what analyze reads', async () => {
    const whole = await storeOf(join(dir, 'whole.duckdb'), log, [{ opts: { partialLineQuietMs: 0 } }]);
    expectSame(whole, want, text.length, 'one part');
    // partBytes 1: every part ends at the first record end after its first byte, i.e. at every record end.
    const perRecord = await storeOf(join(dir, 'per-record.duckdb'), log, [
      { opts: { partialLineQuietMs: 0, partBytes: 1 } },
    ]);
    expectSame(perRecord, want, text.length, 'a part per record');
    const rnd = random(file.length);
    for (let k = 0; k < 12; k++) {
      const partBytes = 1 + Math.floor(rnd() * 2000);
      const got = await storeOf(join(dir, `random-${k}.duckdb`), log, [
        { opts: { partialLineQuietMs: 0, partBytes } },
      ]);
      expectSame(got, want, text.length, `parts of ${partBytes} bytes`);
    }
  }, 120_000);

  it('a file growing between runs, cut anywhere (inside lines and records), stores the same', async () => {
    const rnd = random(7 * file.length);
    for (let trial = 0; trial < 6; trial++) {
      const cuts = Array.from({ length: 8 }, () => Math.floor(rnd() * text.length)).sort((a, b) => a - b);
      const grown = join(dir, `grown-${trial}.log`);
      writeFileSync(grown, '');
      let at = 0;
      let heldRecord = false;
      const runs = cuts.map((cut) => ({
        // Written a moment ago: a last line without its end, or a record without its end, waits.
        opts: { partialLineQuietMs: 3_600_000, partBytes: 1 + Math.floor(rnd() * 1500) },
        before: () => {
          appendFileSync(grown, text.subarray(at, cut));
          at = cut;
        },
      }));
      runs.push({
        opts: { partialLineQuietMs: 0, partBytes: 1 + Math.floor(rnd() * 1500) },
        before: () => {
          appendFileSync(grown, text.subarray(at));
          at = text.length;
        },
      });
      const got = await storeOf(join(dir, `grown-${trial}.duckdb`), grown, runs);
      for (const o of got.outcomes) {
        expect(o.error, o.error).toBeUndefined();
        if (o.pendingRecord) heldRecord = true;
      }
      const wantGrown = await analyzeFile(grown);
      // The grown file is the same text as the one written at once, and analyze reads it the same way.
      expect(wantGrown.events.map((e) => ({ ...e, file: log }))).toEqual(want.events);
      expectSame(got, wantGrown, text.length, `trial ${trial}`);
      expect(heldRecord, `trial ${trial}: some run held back an unfinished record`).toBe(true);
    }
  }, 180_000);
});
