// Checks the knowledge tables (source ports, ICMP, addresses, TCP flags, TTL, signatures) through the real loader and look-ups.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { DATA_DIR, KnowledgeBase, portRange } from '../src/knowledge/index.js';
import { loadKnowledgeData } from '../src/knowledge/load.js';
import type { AddressEntry, Fact, PortSpec, ScannerEntry } from '../src/knowledge/schema.js';

/**
 * Source-port ranges of the FAQ's sheet that the knowledge base keeps corrected, with why. The FAQ writes the
 * reserved ports as 1-1024, and under port 1024 calls it the first port of the dynamic range, as BSD's
 * IPPORT_RESERVED and IANA's well-known range (0-1023) have it: 1024 is a client port, not a reserved one.
 */
const CORRECTED_SOURCE_RANGES: Record<string, string> = { '1-1024': '1-1023' };

const kb = new KnowledgeBase(loadKnowledgeData());

/** The FAQ fact sheet lives in the shared folder next to the repository. */
const FACT_SHEET = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'faq-facts.yaml');
const HAS_SHEET = existsSync(FACT_SHEET);
if (!HAS_SHEET) console.warn(`knowledge-tables.test: ${FACT_SHEET} is absent, skipping fact-sheet coverage`);

/** Fact-sheet prefix marking a fact that was not checked against a retrieved copy. */
const UNVERIFIED = /^\(unverified\)/i;

/** Ids another engineer uses in signatures-modern.yaml; ours must not take them. */
const MODERN_SIGNATURE_IDS = [
  'backscatter',
  'reflection-victim',
  'reflector-hunting',
  'mirai-seq',
  'zmap-fingerprint',
  'out-of-state-tcp',
  'slow-distributed-scan',
  'lan-noise',
  'new-host-exposure',
  'research-scanner',
];

/**
 * Fact-sheet address items that are not addresses; the schema cannot express "x.x.x.255" or an IP option,
 * so their facts live in these signatures.
 */
const ADDRESS_ITEMS_AS_SIGNATURES: Record<string, string> = {
  'x.x.x.0 / x.x.x.255 (directed broadcast)': 'directed-broadcast-probe',
  'source-routed packets': 'source-routed-packets',
};

/** How many facts cite the FAQ, and how many of those are flagged unverified. */
function faqFactCounts(facts: readonly Fact[]): { faq: number; unverified: number } {
  const faq = facts.filter((f) => f.source === 'faq' || f.source === 'faq-zh');
  return { faq: faq.length, unverified: faq.filter((f) => f.unverified).length };
}

/** Problems found when our entries carry fewer FAQ facts (or fewer unverified flags) than the sheet item. */
function coverageProblems(label: string, sheetFacts: readonly string[], ours: readonly Fact[]): string[] {
  const counts = faqFactCounts(ours);
  const wantUnverified = sheetFacts.filter((f) => UNVERIFIED.test(f)).length;
  const problems: string[] = [];
  if (counts.faq < sheetFacts.length)
    problems.push(`${label}: ${counts.faq} faq facts < ${sheetFacts.length}`);
  if (counts.unverified < wantUnverified)
    problems.push(`${label}: ${counts.unverified} unverified facts < ${wantUnverified}`);
  return problems;
}

function isAddressEntry(e: AddressEntry | ScannerEntry): e is AddressEntry {
  return 'kind' in e;
}

function specText(spec: PortSpec): string {
  const [from, to] = portRange(spec);
  return from === to ? String(from) : `${from}-${to}`;
}

