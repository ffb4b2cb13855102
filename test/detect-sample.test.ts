// examples/sample.log against examples/sample.truth.md: each planted scenario named by the right detector, nothing else.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../src/detect/index.js';
import { detectFile } from './detect-helpers.js';

/** One finding the sample must produce: which scenario of the truth file it stands for. */
interface Expected {
  scenario: string;
  detector: string;
  /** Every one of these must be among the finding's sources. */
  sources: string[];
  technique?: string;
}

// biome-ignore format: one row per expected finding reads like the truth table
const EXPECTED: Expected[] = [
  { scenario: 'sub7', detector: 'trojan-probe', sources: ['203.0.113.77'] },
  { scenario: 'sub7', detector: 'trojan-probe', sources: ['198.51.100.177'] },
  { scenario: 'sub7', detector: 'trojan-probe', sources: ['203.0.113.27'] },
  { scenario: 'back-orifice', detector: 'trojan-probe', sources: ['198.51.100.31'] },
  { scenario: 'back-orifice', detector: 'trojan-probe', sources: ['203.0.113.137'] },
  { scenario: 'ingreslock', detector: 'trojan-probe', sources: ['198.51.100.24'] },
  { scenario: 'nfs', detector: 'horizontal-sweep', sources: ['203.0.113.49'], technique: 'service-hunt' },
  { scenario: 'rpc-32771', detector: 'horizontal-sweep', sources: ['198.51.100.71'], technique: 'service-hunt' },
  { scenario: 'pcanywhere', detector: 'horizontal-sweep', sources: ['198.51.100.156'], technique: 'service-hunt' },
  { scenario: 'dns-source-port', detector: 'scanner-fingerprint', sources: ['203.0.113.153'], technique: 'source-port-evasion' },
  { scenario: 'sscan', detector: 'scanner-fingerprint', sources: ['198.51.100.115'], technique: 'sscan' },
  { scenario: 'private-source-on-wan', detector: 'spoofing', sources: ['10.66.3.9'], technique: 'private' },
  { scenario: 'private-source-on-wan', detector: 'spoofing', sources: ['172.16.44.2'], technique: 'private' },
  { scenario: 'zero-address-and-port', detector: 'scanner-fingerprint', sources: ['198.51.100.199'], technique: 'port-zero' },
  { scenario: 'zero-address-and-port', detector: 'scanner-fingerprint', sources: ['203.0.113.205'], technique: 'port-zero' },
  { scenario: 'proxy-hunt', detector: 'horizontal-sweep', sources: ['203.0.113.108'], technique: 'service-hunt' },
  { scenario: 'socks-sweep', detector: 'horizontal-sweep', sources: ['198.51.100.108'], technique: 'syn' },
  { scenario: 'vertical-syn-scan', detector: 'vertical-scan', sources: ['203.0.113.66'], technique: 'syn' },
  { scenario: 'xmas-scan', detector: 'vertical-scan', sources: ['198.51.100.66'], technique: 'xmas' },
  { scenario: 'null-scan', detector: 'vertical-scan', sources: ['198.51.100.67'], technique: 'null' },
  { scenario: 'slow-scan', detector: 'slow-scan', sources: ['203.0.113.211'] },
  { scenario: 'unix-traceroute', detector: 'traceroute', sources: ['198.51.100.141'], technique: 'udp' },
  { scenario: 'ssh-brute-force', detector: 'repeated-attempts', sources: ['198.51.100.40'], technique: 'password-guessing' },
  { scenario: 'windows-tracert', detector: 'traceroute', sources: ['203.0.113.141'], technique: 'icmp-echo' },
  { scenario: 'smurf-backscatter', detector: 'flood', sources: ['203.0.113.225', '198.51.100.225'], technique: 'smurf' },
  { scenario: 'synack-backscatter', detector: 'backscatter', sources: ['203.0.113.88'] },
  // NetBIOS, DHCP, SSDP, mDNS, Inoculan and IPv6 link-local multicast: one roll-up.
  { scenario: 'lan-noise', detector: 'lan-noise', sources: ['10.0.0.31', '10.0.0.45', '10.0.0.52', '0.0.0.0', 'fe80::1c2b:7aff:fe90:3152', 'fe80::21b:21ff:fe3c:9d01', 'fe80::5054:ff:fe5c:4e21'] },
  // RealAudio stream, DNS and NTP replies: the UDP roll-up of replies to our clients.
  { scenario: 'realaudio+dns-replies+ntp-replies', detector: 'return-traffic', sources: ['203.0.113.70', '198.51.100.53', '203.0.113.123'] },
  { scenario: 'nat-late-returns', detector: 'return-traffic', sources: ['203.0.113.80', '203.0.113.81', '203.0.113.44'], technique: 'late-tcp' },
  { scenario: 'adware-beacon', detector: 'outbound-beacon', sources: ['10.0.0.23'], technique: 'adware' },
  { scenario: 'powwow', detector: 'inherited-retry', sources: ['198.51.100.13'] },
  { scenario: 'powwow', detector: 'inherited-retry', sources: ['198.51.100.223'] },
  { scenario: 'powwow', detector: 'inherited-retry', sources: ['203.0.113.132'] },
  // Censys from its published prefix: a vertical scan like any other (context lowers it by one, not detection).
  { scenario: 'research-scanners', detector: 'vertical-scan', sources: ['162.142.125.214'], technique: 'syn' },
];

