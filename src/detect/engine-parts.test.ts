// The engine's parts, each on its own: the source gate, the outbound memory, a spec runner's groups and
// expiry, and the findings ledger's cooldown merging and bound.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nfLine, TEST_REFERENCE, TEST_START, testKb } from '../../test/detect-helpers.js';
import { ROOT } from '../../test/helpers.js';
import type { FwEvent } from '../event.js';
import { makeContext } from '../formats/envelope/time.js';
import { isParseError, isParseSkip } from '../formats/types.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { ingest } from '../ingest/pipeline.js';
import { knowledgeBase } from '../knowledge/index.js';
import { SMALL_COUNTER_KEYS } from './counter.js';
import { ALL_SPECS } from './detectors/index.js';
import { normalizeSpec } from './engine.js';
import { FindingLedger } from './finding-ledger.js';
import type { GroupState } from './group.js';
import { createDetectionEngine } from './index.js';
import { OUTBOUND_MEMORY_MS, OutboundMemory } from './outbound-memory.js';
import { toPacket } from './packet.js';
import { SourceGate } from './source-gate.js';
import { SpecRunner } from './spec-runner.js';
import type { DetectorSpec, EmittedFinding, EngineContext, EngineOptions, Packet } from './types.js';

/** A denied inbound TCP SYN as a packet at `seconds`. */
function packet(src: string, dport: number, seconds: number, dst = '203.0.113.10'): Packet {
  const ev: FwEvent = {
    format: 'netfilter',
    action: 'deny',
    direction: 'inbound',
    transport: 'tcp',
    ipVersion: 4,
    sourceIp: src,
    sourcePort: 40000,
    destinationIp: dst,
    destinationPort: dport,
    tcpFlags: ['SYN'],
    timestamp: seconds * 1000,
  };
  const p = toPacket(ev, `line ${src} ${dport} ${seconds}`, seconds * 1000, false, undefined);
  if (!p) throw new Error('not a packet');
  return p;
}

describe('source gate', () => {
  it('holds a first packet, lets the source in on its second within the gate time and replays the first', () => {
    const gate = new SourceGate(10_000, 1, 60_000);
    const first = packet('198.51.100.1', 22, 0);
    expect(gate.admit(first)).toEqual({ live: false, replay: undefined });
    expect(gate.admit(packet('198.51.100.1', 23, 30))).toEqual({ live: true, replay: first });
    expect(gate.admit(packet('198.51.100.1', 24, 50))).toEqual({ live: true, replay: undefined });
  });

  it('starts afresh when the second packet comes after the gate time', () => {
    const gate = new SourceGate(10_000, 1, 60_000);
    gate.admit(packet('198.51.100.2', 22, 0));
    const late = packet('198.51.100.2', 23, 61);
    expect(gate.admit(late)).toEqual({ live: false, replay: undefined });
    expect(gate.admit(packet('198.51.100.2', 24, 62)).replay).toBe(late);
  });

  it('forgets held packets after two generations of other new sources (bounded memory)', () => {
    // 20 groups * 0.5 over 1 shard: generations of 10 held sources.
    const gate = new SourceGate(20, 1, 3_600_000);
    gate.admit(packet('198.51.100.3', 22, 0));
    for (let i = 0; i < 25; i++) gate.admit(packet(`192.0.2.${i}`, 22, 1));
    expect(gate.sizes.held).toBeLessThanOrEqual(20);
    expect(gate.admit(packet('198.51.100.3', 23, 2)).live).toBe(false);
  });
});

describe('outbound memory', () => {
  it('answers by pair, pair and port, and destination and port, for an hour of event time', () => {
    const memory = new OutboundMemory();
    expect(memory.any()).toBe(false);
    const out = packet('192.0.2.5', 53, 100, '198.51.100.9');
    memory.record(out, 100_000);
    expect(memory.any()).toBe(true);
    expect(memory.seen('192.0.2.5', '198.51.100.9', undefined, 100_000)).toBe(100_000);
    expect(memory.seen('192.0.2.5', '198.51.100.9', 53, 100_000)).toBe(100_000);
    expect(memory.seen('192.0.2.5', '198.51.100.9', 54, 100_000)).toBeUndefined();
    expect(memory.toSeen('198.51.100.9', 53, 100_000 + OUTBOUND_MEMORY_MS)).toBe(100_000);
    expect(memory.toSeen('198.51.100.9', 53, 100_001 + OUTBOUND_MEMORY_MS)).toBeUndefined();
  });
});

/** An engine context with no own networks and no outbound traffic, for runners made by hand. */
const ctx: EngineContext = {
  kb: testKb(),
  tunables: () => ({}),
  outboundSeen: () => undefined,
  outboundToSeen: () => undefined,
  anyOutbound: () => false,
  isOwn: () => false,
  isOwnAddress: () => false,
  timeless: () => false,
};

