// Alert policy on an injected clock: min severity, trusted, dedup, token buckets per source and detector, digests across restarts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { schemaValidator } from '../../../test/support/schemas.js';
import type { Finding } from '../../detect/types.js';
import { ECS_VERSION } from '../../event.js';
import {
  type AlerterOptions,
  alertId,
  createAlerter,
  DEDUP_MS,
  ManualClock,
  PER_DETECTOR_BURST,
  PER_SOURCE_BURST,
  PER_SOURCE_REFILL_MS,
} from './index.js';
import { AlertPolicy, boundedKey, dedupKey, POLICY_MAX_KEY_CHARS } from './policy.js';
import { makeFinding } from './test-support.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fwlens-policy-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

type Doc = {
  message: string;
  event: { kind: string; id: string; severity?: number; dataset: string };
  ecs: { version: string };
  fwlens: {
    alert: { id: string; kind: string };
    digest?: {
      total: number;
      byDetector: Record<string, number>;
      bySeverity: Record<string, number>;
      topSources: { ip: string; alerts: number }[];
    };
  };
};

/** An alerter writing NDJSON into memory, on a manual clock. */
function setup(clock: ManualClock, extra: Partial<AlerterOptions> = {}) {
  const docs: Doc[] = [];
  const stream = {
    write: (s: string) => docs.push(JSON.parse(s) as Doc),
  } as unknown as NodeJS.WritableStream;
  const alerter = createAlerter({
    stateDir: dir,
    clock,
    sinks: [{ type: 'ndjson', stream }],
    ...extra,
    lang: extra.lang ?? 'en',
  });
  return { alerter, docs };
}

const MIN = 60_000;
const from = (ip: string, over: Partial<Finding> = {}) => makeFinding({ sources: [ip], ...over });

