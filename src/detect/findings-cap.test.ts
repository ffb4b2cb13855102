// The findings bound (maxFindingsPerDetector): the strongest are kept, the rest counted, nothing vanishes.
import { describe, expect, it } from 'vitest';
import { nfLine, type Pkt, TEST_REFERENCE, testKb } from '../../test/detect-helpers.js';
import { makeContext } from '../formats/envelope/time.js';
import { isParseError, isParseSkip } from '../formats/types.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { RECENT_WHOLE_FINDINGS } from './finding-ledger.js';
import {
  createDetectionEngine,
  defaultDetectionConfig,
  finishShards,
  mergeOmitted,
  parseDetectionConfig,
} from './index.js';
import type { EmittedFinding, Finding, ShardFindings } from './types.js';

/** Source `i` scans 12 + i ports of one target, 100 s after source i-1 (so findings come out in order). */
function scans(sources: number): Pkt[] {
  const out: Pkt[] = [];
  for (let i = 0; i < sources; i++)
    for (let k = 0; k < 12 + i; k++)
      out.push({
        t: i * 100 + k * 0.5,
        src: `198.51.100.${i + 1}`,
        dst: '203.0.113.10',
        proto: 'TCP',
        spt: 51000,
        dpt: 2000 + k * 7,
        df: false,
      });
  return out;
}

function runRaw(pkts: Pkt[], maxFindings?: number, shardCount = 1, shards?: number[]): ShardFindings[] {
  const config = { ...defaultDetectionConfig(), ...(maxFindings && { maxFindingsPerDetector: maxFindings }) };
  const engine = createDetectionEngine({ kb: testKb(), config, shardCount, ...(shards && { shards }) });
  const ctx = makeContext(TEST_REFERENCE);
  [...pkts]
    .sort((a, b) => a.t - b.t)
    .map(nfLine)
    .forEach((line, i) => {
      const ev = parseOneLine(line, ctx);
      if (ev === null || isParseError(ev) || isParseSkip(ev)) throw new Error(`unparsed: ${line}`);
      ev.file = 'cap.log';
      ev.line = i + 1;
      engine.push(ev, line);
    });
  return engine.finishRaw();
}

const vertical = (raw: ShardFindings[]) =>
  raw.flatMap((s) => s.findings).filter((f) => f.detector === 'vertical-scan');
const strength = (a: Finding, b: Finding) =>
  b.severity - a.severity || b.confidence - a.confidence || b.counts.events - a.counts.events;

