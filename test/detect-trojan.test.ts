// Trojan-probe findings: worded from the trojan-probe signature and the port entries, one per source across episodes.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/detect/index.js';
import { detect, nfLine, type Pkt } from './detect-helpers.js';

const ME = '192.0.2.10';
const DAY = 24 * 3600;

function run(pkts: Pkt[]): Finding[] {
  return detect(pkts.sort((a, b) => a.t - b.t).map(nfLine));
}

function trojanFindings(f: Finding[]): Finding[] {
  return f.filter((x) => x.detector === 'trojan-probe');
}

/** An old Windows stack's SYN with two retransmissions (3 s, then 6 s later). */
function synWithRetries(src: string, dpt: number, t: number, spt = 1042): Pkt[] {
  return [0, 3, 9].map((d) => ({ t: t + d, src, dst: ME, proto: 'TCP' as const, spt, dpt, ttl: 113 }));
}

describe('trojan-probe wording', () => {
  it('names Sub-7 from the port entries, not the Hack-a-tack scanner', () => {
    const src = '203.0.113.77';
    const f = trojanFindings(run([...synWithRetries(src, 27374, 100), ...synWithRetries(src, 1243, 120)]));
    expect(f).toHaveLength(1);
    expect(f[0]!.title.en).toMatch(/Sub-?7|SubSeven/);
    expect(f[0]!.title.en).not.toMatch(/Hack-a-tack/i);
    expect(f[0]!.explanation.en).not.toMatch(/31790|31789/);
    expect(f[0]!.title.zh).not.toMatch(/Hack-a-tack/i);
  });

  it('names the ingreslock backdoor and Back Orifice over TCP without the Hack-a-tack text', () => {
    const f = trojanFindings(
      run([...synWithRetries('198.51.100.24', 1524, 10), ...synWithRetries('203.0.113.137', 31337, 50)]),
    );
    expect(f).toHaveLength(2);
    for (const x of f) {
      expect(x.title.en).not.toMatch(/Hack-a-tack/i);
      expect(x.explanation.en).not.toMatch(/31790/);
    }
    expect(f.find((x) => x.sources[0] === '198.51.100.24')!.title.en).toMatch(/ingreslock/);
    expect(f.find((x) => x.sources[0] === '203.0.113.137')!.title.en).toMatch(/Back Orifice/);
  });

  it('keeps the Hack-a-tack scanner text for UDP from 31790 to 31789', () => {
    const src = '198.51.100.90';
    const pkts: Pkt[] = [0, 1].map((t) => ({ t, src, dst: ME, proto: 'UDP', spt: 31790, dpt: 31789 }));
    const f = trojanFindings(run(pkts));
    expect(f).toHaveLength(1);
    expect(f[0]!.title.en).toMatch(/Hack-a-tack/);
    expect(f[0]!.explanation.en).toMatch(/31790/);
  });

  it('does not use the Hack-a-tack scanner text for UDP to 31789 from another port', () => {
    const src = '198.51.100.91';
    const pkts: Pkt[] = [0, 1].map((t) => ({ t, src, dst: ME, proto: 'UDP', spt: 40000, dpt: 31789 }));
    const f = trojanFindings(run(pkts));
    expect(f).toHaveLength(1);
    expect(f[0]!.title.en).toMatch(/Hack-a-tack trojan/);
    expect(f[0]!.title.en).not.toMatch(/scanner/i);
  });
});

describe('trojan-probe episodes', () => {
  it('one source probing 1524 twice, two days apart, is one finding with both episodes', () => {
    const src = '198.51.100.24';
    const first = synWithRetries(src, 1524, 11 * 3600);
    const second = synWithRetries(src, 1524, 2 * DAY + 3 * 3600, 1077).slice(0, 2);
    const f = trojanFindings(run([...first, ...second]));
    expect(f).toHaveLength(1);
    const x = f[0]!;
    expect(x.counts.events).toBe(5);
    expect(x.counts.episodes).toBe(2);
    expect(x.lastSeen! - x.firstSeen!).toBeGreaterThan(DAY);
    // Evidence from both episodes: the first episode's first line and the second episode's last line.
    const lines = x.evidence.map((e) => e.line);
    expect(lines).toContain(1);
    expect(lines).toContain(5);
  });

  it('opens with what both episodes add up to, then says whose numbers follow', () => {
    const src = '198.51.100.24';
    const first = synWithRetries(src, 1524, 11 * 3600);
    const second = synWithRetries(src, 1524, 2 * DAY + 3 * 3600, 1077).slice(0, 2);
    const x = trojanFindings(run([...first, ...second]))[0]!;
    // The shown episode knocked 3 times; the finding holds 5 packets: the first sentence must say 5.
    expect(x.explanation.en).toMatch(
      /^Seen in 2 separate episodes [^.]*, 5 packets in all\. Strongest episode: /,
    );
    expect(x.explanation.en.indexOf('5 packets')).toBeLessThan(x.explanation.en.indexOf('(3 packets)'));
    expect(x.explanation.zh).toMatch(/^共出现 2 次[^。]*合计 5 个包。/);
  });

  it('two sources probing the same port stay two findings', () => {
    const f = trojanFindings(
      run([...synWithRetries('198.51.100.31', 31337, 0), ...synWithRetries('203.0.113.137', 31337, DAY)]),
    );
    expect(f).toHaveLength(2);
  });
});
