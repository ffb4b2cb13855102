// Each event's severity in the summary (counts by severity, a source's and a port's highest, the notable events,
// `--min-severity`) must be the one its explanation shows, context included: a research scanner recognised by its
// AS number one lower, an allow-listed partner at info, a deny-listed actor one higher. The same in one thread,
// on worker threads and from a store. The log holds documentation addresses and two real scanner addresses
// (Censys by its AS number only, and in its published prefix); look-ups are local.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyContextToExplanation, ContextEnricher } from '../src/context/enrich.js';
import { AddressLists } from '../src/context/lists.js';
import { remoteAddress } from '../src/context/remote.js';
import type { FwEvent } from '../src/event.js';
import { explainEvent } from '../src/explain/index.js';
import { parseOneLine } from '../src/ingest/parse-line.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import type { Report } from '../src/report/model.js';
import { runCli } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-context-severity-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

let second = 0;
const line = (src: string, dst: string, dport: number, outbound = false) => {
  second++;
  const ss = String(second % 60).padStart(2, '0');
  const mm = String(Math.floor(second / 60)).padStart(2, '0');
  const ifaces = outbound ? 'IN= OUT=eth0' : 'IN=eth0 OUT=';
  return `Nov 21 11:${mm}:${ss} edge kernel: [900${second}.000000] [UFW BLOCK] ${ifaces} MAC=52:54:00:8a:1e:10:00:1b:21:3c:9d:01:08:00 SRC=${src} DST=${dst} LEN=44 TOS=0x00 PREC=0x00 TTL=241 ID=${1000 + second} PROTO=TCP SPT=${40000 + second} DPT=${dport} WINDOW=1024 RES=0x00 SYN URGP=0`;
};
const many = (n: number, src: string, dst: string, ports: number[], outbound = false) =>
  Array.from({ length: n }, (_, i) => line(src, dst, ports[i % ports.length]!, outbound));

const LINES = [
  // Censys, known only by its AS number: the explanation counts it one lower.
  ...many(6, '199.45.154.20', '192.0.2.10', [3389, 22, 445]),
  // Censys in its published prefix: the packet's own explanation already counts it.
  ...many(3, '162.142.125.10', '192.0.2.10', [3389, 23]),
  // On the allow list: never above info.
  ...many(4, '203.0.113.66', '192.0.2.10', [3389, 23]),
  // On the deny list: one higher.
  ...many(4, '198.51.100.24', '192.0.2.10', [80, 3389]),
  // No context at all.
  ...many(3, '198.51.100.99', '192.0.2.11', [3389, 1433]),
  // Our host to the scanner: the far end is the destination.
  ...many(2, '192.0.2.10', '199.45.154.20', [3389], true),
  // Our host to the deny-listed actor on a port whose own steps sum to 0 (BitTorrent, own traffic): still one
  // higher than without the list.
  ...many(2, '192.0.2.10', '198.51.100.24', [6881], true),
];
const LOG = file('mixed.log', `${LINES.join('\n')}\n`);
const ALLOW = file('allow.txt', '203.0.113.66\n');
const DENY = file('deny.txt', '198.51.100.24\n');
const LIST_ARGS = ['--allow-list', ALLOW, '--deny-list', DENY];

/** What each line's explanation with context says, as the report's notable events and `explain` show it. */
function explainedScores(): { event: FwEvent; score: number }[] {
  const kb = knowledgeBase();
  const lists = new AddressLists();
  lists.addFile('allow', ALLOW);
  lists.addFile('deny', DENY);
  const enricher = new ContextEnricher(kb, { lists });
  return LINES.map((l) => {
    const event = parseOneLine(l) as FwEvent;
    expect(event.sourceIp).toBeDefined();
    const x = applyContextToExplanation(explainEvent(event, kb), remoteAddress(event), enricher);
    return { event, score: x.severity.score };
  });
}

const histogram = (scores: number[]) => {
  const out: Record<string, number> = {};
  for (const s of scores) out[String(s)] = (out[String(s)] ?? 0) + 1;
  return out;
};

async function report(...args: string[]): Promise<Report> {
  const r = await runCli(['analyze', LOG, '--json', ...LIST_ARGS, ...args]);
  expect(r.err).toBe('');
  return JSON.parse(r.out) as Report;
}

