// Distributed scans need coordination: unrelated background from one /24 over days must not look distributed.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../src/detect/index.js';
import { mulberry32 } from '../src/util/prng.js';
import { detect, detectFile, nfLine, type Pkt } from './detect-helpers.js';

const ME = '192.0.2.10';
const HOUR = 3600;

/** Deterministic pseudo-random numbers (mulberry32). */

const POPULAR = [
  22, 23, 80, 443, 445, 3389, 8080, 1433, 3306, 5900, 25, 21, 135, 139, 8443, 2323, 5555, 6379,
];

/**
 * Background like an ISP's view of two /24s over three days: each address picks one or two favourite
 * ports and comes back 1-6 times, hours apart, each time with a SYN and maybe retransmissions.
 */
function twoNetworksOfBackground(seed: number): Pkt[] {
  const r = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const pkts: Pkt[] = [];
  for (const net of ['198.51.100', '203.0.113'])
    for (let last = 1; last <= 200; last++) {
      const src = `${net}.${last}`;
      const favourites = r() < 0.7 ? [pick(POPULAR)] : [pick(POPULAR), pick(POPULAR)];
      const visits = 1 + Math.floor(r() * 6);
      for (let v = 0; v < visits; v++) {
        const t = r() * 72 * HOUR;
        const dpt = pick(favourites);
        const spt = 30000 + Math.floor(r() * 30000);
        const retries = Math.floor(r() * 3);
        for (let k = 0; k <= retries; k++)
          pkts.push({ t: t + (k === 0 ? 0 : 2 ** k - 1), src, dst: ME, proto: 'TCP', spt, dpt });
      }
    }
  return pkts;
}

function run(pkts: Pkt[]): Finding[] {
  return detect(pkts.sort((a, b) => a.t - b.t).map(nfLine));
}

const distributed = (f: Finding[]) => f.filter((x) => x.detector === 'distributed-scan');

describe('distributed-scan needs coordination', () => {
  it('three days of unrelated background from two /24s is not a distributed scan', () => {
    const f = distributed(run(twoNetworksOfBackground(4)));
    expect(
      f.map((x) => `${x.title.en} ${x.counts.distinctSources} sources ${x.counts.events} packets`),
    ).toEqual([]);
  });

  it('the sample log (background from the same two /24s) yields no distributed scan', () => {
    const f = distributed(detectFile(join(import.meta.dirname, '..', 'examples', 'sample.log')));
    expect(f.map((x) => x.title.en)).toEqual([]);
  });

  it('a split scan inside that same background is still found, with exactly its sources', () => {
    const scanners = ['198.51.100.240', '198.51.100.241', '198.51.100.242', '198.51.100.243'];
    const scan: Pkt[] = [];
    for (let port = 1; port <= 200; port++)
      scan.push({
        t: 30 * HOUR + port * 0.05,
        src: scanners[port % 4]!,
        dst: ME,
        proto: 'TCP',
        spt: 40000 + (port % 4),
        dpt: port,
        len: 44,
        df: false,
      });
    const f = distributed(run([...twoNetworksOfBackground(4), ...scan]));
    expect(f).toHaveLength(1);
    expect([...f[0]!.sources].sort()).toEqual(scanners);
  });
});
