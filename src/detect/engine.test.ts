// Engine properties: deterministic replay, event time only, bounded state, line order without timestamps, config.
import { readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detect, nfLine, type Pkt, testKb } from '../../test/detect-helpers.js';
import { ingestFiles, ROOT } from '../../test/helpers.js';
import { busyLog } from '../../test/support/golden.js';
import {
  ALL_SPECS,
  createDetectionEngine,
  defaultDetectionConfig,
  loadDetectionConfig,
  parseDetectionConfig,
} from './index.js';

const scan = (src = '198.51.100.23', n = 60, start = 0): Pkt[] =>
  Array.from({ length: n }, (_, i) => ({
    t: start + i * 0.01,
    src,
    dst: '203.0.113.10',
    proto: 'TCP' as const,
    spt: 51000,
    dpt: 1 + ((i * 37) % 1000),
    len: 44,
    df: false,
  }));

describe('engine', () => {
  it('replaying the same log gives byte-identical findings JSON', () => {
    const lines = [...scan(), ...scan('198.51.100.24', 30, 100)].map(nfLine);
    expect(JSON.stringify(detect(lines))).toBe(JSON.stringify(detect(lines)));
  });

  it('uses event time: the same log shifted by three days gives the same findings apart from the times', () => {
    const a = detect(scan().map(nfLine));
    const b = detect(
      scan()
        .map((p) => ({ ...p, t: p.t + 86400 * 3 }))
        .map(nfLine),
    );
    expect(a.map((f) => [f.detector, f.technique, f.counts])).toEqual(
      b.map((f) => [f.detector, f.technique, f.counts]),
    );
    expect(b[0]!.firstSeen! - a[0]!.firstSeen!).toBe(86400 * 3 * 1000);
  });

  it('sorts by severity then first seen', () => {
    const f = detect(
      [
        ...scan('198.51.100.30', 60, 50),
        { t: 0, src: '127.0.0.1', dst: '203.0.113.10', proto: 'TCP' as const, dpt: 80 },
        ...Array.from({ length: 40 }, (_, i) => ({
          t: 1 + i,
          src: '192.168.1.5',
          dst: '192.168.1.255',
          proto: 'UDP' as const,
          spt: 137,
          dpt: 137,
        })),
      ]
        .sort((a, b) => a.t - b.t)
        .map(nfLine),
    );
    const sev = f.map((x) => x.severity);
    expect(sev).toEqual([...sev].sort((a, b) => b - a));
    expect(f.at(-1)!.detector).toBe('lan-noise');
  });

  it('keeps state bounded on endless one-shot input', () => {
    const config = { ...defaultDetectionConfig(), maxGroupsPerDetector: 500 };
    const engine = createDetectionEngine({ kb: testKb(), config });
    let peak = 0;
    for (let i = 0; i < 30000; i++) {
      const ev = {
        format: 'netfilter',
        action: 'deny' as const,
        direction: 'inbound' as const,
        transport: 'tcp',
        timestamp: i * 1000,
        sourceIp: `45.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
        destinationIp: '203.0.113.10',
        sourcePort: 40000,
        destinationPort: 22 + (i % 5),
        tcpFlags: ['SYN' as const],
        line: i + 1,
      };
      engine.push(ev, `line ${i}`);
      peak = Math.max(peak, engine.stateSize());
    }
    // Specs x (groups + single packets) x 500, plus the source gate (two generations of 0.5 x 500 held
    // packets and of 3 x 500 live sources), plus remembered outbound flows (none here).
    expect(peak).toBeLessThanOrEqual(ALL_SPECS.length * 2 * 500 + 2 * 250 + 2 * 1500);
    // The per-spec breakdown used in memory profiles adds up to the total, and the gate holds one-shot sources.
    const sizes = engine.stateSizes();
    expect(Object.values(sizes).reduce((a, b) => a + b, 0)).toBe(engine.stateSize());
    expect(sizes['gate-held']).toBeGreaterThan(0);
    expect(engine.finish().filter((f) => f.detector === 'vertical-scan')).toEqual([]);
  });

  it('keeps the values of wide groups within maxValuesPerDetector (a spoofed sweep of many targets)', () => {
    // Every packet from a new source, to one of 40 targets and ever new ports: the specs that group by
    // target see groups of thousands of sources and ports each, which the group bound counts as one each.
    const run = (maxValuesPerDetector?: number) => {
      const config = { ...defaultDetectionConfig(), ...(maxValuesPerDetector && { maxValuesPerDetector }) };
      const engine = createDetectionEngine({ kb: testKb(), config });
      let most = 0;
      for (let i = 0; i < 40_000; i++) {
        engine.push(
          {
            format: 'netfilter',
            action: 'deny' as const,
            direction: 'inbound' as const,
            transport: 'tcp',
            timestamp: i * 20,
            sourceIp: `45.${(i >> 14) & 255}.${(i >> 6) & 255}.${1 + (i & 63)}`,
            destinationIp: `203.0.113.${1 + (i % 40)}`,
            sourcePort: 40000,
            destinationPort: 1 + ((i * 7919) % 65535),
            tcpFlags: ['SYN' as const],
            line: i + 1,
          },
          `line ${i}`,
        );
        if (i % 1000 === 999) {
          const values = Object.entries(engine.stateSizes()).filter(([k]) => k.endsWith(' values'));
          most = Math.max(most, ...values.map(([, n]) => n));
        }
      }
      return { most, closed: engine.closedEarly(), findings: engine.finish() };
    };
    const free = run();
    const bounded = run(5000);
    // Without a tighter bound one spec holds far more than 5,000 values; with it none does.
    expect(free.most).toBeGreaterThan(20_000);
    expect(free.closed).toBe(0);
    expect(bounded.most).toBeLessThanOrEqual(5000);
    expect(bounded.closed).toBeGreaterThan(0);
    // The sweep is still reported: the groups closed early are judged like any other.
    const kinds = (f: typeof free.findings) => [...new Set(f.map((x) => x.detector))].sort();
    expect(kinds(bounded.findings)).toEqual(kinds(free.findings));
    expect(bounded.findings.length).toBeGreaterThan(0);
  });

  it('works without timestamps (dmesg without boot time), saying windows follow line order', () => {
    const lines = scan()
      .map(nfLine)
      .map((l) => l.slice(l.indexOf('[')));
    const f = detect(lines);
    expect(f.map((x) => x.detector)).toEqual(['vertical-scan']);
    expect(f[0]!.timeBasis).toBe('line-order');
    expect(f[0]!.firstSeen).toBeUndefined();
  });
});

describe('config', () => {
  const write = (text: string) => {
    const path = join(tmpdir(), `fwlens-detect-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(path, text);
    return path;
  };

  it('loads the shipped example', () => {
    const c = loadDetectionConfig(join(import.meta.dirname, '..', '..', 'examples', 'fwlens.yaml'));
    expect(c.detectors['vertical-scan']).toEqual({ minPorts: 15 });
    expect(c.ownAddresses).toEqual(['203.0.113.10']);
    expect(c.maxFindingsPerDetector).toBe(5000);
  });

  it('rejects a bad config with one clear error', () => {
    expect(() => loadDetectionConfig(write('trustedNetworks: [not-an-ip]\n'))).toThrow(
      /trustedNetworks\.0: not an IP/,
    );
    expect(() => parseDetectionConfig({ detectors: { 'vertical-scan': { minPort: 3 } } })).toThrow(
      /vertical-scan\.minPort: unknown setting \(known: enabled, windowSeconds/,
    );
    // A name every object has is an unknown setting too (`name in known` took it for one).
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty'])
      expect(() => parseDetectionConfig({ detectors: { 'vertical-scan': { [name]: 3 } } })).toThrow(
        new RegExp(`vertical-scan\\.${name}: unknown setting`),
      );
    expect(() => parseDetectionConfig({ detectors: { portscan: {} } })).toThrow(/portscan: unknown detector/);
    expect(() => parseDetectionConfig({ colour: 'red' })).toThrow(/invalid detection config/);
    expect(() => loadDetectionConfig(write('a: [\n'))).toThrow(/not valid YAML/);
  });

  it('threshold overrides, disabled detectors, ignored ports and trusted sources take effect', () => {
    const lines = scan().map(nfLine);
    expect(
      detect(lines, parseDetectionConfig({ detectors: { 'vertical-scan': { minPorts: 100 } } })),
    ).toEqual([]);
    expect(
      detect(lines, parseDetectionConfig({ detectors: { 'vertical-scan': { enabled: false } } })),
    ).toEqual([]);
    expect(detect(lines, parseDetectionConfig({ ignore: { ports: ['1-1000'] } }))).toEqual([]);
    const marked = detect(lines, parseDetectionConfig({ trustedNetworks: ['198.51.100.0/24'] }));
    expect(marked.map((f) => f.suppressed)).toEqual(['trusted']);
    expect(
      detect(lines, parseDetectionConfig({ trustedNetworks: ['198.51.100.0/24'], trustedAction: 'drop' })),
    ).toEqual([]);
  });

  it('own addresses arriving from outside as a source are spoofing', () => {
    const line = nfLine({ t: 0, src: '203.0.113.10', dst: '203.0.113.99', proto: 'TCP', dpt: 80 });
    expect(detect([line])).toEqual([]);
    const f = detect([line], parseDetectionConfig({ ownAddresses: ['203.0.113.10'] }));
    expect(f.map((x) => x.technique)).toEqual(['own-address']);
  });
});

describe('batches', () => {
  /** Every shard's findings, and what was left out, with the specs fed `batchPackets` packets at a time. */
  async function raw(paths: string[], batchPackets: number): Promise<string> {
    const { events, raws } = await ingestFiles(paths, { year: 2026 });
    const engine = createDetectionEngine({ kb: testKb(), shardCount: 8, batchPackets });
    for (let i = 0; i < events.length; i++) engine.push(events[i]!, raws[i]!);
    return JSON.stringify(engine.finishRaw());
  }

  it('give the findings packet-by-packet feeding gives, on the lab captures and a busy log', async () => {
    const lab = join(ROOT, 'test', 'fixtures', 'lab');
    const paths = [
      ...readdirSync(lab, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(lab, d.name, 'kern.log')),
      await busyLog(),
    ];
    for (const path of paths) {
      const one = await raw([path], 1);
      expect(one.length, path).toBeGreaterThan(2);
      expect(await raw([path], 7), path).toBe(one);
      expect(await raw([path], 8192), path).toBe(one);
    }
  }, 120_000);
});
