// The one address classifier: the cases explanation and detection used to answer differently, and the ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { impossibleSource } from '../detect/detectors/spoofing.js';
import { toPacket } from '../detect/packet.js';
import type { EngineContext } from '../detect/types.js';
import type { FwEvent } from '../event.js';
import { classifyAddress as explainClass } from '../explain/index.js';
import { loadKnowledgeData } from '../knowledge/load.js';
import {
  classifyAddress,
  classifyV4,
  classifyV4ByBlocks,
  isPublicLike,
  leavesInsideByAddress,
  PUBLIC_V6_TOP32,
  v4ClassRunEnd,
} from './address-class.js';
import { ipv6Groups } from './ip.js';

describe('address classes', () => {
  it('answers what explain and detect used to disagree on', () => {
    // Benchmarking range (RFC 2544), IPv4-mapped private, NAT64 holding 0.0.0.1.
    expect(classifyAddress('198.18.0.5')).toBe('bogon');
    expect(classifyAddress('::ffff:10.0.0.1')).toBe('private');
    expect(classifyAddress('64:ff9b::1')).toBe('bogon');
    // NAT64 of a documentation address (198.51.100.7) is judged by the IPv4 address inside.
    expect(classifyAddress('64:ff9b::c633:6407')).toBe('documentation');
    expect(isPublicLike('198.18.0.5')).toBe(false);
    expect(isPublicLike('64:ff9b::c633:6407')).toBe(true);
    // explain re-exports this one classifier, it has none of its own.
    expect(explainClass).toBe(classifyAddress);
  });

  it('decides which side a packet comes from by one rule, for the detectors and the explanation', () => {
    // The firewall said: believed.
    expect(leavesInsideByAddress('outbound', '203.0.113.7', '192.0.2.10')).toBe(true);
    expect(leavesInsideByAddress('inbound', '10.0.0.23', '198.51.100.40')).toBe(false);
    // Forwarded, or no side said: an inside host going out when it goes from private to public space.
    for (const direction of ['forward', 'unknown']) {
      expect(leavesInsideByAddress(direction, '10.0.0.23', '198.51.100.40')).toBe(true);
      expect(leavesInsideByAddress(direction, '100.64.1.2', '2001:db8::1')).toBe(true);
      expect(leavesInsideByAddress(direction, '198.51.100.40', '10.0.0.23')).toBe(false);
      expect(leavesInsideByAddress(direction, '10.0.0.23', '10.0.0.1')).toBe(false);
      expect(leavesInsideByAddress(direction, '203.0.113.7', '198.51.100.40')).toBe(false);
    }
    // The spoofing detector reads the same side: a session log's private source going out is not forged.
    const packet = (direction: FwEvent['direction'], src: string, dst: string) =>
      toPacket(
        { format: 't', action: 'deny', direction, sourceIp: src, destinationIp: dst, transport: 'tcp' },
        '',
        0,
        false,
        undefined,
      )!;
    const ctx = { isOwnAddress: () => false } as unknown as EngineContext;
    expect(impossibleSource(packet('unknown', '192.168.0.46', '34.194.213.204'), ctx)).toBeUndefined();
    expect(impossibleSource(packet('inbound', '192.168.0.46', '34.194.213.204'), ctx)).toBe('private');
  });

  it('classifies the special ranges', () => {
    const cases: [string, string][] = [
      ['0.0.0.0', 'unspecified'],
      ['0.1.2.3', 'bogon'],
      ['10.255.0.1', 'private'],
      ['100.64.0.1', 'cgnat'],
      ['127.0.0.1', 'loopback'],
      ['169.254.9.9', 'link-local'],
      ['172.31.0.1', 'private'],
      ['172.32.0.1', 'public'],
      ['192.0.0.9', 'bogon'],
      ['192.0.2.1', 'documentation'],
      ['203.0.113.250', 'documentation'],
      ['224.0.0.251', 'multicast'],
      ['240.0.0.1', 'bogon'],
      ['255.255.255.255', 'broadcast'],
      ['::', 'unspecified'],
      ['::1', 'loopback'],
      ['fe80::1', 'link-local'],
      ['fd12::1', 'private'],
      ['ff02::fb', 'multicast'],
      ['2001:db8::7', 'documentation'],
      // The second documentation prefix, 3fff::/20 (RFC 9637), and the first address after it.
      ['3fff::1', 'documentation'],
      ['3fff:fff:ffff:ffff::1', 'documentation'],
      ['3fff:1000::1', 'public'],
      // Benchmarking, 2001:2::/48 (RFC 5180): reserved like 198.18.0.0/15, with the unassigned rest of its /32.
      ['2001:2::1', 'bogon'],
      ['2001:2:1::1', 'bogon'],
      ['2001:1:ffff::1', 'public'],
      ['2001:3::1', 'public'],
      ['2a00:1450::1', 'public'],
      ['4000::1', 'bogon'],
      ['not an address', 'bogon'],
    ];
    for (const [ip, cls] of cases) expect([ip, classifyAddress(ip)]).toEqual([ip, cls]);
  });

  it('judges the NAT64 local-use prefix 64:ff9b:1::/48 (RFC 8215) by its IPv4 address, as the well-known one', () => {
    expect(classifyAddress('64:ff9b:1::1')).toBe(classifyAddress('64:ff9b::1'));
    // 198.51.100.7 and 8.8.8.8 inside; the local-use prefix may carry a private address (10.0.0.1).
    expect(classifyAddress('64:ff9b:1::c633:6407')).toBe('documentation');
    expect(classifyAddress('64:ff9b:1:ab::c633:6407')).toBe('documentation');
    expect(classifyAddress('64:ff9b:1::808:808')).toBe('public');
    expect(classifyAddress('64:ff9b:1::a00:1')).toBe('private');
    expect(isPublicLike('64:ff9b:1::808:808')).toBe(true);
    // Outside the /48: neither NAT64 prefix.
    expect(classifyAddress('64:ff9b:2::808:808')).toBe('bogon');
  });

  it('agrees with the kinds of data/addresses.yaml, the one list of ranges the explanations describe', () => {
    // Entries whose kind is not the class of their block, with why: an IPv4 address inside IPv6 is judged by the
    // IPv4 address it holds; 6to4 is a deprecated mechanism on public addresses, described as such but public.
    const judgedOtherwise: Record<string, string> = {
      'ipv4-mapped-ipv6': 'IPv4 inside IPv6',
      'nat64-well-known': 'IPv4 inside IPv6',
      'nat64-local-use': 'IPv4 inside IPv6',
      'six-to-four': 'public addresses of a deprecated mechanism',
    };
    const problems: string[] = [];
    for (const e of loadKnowledgeData().addresses) {
      if (e.kind === 'known-host' || e.kind === 'scanner' || judgedOtherwise[e.id]) continue;
      for (const cidr of e.cidrs) {
        const [ip, bits] = cidr.split('/') as [string, string | undefined];
        // A block's second address (the first of 0.0.0.0/8 is the unspecified address itself), else the address.
        const probe =
          bits === undefined || bits === '32' || bits === '128'
            ? ip
            : ip.includes(':')
              ? `${ip.replace(/::$/, '')}${ip.endsWith('::') ? '::1' : ''}`
              : ip.replace(/\.0$/, '.1');
        const cls = classifyAddress(probe);
        if (cls !== e.kind) problems.push(`${e.id} ${cidr} (${probe}): ${cls}, not ${e.kind}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the public IPv6 runs of the first 32 bits what the classifier calls public (IPv4 inside IPv6 aside)', () => {
    const top32 = (ip: string) => {
      const g = ipv6Groups(ip)!;
      return g[0]! * 65536 + g[1]!;
    };
    const inRuns = (ip: string) => PUBLIC_V6_TOP32.some(([from, to]) => top32(ip) >= from && top32(ip) <= to);
    const hex = (n: number) => `${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
    const probes: string[] = [];
    for (const [from, to] of PUBLIC_V6_TOP32)
      for (const n of [from - 1, from, to, to + 1])
        probes.push(`${hex(n)}::1`, `${hex(n)}:ffff:ffff:ffff:ffff:ffff:ffff`);
    probes.push('3fff::1', '2001:2::1', '2001:db8::1', '2a00:1450::1');
    for (const ip of probes) expect([ip, inRuns(ip)]).toEqual([ip, classifyAddress(ip) === 'public']);
  });

  it('makes the spoofing detector name a benchmarking source as reserved', () => {
    const p = {
      src: '198.18.0.5',
      dst: '198.51.100.10',
      inbound: true,
      lanNoise: undefined,
      ev: { direction: 'inbound', inInterface: 'eth0' },
    } as unknown as Parameters<typeof impossibleSource>[0];
    const ctx = { isOwnAddress: () => false } as unknown as Parameters<typeof impossibleSource>[1];
    expect(impossibleSource(p, ctx)).toBe('bogon');
  });

  it('classifies IPv4 by first octet exactly as the walk over the blocks', () => {
    // Every edge between two runs of one class, and its neighbours, then random addresses.
    const edges: number[] = [];
    for (let n = 0; n <= 0xffffffff; n = v4ClassRunEnd(n) + 1) {
      edges.push(n - 1, n, n + 1);
      if (v4ClassRunEnd(n) === 0xffffffff) break;
    }
    for (const n of edges.filter((x) => x >= 0 && x <= 0xffffffff))
      expect([n, classifyV4(n)]).toEqual([n, classifyV4ByBlocks(n)]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (n) => classifyV4(n) === classifyV4ByBlocks(n)),
      { seed: 13, numRuns: 20_000 },
    );
  });
});