function expectAgreement(rep: Report, expected: { event: FwEvent; score: number }[]): void {
  expect(rep.counts.bySeverity).toEqual(histogram(expected.map((e) => e.score)));
  for (const s of rep.topSources) {
    const mine = expected.filter((e) => e.event.sourceIp === s.ip).map((e) => e.score);
    expect(s.maxSeverity, s.ip).toBe(Math.max(...mine));
  }
  for (const p of rep.topPorts) {
    const mine = expected.filter((e) => e.event.destinationPort === p.port).map((e) => e.score);
    expect(p.maxSeverity, String(p.port)).toBe(Math.max(...mine));
  }
  // A notable event is one of severity 3 or more, by what its own explanation says.
  expect(rep.notable.length).toBeGreaterThan(0);
  for (const n of rep.notable) expect(n.severity, n.raw).toBeGreaterThanOrEqual(3);
}

describe("the summary's severity counts the far end's context, as the explanation does", () => {
  const expected = explainedScores();

  it('the log has every case: lowered, raised, down to info, already counted and none', () => {
    const kb = knowledgeBase();
    const own = expected.map((e) => explainEvent(e.event, kb).severity.score);
    const moved = expected.map((e, i) => Math.sign(e.score - own[i]!));
    expect(moved.filter((m) => m < 0).length).toBeGreaterThanOrEqual(6 + 2 + 4);
    expect(moved.filter((m) => m > 0).length).toBeGreaterThan(0);
    expect(moved.filter((m) => m === 0).length).toBeGreaterThan(0);
  });

  it('a deny-listed far end shows one level higher, also where its own steps sum to the floor or below', () => {
    const kb = knowledgeBase();
    const denied = expected.filter((e) => remoteAddress(e.event) === '198.51.100.24');
    expect(
      denied.some((e) => explainEvent(e.event, kb).severity.reasons.reduce((t, r) => t + r.delta, 0) <= 0),
    ).toBe(true);
    for (const e of denied)
      expect(e.score, String(e.event.destinationPort)).toBe(
        Math.min(5, explainEvent(e.event, kb).severity.score + 1),
      );
  });

  it('in one thread', async () => {
    expectAgreement(await report('--workers', '1'), expected);
  });

  it('on two worker threads', async () => {
    expectAgreement(await report('--workers', '2'), expected);
  });

  it('--min-severity keeps the events whose explanation reaches it', async () => {
    for (const min of [2, 3, 4]) {
      const rep = await report('--workers', '1', '--min-severity', String(min));
      const kept = expected.filter((e) => e.score >= min).length;
      const counted = Object.values(rep.counts.bySeverity).reduce((a, b) => a + b, 0);
      expect(counted, `--min-severity ${min}`).toBe(kept);
      expect(rep.filters?.excluded).toBe(LINES.length - kept);
    }
  });

  it('from a store', async () => {
    const store = join(dir, 'store.duckdb');
    const ingested = await runCli(['ingest', LOG, '--store', store]);
    expect(ingested.code).toBe(0);
    const r = await runCli(['analyze', '--store', store, '--json', ...LIST_ARGS]);
    expect(r.err).toBe('');
    expectAgreement(JSON.parse(r.out) as Report, expected);
  });

  it("in the library's analyze(), from the config's allowList and denyList as from list files", async () => {
    const { analyze } = await import('../src/index.js');
    const { defaultDetectionConfig } = await import('../src/detect/index.js');
    const config = { ...defaultDetectionConfig(), allowList: ['203.0.113.66'], denyList: ['198.51.100.24'] };
    const rep = await analyze([LOG], { config, context: { countries: false } });
    expectAgreement(rep, expected);
  });

  it('--no-context counts each event by its own explanation', async () => {
    const kb = knowledgeBase();
    const r = await runCli(['analyze', LOG, '--json', '--no-context', '--workers', '1']);
    const rep = JSON.parse(r.out) as Report;
    const own = expected.map((e) => ({ event: e.event, score: explainEvent(e.event, kb).severity.score }));
    expectAgreement(rep, own);
  });
});