describe('maxFindingsPerDetector', () => {
  it('keeps the strongest findings and counts the rest, packets included', () => {
    // The weakest source (12 ports) comes back for a second scan within the cooldown, after its first
    // finding was already left out: its packets are counted with the omitted ones, not lost.
    const pkts = [
      ...scans(40),
      ...scans(1).map((p) => ({ ...p, t: p.t + 3000 })),
      // A late quiet packet closes every window by time order alone.
      { t: 9000, src: '192.0.2.77', dst: '203.0.113.10', proto: 'TCP' as const, dpt: 443 },
    ];
    const free = vertical(runRaw(pkts));
    expect(free).toHaveLength(40);
    expect(free.find((f) => f.sources[0] === '198.51.100.1')!.counts.episodes).toBe(2);

    const bounded = runRaw(pkts, 10);
    const kept = vertical(bounded);
    expect(kept).toHaveLength(10);
    const strongest = [...free].sort(strength).slice(0, 10);
    expect(kept.map((f) => f.sources[0]).sort()).toEqual(strongest.map((f) => f.sources[0]).sort());

    const omitted = mergeOmitted(bounded.map((s) => s.omitted)).find((o) => o.detector === 'vertical-scan')!;
    const left = free.filter((f) => !strongest.includes(f));
    expect(omitted).toEqual({
      detector: 'vertical-scan',
      findings: 30,
      events: left.reduce((n, f) => n + f.counts.events, 0),
      maxSeverity: Math.max(...left.map((f) => f.severity)),
      limit: 10,
    });
    // Every packet of every finding is either in a kept finding or in the roll-up.
    const total = (list: Finding[]) => list.reduce((n, f) => n + f.counts.events, 0);
    expect(total(kept) + omitted.events).toBe(total(free));
  });

  it('reports nothing omitted while under the bound (the default bound is not reached here)', () => {
    const raw = runRaw(scans(40));
    expect(raw.flatMap((s) => s.omitted)).toEqual([]);
  });

  it('gives the same kept and omitted findings however the shards are split between engines', () => {
    const pkts = scans(60);
    const config = { ...defaultDetectionConfig(), maxFindingsPerDetector: 10 };
    const whole = finishShards(runRaw(pkts, 10, 8), config);
    const split = finishShards(
      [...runRaw(pkts, 10, 8, [0, 1, 2]), ...runRaw(pkts, 10, 8, [3, 4, 5, 6, 7])],
      config,
    );
    expect(JSON.stringify(split)).toBe(JSON.stringify(whole));
    // Each of the 8 source shards keeps its 2 strongest (10 / 8, rounded up); the last step keeps 10 of them.
    const listed = whole.findings.filter((f) => f.detector === 'vertical-scan');
    expect(listed).toHaveLength(10);
    const o = whole.omitted.find((x) => x.detector === 'vertical-scan')!;
    expect(o.findings).toBe(50);
    const free = vertical(runRaw(pkts, undefined, 8));
    const total = (list: Finding[]) => list.reduce((n, f) => n + f.counts.events, 0);
    expect(total(listed) + o.events).toBe(total(free));
  });

  it('is checked in the config file: a bound below 10 is refused', () => {
    expect(() => parseDetectionConfig({ maxFindingsPerDetector: 3 })).toThrow(
      /at maxFindingsPerDetector: Too small: expected number to be >=10/,
    );
    expect(parseDetectionConfig({ maxFindingsPerDetector: 50 }).maxFindingsPerDetector).toBe(50);
  });
});

