// The real psad test captures (GPL, read in place from the shared corpus): the right finding, no wrong ones.
import { describe, expect, it } from 'vitest';
import { CORPUS, corpusPresent, detectFile, ids } from './detect-helpers.js';

if (!corpusPresent) console.warn(`detect-psad: ${CORPUS} is absent, the psad capture tests are skipped`);

/** Findings that are never wrong on these captures (LAN chatter rolled up at severity 1). */
const HARMLESS = ['lan-noise'];

describe.skipIf(!corpusPresent)('psad captures', () => {
  const cases: [string, string, string | undefined][] = [
    ['psad-xmas-scan', 'vertical-scan', 'xmas'],
    ['psad-udp-scan', 'vertical-scan', 'udp'],
    ['psad-topera-ipv6-syn-scan-with-ip-opts', 'vertical-scan', 'syn'],
    ['psad-proto-scan', 'vertical-scan', 'ip-protocol'],
  ];
  for (const [file, detector, technique] of cases)
    it(`${file}: ${detector} (${technique}) and nothing wrong`, () => {
      const f = detectFile(`${CORPUS}/${file}.log`);
      expect(ids(f).filter((d) => !HARMLESS.includes(d))).toEqual([detector]);
      const hit = f.find((x) => x.detector === detector)!;
      expect(hit.technique).toBe(technique);
      expect(hit.sources).toHaveLength(1);
      expect(hit.evidence.length).toBeGreaterThan(0);
      expect(hit.evidence[0]!.file).toContain(file);
    });

  it('topera IPv6 scan walks the ports in order and is one source', () => {
    const f = detectFile(`${CORPUS}/psad-topera-ipv6-syn-scan-with-ip-opts.log`);
    const scan = f.find((x) => x.detector === 'vertical-scan')!;
    expect(scan.sources).toEqual(['2012:1234:1234::1']);
    expect(scan.explanation.en).toContain('ascending order');
    expect(scan.counts.distinctPorts).toBeGreaterThan(150);
  });

  it('psad-mirai: a Mirai-style Telnet hunt, repeated attempts on 23/2323, never a port scan', () => {
    const f = detectFile(`${CORPUS}/psad-mirai-default-credentials-scan.log`);
    expect(ids(f)).toEqual(['repeated-attempts', 'scanner-fingerprint']);
    expect(f.find((x) => x.detector === 'scanner-fingerprint')!.technique).toBe('mirai');
    expect(f.find((x) => x.detector === 'repeated-attempts')!.ports).toEqual([23, 2323]);
  });

  it('the other real captures raise no scan findings', () => {
    for (const file of [
      'psad-ipv6-ping-scan',
      'crowdsec-iptables-logs',
      'beats-iptables',
      'sekoia-netfilter',
      'psad-syslog-time-fmt1',
    ]) {
      const f = detectFile(`${CORPUS}/${file}.log`);
      expect(
        ids(f).filter((d) => !HARMLESS.includes(d)),
        file,
      ).toEqual([]);
    }
  });
});