describe('knowledge tables: look-ups', () => {
  it('cuts the ports into runs that share their entries, for destination and source ports of each protocol', () => {
    // The runs serve to fill a table of all 65,536 ports with one look-up per run (severity's port tables);
    // each port is checked against its own look-up. A fresh knowledge base: the runs' look-ups memoize.
    const fresh = new KnowledgeBase(loadKnowledgeData());
    for (const proto of ['tcp', 'udp', 'sctp'])
      for (const [runsOf, entriesOf] of [
        [(p: string) => fresh.portRuns(p), (port: number, p: string) => fresh.portEntries(port, p)],
        [
          (p: string) => fresh.sourcePortRuns(p),
          (port: number, p: string) => fresh.sourcePortEntries(port, p),
        ],
      ] as const) {
        const runs = runsOf(proto);
        expect(runs[0]![0]).toBe(0);
        expect(runs.at(-1)![1]).toBe(65_536);
        let wrong = 0;
        for (let i = 0; i < runs.length; i++) {
          const [from, to] = runs[i]!;
          expect(from).toBeLessThan(to);
          if (i > 0) expect(from).toBe(runs[i - 1]![1]);
          const ids = entriesOf(from, proto)
            .map((e) => e.id)
            .join('+');
          for (let port = from + 1; port < to; port++)
            if (
              entriesOf(port, proto)
                .map((e) => e.id)
                .join('+') !== ids
            )
              wrong++;
        }
        expect(wrong, proto).toBe(0);
        // Not one run per port: the wide ranges (ephemeral ports) are long runs.
        expect(runs.length).toBeLessThan(5_000);
      }
  });

  it('names the Linux NAT range for a high source port', () => {
    expect(kb.sourcePortEntries(61500, 'tcp').map((e) => e.id)).toContain('linux-nat-masquerade');
    expect(kb.sourcePortEntries(61500, 'tcp').find((e) => e.id === 'linux-nat-masquerade')?.meaning).toBe(
      'nat',
    );
  });

  it('lists the DNS reply before the evasion reading and the broad reserved range for source port 53', () => {
    const ids = kb.sourcePortEntries(53, 'udp').map((e) => e.id);
    expect(ids[0]).toBe('dns-reply-source');
    expect(ids).toContain('dns-source-evasion');
    expect(ids.indexOf('dns-source-evasion')).toBeLessThan(ids.indexOf('reserved-low-source'));
  });

  it('recognises sscan by TCP source ports 1-5 but not over UDP', () => {
    expect(kb.sourcePortEntries(3, 'tcp').map((e) => e.id)).toContain('sscan-source');
    expect(kb.sourcePortEntries(3, 'udp').map((e) => e.id)).not.toContain('sscan-source');
    expect(kb.sourcePortEntries(6, 'tcp').map((e) => e.id)).not.toContain('sscan-source');
  });

  it('treats ordinary client port ranges as neutral, and scanner signatures as aggravating', () => {
    for (const port of [1500, 40000, 55000, 65535]) {
      const entries = kb.sourcePortEntries(port, 'tcp');
      expect(entries.length, String(port)).toBeGreaterThan(0);
      for (const e of entries) expect(e.severityDelta, `${port} ${e.id}`).toBe(0);
    }
    expect(kb.sourcePortEntries(0, 'tcp')[0]?.severityDelta).toBeGreaterThan(0);
    expect(kb.sourcePortEntries(31790, 'udp')[0]?.meaning).toBe('scanner');
  });

  it('answers type 3 code 4 with fragmentation-needed first, then the whole-type entry', () => {
    const ids = kb.icmpEntries('icmp', 3, 4).map((e) => e.id);
    expect(ids[0]).toBe('icmp-frag-needed');
    expect(ids[1]).toBe('icmp-dest-unreachable');
  });

  it('has its own entry for the destination-unreachable codes that matter and for every listed type', () => {
    for (const code of [0, 1, 2, 3, 4, 9, 10, 13])
      expect(kb.icmpEntries('icmp', 3, code)[0]?.code, `icmp 3/${code}`).toBe(code);
    for (const type of [0, 3, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 30])
      expect(kb.icmpEntries('icmp', type, undefined).length, `icmp ${type}`).toBeGreaterThan(0);
    for (const type of [1, 2, 3, 4, 128, 129, 130, 131, 132, 133, 134, 135, 136, 137, 143])
      expect(kb.icmpEntries('icmpv6', type, 0).length, `icmpv6 ${type}`).toBeGreaterThan(0);
    for (let code = 0; code <= 6; code++) expect(kb.icmpEntries('icmpv6', 1, code)[0]?.code).toBe(code);
  });

  it('finds special addresses by containment, most specific first', () => {
    expect(kb.addressEntries('216.33.210.40').map((e) => e.id)).toContain('conducent-adbot-servers');
    expect(kb.addressEntries('216.33.210.42').map((e) => e.id)).not.toContain('conducent-adbot-servers');
    const kindOf = (ip: string) => kb.addressEntries(ip).filter(isAddressEntry)[0]?.kind;
    expect(kindOf('10.1.2.3')).toBe('private');
    expect(kindOf('172.31.255.1')).toBe('private');
    expect(kindOf('172.32.0.1')).toBeUndefined();
    expect(kindOf('fe80::1')).toBe('link-local');
    expect(kindOf('2001:db8::5')).toBe('documentation');
    expect(kindOf('0.0.0.0')).toBe('unspecified');
    expect(kindOf('255.255.255.255')).toBe('broadcast');
    expect(kindOf('239.255.255.250')).toBe('multicast');
    expect(kb.addressEntries('239.255.255.250')[0]?.id).toBe('ssdp-multicast');
    expect(kb.addressEntries('ff02::1:ff00:1234')[0]?.id).toBe('solicited-node-multicast');
  });

  it('keeps documentation ranges calm, since samples and tests use them for ordinary hosts', () => {
    for (const ip of ['192.0.2.7', '198.51.100.20', '203.0.113.99', '2001:db8:1::1']) {
      const entries = kb.addressEntries(ip).filter(isAddressEntry);
      expect(entries.map((e) => e.kind)).toEqual(['documentation']);
      expect(entries[0]!.severityDelta).toBe(0);
    }
  });

  it('names the stealth scans by their flags, in any order', () => {
    expect(kb.tcpFlagEntry([])?.technique?.en).toMatch(/NULL scan/);
    expect(kb.tcpFlagEntry([])?.technique?.zh).toMatch(/NULL 扫描/);
    expect(kb.tcpFlagEntry(['FIN', 'PSH', 'URG'])?.technique?.en).toMatch(/Xmas/);
    expect(kb.tcpFlagEntry(['URG', 'FIN', 'PSH'])?.id).toBe('xmas-scan');
    expect(kb.tcpFlagEntry(['FIN'])?.role).toBe('stealth');
    expect(kb.tcpFlagEntry(['ACK', 'FIN'])?.technique?.en).toMatch(/Maimon/);
    expect(kb.tcpFlagEntry(['SYN', 'FIN'])?.role).toBe('invalid');
    expect(kb.tcpFlagEntry(['SYN', 'ACK'])?.role).toBe('reply');
  });

  it('orders the TTL table and covers the usual starting values', () => {
    expect(kb.ttlTable().map((t) => t.initial)).toEqual([32, 60, 64, 128, 255]);
  });

  it('keeps its signature ids apart from the modern signature file', () => {
    const ours = parseYaml(readFileSync(join(DATA_DIR, 'signatures.yaml'), 'utf8')) as {
      id: string;
    }[];
    for (const id of MODERN_SIGNATURE_IDS) expect(ours.map((s) => s.id)).not.toContain(id);
    for (const id of ['vertical-scan', 'horizontal-sweep', 'ping-sweep', 'slow-scan', 'distributed-scan'])
      expect(kb.signature(id), id).toBeDefined();
    for (const id of [
      'repeated-attempts',
      'syn-flood',
      'spoofed-source',
      'stealth-scan',
      'nmap-os-detection',
    ])
      expect(kb.signature(id), id).toBeDefined();
  });

  it('cites only sources that exist in sources.yaml', () => {
    const d = kb.data;
    const facts = [d.sourcePorts, d.icmp, d.addresses, d.tcpFlags, d.ttl, d.signatures].flatMap((list) =>
      (list as { facts: Fact[] }[]).flatMap((e) => e.facts),
    );
    const missing = facts.filter((f) => kb.source(f.source) === undefined).map((f) => f.source);
    expect(missing).toEqual([]);
  });
});

