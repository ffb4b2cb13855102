// Checks the bundled sample log: it regenerates byte for byte, every good line parses, every planted scenario is there.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FwEvent } from '../src/event.js';
import { makeContext } from '../src/formats/envelope/time.js';
import type { ParseResult } from '../src/formats/types.js';
import { parseOneLine } from '../src/ingest/parse-line.js';
import { generateSample, SAMPLE_LOG_PATH, SAMPLE_TRUTH_PATH } from './make-sample.js';
import { DAMAGED_SCENARIO } from './sample/damaged.js';
import { CENSYS_SCANNER, SHADOWSERVER_SCANNER } from './sample/research.js';

const committedLog = readFileSync(SAMPLE_LOG_PATH, 'utf8');
const committedTruth = readFileSync(SAMPLE_TRUTH_PATH, 'utf8');
const sample = generateSample();
const fileLines = committedLog.split('\n').slice(0, -1);
const ctx = makeContext(Date.UTC(2026, 10, 23));
const results: ParseResult[] = fileLines.map((line) => parseOneLine(line, ctx));
const events: FwEvent[] = results.filter((r): r is FwEvent => r !== null && !('error' in r));

const HOST = '192.0.2.10';
const START = Date.UTC(2026, 10, 20);
const END = Date.UTC(2026, 10, 23);

function isEvent(r: ParseResult): r is FwEvent {
  return r !== null && !('error' in r);
}

/** Events grouped by source address. */
function bySource(list: FwEvent[]): Map<string, FwEvent[]> {
  const out = new Map<string, FwEvent[]>();
  for (const e of list) {
    const key = e.sourceIp ?? '?';
    out.set(key, [...(out.get(key) ?? []), e]);
  }
  return out;
}

function distinct<T>(list: FwEvent[], pick: (e: FwEvent) => T): Set<T> {
  return new Set(list.map(pick));
}

function span(list: FwEvent[]): number {
  return (list[list.length - 1].timestamp ?? 0) - (list[0].timestamp ?? 0);
}

function gaps(list: FwEvent[]): number[] {
  return list.slice(1).map((e, i) => (e.timestamp ?? 0) - (list[i].timestamp ?? 0));
}

function median(values: number[]): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const flagsAre = (e: FwEvent, flags: string[]) =>
  (e.tcpFlags ?? []).slice().sort().join() === flags.sort().join();