describe('spec runner and findings ledger', () => {
  /** A spec that reports every group of three packets or more per source, severity = distinct ports. */
  const spec: DetectorSpec = {
    ...ALL_SPECS.find((s) => s.keyedBySource && !s.singleEvent)!,
    name: 'test-three',
    filter: () => true,
    groupBy: (p) => p.src,
    admit: undefined,
    observe: undefined,
    needsTime: false,
    qualifies: (b) => b.events >= 3,
    build: (b) => ({
      title: { en: 'three', zh: '三' },
      explanation: { en: 'three', zh: '三' },
      severity: Math.min(5, b.ports.size),
      confidence: 1,
      advice: { en: '', zh: '' },
    }),
  } as DetectorSpec;
  const runner = (ledger: FindingLedger, cap = 100, findingCap = 100, window = 60, cooldown = 600) =>
    new SpecRunner(spec, { windowSeconds: window, cooldownSeconds: cooldown }, cap, findingCap, ctx, ledger);
  const burst = (src: string, start: number, n: number) =>
    Array.from({ length: n }, (_, i) => packet(src, 20 + i, start + i));

  it('keeps a single packet pending, builds a group on the second, closes it one window after its last packet', () => {
    const ledger = new FindingLedger(() => false);
    const r = runner(ledger);
    r.offer(packet('198.51.100.7', 22, 0), undefined, false);
    expect([r.pending.size, r.groups.size]).toEqual([1, 0]);
    for (const p of burst('198.51.100.7', 1, 3)) r.offer(p, undefined, false);
    expect([r.pending.size, r.groups.size]).toEqual([0, 1]);
    expect(ledger.findings).toHaveLength(0);
    r.offer(packet('192.0.2.99', 22, 64), undefined, false); // another source's packet moves time on
    expect(r.groups.size).toBe(0);
    expect(ledger.findings).toHaveLength(1);
    expect(ledger.findings[0]!.counts.events).toBe(4);
  });

  it('merges a later episode within the cooldown and starts a new finding after it', () => {
    const ledger = new FindingLedger(() => false);
    const r = runner(ledger);
    for (const p of [...burst('198.51.100.8', 0, 3), ...burst('198.51.100.8', 200, 3)])
      r.offer(p, undefined, false);
    for (const p of burst('198.51.100.8', 2000, 3)) r.offer(p, undefined, false);
    r.closeAll();
    expect(ledger.findings.map((f) => f.counts.events)).toEqual([6, 3]);
  });

  it('keeps the strongest findings over its bound and counts the rest, later episodes of those included', () => {
    const ledger = new FindingLedger(() => false);
    const r = runner(ledger, 100, 1);
    for (const p of burst('198.51.100.10', 0, 3)) r.offer(p, undefined, false); // 3 ports: severity 3
    for (const p of burst('198.51.100.11', 0, 5)) r.offer(p, undefined, false); // 5 ports: severity 5
    r.closeAll();
    ledger.prune(r, r.findingCap);
    expect(ledger.findings.map((f) => f.sources[0])).toEqual(['198.51.100.11']);
    expect(r.omitted).toEqual({ findings: 1, events: 3, maxSeverity: 3 });
    for (const p of burst('198.51.100.10', 300, 3)) r.offer(p, undefined, false);
    r.closeAll();
    expect(ledger.findings).toHaveLength(1);
    expect(r.omitted).toEqual({ findings: 1, events: 6, maxSeverity: 3 });
  });

  it('closes the oldest group when over its bound of live groups', () => {
    const ledger = new FindingLedger(() => false);
    const r = runner(ledger, 2);
    for (const src of ['198.51.100.20', '198.51.100.21', '198.51.100.22'])
      for (const p of burst(src, 0, 3)) r.offer(p, undefined, false);
    expect(r.groups.size).toBe(2);
    expect(ledger.findings.map((f) => f.sources[0])).toEqual(['198.51.100.20']);
    // Counted as closed early, for the reports.
    expect([r.evicted, r.shed]).toEqual([1, 0]);
  });
});

/** Values a group holds beyond its small counters, counted from the outside: every counter past eight keys. */
function heldOf(b: GroupState): number {
  const counters = new Set([b.distinct, b.sources, b.targets, b.ports, b.transports, b.techniques]);
  let n = 0;
  for (const c of counters) if (c.size > SMALL_COUNTER_KEYS) n += c.size;
  return n;
}