describe.skipIf(!HAS_SHEET)(
  'knowledge tables: every fact-sheet item is represented (needs ../shared)',
  () => {
    const sheet = HAS_SHEET
      ? (parseYaml(readFileSync(FACT_SHEET, 'utf8')) as {
          source_ports: { port?: number; range?: [number, number]; proto: string[]; facts: string[] }[];
          icmp: { type: number; code?: number; facts: string[] }[];
          addresses: { match: string; facts: string[] }[];
          signatures: { id: string; facts: string[] }[];
          packet_zen: { topic: string; facts: string[] }[];
        })
      : undefined;

    it('source ports: an entry with the same port or range carries the FAQ facts', () => {
      const problems: string[] = [];
      for (const item of sheet!.source_ports) {
        const asWritten = item.range ? `${item.range[0]}-${item.range[1]}` : String(item.port);
        const wanted = CORRECTED_SOURCE_RANGES[asWritten] ?? asWritten;
        const first = item.range ? item.range[0] : item.port!;
        for (const proto of item.proto) {
          const entries = kb
            .sourcePortEntries(first, proto)
            .filter((e) => e.ports.some((spec) => specText(spec) === wanted));
          if (entries.length === 0) problems.push(`${wanted}/${proto}: no entry`);
          else
            problems.push(
              ...coverageProblems(
                `${wanted}/${proto}`,
                item.facts,
                entries.flatMap((e) => e.facts),
              ),
            );
        }
      }
      expect(problems).toEqual([]);
    });

    it('ICMP: every type/code of the sheet has an entry with the FAQ facts', () => {
      const problems: string[] = [];
      for (const item of sheet!.icmp) {
        const label = `icmp ${item.type}/${item.code ?? '*'}`;
        const entries = kb.icmpEntries('icmp', item.type, item.code).filter((e) => e.code === item.code);
        if (entries.length === 0) problems.push(`${label}: no entry`);
        else
          problems.push(
            ...coverageProblems(
              label,
              item.facts,
              entries.flatMap((e) => e.facts),
            ),
          );
      }
      expect(problems).toEqual([]);
    });

    it('addresses: each address finds an entry with the FAQ facts; non-addresses map to signatures', () => {
      const problems: string[] = [];
      for (const item of sheet!.addresses) {
        const candidate = item.match.split(/\s/)[0]!.replace(/\/\d+$/, '');
        if (ipaddr.isValid(candidate)) {
          const entries = kb.addressEntries(candidate).filter(isAddressEntry);
          if (entries.length === 0) problems.push(`${item.match}: no entry`);
          else
            problems.push(
              ...coverageProblems(
                item.match,
                item.facts,
                entries.flatMap((e) => e.facts),
              ),
            );
          continue;
        }
        const signatureId = ADDRESS_ITEMS_AS_SIGNATURES[item.match];
        const signature = signatureId ? kb.signature(signatureId) : undefined;
        if (!signature) problems.push(`${item.match}: neither an address entry nor a mapped signature`);
        else problems.push(...coverageProblems(item.match, item.facts, signature.facts));
      }
      expect(problems).toEqual([]);
    });

    it('the five Conducent addresses are known hosts', () => {
      const conducent = sheet!.addresses.filter((a) => a.facts.some((f) => /conducent/i.test(f)));
      expect(conducent).toHaveLength(5);
      for (const a of conducent)
        expect(kb.addressEntries(a.match).filter(isAddressEntry)[0]?.kind, a.match).toBe('known-host');
    });

    it('signatures: every sheet signature (and the IP ID notes) exists with the FAQ facts', () => {
      const problems: string[] = [];
      for (const item of sheet!.signatures) {
        const signature = kb.signature(item.id);
        if (!signature) problems.push(`${item.id}: missing`);
        else problems.push(...coverageProblems(item.id, item.facts, signature.facts));
      }
      const ipId = sheet!.packet_zen.find((p) => p.topic === 'ip_id')!;
      const byteOrder = kb.signature('ip-id-byte-order');
      if (!byteOrder) problems.push('ip-id-byte-order: missing');
      else problems.push(...coverageProblems('ip-id-byte-order', ipId.facts, byteOrder.facts));
      expect(problems).toEqual([]);
    });

    it('TTL: the table carries the FAQ hop-count notes', () => {
      const ttl = sheet!.packet_zen.find((p) => p.topic === 'ttl')!;
      expect(
        coverageProblems(
          'ttl',
          ttl.facts,
          kb.ttlTable().flatMap((t) => t.facts),
        ),
      ).toEqual([]);
    });
  },
);
