// SummaryBuilder on realistic events: counts, top tables, heat map cells and bounded distinct counts.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
import { shardOf } from '../util/shard.js';
import { OTHER_KEYS, TALLY_KEY_CHARS, TALLY_KEYS } from './key-tally.js';
import { SummaryBuilder } from './summary.js';

function ev(src: string, port: number, t: number, transport = 'tcp'): FwEvent {
  return {
    format: 'netfilter',
    action: 'deny',
    direction: 'inbound',
    transport,
    sourceIp: src,
    destinationIp: '192.0.2.10',
    destinationPort: port,
    timestamp: t,
  };
}

describe('SummaryBuilder', () => {
  it('keeps each address text a source of its own: an IPv4 address with leading zeros is not merged into the plain one', () => {
    const s = new SummaryBuilder(() => 2);
    for (let i = 0; i < 3; i++) s.add(ev('10.0.0.1', 22, 1000 + i), '');
    s.add(ev('010.0.0.1', 22, 2000), '');
    s.add(ev('2001:db8::7', 22, 2001), '');
    s.add(ev('2001:db8::7', 23, 2002), '');
    const r = s.result(10);
    expect(r.topSources.map((x) => [x.ip, x.events, x.distinctPorts])).toEqual([
      ['10.0.0.1', 3, 1],
      ['2001:db8::7', 2, 2],
      ['010.0.0.1', 1, 1],
    ]);
    expect(s.sourceCounts().map((x) => x.ip)).toEqual(['10.0.0.1', '2001:db8::7', '010.0.0.1']);
    expect(r.networks.narrow.map((n) => [n.network, n.events])).toEqual([
      ['10.0.0.0/24', 4],
      ['2001:db8::/48', 2],
    ]);
  });

  it('builds top sources, top ports and the source x port heat map from the same counts', () => {
    const s = new SummaryBuilder(() => 2);
    for (let i = 0; i < 5; i++) s.add(ev('198.51.100.7', 22, 1000 + i), '');
    s.add(ev('198.51.100.7', 23, 2000), '');
    s.add(ev('198.51.100.7', 161, 2001, 'udp'), '');
    s.add(ev('203.0.113.9', 23, 3000), '');
    const r = s.result(10);
    expect(r.topSources.map((x) => [x.ip, x.events, x.distinctPorts])).toEqual([
      ['198.51.100.7', 7, 3],
      ['203.0.113.9', 1, 1],
    ]);
    expect(r.topPorts.map((p) => [p.key, p.events, p.distinctSources])).toEqual([
      ['tcp/22', 5, 1],
      ['tcp/23', 2, 2],
      ['udp/161', 1, 1],
    ]);
    expect(r.heatmap.sources).toEqual(['198.51.100.7', '203.0.113.9']);
    expect(r.heatmap.ports).toEqual(['tcp/22', 'tcp/23', 'udp/161']);
    expect(r.heatmap.cells).toEqual([
      [0, 0, 5],
      [0, 1, 1],
      [0, 2, 1],
      [1, 1, 1],
    ]);
    expect(r.heatmap.otherPorts).toEqual([0, 0]);
    expect(r.networks.narrow[0]).toEqual({ network: '198.51.100.0/24', events: 7 });
    expect(r.firstSeen).toBe(1000);
    expect(r.lastSeen).toBe(3000);
  });

  it('keeps memory bounded and the heavy hitter exact among 200,000 one-shot sources', () => {
    const s = new SummaryBuilder(() => 1);
    for (let i = 0; i < 200_000; i++) {
      s.add(ev(`10.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`, 1 + (i % 1000), i), '');
      if (i % 10 === 0) s.add(ev('203.0.113.66', 22, i), '');
    }
    const r = s.result(5);
    expect(r.topSources[0]).toMatchObject({ ip: '203.0.113.66', events: 20_000 });
    expect(r.sourcesExact).toBe(false);
    expect(Math.abs(r.distinctSources - 200_001) / 200_001).toBeLessThan(0.03);
  });

  it('merges source shards into the same counts a single builder makes (while exact)', () => {
    const one = new SummaryBuilder((e) => (e.destinationPort === 31337 ? 4 : 2));
    const shards = [0, 1, 2, 3].map(
      () => new SummaryBuilder((e) => (e.destinationPort === 31337 ? 4 : 2), 4),
    );
    for (let i = 0; i < 3000; i++) {
      // A week of events from 300 sources, a few of them hitting the Back Orifice port.
      const e = ev(
        `198.51.100.${i % 300}`,
        i % 7 === 0 ? 31337 : 20 + (i % 40),
        1_700_000_000_000 + i * 200_000,
      );
      one.add(e, `line ${i}`);
      shards[shardOf(e.sourceIp, 4)]!.add(e, `line ${i}`);
    }
    // Every shard got some sources: the merge really combines parts.
    expect(shards.every((s) => s.result(1).events > 0)).toBe(true);
    const merged = new SummaryBuilder(() => 2);
    for (const s of shards) merged.absorb(s);
    const a = one.result(10);
    const b = merged.result(10);
    expect(b.events).toBe(3000);
    expect(b.topSources).toEqual(a.topSources);
    expect(b.topPorts).toEqual(a.topPorts);
    expect(b.distinctSources).toBe(300);
    expect(b.bySeverity).toEqual(a.bySeverity);
    expect(b.timeline).toEqual(a.timeline);
    expect(b.networks).toEqual(a.networks);
    expect(b.heatmap).toEqual(a.heatmap);
    expect(b.notable.map((n) => [n.count, n.sources, n.raw])).toEqual(
      a.notable.map((n) => [n.count, n.sources, n.raw]),
    );
    // Back Orifice was hit from sources i % 300 with i % 7 === 0: every residue mod 300 comes up (7 and 300
    // are coprime), so all 300 sources, counted in the merge as in one pass.
    expect(b.notable.find((n) => n.event.destinationPort === 31337)).toMatchObject({
      count: 429,
      sources: 300,
    });
  });

  it('never says a port had more sources than events, and says when its count is an estimate', () => {
    const s = new SummaryBuilder(() => 3);
    // 100 sources, one SSH packet each: past the exact limit per port (64), the estimate must not exceed 100.
    for (let i = 1; i <= 100; i++) s.add(ev(`198.51.100.${i}`, 22, 1_000 + i), `line ${i}`);
    // 5 packets from one source to telnet: exact.
    for (let i = 0; i < 5; i++) s.add(ev('203.0.113.9', 23, 2_000 + i), `telnet ${i}`);
    const r = s.result(10);
    const ssh = r.topPorts.find((p) => p.key === 'tcp/22')!;
    expect(ssh.sourcesExact).toBe(false);
    expect(ssh.distinctSources).toBeLessThanOrEqual(ssh.events);
    expect(ssh.distinctSources).toBeGreaterThanOrEqual(95);
    expect(r.topPorts.find((p) => p.key === 'tcp/23')).toMatchObject({
      distinctSources: 1,
      sourcesExact: true,
    });
    // The notable shapes: the SSH sample names one source, but its count is of 100 events from 100 sources.
    expect(r.notable.find((n) => n.event.destinationPort === 22)).toMatchObject({ count: 100, sources: 100 });
    expect(r.notable.find((n) => n.event.destinationPort === 23)).toMatchObject({ count: 5, sources: 1 });
  });

  it('bounds the product and transport tables a hostile log names: long names cut, the rest as (other), same through shards and threads', () => {
    const N = TALLY_KEYS + 200;
    const hostile = (i: number): FwEvent => ({
      ...ev(`198.51.100.${i % 250}`, 22, 1_700_000_000_000 + i * 1000, `p${String(i).padStart(15, 'x')}`),
      observerProduct: `acme p${String(i).padStart(9, '0')}${'x'.repeat(2000)}`,
    });
    const one = new SummaryBuilder(() => 2);
    const shards = Array.from({ length: 4 }, () => new SummaryBuilder(() => 2));
    for (let i = 0; i < N; i++) {
      one.add(hostile(i), '');
      shards[shardOf(hostile(i).sourceIp, 4)]!.add(hostile(i), '');
    }
    // Also with the early names seen again after the tables filled: they keep counting under their names.
    one.add(hostile(0), '');
    const r = one.result(10);
    expect(Object.keys(r.byProduct).length).toBe(TALLY_KEYS + 1);
    expect(Object.keys(r.byTransport).length).toBe(TALLY_KEYS + 1);
    for (const k of Object.keys(r.byProduct)) expect(k.length).toBeLessThanOrEqual(TALLY_KEY_CHARS);
    expect(r.byProduct[OTHER_KEYS]).toBe(N - TALLY_KEYS);
    expect(r.byTransport[OTHER_KEYS]).toBe(N - TALLY_KEYS);
    expect(r.byTransport.pxxxxxxxxxxxxxx0).toBe(2);
    expect(r.foldedKeys).toEqual({ byTransport: N - TALLY_KEYS, byProduct: N - TALLY_KEYS });
    // Merged from shards, also through a worker thread's structured clone: the same bound either way.
    const merged = new SummaryBuilder(() => 2);
    for (const s of shards) merged.absorb(SummaryBuilder.revive(structuredClone(s.snapshot()), () => 2));
    const m = merged.result(10);
    expect(Object.keys(m.byProduct).length).toBe(TALLY_KEYS + 1);
    expect(Object.values(m.byProduct).reduce((a, b) => a + b, 0)).toBe(N);
    expect(m.foldedKeys!.byProduct).toBeGreaterThan(0);
  });

  it('counts a transport named __proto__ as any other name', () => {
    const s = new SummaryBuilder(() => 2);
    s.add(ev('198.51.100.1', 22, 1000, '__proto__'), '');
    expect(Object.hasOwn(s.result(10).byTransport, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(s.result(10).byTransport, '__proto__')?.value).toBe(1);
  });
});
