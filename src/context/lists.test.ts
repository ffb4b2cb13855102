// Allow and deny lists: files with comments, CIDRs and ASNs; malformed lines named with their line number;
// unreadable files said in one sentence; what a match does to a finding's severity.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { CidrSet, parseCidrBlock } from '../detect/addresses.js';
import type { Finding } from '../detect/types.js';
import { knowledgeBase } from '../knowledge/index.js';
import { formatIpv6, intToIpv4 } from '../net/ip.js';
import { applyContextToFindings, ContextEnricher } from './enrich.js';
import { AddressLists, type ListHit, type ListKind, MALFORMED_LINES_SAID } from './lists.js';

const dir = mkdtempSync(join(tmpdir(), 'fwlens-lists-'));
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('AddressLists', () => {
  it('reads addresses, CIDRs, ASNs and comments; names a malformed line and goes on', () => {
    const lists = new AddressLists();
    const path = file(
      'allow.txt',
      '# partners\n198.51.100.7\n203.0.113.0/25   # office\n\nAS64500\nnot-an-address\n2001:db8:1::/48\n',
    );
    lists.addFile('allow', path);
    expect(lists.size).toBe(4);
    expect(lists.problems).toHaveLength(1);
    expect(lists.problems[0]!.en).toBe(
      `${path}:6: "not-an-address" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.`,
    );
    expect(lists.match('198.51.100.7')).toEqual({ kind: 'allow', where: `${path}:2` });
    expect(lists.match('203.0.113.100')?.where).toBe(`${path}:3`);
    expect(lists.match('203.0.113.200')).toBeUndefined();
    expect(lists.match('192.0.2.1', 64500)?.where).toBe(`${path}:5`);
    expect(lists.match('2001:db8:1::5')?.where).toBe(`${path}:7`);
  });
  it('lets an address entry beat an ASN entry, and deny beat allow between equals', () => {
    const lists = new AddressLists();
    lists.addText('deny', 'AS64500\n192.0.2.66\n', 'deny.txt');
    lists.addText('allow', '192.0.2.0/24\n', 'allow.txt');
    expect(lists.match('192.0.2.5', 64500)?.kind).toBe('allow');
    expect(lists.match('192.0.2.66', 64500)?.kind).toBe('deny');
    expect(lists.match('198.51.100.1', 64500)?.kind).toBe('deny');
  });
  it('names the first malformed lines of a file of garbage and counts the rest in one sentence', () => {
    // Binary garbage as a list (a wrong path given): invalid UTF-8, NUL, ESC, C1 and markup on 5,000 lines.
    const garbage = Buffer.concat(
      Array.from({ length: 5000 }, (_, i) =>
        Buffer.from([
          0xff,
          0xfe,
          0x00,
          0x1b,
          0x5b,
          0x32,
          0x4a,
          0xc2,
          0x9b,
          0x3c,
          0x62,
          0x3e,
          0x30 + (i % 10),
          0x0a,
        ]),
      ),
    );
    const path = join(dir, 'garbage.bin');
    writeFileSync(path, Buffer.concat([garbage, Buffer.from('198.51.100.7\n')]));
    const lists = new AddressLists();
    lists.addFile('allow', path);
    // Before: 5,000 sentences.
    expect(lists.problems).toHaveLength(MALFORMED_LINES_SAID + 1);
    expect(lists.problems[0]!.en).toMatch(new RegExp(`^${path}:1: ".*" is not an address`));
    expect(lists.problems.at(-1)).toEqual({
      en: `${path}: 4,990 lines more are not an address, CIDR block or ASN either, so they are skipped too.`,
      zh: `${path}:另有 4,990 行也不是地址、CIDR 网段或自治系统号,同样已跳过。`,
    });
    expect(lists.match('198.51.100.7')?.where).toBe(`${path}:5001`);
    // One past the bound is named like the others, not counted.
    const few = new AddressLists();
    few.addText('deny', 'x\n'.repeat(MALFORMED_LINES_SAID + 1), 'few.txt');
    expect(few.problems.map((p) => p.en.split(':')[1])).toEqual(
      Array.from({ length: MALFORMED_LINES_SAID + 1 }, (_, i) => String(i + 1)),
    );
  });
  it('names a 50 MB line by its first 80 characters, in bounded time', () => {
    const lists = new AddressLists();
    const started = performance.now();
    lists.addText('allow', `${'1'.repeat(50_000_000)}\n198.51.100.7\n`, 'long.txt');
    expect(performance.now() - started).toBeLessThan(5000);
    expect(lists.problems.map((p) => p.en)).toEqual([
      `long.txt:1: "${'1'.repeat(80)}" is not an address, CIDR block or ASN (like AS64500), so that line is skipped.`,
    ]);
    expect(lists.size).toBe(1);
  });
  it('says in one sentence when a list cannot be read', () => {
    const lists = new AddressLists();
    lists.addFile('deny', join(dir, 'missing.txt'));
    expect(lists.problems[0]!.en).toMatch(
      /^The deny list .*missing\.txt cannot be read \(ENOENT\), so the run goes on without it\.$/,
    );
    expect(lists.size).toBe(0);
  });
});