describe('findings held while the bound is reached (forged sources, one finding per packet)', () => {
  // 30,000 packets from ever new private (10/8) sources to a public address, ten a second: the spoofing
  // detector makes one finding per packet. Then 100 sources left out long before come back after their
  // window but within their cooldown (2,000 s later): later episodes of findings left out.
  const packet = (i: number, t: number) => ({
    format: 'netfilter',
    action: 'deny' as const,
    direction: 'inbound' as const,
    transport: 'tcp',
    timestamp: t,
    sourceIp: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    destinationIp: '203.0.113.10',
    sourcePort: 40000,
    destinationPort: 22,
    tcpFlags: ['SYN' as const],
    line: i + 1,
  });
  const N = 30_000;
  const BACK = 100;

  it('keeps only what it may report (plus keys), and counts every finding and packet left out', () => {
    const maxFindingsPerDetector = 100;
    const config = { ...defaultDetectionConfig(), maxFindingsPerDetector };
    const engine = createDetectionEngine({ kb: testKb(), config });
    // Per shard and spec at most twice its share of the bound between prunes (8 shards, 13 each).
    const bound = 8 * 2 * Math.ceil(maxFindingsPerDetector / 8);
    let peak = { listed: 0, indexed: 0, leftOut: 0 };
    const check = () => {
      const s = engine.findingSizes();
      expect(s.indexed).toBeLessThanOrEqual(s.listed);
      if (s.listed > peak.listed || s.indexed > peak.indexed) peak = s;
    };
    for (let i = 0; i < N; i++) {
      engine.push(packet(i, i * 100), `line ${i}`);
      if (i % 1000 === 999) check();
    }
    for (let k = 0; k < BACK; k++) {
      engine.push(packet(10_000 + k, N * 100 + k * 100), `again ${k}`);
      check();
    }
    // Only the spoofing detector finds anything here; it is the one bound that is reached.
    expect(peak.listed).toBeLessThanOrEqual(bound);
    expect(peak.indexed).toBeLessThanOrEqual(bound);
    const end = engine.findingSizes();
    expect(end.leftOut).toBeGreaterThan(N / 2);

    const { findings, omitted } = finishShards(engine.finishRaw(), config);
    const listed = findings.filter((f) => f.detector === 'spoofing');
    const o = omitted.find((x) => x.detector === 'spoofing')!;
    expect(listed).toHaveLength(maxFindingsPerDetector);
    // A returning source left out stays left out (its packets counted), it does not come back as new.
    expect(listed.length + o.findings).toBe(N);
    expect(listed.reduce((n, f) => n + f.counts.events, 0) + o.events).toBe(N + BACK);
    expect(o.events).toBe(o.findings + BACK);
  });

  it('holds at most its recent findings whole when it only tells them (watch), and merges older ones by their tally', () => {
    // As `fwlens watch` runs it: nothing retained, findings told through onEmit. The merge index remembers up
    // to MAX_MERGE_INDEX keys per shard; it held each as a whole finding (~3 KB), 20,000 here.
    const told: EmittedFinding[] = [];
    const engine = createDetectionEngine({
      kb: testKb(),
      onEmit: (e) => told.push(e),
      retainFindings: false,
    });
    const bound = 8 * RECENT_WHOLE_FINDINGS;
    let peak = 0;
    const look = () => {
      const held = engine.findingSizes();
      expect(held.listed).toBe(0);
      peak = Math.max(peak, held.indexed);
    };
    for (let i = 0; i < N; i++) {
      engine.push(packet(i, i * 100), `line ${i}`);
      if (i % 1000 === 999) look();
    }
    // Every group closed so far made a finding (the last 10,000 are still open, within the group bound).
    const first = new Map(told.splice(0).map((e) => [e.key, e]));
    expect(first.size).toBe(N - 10_000);
    expect(engine.findingSizes()).toMatchObject({ indexed: bound, tallied: first.size - bound });
    const back = (k: number) => packet(10_000 + k, N * 100 + k * 100);
    for (let k = 0; k < BACK; k++) engine.push(back(k), `again ${k}`);
    // Event time passes every window: the open groups close, the returning sources' among them.
    const closeAll = N * 100 + BACK * 100 + 3601_000;
    engine.advance(closeAll);
    look();
    expect(peak).toBeLessThanOrEqual(bound);
    // Each returning source's finding was let go long before: its later episode is told as the later finding
    // carrying both episodes' counts and times (as merging into the whole finding adds them up), with the
    // later episode's own evidence.
    const again = told.splice(0).filter((e) => first.has(e.key));
    expect(again).toHaveLength(BACK);
    for (const e of again) {
      const earlier = first.get(e.key)!.finding;
      expect(e.finding.sources).toEqual(earlier.sources);
      expect(e.finding.counts).toEqual({ ...earlier.counts, events: 2, episodes: 2 });
      expect(e.finding.firstSeen).toBe(earlier.firstSeen);
      expect(e.finding.lastSeen! - earlier.lastSeen!).toBe(N * 100 - 10_000 * 100);
      expect([e.finding.severity, e.finding.confidence]).toEqual([earlier.severity, earlier.confidence]);
      expect(e.finding.evidence.map((x) => x.text)).toEqual([
        `again ${(e.finding.lastSeen! - N * 100) / 100}`,
      ]);
    }
    // A third episode of a returning source (within its cooldown) merges into the whole finding its second made.
    engine.push(packet(10_000, closeAll + 1000), 'third');
    engine.advance(closeAll + 1000 + 3601_000);
    const second = again.find((e) => e.finding.sources[0] === packet(10_000, 0).sourceIp)!;
    expect(told.map((e) => e.key)).toEqual([second.key]);
    const third = told[0]!.finding;
    expect(third).toBe(second.finding);
    expect(third.counts).toMatchObject({ events: 3, episodes: 3 });
    expect(third.evidence.map((x) => x.text)).toEqual(['again 0', 'third']);
  });
});
