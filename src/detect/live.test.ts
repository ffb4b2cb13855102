// Detection over time: a scan is announced when it crosses its threshold, updated sparingly, and closed idle groups are told once.
import { describe, expect, it } from 'vitest';
import { ingestText } from '../../test/helpers.js';
import { knowledgeBase } from '../knowledge/index.js';
import { defaultDetectionConfig } from './config.js';
import { createDetectionEngine } from './index.js';
import { type Announcement, LiveDetector, longestWindowMs } from './live.js';
import type { EmittedFinding } from './types.js';

const BASE = Date.UTC(2026, 10, 20, 10, 0, 0);
const probe = (k: number, src = '203.0.113.9', dpt = 4000 + k) =>
  `${new Date(BASE + k * 1000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=${src} DST=192.0.2.10 LEN=40 TTL=245 ID=${k} PROTO=TCP SPT=40000 DPT=${dpt} WINDOW=1024 SYN URGP=0`;

async function events(lines: string[]) {
  const { events, raws } = await ingestText(`${lines.join('\n')}\n`);
  events.forEach((e, i) => {
    e.line = i + 1;
  });
  return events.map((ev, i) => ({ ev, raw: raws[i]! }));
}

describe('LiveDetector', () => {
  it('announces a vertical scan at its tenth port, then updates only when it doubled', async () => {
    const live = new LiveDetector(knowledgeBase());
    const said: { at: number; a: Announcement }[] = [];
    const input = await events(Array.from({ length: 45 }, (_, k) => probe(k)));
    input.forEach(({ ev, raw }, k) => {
      live.push(ev, raw);
      for (const a of live.poll()) if (a.finding.detector === 'vertical-scan') said.push({ at: k + 1, a });
    });
    expect(said.map((s) => [s.at, s.a.kind])).toEqual([
      [10, 'new'],
      [20, 'update'],
      [40, 'update'],
    ]);
    expect(new Set(said.map((s) => s.a.id)).size).toBe(1);
    // Closing the idle group later adds nothing new: its 45 events are not twice the 40 announced.
    live.advance(BASE + 45_000 + longestWindowMs());
    expect(live.poll().filter((a) => a.finding.detector === 'vertical-scan')).toEqual([]);
  });

  it('tells a group closed by advancing event time once, as the engine decides it at finish', async () => {
    const lines = Array.from({ length: 12 }, (_, k) => probe(k, '203.0.113.77'));
    const live = new LiveDetector(knowledgeBase());
    for (const { ev, raw } of await events(lines)) live.push(ev, raw);
    // No poll while the group was open: it is decided when event time passes its window.
    live.advance(BASE + 11_000 + longestWindowMs() + 1);
    expect(live.engine.stateSizes()['vertical-scan groups'] ?? 0).toBe(0);
    const closed = live.poll().filter((a) => a.finding.detector === 'vertical-scan');
    const engine = createDetectionEngine({ kb: knowledgeBase() });
    for (const { ev, raw } of await events(lines)) engine.push(ev, raw);
    const final = engine.finish().filter((f) => f.detector === 'vertical-scan');
    expect(closed.map((a) => [a.kind, a.finding.counts.events])).toEqual([['new', 12]]);
    expect(closed.map((a) => a.finding.counts)).toEqual(final.map((f) => f.counts));
    expect(live.poll()).toEqual([]);
  });

  it('remembers what was announced across a restore, and stays quiet while replaying', async () => {
    const first = new LiveDetector(knowledgeBase());
    const input = await events(Array.from({ length: 12 }, (_, k) => probe(k)));
    for (const { ev, raw } of input) first.push(ev, raw);
    const announced = first.poll().filter((a) => a.finding.detector === 'vertical-scan');
    expect(announced.map((a) => a.kind)).toEqual(['new']);
    const second = new LiveDetector(knowledgeBase());
    second.restore(first.episodes());
    second.quiet = true;
    for (const { ev, raw } of input.slice(0, 11)) second.push(ev, raw);
    expect(second.poll()).toEqual([]);
    second.quiet = false;
    second.push(input[11]!.ev, input[11]!.raw);
    expect(second.poll().filter((a) => a.finding.detector === 'vertical-scan')).toEqual([]);
  });

  it('keeps a group closed while replaying quiet: the engine runs its batch before the quiet poll ends', async () => {
    const scan = await events(Array.from({ length: 12 }, (_, k) => probe(k, '203.0.113.78')));
    // The same source 700 s later (past the scan's 600 s window, within the source gate's) closes its group as it is fed.
    const later = await events([
      `${new Date(BASE + 12_000 + 700_000).toISOString()} edge kernel: [UFW BLOCK] IN=eth0 OUT= SRC=203.0.113.78 DST=192.0.2.10 LEN=40 TTL=245 ID=99 PROTO=TCP SPT=40000 DPT=22 WINDOW=1024 SYN URGP=0`,
    ]);
    const live = new LiveDetector(knowledgeBase());
    live.quiet = true;
    for (const { ev, raw } of [...scan, ...later]) live.push(ev, raw);
    expect(live.poll()).toEqual([]);
    live.quiet = false;
    expect(live.poll().filter((a) => a.finding.detector === 'vertical-scan')).toEqual([]);
  });

  it("announces the engine's texts, lists and evidence without copying them, and leaves its findings as they were", async () => {
    // The source is trusted (marked): the announcement says so, the engine's finding does not.
    const live = new LiveDetector(knowledgeBase(), {
      ...defaultDetectionConfig(),
      trustedNetworks: ['203.0.113.0/24'],
    });
    const told: { e: EmittedFinding; before: EmittedFinding }[] = [];
    const open = live.engine.openFindings.bind(live.engine);
    live.engine.openFindings = () => {
      const out = open();
      for (const e of out) told.push({ e, before: structuredClone(e) });
      return out;
    };
    const said: Announcement[] = [];
    for (const { ev, raw } of await events(Array.from({ length: 12 }, (_, k) => probe(k, '203.0.113.80')))) {
      live.push(ev, raw);
      said.push(...live.poll().filter((a) => a.finding.detector === 'vertical-scan'));
    }
    expect(said.map((a) => [a.kind, a.finding.counts.events, a.finding.suppressed])).toEqual([
      ['new', 10, 'trusted'],
    ]);
    const engine = told.find(
      (t) => t.e.finding.detector === 'vertical-scan' && t.e.finding.counts.events === 10,
    )!;
    const a = said[0]!.finding;
    for (const k of ['title', 'explanation', 'advice', 'sources', 'targets', 'ports', 'evidence'] as const)
      expect(a[k], k).toBe(engine.e.finding[k]);
    expect(a.counts).toEqual(engine.e.finding.counts);
    expect(a.counts).not.toBe(engine.e.finding.counts);
    for (const t of told) expect(t.e).toEqual(t.before);
  });

  it('keeps an announcement as it was when the engine merges a later episode into its finding', async () => {
    const live = new LiveDetector(knowledgeBase());
    const scan = (from: number, ports: number) =>
      Array.from({ length: ports }, (_, k) => probe(from + k, '203.0.113.81', 5000 + k));
    // Not polled while open: the first announcement is of the finding the engine keeps to merge into.
    for (const { ev, raw } of await events(scan(0, 12))) live.push(ev, raw);
    live.advance(BASE + 11_000 + longestWindowMs() + 1);
    const first = live.poll().filter((a) => a.finding.detector === 'vertical-scan');
    expect(first.map((a) => [a.kind, a.finding.counts.events])).toEqual([['new', 12]]);
    const asAnnounced = structuredClone(first[0]!);
    // The same source 20 minutes later (past the window, within the cooldown): merged into the first finding.
    for (const { ev, raw } of await events(scan(1200, 30))) live.push(ev, raw);
    live.advance(BASE + 1_229_000 + longestWindowMs() + 1);
    const later = live.poll().filter((a) => a.finding.detector === 'vertical-scan');
    expect(later.map((a) => [a.kind, a.id, a.finding.counts.events, a.finding.counts.episodes])).toEqual([
      ['update', first[0]!.id, 42, 2],
    ]);
    expect(first[0]).toEqual(asAnnounced);
  });
});