describe('alert policy', () => {
  it('drops findings below --min-severity and trusted ones, counting each reason', async () => {
    const { alerter, docs } = setup(new ManualClock(), { minSeverity: 4 });
    await alerter.announce({ kind: 'new', finding: from('203.0.113.1', { severity: 3 }) });
    await alerter.announce({ kind: 'new', finding: from('203.0.113.2', { suppressed: 'trusted' }) });
    await alerter.announce({ kind: 'new', finding: from('203.0.113.3', { severity: 5 }) });
    expect(docs.map((d) => d.event.severity)).toEqual([5]);
    expect(alerter.stats()).toMatchObject({
      announced: 3,
      alerts: 1,
      suppressed: 2,
      'suppressed.min_severity': 1,
      'suppressed.trusted': 1,
    });
  });

  it('dedups the same detector and sources within the window unless severity rises', async () => {
    const clock = new ManualClock();
    const { alerter, docs } = setup(clock);
    const f = from('203.0.113.1');
    await alerter.announce({ kind: 'new', finding: f });
    clock.advance(MIN);
    await alerter.announce({ kind: 'update', finding: { ...f, counts: { events: 99 } } });
    expect(docs).toHaveLength(1);
    await alerter.announce({ kind: 'update', finding: { ...f, severity: 5 } });
    expect(docs).toHaveLength(2);
    clock.advance(DEDUP_MS);
    await alerter.announce({ kind: 'update', finding: { ...f, counts: { events: 200 } } });
    expect(docs).toHaveLength(3);
    // Another detector on the same source is another alert.
    await alerter.announce({ kind: 'new', finding: { ...f, detector: 'trojan-probe' } });
    expect(docs).toHaveLength(4);
    expect(alerter.stats()['suppressed.dedup']).toBe(1);
    expect(docs[0]!.fwlens.alert).toEqual({ id: alertId('new', f), kind: 'new' });
  });

  it('limits one source with a token bucket that refills over time', async () => {
    const clock = new ManualClock();
    const { alerter, docs } = setup(clock, { policy: { dedupMs: 0 } });
    const detectors = [
      'vertical-scan',
      'horizontal-sweep',
      'ping-sweep',
      'slow-scan',
      'trojan-probe',
      'flood',
      'traceroute',
    ] as const;
    for (const d of detectors)
      await alerter.announce({ kind: 'new', finding: from('203.0.113.1', { detector: d }) });
    expect(docs).toHaveLength(PER_SOURCE_BURST);
    expect(alerter.stats()['suppressed.rate_source']).toBe(detectors.length - PER_SOURCE_BURST);
    // Other sources are not held back by the busy one.
    await alerter.announce({ kind: 'new', finding: from('203.0.113.2', { detector: 'flood' }) });
    expect(docs).toHaveLength(PER_SOURCE_BURST + 1);
    // A distributed finding is held back only when all its sources are out of tokens.
    await alerter.announce({
      kind: 'new',
      finding: makeFinding({ detector: 'distributed-scan', sources: ['203.0.113.1', '203.0.113.2'] }),
    });
    expect(docs).toHaveLength(PER_SOURCE_BURST + 2);
    await alerter.announce({
      kind: 'new',
      finding: makeFinding({ detector: 'distributed-scan', sources: ['203.0.113.1'] }),
    });
    expect(docs).toHaveLength(PER_SOURCE_BURST + 2);
    docs.splice(PER_SOURCE_BURST + 1);
    clock.advance(PER_SOURCE_REFILL_MS - 1);
    await alerter.announce({ kind: 'new', finding: from('203.0.113.1', { detector: 'flood' }) });
    expect(docs).toHaveLength(PER_SOURCE_BURST + 1);
    clock.advance(1);
    await alerter.announce({ kind: 'new', finding: from('203.0.113.1', { detector: 'flood' }) });
    expect(docs).toHaveLength(PER_SOURCE_BURST + 2);
  });

  it('limits one detector with its own bucket, and keeps the limits over a restart', async () => {
    const clock = new ManualClock();
    const first = setup(clock, {
      policy: { dedupMs: 0, perDetectorBurst: 3, perDetectorRefillMs: 10 * MIN },
    });
    for (let i = 1; i <= 5; i++)
      await first.alerter.announce({ kind: 'new', finding: from(`203.0.113.${i}`) });
    expect(first.docs).toHaveLength(3);
    expect(first.alerter.stats()['suppressed.rate_detector']).toBe(2);
    await first.alerter.close();
    const second = setup(clock, {
      policy: { dedupMs: 0, perDetectorBurst: 3, perDetectorRefillMs: 10 * MIN },
    });
    await second.alerter.announce({ kind: 'new', finding: from('203.0.113.9') });
    expect(second.docs).toHaveLength(0);
    clock.advance(10 * MIN);
    await second.alerter.announce({ kind: 'new', finding: from('203.0.113.9') });
    expect(second.docs).toHaveLength(1);
    expect(PER_DETECTOR_BURST).toBeGreaterThan(3);
  });

  it('sends a digest per period with counts per detector and severity, none for a quiet period, and keeps counts over a restart', async () => {
    const clock = new ManualClock(Date.UTC(2026, 11, 5, 6, 0, 0));
    const opts = { digestMs: 15 * MIN, policy: { dedupMs: 0 } };
    const a1 = setup(clock, opts);
    await a1.alerter.announce({ kind: 'new', finding: from('203.0.113.1', { severity: 5 }) });
    await a1.alerter.announce({ kind: 'new', finding: from('203.0.113.1', { detector: 'trojan-probe' }) });
    await a1.alerter.announce({ kind: 'new', finding: from('203.0.113.2', { severity: 3 }) });
    expect(a1.docs).toHaveLength(0);
    clock.advance(5 * MIN);
    await a1.alerter.close();

    // Restarted within the period: the three alerts are still counted.
    const a2 = setup(clock, opts);
    await a2.alerter.announce({ kind: 'new', finding: from('203.0.113.3', { detector: 'ping-sweep' }) });
    clock.advance(10 * MIN);
    await a2.alerter.flush();
    expect(a2.docs).toHaveLength(1);
    const d = a2.docs[0]!;
    expect(d.event.kind).toBe('metric');
    expect(d.event.dataset).toBe('fwlens.alert_digest');
    expect(d.event.id).toBe(`digest-${Date.UTC(2026, 11, 5, 6, 0, 0)}`);
    expect(d.fwlens.digest).toMatchObject({
      total: 4,
      byDetector: { 'vertical-scan': 2, 'trojan-probe': 1, 'ping-sweep': 1 },
      bySeverity: { '3': 1, '4': 2, '5': 1 },
    });
    expect(d.fwlens.digest!.topSources[0]).toEqual({ ip: '203.0.113.1', alerts: 2 });
    const schemas = schemaValidator();
    expect(schemas.validate('alert-digest.schema.json', d), schemas.errors()).toBe(true);
    expect(schemas.validate('alert-digest.schema.json', { ...d, extra: 1 })).toBe(false);
    expect(d.message).toBe(
      'digest 06:00–06:15 UTC: 4 alerts; by detector: vertical-scan 2, trojan-probe 1, ping-sweep 1; by severity: critical 1, high 2, medium 1',
    );
    // A quiet period sends nothing; the next busy one sends again.
    clock.advance(15 * MIN);
    await a2.alerter.flush();
    expect(a2.docs).toHaveLength(1);
    await a2.alerter.announce({ kind: 'new', finding: from('203.0.113.4') });
    clock.advance(15 * MIN);
    await a2.alerter.flush();
    expect(a2.docs).toHaveLength(2);
    expect(a2.alerter.stats()).toMatchObject({ digests: 2, digested: 2 });
    await a2.alerter.close();
  });

  it('sends a digest whose period ended while fwlens was stopped at the next start', async () => {
    const clock = new ManualClock();
    const a1 = setup(clock, { digestMs: 15 * MIN });
    await a1.alerter.announce({ kind: 'new', finding: from('203.0.113.1') });
    await a1.alerter.close();
    clock.advance(60 * MIN);
    const a2 = setup(clock, { digestMs: 15 * MIN });
    clock.advance(0);
    await a2.alerter.flush();
    expect(a2.docs).toHaveLength(1);
    expect(a2.docs[0]!.fwlens.digest!.total).toBe(1);
    await a2.alerter.close();
  });
});