/** What the lists answered when they were read entry by entry: deny before allow, the first entry written first. */
function linearMatch(entries: [ListKind, string, string][], ip: string, asn?: number): ListHit | undefined {
  for (const byAddress of [true, false])
    for (const kind of ['deny', 'allow'] as const)
      for (const [k, text, where] of entries) {
        if (k !== kind) continue;
        const n = /^AS(\d+)$/i.exec(text);
        if (n) {
          if (!byAddress && asn === Number(n[1])) return { kind, where };
          continue;
        }
        if (!byAddress) continue;
        const block = parseCidrBlock(text);
        if ('v4' in block) {
          if (ipaddr.IPv4.isValidFourPartDecimal(ip)) {
            const v = ipaddr.IPv4.parse(ip)
              .toByteArray()
              .reduce((a, b) => a * 256 + b, 0);
            if (v >= block.v4[0] && v <= block.v4[1]) return { kind, where };
          }
        } else if (ip.includes(':') && ipaddr.IPv6.isValid(ip) && ipaddr.IPv6.parse(ip).match(block.v6))
          return { kind, where };
      }
  return undefined;
}

const V6_LAST = (1n << 128n) - 1n;

/** The 8 groups of a 128-bit number. */
const groupsOf = (v: bigint) =>
  Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));

/**
 * IPv6 addresses near a few bases (the documentation prefix, IPv4-mapped space, ::, the last address, link-local),
 * stepped by a power of two at a group or word boundary, so blocks nest, overlap and share edges; written in the
 * forms logs and lists use: compressed, netfilter's expanded form, upper case, and dotted IPv4 at the end (the
 * mapped `::ffff:a.b.c.d` and the old `::a.b.c.d`, which ipaddr.js reads as mapped).
 */
const v6 = fc
  .tuple(
    fc.constantFrom(0x20010db8n << 96n, 0xffffc0000200n, 0n, V6_LAST, 0xfe80n << 112n),
    fc.integer({ min: -300, max: 300 }),
    fc.constantFrom(0n, 16n, 32n, 64n, 96n, 112n),
    fc.constantFrom('compressed', 'expanded', 'upper', 'dotted'),
  )
  .map(([base, d, shift, form]) => {
    let v = base + (BigInt(d) << shift);
    v = v < 0n ? 0n : v > V6_LAST ? V6_LAST : v;
    const g = groupsOf(v);
    if (form === 'expanded') return g.map((x) => x.toString(16).padStart(4, '0')).join(':');
    if (form === 'upper') return formatIpv6(g).toUpperCase();
    if (form === 'dotted' && v >> 32n === 0xffffn) return `::ffff:${intToIpv4(Number(v & 0xffffffffn))}`;
    if (form === 'dotted' && v >> 32n === 0n && v > 0xffffn) return `::${intToIpv4(Number(v))}`;
    return formatIpv6(g);
  });