/**
 * Planted on purpose without a finding: allowed SSH logins, two IPv6 SSH connection attempts (as few as a
 * background sender's), four IPv6 pings, ICMP errors answering our own traffic, damaged lines, background.
 */
const QUIET = [
  'ssh-admin',
  'ipv6-ssh',
  'ipv6-ping',
  'icmp-port-unreachable',
  'icmp-frag-needed',
  'icmp-time-exceeded',
];
const QUIET_SOURCES = [
  '198.51.100.34',
  '2001:db8:bad:1::7',
  '2001:db8:4:2::8',
  '203.0.113.54',
  '198.51.100.254',
  '203.0.113.254',
];

function matches(f: Finding, e: Expected): boolean {
  return (
    f.detector === e.detector &&
    e.sources.every((s) => f.sources.includes(s)) &&
    (e.technique === undefined || f.technique === e.technique)
  );
}

const describeFinding = (f: Finding) =>
  `${f.detector}/${f.technique ?? '-'} ${f.sources.slice(0, 3).join(',')}${f.sources.length > 3 ? ',...' : ''}`;

describe('examples/sample.log against its truth file', () => {
  let findings: Finding[];
  beforeAll(() => {
    findings = detectFile(join(import.meta.dirname, '..', 'examples', 'sample.log'));
  });

  for (const e of EXPECTED)
    it(`${e.scenario}: ${e.detector} ${e.sources[0]}`, () => {
      const hits = findings.filter((f) => matches(f, e));
      expect(hits.map(describeFinding), `got ${findings.map(describeFinding).join(' | ')}`).toHaveLength(1);
    });

  it('yields no other findings', () => {
    const unexplained = findings.filter((f) => !EXPECTED.some((e) => matches(f, e)));
    expect(unexplained.map(describeFinding)).toEqual([]);
    expect(findings).toHaveLength(EXPECTED.length);
  });

  it(`stays quiet on ${QUIET.join(', ')}`, () => {
    const loud = findings.filter((f) => f.sources.some((s) => QUIET_SOURCES.includes(s)));
    expect(loud.map(describeFinding)).toEqual([]);
  });

  it('one finding per source across episodes: ingreslock twice, two days apart', () => {
    const f = findings.find((x) => matches(x, EXPECTED.find((e) => e.scenario === 'ingreslock')!))!;
    expect(f.counts.episodes).toBe(2);
    expect(f.counts.events).toBe(5);
    expect((f.lastSeen! - f.firstSeen!) / 3600_000).toBeGreaterThan(40);
  });

  it('the adware beacon finding runs until the last burst to all five ad servers', () => {
    const f = findings.find((x) => x.detector === 'outbound-beacon')!;
    expect(f.counts.events).toBe(174);
    expect(f.targets).toHaveLength(5);
    expect(new Date(f.lastSeen!).toISOString().slice(5, 16)).toBe('11-22T10:14');
    // Explained by the day of retries, not by the one burst at the end ("tried 1 time ... on 5 addresses").
    expect(f.explanation.en).toMatch(/tried 48 times to reach Conducent adbot .* roughly every 10 min/);
  });

  it('trojan findings are worded per trojan, Hack-a-tack appears nowhere', () => {
    for (const f of findings.filter((x) => x.detector === 'trojan-probe'))
      expect(`${f.title.en} ${f.explanation.en}`).not.toMatch(/Hack-a-tack|31790/);
  });
});
