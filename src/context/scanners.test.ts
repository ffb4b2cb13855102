// Research scanners as data: every entry of data/scanners.yaml is checked against its own sources (address
// blocks, AS numbers and organisations in the ASN data set, reverse names), and the policy switch.
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { knowledgeBase } from '../knowledge/index.js';
import { intToIpv4 } from '../net/ip.js';
import { loadAsnTable } from './asn-data.js';
import { contextSteps } from './enrich.js';
import { ScannerMatcher } from './scanners.js';

const kb = knowledgeBase();
const matcher = new ScannerMatcher(kb);
const table = loadAsnTable().table!;

/** An address inside a CIDR block: its first address plus one (a /32 is the address itself). */
function inside(cidr: string): string {
  const [addr, bits] = ipaddr.parseCIDR(
    cidr.includes('/') ? cidr : `${cidr}/${cidr.includes(':') ? 128 : 32}`,
  );
  const bytes = addr.toByteArray();
  const maxBits = bytes.length * 8;
  if (bits < maxBits) bytes[bytes.length - 1]! |= 1;
  return ipaddr.fromByteArray(bytes).toString();
}

describe.each(kb.data.scanners.map((e) => [e.id, e] as const))('research scanner %s', (id, entry) => {
  it('has a label in both languages, a known source and a checked date not in the future', () => {
    expect(entry.name.en.length).toBeGreaterThan(2);
    expect(entry.name.zh).toMatch(/\S/);
    expect(kb.source(entry.source), entry.source).toBeDefined();
    expect(Date.parse(entry.checked)).toBeLessThanOrEqual(Date.now());
    const ways = (entry.cidrs?.length ?? 0) + (entry.asns?.length ?? 0) + (entry.ptrSuffixes?.length ?? 0);
    expect(ways, 'an entry must be recognisable somehow').toBeGreaterThan(0);
  });
  it.each(entry.cidrs ?? [])('labels an address inside %s', (cidr) => {
    expect(matcher.match(inside(cidr))?.entry.id).toBe(id);
  });
  it.each(entry.asns ?? [])(
    'AS%i is the operator in the ASN data set and its addresses get the label',
    (asn) => {
      const orgs = table.organizationsOf(asn);
      expect(orgs.length, `AS${asn} is not in the data set`).toBeGreaterThan(0);
      const patterns = (entry.organizations ?? []).map((p) => p.toLowerCase());
      expect(
        orgs.some((o) => patterns.some((p) => o.toLowerCase().includes(p))),
        `AS${asn} is registered to ${orgs.join(' / ')}`,
      ).toBe(true);
      const first = table.firstV4Of(asn);
      if (first !== undefined) {
        const ip = intToIpv4(first);
        expect(matcher.match(ip, table.lookup(ip))?.entry.id).toBe(id);
      }
    },
  );
  it.each(entry.ptrSuffixes ?? [])('labels a host named under %s', (suffix) => {
    expect(matcher.match('192.0.2.10', undefined, `scan-01.${suffix}.`)?.entry.id).toBe(id);
    expect(matcher.match('192.0.2.10', undefined, `scan-01.not${suffix}`)?.entry.id).not.toBe(id);
  });
});

describe('scanner policy', () => {
  const censys = {
    ip: '192.0.2.9',
    scanner: { id: 'censys', name: { en: 'Censys', zh: 'Censys' }, by: 'asn' as const },
  };
  it('labels (−1), makes noise of (info) or raises (+1) findings of research scanners', () => {
    expect(contextSteps(3, [censys], 'label')[0]).toMatchObject({
      delta: -1,
      text: { en: 'known research scanner: Censys' },
    });
    expect(contextSteps(4, [censys], 'noise')[0]?.delta).toBe(-3);
    expect(contextSteps(3, [censys], 'block')[0]?.delta).toBe(1);
    // From a sum at or under the floor, +1 would still show 1: the step is as large as it takes to show 2.
    expect(contextSteps(0, [censys], 'block')[0]?.delta).toBe(2);
    expect(contextSteps(-1, [censys], 'block')[0]?.delta).toBe(3);
  });
  it('needs every source to be a scanner', () => {
    expect(contextSteps(3, [censys, { ip: '198.51.100.1' }], 'label')).toEqual([]);
  });
  it('lets the explanation count block matches itself', () => {
    const byBlock = { ...censys, scanner: { ...censys.scanner, by: 'cidr' as const } };
    expect(contextSteps(3, [byBlock], 'label', true)).toEqual([]);
  });
});