describe('the value bound (maxValuesPerDetector)', () => {
  const spec = normalizeSpec(ALL_SPECS.find((s) => s.name === 'vertical-scan')!);
  const t = { ...Object.fromEntries(Object.entries(spec.tunables).map(([k, v]) => [k, v.default])) };
  /** `sources` scanning `ports` ports each, interleaved, one probe a second. */
  const scans = (sources: number, ports: number, from = 0) => {
    const out: Packet[] = [];
    for (let i = 0; i < ports; i++)
      for (let s = 0; s < sources; s++) out.push(packet(`198.51.100.${s + 1}`, 1 + i, from + out.length));
    return out;
  };

  it('counts what its groups hold, and closes the oldest ones to stay within the bound', () => {
    const ledger = new FindingLedger(() => false);
    const r = new SpecRunner(spec, t, 10_000, 100, ctx, ledger, 500);
    let most = 0;
    for (const p of scans(6, 300)) {
      r.offer(p, undefined, false);
      const live = [...r.groups.values()].reduce((n, b) => n + heldOf(b), 0);
      // What the runner counts is what its live groups hold, after every packet.
      expect(r.held).toBe(live);
      expect(r.held).toBeLessThanOrEqual(500);
      most = Math.max(most, r.held);
    }
    expect(most).toBeGreaterThan(400);
    expect(r.shed).toBeGreaterThan(0);
    // A group closed early is judged as at any close: every scan is found (a later episode of a source is
    // merged into its finding by the cooldown) with nearly all of its packets; a group closed when it had
    // just opened again may not qualify, and its few packets are in no finding.
    r.closeAll();
    expect(new Set(ledger.findings.map((f) => f.sources[0])).size).toBe(6);
    expect(ledger.findings.length).toBe(6);
    expect(ledger.findings.reduce((n, f) => n + f.counts.events, 0)).toBeGreaterThan(0.99 * 6 * 300);
  });

  it('holds the same groups as a runner without the bound while it is not reached', () => {
    const bounded = new SpecRunner(spec, t, 10_000, 100, ctx, new FindingLedger(() => false), 10_000);
    const free = new SpecRunner(spec, t, 10_000, 100, ctx, new FindingLedger(() => false));
    for (const p of scans(6, 300)) {
      bounded.offer(p, undefined, false);
      free.offer(p, undefined, false);
    }
    expect(bounded.shed).toBe(0);
    expect(bounded.held).toBe(free.held);
    expect(bounded.held).toBeGreaterThan(6 * 300);
  });
});

describe('looking at open findings', () => {
  it('reads the groups changed since the last look, in the order a look at every group would', () => {
    const spec = normalizeSpec(ALL_SPECS.find((s) => s.name === 'vertical-scan')!);
    const t = { ...Object.fromEntries(Object.entries(spec.tunables).map(([k, v]) => [k, v.default])) };
    const r = new SpecRunner(spec, t, 50, 100, ctx, new FindingLedger(() => false));
    const lookedAt = new WeakMap<object, number>();
    const seen = new WeakMap<object, number>();
    let rng = 7;
    const next = (n: number) => {
      rng = (rng * 1103515245 + 12345) % 2147483648;
      return rng % n;
    };
    let time = 0;
    let announced = 0;
    for (let round = 0; round < 60; round++) {
      // Some sources probe on, some go quiet past the window (closed), some come back (a new group, same key).
      if (round % 20 === 19) time += 3600;
      for (let k = 0; k < 40; k++) {
        time += next(3);
        r.offer(packet(`198.51.100.${1 + next(12)}`, 1 + next(2000), time), undefined, false);
      }
      // What a look at every live group finds: the ones whose packets changed since it last looked, that qualify.
      const expected: string[] = [];
      for (const b of r.groups.values()) {
        if (seen.get(b) === b.events) continue;
        seen.set(b, b.events);
        if (spec.qualifies(b, t, ctx)) expected.push(`${spec.name}|${b.key}|`);
      }
      const got = r.openFindings(lookedAt, false).map((e) => e.key);
      expect(got).toEqual(expected);
      announced += got.length;
    }
    expect(announced).toBeGreaterThan(20);
  });
});

