// SummaryBuilder on realistic events: counts, top tables, heat map cells and bounded distinct counts.
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../event.js';
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
});