describe('list look-ups at scale', () => {
  // Addresses near a few bases, so blocks nest, overlap and share edges.
  const v4 = fc
    .tuple(
      fc.constantFrom(0xc0000200, 0xc6336400, 0xcb007100, 0, 0xffffff00),
      fc.integer({ min: -300, max: 300 }),
    )
    .map(([base, d]) => intToIpv4(Math.min(0xffffffff, Math.max(0, base + d))));
  const entry = fc.oneof(
    v4,
    fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, bits]) => `${a}/${bits}`),
    v6,
    fc
      .tuple(
        v6,
        fc.oneof(fc.integer({ min: 0, max: 128 }), fc.constantFrom(0, 32, 48, 64, 96, 104, 120, 127, 128)),
      )
      .map(([a, bits]) => `${a}/${bits}`),
    fc.constantFrom(
      '2001:db8::/32',
      '2001:db8:1::/48',
      '2001:db8:1::5',
      '::/0',
      '::ffff:0:0/96',
      '::ffff:192.0.2.0/120',
      '::c000:200/120',
      'AS64500',
      'AS64501',
    ),
  );
  it('answers exactly as reading every entry in order, on nested and overlapping blocks and their edges', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<ListKind>('allow', 'deny'), entry), { maxLength: 60 }),
        fc.array(
          fc.tuple(
            fc.oneof(
              v4,
              v6,
              fc.constantFrom(
                '2001:db8:1::5',
                '2001:db8:2::1',
                '::ffff:192.0.2.1',
                '::192.0.2.1',
                '::c000:201',
                'fe80::1%eth0',
                '2001:db8::g',
                '2001:db8:::1',
                '::ffff:192.0.2.256',
              ),
            ),
            fc.constantFrom(undefined, 64500, 64501),
          ),
          { maxLength: 30 },
        ),
        (raw, probes) => {
          const lists = new AddressLists();
          const entries: [ListKind, string, string][] = raw.map(([k, t], i) => [k, t, `l:${i + 1}`]);
          for (const [k, t, w] of entries) expect(lists.add(k, t, w)).toBe(true);
          const set = new CidrSet(entries.filter(([, t]) => !t.startsWith('AS')).map(([, t]) => t));
          for (const [ip, asn] of probes) {
            expect(lists.match(ip, asn)).toEqual(linearMatch(entries, ip, asn));
            const inSet = entries.some(
              ([, t]) => !t.startsWith('AS') && linearMatch([['deny', t, '']], ip) !== undefined,
            );
            expect(set.has(ip)).toBe(inSet);
          }
        },
      ),
      { seed: 2029, numRuns: 600 },
    );
  });

  it('matches an address against 16,000 entries about as fast as against 1,000', () => {
    const addresses = Array.from({ length: 2_000 }, (_, i) => intToIpv4((0x0b000000 + i * 7919) >>> 0));
    const listOf = (n: number) => {
      const lists = new AddressLists();
      for (let i = 0; i < n; i++)
        lists.add('deny', intToIpv4((0x2d000000 + i * 104_729) >>> 0), `d:${i + 1}`);
      lists.match('192.0.2.1');
      return lists;
    };
    const cpu = (lists: AddressLists) => {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const t0 = process.cpuUsage();
        for (const ip of addresses) lists.match(ip);
        const used = process.cpuUsage(t0);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    const small = cpu(listOf(1_000));
    const large = cpu(listOf(16_000));
    // Entry by entry, 16 times the entries took 16 times as long; a bisection takes a few steps more.
    expect(large / small).toBeLessThan(4);
  });

  it('matches an IPv6 address against 16,000 IPv6 blocks about as fast as against 1,000, in lists and sets', () => {
    // Sources in the documentation prefix as netfilter writes them (expanded); /48 and /128 entries around them.
    const addresses = Array.from({ length: 2_000 }, (_, i) =>
      [0x2001, 0x0db8, 0xa000 + (i % 4096), i * 7, 0, 0, (i * 7919) & 0xffff, 1]
        .map((x) => x.toString(16).padStart(4, '0'))
        .join(':'),
    );
    const entryText = (i: number) =>
      i % 2 === 0
        ? `2001:db8:${((i * 104_729) % 0xffff).toString(16)}::/48`
        : formatIpv6([0x2001, 0x0db8, 0xa000 + (i % 4096), i, 0, 0, 0, 1]);
    const listOf = (n: number) => {
      const lists = new AddressLists();
      for (let i = 0; i < n; i++) lists.add('deny', entryText(i), `d:${i + 1}`);
      lists.match('2001:db8::1');
      return (ip: string) => lists.match(ip);
    };
    const setOf = (n: number) => {
      const set = new CidrSet(Array.from({ length: n }, (_, i) => entryText(i)));
      return (ip: string) => set.has(ip);
    };
    const cpu = (look: (ip: string) => unknown) => {
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 3; round++) {
        const t0 = process.cpuUsage();
        for (const ip of addresses) look(ip);
        const used = process.cpuUsage(t0);
        best = Math.min(best, used.user + used.system);
      }
      return best;
    };
    // Block by block, 16 times the blocks took about 16 times as long (measured 13x-16x before the index).
    expect(cpu(listOf(16_000)) / cpu(listOf(1_000))).toBeLessThan(4);
    expect(cpu(setOf(16_000)) / cpu(setOf(1_000))).toBeLessThan(4);
  });
});

const finding = (sources: string[], severity: Finding['severity']): Finding => ({
  detector: 'vertical-scan',
  title: { en: 't', zh: 't' },
  explanation: { en: 'e', zh: 'e' },
  severity,
  confidence: 1,
  sources,
  targets: [],
  ports: [],
  counts: { events: 1 },
  evidence: [],
  advice: { en: 'a', zh: 'a' },
});

describe('lists on findings', () => {
  const lists = new AddressLists();
  lists.addText('allow', '198.51.100.7\n', 'allow.txt');
  lists.addText('deny', '203.0.113.66\n', 'deny.txt');
  const enricher = new ContextEnricher(knowledgeBase(), { lists });
  it('keeps trusted partners at info and says why', () => {
    const f = finding(['198.51.100.7'], 5);
    applyContextToFindings([f], enricher);
    expect(f.severity).toBe(1);
    expect(f.adjustments?.[0]?.text.en).toBe(
      'trusted: 198.51.100.7 is on your allow list (allow.txt:1), never above info',
    );
    expect(f.adjustments?.[0]?.text.zh).toMatch(/允许名单/);
  });
  it('raises listed bad actors and says why', () => {
    const f = finding(['203.0.113.66', '192.0.2.1'], 3);
    applyContextToFindings([f], enricher);
    expect(f.severity).toBe(4);
    expect(f.adjustments?.[0]).toMatchObject({
      delta: 1,
      text: { en: 'listed bad actor: 203.0.113.66 is on your deny list (deny.txt:1)' },
    });
  });
  it('leaves other findings alone', () => {
    const f = finding(['192.0.2.1'], 3);
    applyContextToFindings([f], enricher);
    expect(f).not.toHaveProperty('adjustments');
    expect(f.severity).toBe(3);
  });
});