describe('the engine as a watcher uses it', () => {
  const ctx = makeContext(TEST_REFERENCE);
  const scanLines = Array.from({ length: 30 }, (_, i) =>
    nfLine({ t: i, src: '198.51.100.44', dst: '203.0.113.10', proto: 'TCP', dpt: 1000 + i * 7 }),
  );
  const feed = (engine: ReturnType<typeof createDetectionEngine>, lines: string[]) =>
    lines.forEach((line, i) => {
      const r = parseOneLine(line, ctx);
      if (r === null || isParseError(r) || isParseSkip(r)) throw new Error(`not an event: ${line}`);
      r.file = 'watch.log';
      r.line = i + 1;
      engine.push(r, line);
    });

  it('tells a qualifying open group once per change, closes idle groups on advance into onEmit, keeps nothing when asked', () => {
    const emitted: EmittedFinding[] = [];
    const engine = createDetectionEngine({
      kb: testKb(),
      onEmit: (e) => emitted.push(e),
      retainFindings: false,
    });
    feed(engine, scanLines);
    const open = engine.openFindings().filter((e) => e.finding.detector === 'vertical-scan');
    expect(open).toHaveLength(1);
    expect(open[0]!.finding.counts.events).toBe(30);
    expect(engine.openFindings().filter((e) => e.finding.detector === 'vertical-scan')).toEqual([]);
    expect(emitted.filter((e) => e.finding.detector === 'vertical-scan')).toEqual([]);
    engine.advance(TEST_START + 30_000 + 24 * 3600_000);
    const closed = emitted.filter((e) => e.finding.detector === 'vertical-scan');
    expect(closed.map((e) => [e.key, e.finding.counts.events])).toEqual([[open[0]!.key, 30]]);
    expect(engine.finish()).toEqual([]);
  });

  it('keeps findings for finish by default, the same ones onEmit was told', () => {
    const emitted: EmittedFinding[] = [];
    const engine = createDetectionEngine({ kb: testKb(), onEmit: (e) => emitted.push(e) });
    feed(engine, scanLines);
    const final = engine.finish();
    expect(final.map((f) => f.detector)).toContain('vertical-scan');
    expect(emitted.map((e) => e.finding.detector).sort()).toEqual(final.map((f) => f.detector).sort());
  });
});

describe('what a watcher is told on ordinary logs', () => {
  // The bundled sample and the lab captures, each read as one watch would read it.
  const LAB = join(ROOT, 'test', 'fixtures', 'lab');
  const logs = [
    join(ROOT, 'examples', 'sample.log'),
    ...readdirSync(LAB)
      .map((d) => join(LAB, d, 'kern.log'))
      .filter((p) => existsSync(p)),
  ];
  /** Every finding the engine tells, as it was when told (a later merge changes the finding in place). */
  async function told(path: string, opts: Partial<EngineOptions>): Promise<EmittedFinding[]> {
    const out: EmittedFinding[] = [];
    const engine = createDetectionEngine({
      kb: knowledgeBase(),
      onEmit: (e) => out.push(structuredClone(e)),
      ...opts,
    });
    await ingest([{ path }], { year: 2026, onEvent: (ev, raw) => engine.push(ev, raw) });
    engine.finish();
    return out;
  }
  const tally = (e: EmittedFinding) => {
    const f = e.finding;
    return [e.key, f.counts, f.firstSeen, f.lastSeen, f.severity, f.confidence];
  };

  it('is what it was when every finding was held whole (as the ledger still holds them for analyze)', async () => {
    let merges = 0;
    for (const path of logs) {
      const whole = await told(path, { retainFindings: true });
      const watched = await told(path, { retainFindings: false });
      expect([path, watched]).toEqual([path, whole]);
      merges += watched.filter((e) => (e.finding.counts.episodes ?? 1) > 1).length;
    }
    // Later episodes merged into earlier ones are among what was told.
    expect(merges).toBeGreaterThan(5);
  });

  it('holding one finding whole per shard: the same episodes with the same counts, times and severity', async () => {
    let tallied = 0;
    for (const path of logs) {
      const whole = await told(path, { retainFindings: true });
      const watched = await told(path, { retainFindings: false, recentWholeFindings: 1 });
      expect([path, watched.map(tally)]).toEqual([path, whole.map(tally)]);
      // Only a merge into a finding let go differs: it tells the later episodes' texts and evidence, none of
      // the first episode's lines.
      const first = new Map<string, EmittedFinding>();
      watched.forEach((e, i) => {
        const earliest = first.get(e.key);
        if (!earliest) first.set(e.key, e);
        if (JSON.stringify(e) === JSON.stringify(whole[i])) return;
        tallied++;
        expect(earliest).toBeDefined();
        const seen = Math.max(...earliest!.finding.evidence.map((x) => x.line ?? 0));
        expect(e.finding.evidence.filter((x) => (x.line ?? 0) <= seen)).toEqual([]);
      });
    }
    expect(tallied).toBeGreaterThan(2);
  });
});

describe('normalizeSpec', () => {
  it('keeps every property of every spec, and gives all of them the same keys in the same order', () => {
    const keys = Object.keys(normalizeSpec(ALL_SPECS[0]!));
    for (const spec of ALL_SPECS) {
      const n = normalizeSpec(spec) as unknown as Record<string, unknown>;
      expect(Object.keys(n)).toEqual(keys);
      for (const [k, v] of Object.entries(spec)) expect([spec.name, k, n[k]]).toEqual([spec.name, k, v]);
    }
  });
});