describe('NDJSON file sink', () => {
  it('appends ECS alert documents across restarts', async () => {
    const path = join(dir, 'out', 'alerts.ndjson');
    for (const ip of ['203.0.113.1', '2001:db8::7']) {
      const a = createAlerter({ lang: 'en', stateDir: dir, sinks: [{ type: 'ndjson', path }] });
      await a.announce({ kind: 'new', finding: from(ip) });
      await a.close();
    }
    const docs = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Doc & { source: { ip: string }; rule: { id: string } });
    expect(docs).toHaveLength(2);
    const schemas = schemaValidator();
    for (const d of docs) expect(schemas.validate('finding.schema.json', d), schemas.errors()).toBe(true);
    expect(docs.map((d) => d.source.ip)).toEqual(['203.0.113.1', '2001:db8::7']);
    for (const d of docs) {
      expect(d.ecs.version).toBe(ECS_VERSION);
      expect(d.event.kind).toBe('alert');
      expect(d.event.id).toBe(d.fwlens.alert.id);
      expect(d.rule.id).toBe('vertical-scan');
    }
  });
});

describe('policy tables are bounded by bytes, not only by count', () => {
  it('keeps a distributed finding of 2,000 sources (and a source that is no address) under a short key, still deduplicated', async () => {
    const many = Array.from({ length: 2000 }, (_, k) => `2001:db8:${k.toString(16)}::1`);
    const long = makeFinding({ detector: 'distributed-scan', sources: many });
    const key = dedupKey(long);
    expect(key.length).toBeLessThanOrEqual(POLICY_MAX_KEY_CHARS);
    expect(key.startsWith('distributed-scan|#')).toBe(true);
    // The same sources in another order: the same key.
    expect(dedupKey({ ...long, sources: [...many].reverse() })).toBe(key);
    expect(boundedKey('x'.repeat(10_000)).length).toBeLessThanOrEqual(POLICY_MAX_KEY_CHARS);
    const clock = new ManualClock(0);
    const { alerter, docs } = setup(clock);
    await alerter.announce({ kind: 'new', finding: long });
    await alerter.announce({ kind: 'update', finding: long });
    await alerter.flush();
    expect(docs).toHaveLength(1);
    expect(alerter.stats()['suppressed.dedup']).toBe(1);
    // What is saved holds bounded keys only.
    const saved = readFileSync(join(dir, 'alerts', 'policy.json'), 'utf8');
    expect(saved.length).toBeLessThan(2000 * 100);
    await alerter.close();
  });

  it('reads an older long key back as the same bounded key', () => {
    const long = makeFinding({ detector: 'distributed-scan', sources: ['203.0.113.1'.repeat(20)] });
    const old = `${long.detector}|${long.sources.join(',')}`;
    const p = new AlertPolicy(1, {}, { dedup: [[old, { at: 0, severity: 5 }]], sources: [], detectors: [] });
    expect(p.decide(long, 1000)).toBe('dedup');
  });
});