describe('examples/sample.log', () => {
  it('is exactly what the generator writes (run `npm run sample` after changing it)', () => {
    const regenerated = sample.log.split('\n');
    const firstDifference = fileLines.findIndex((line, i) => line !== regenerated[i]);
    expect(firstDifference).toBe(-1);
    expect(sample.log === committedLog).toBe(true);
    expect(sample.truth).toBe(committedTruth);
    expect(generateSample().log === sample.log).toBe(true);
  });

  it('has 3,000-5,000 kernel lines in time order within the three days', () => {
    expect(fileLines.length).toBeGreaterThanOrEqual(3000);
    expect(fileLines.length).toBeLessThanOrEqual(5000);
    for (const line of fileLines)
      expect(line).toMatch(/^Nov 2[0-2] \d\d:\d\d:\d\d edge kernel: \[[ \d]{5,}\.\d{6}\] /);
    const stamps = events.map((e) => e.timestamp ?? Number.NaN);
    expect(stamps.every((t, i) => t >= START && t < END && (i === 0 || t >= stamps[i - 1]))).toBe(true);
    const uptimes = fileLines.map((l) => Number(/\[\s*(\d+\.\d+)\]/.exec(l)?.[1]));
    expect(uptimes.every((u, i) => i === 0 || u >= uptimes[i - 1])).toBe(true);
  });

  it('parses every line except the planted damaged ones, which are reported instead', () => {
    expect(sample.lines.map((l) => l.text)).toEqual(fileLines);
    const damaged = sample.lines.flatMap((l, i) => (l.scenario === DAMAGED_SCENARIO ? [i] : []));
    expect(damaged.length).toBeGreaterThanOrEqual(3);
    expect(damaged.length).toBeLessThanOrEqual(5);
    results.forEach((r, i) => {
      if (damaged.includes(i)) expect(isEvent(r), fileLines[i]).toBe(false);
      else expect(isEvent(r) ? r.format : r, fileLines[i]).toBe('netfilter');
    });
    const errors = damaged.map((i) => results[i]).filter((r) => r !== null && 'error' in r);
    expect(errors.map((r) => (r as { error: string }).error).join()).toMatch(/SPT=70000/);
    expect(damaged.some((i) => results[i] === null)).toBe(true);
    expect(fileLines.some((l) => / kernel: \[[ \d.]+\] audit: /.test(l))).toBe(true);
  });

  it('writes netfilter fields the way the kernel does', () => {
    const netfilterLines = fileLines.filter((_, i) => isEvent(results[i]));
    expect(netfilterLines.every((l) => l.endsWith(' '))).toBe(true);
    const v6 = netfilterLines.filter((l) => l.includes(' TC='));
    expect(
      v6.every((l) =>
        /SRC=([0-9a-f]{4}:){7}[0-9a-f]{4} DST=([0-9a-f]{4}:){7}[0-9a-f]{4} LEN=\d+ TC=0 HOPLIMIT=\d+ FLOWLBL=\d+ /.test(
          l,
        ),
      ),
    ).toBe(true);
    const udp = netfilterLines.filter((l) => / PROTO=UDP SPT=/.test(l.replace(/\[.*\]/, '')));
    expect(udp.every((l) => /PROTO=UDP SPT=\d+ DPT=\d+ LEN=\d+ $/.test(l))).toBe(true);
    const tcp = netfilterLines.filter(
      (l) => / PROTO=TCP SPT=\d+ DPT=\d+ WINDOW/.test(l) && !l.includes('PROTO=ICMP'),
    );
    expect(
      tcp.every((l) => / WINDOW=\d+ RES=0x00 ((CWR|ECE|URG|ACK|PSH|RST|SYN|FIN) )*URGP=0 $/.test(l)),
    ).toBe(true);
    const outbound = netfilterLines.filter((l) => l.includes(' IN= OUT=eth0 '));
    expect(outbound.length).toBeGreaterThan(0);
    expect(outbound.every((l) => !l.includes('MAC='))).toBe(true);
  });

  it('uses only documentation, LAN, link-local and multicast addresses (Conducent servers only as destinations, two research scanners as sources)', () => {
    const conducent = new Set([
      '216.33.210.40',
      '216.33.210.41',
      '216.33.199.77',
      '216.33.199.80',
      '216.33.199.81',
    ]);
    const allowed =
      /^(192\.0\.2\.|198\.51\.100\.|203\.0\.113\.|10\.0\.0\.|2001:db8:|fe80:|ff02:|224\.0\.0\.251$|239\.255\.255\.250$|255\.255\.255\.255$|0\.0\.0\.0$)/;
    const spoofed = new Set(['10.66.3.9', '172.16.44.2']);
    // Real public addresses of research scanners, so the report can show owners (scripts/sample/research.ts).
    const scanners = new Set([CENSYS_SCANNER, SHADOWSERVER_SCANNER]);
    for (const e of events) {
      const src = e.sourceIp ?? '';
      expect(allowed.test(src) || spoofed.has(src) || scanners.has(src), e.sourceIp).toBe(true);
      const dst = e.destinationIp ?? '';
      expect(allowed.test(dst) || (conducent.has(dst) && e.direction === 'forward'), dst).toBe(true);
    }
  });

  it('holds the ufw and plain iptables prefixes', () => {
    const prefixes = distinct(events, (e) => e.prefix);
    for (const p of [
      '[UFW BLOCK]',
      '[UFW ALLOW]',
      '[UFW AUDIT]',
      '[UFW LIMIT BLOCK]',
      'iptables DROP_INPUT:',
      'FINAL_REJECT:',
    ])
      expect(prefixes.has(p), p).toBe(true);
    const blocks = events.filter((e) => e.prefix === '[UFW BLOCK]').length;
    expect(blocks / events.length).toBeGreaterThan(0.6);
  });

  it('holds the trojan and backdoor probes', () => {
    const bo = events.filter((e) => e.destinationPort === 31337);
    expect(distinct(bo, (e) => e.transport)).toEqual(new Set(['udp', 'tcp']));
    for (const port of [27374, 1243, 6776, 1524, 32771, 13223])
      expect(events.filter((e) => e.destinationPort === port).length, String(port)).toBeGreaterThanOrEqual(2);
    expect(
      distinct(
        events.filter((e) => e.destinationPort === 2049),
        (e) => e.transport,
      ),
    ).toEqual(new Set(['tcp', 'udp']));
  });

  it('holds the scans: proxy hunt, SOCKS sweep, vertical, Xmas, NULL and slow', () => {
    const sources = [...bySource(events.filter((e) => e.transport === 'tcp')).values()];
    const proxyPorts = [1080, 3128, 8080, 8000, 8888];
    expect(sources.some((l) => proxyPorts.every((p) => l.some((e) => e.destinationPort === p)))).toBe(true);
    const sweep = sources.find(
      (l) =>
        distinct(
          l.filter((e) => e.destinationPort === 1080),
          (e) => e.destinationIp,
        ).size >= 60,
    );
    expect(sweep && span(sweep)).toBeLessThan(2 * 60_000);
    const vertical = sources.find((l) => distinct(l, (e) => e.destinationPort).size >= 150);
    expect(vertical && span(vertical)).toBeLessThanOrEqual(60_000);
    expect(events.filter((e) => flagsAre(e, ['URG', 'PSH', 'FIN'])).length).toBeGreaterThanOrEqual(30);
    expect(
      events.filter((e) => e.transport === 'tcp' && (e.tcpFlags ?? []).length === 0).length,
    ).toBeGreaterThanOrEqual(30);
    const slow = sources.find(
      (l) => distinct(l, (e) => e.destinationPort).size >= 30 && span(l) >= 5 * 3600_000,
    );
    expect(slow).toBeDefined();
    expect(Math.min(...gaps(slow ?? []))).toBeGreaterThanOrEqual(5 * 60_000);
  });

  it('holds a UNIX traceroute and a Windows tracert arriving at our host', () => {
    const udpToUs = events.filter((e) => e.transport === 'udp' && e.destinationIp === HOST);
    const tracer = [...bySource(udpToUs).values()].find((l) =>
      l.every((e) => e.destinationPort! >= 33434 && e.destinationPort! <= 33523),
    );
    const probes = tracer ?? [];
    expect(probes.length).toBeGreaterThanOrEqual(30);
    expect(probes[0].ttl).toBe(1);
    expect(
      probes.every(
        (e, i) =>
          i === 0 || (e.destinationPort! > probes[i - 1].destinationPort! && e.ttl! >= probes[i - 1].ttl!),
      ),
    ).toBe(true);
    const pings = events.filter((e) => e.icmpType === 8 && e.ipVersion === 4);
    expect(pings.filter((e) => e.ttl === 1).length).toBe(3);
    expect(pings.every((e, i) => i === 0 || e.ttl! >= pings[i - 1].ttl!)).toBe(true);
  });

  it('holds LAN and segment noise: NetBIOS, DHCP, SSDP, mDNS, Inoculan', () => {
    const lan = events.filter((e) => e.inInterface === 'eth1' && !e.outInterface);
    expect(
      lan.filter(
        (e) => e.destinationIp === '10.0.0.255' && (e.destinationPort === 137 || e.destinationPort === 138),
      ).length,
    ).toBeGreaterThan(20);
    expect(
      lan.filter((e) => e.destinationIp === '239.255.255.250' && e.destinationPort === 1900).length,
    ).toBeGreaterThan(0);
    expect(lan.filter((e) => e.destinationPort === 5353).length).toBeGreaterThan(0);
    expect(
      lan.filter((e) => e.destinationPort === 41508 && e.destinationIp === '10.0.0.255').length,
    ).toBeGreaterThan(10);
    expect(events.some((e) => e.sourceIp === '0.0.0.0' && e.destinationPort === 67)).toBe(true);
    expect(events.some((e) => e.sourcePort === 67 && e.destinationPort === 68)).toBe(true);
  });

  it('holds replies and leftovers: DNS, NTP, NAT returns, RealAudio after its 7070 control connection, PowWow', () => {
    expect(
      events.filter((e) => e.transport === 'udp' && e.sourcePort === 53 && e.destinationPort! > 1024).length,
    ).toBeGreaterThan(5);
    expect(events.filter((e) => e.sourcePort === 123).length).toBeGreaterThan(3);
    expect(
      events.filter(
        (e) =>
          e.destinationPort! >= 61000 &&
          e.tcpFlags?.includes('ACK') &&
          (e.sourcePort === 443 || e.sourcePort === 80),
      ).length,
    ).toBeGreaterThan(5);
    const control = events.find(
      (e) => e.destinationPort === 7070 && e.action === 'allow' && e.direction === 'forward',
    );
    const stream = events.filter(
      (e) =>
        e.sourceIp === control?.destinationIp && e.destinationPort! >= 6970 && e.destinationPort! <= 7170,
    );
    expect(stream.length).toBeGreaterThan(10);
    expect(stream[0].timestamp).toBeGreaterThan(control?.timestamp ?? Number.POSITIVE_INFINITY);
    const powwow = [...bySource(events.filter((e) => e.destinationPort === 13223)).values()];
    expect(powwow.length).toBeGreaterThanOrEqual(3);
    for (const peer of powwow) {
      expect(median(gaps(peer))).toBeGreaterThanOrEqual(59_000);
      expect(median(gaps(peer))).toBeLessThanOrEqual(91_000);
      expect(span(peer)).toBeLessThanOrEqual(2 * 3600_000);
    }
  });

  it('holds the outbound adware beacon to Conducent', () => {
    const beacon = events.filter(
      (e) =>
        e.inInterface === 'eth1' &&
        e.outInterface === 'eth0' &&
        e.sourceIp === '10.0.0.23' &&
        e.destinationPort === 17027,
    );
    expect(beacon.filter((e) => e.destinationIp === '216.33.210.40').length).toBeGreaterThan(30);
    expect(beacon.every((e) => e.action === 'deny')).toBe(true);
    expect(
      fileLines.filter(
        (l) => l.includes(' OUT=eth0 ') && l.includes('DST=216.33.210.40 ') && l.includes('DPT=17027 '),
      ).length,
    ).toBe(beacon.filter((e) => e.destinationIp === '216.33.210.40').length);
  });

  it('holds ICMP errors and backscatter', () => {
    const portUnreachable = events.filter(
      (e) => e.icmpType === 3 && e.icmpCode === 3 && e.inner?.destinationPort === 53,
    );
    expect(portUnreachable.length).toBeGreaterThan(0);
    expect(portUnreachable.every((e) => e.inner?.sourceIp === HOST)).toBe(true);
    expect(
      events.filter((e) => e.icmpType === 3 && e.icmpCode === 4 && e.icmpMtu !== undefined).length,
    ).toBeGreaterThan(0);
    const timeExceeded = events.filter((e) => e.icmpType === 11);
    expect(timeExceeded.length).toBeGreaterThanOrEqual(5);
    expect(timeExceeded.every((e) => e.inner?.sourceIp === HOST && e.inner.ttl === 1)).toBe(true);
    const replies = events.filter((e) => e.icmpType === 0);
    expect(distinct(replies, (e) => e.sourceIp).size).toBeGreaterThanOrEqual(30);
    expect(span(replies)).toBeLessThan(10_000);
    const synAcks = events.filter((e) => e.sourcePort === 80 && flagsAre(e, ['ACK', 'SYN']));
    expect(distinct(synAcks, (e) => e.sourceIp).size).toBe(1);
    const backscatter = events.filter((e) => e.sourceIp === synAcks[0].sourceIp);
    expect(backscatter.some((e) => flagsAre(e, ['ACK', 'RST']))).toBe(true);
    expect(backscatter.every((e) => e.sourcePort === 80)).toBe(true);
    expect(distinct(backscatter, (e) => e.destinationPort).size).toBeGreaterThanOrEqual(30);
  });

  it('holds the odd ones: pcAnywhere with UDP 22, source port 53 and 1-5, spoofed and zero addresses', () => {
    const pc = events.filter((e) => e.transport === 'udp' && e.destinationPort === 5632);
    expect(
      events.some((e) => e.sourceIp === pc[0]?.sourceIp && e.transport === 'udp' && e.destinationPort === 22),
    ).toBe(true);
    expect(
      events.some(
        (e) =>
          e.sourcePort === 53 && e.transport === 'tcp' && e.destinationPort === 8080 && flagsAre(e, ['SYN']),
      ),
    ).toBe(true);
    expect(events.some((e) => e.sourcePort! >= 1 && e.sourcePort! <= 5 && e.destinationPort === 1114)).toBe(
      true,
    );
    expect(events.some((e) => e.inInterface === 'eth0' && /^(10\.|172\.16\.)/.test(e.sourceIp ?? ''))).toBe(
      true,
    );
    expect(events.some((e) => e.destinationIp === '0.0.0.0')).toBe(true);
    expect(events.some((e) => e.destinationPort === 0)).toBe(true);
  });

  it('holds IPv6: SSH probe, ping, link-local multicast to ff02::1', () => {
    const v6 = events.filter((e) => e.ipVersion === 6);
    expect(v6.length).toBeGreaterThan(50);
    expect(v6.some((e) => e.destinationIp === '2001:db8:10::10' && e.destinationPort === 22)).toBe(true);
    expect(v6.some((e) => e.icmpType === 128 && e.destinationIp === '2001:db8:10::10')).toBe(true);
    expect(v6.some((e) => e.sourceIp?.startsWith('fe80:') && e.destinationIp === 'ff02::1')).toBe(true);
  });
});
