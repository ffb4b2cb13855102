// Spoofing hints: impossible source addresses arriving from outside, and one source with inconsistent TTLs.

import { hopsFromTtl } from '../../explain/ttl.js';
import { hasMessage, listBoth, tBoth } from '../../i18n.js';
import type { KnowledgeBase } from '../../knowledge/index.js';
import { classifyAddress, isLoopbackInterface, isPublicLike } from '../../net/address-class.js';
import { recordCount, verbatim, worded } from '../finding.js';
import type { Bucket, DetectorSpec, EngineContext, Localized, Packet, Tunables } from '../types.js';
import { observeTtl, probeShaped, ttlsVaryLikeRawProbes, windowTunables } from './common.js';

/** Why a source address cannot be genuine here, or undefined. */
export function impossibleSource(p: Packet, ctx: EngineContext): string | undefined {
  if (p.lanNoise !== undefined || isLoopbackInterface(p.ev.inInterface)) return undefined;
  // One of our own single addresses as the source of a packet that came in through an interface.
  if (p.ev.direction === 'inbound' && ctx.isOwnAddress(p.src) && p.src !== p.dst) return 'own-address';
  if (!p.inbound) return undefined;
  if (p.src === p.dst) return p.ev.direction === 'inbound' ? 'land' : undefined;
  const cls = classifyAddress(p.src);
  if (
    cls === 'loopback' ||
    cls === 'unspecified' ||
    cls === 'multicast' ||
    cls === 'broadcast' ||
    cls === 'bogon'
  )
    return cls;
  // Private or shared space can only reach a public address of yours if someone forged it (or NAT leaks).
  if (
    (cls === 'private' || cls === 'cgnat' || (cls === 'link-local' && !p.src.includes(':'))) &&
    isPublicLike(p.dst)
  )
    return cls;
  return undefined;
}

/** What an impossible source class is called in the finding's sentence (the catalog's word, else its id). */
function classWords(cls: string): Localized | string {
  const key = `detect.spoofing.class.${cls}`;
  return hasMessage(key) ? tBoth(key) : cls;
}

/** Hops a packet travelled: from the next common initial TTL at or above the one seen (data/ttl.yaml). */
function hopDistance(ttl: number, kb: KnowledgeBase): number {
  return hopsFromTtl(ttl, kb) ?? 0;
}

/** Source addresses that cannot arrive from outside. */
export const spoofedAddress: DetectorSpec = {
  id: 'spoofing',
  name: 'spoofing-address',
  keyedBySource: true,
  singleEvent: true,
  tunables: {
    ...windowTunables(3600, 6 * 3600),
    minPackets: { default: 1, doc: 'Packets with an impossible source needed.' },
    minTtlPackets: { default: 6, doc: 'Packets from one source needed before judging its TTLs.' },
    minTtlSpread: {
      default: 5,
      doc: 'Hop-distance difference between two steady TTL groups that hints at spoofing.',
    },
    minScannerPorts: {
      default: 4,
      doc: 'A source sending probe-shaped packets to at least this many ports, with TTLs spread over a range, is a scanner randomising its TTLs (as nmap does), not a forged address.',
    },
    minScannerProbeShare: {
      default: 0.8,
      doc: "Share of a source's packets that must be probe-shaped (raw SYN, crafted flags, UDP) to call its TTL spread a scanner's.",
    },
  },
  filter: (p, ctx) => impossibleSource(p, ctx) !== undefined,
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
  observe(b, p, ctx) {
    b.extra.set(impossibleSource(p, ctx)!, 1);
  },
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const [why] = b.extra.keys();
    // Connection records are no packets: they have a LAND packet's addresses (a packet log's text stays).
    const reason =
      why === 'land' && b.connectionRecords > 0
        ? tBoth('detect.spoofing.reason.land.record')
        : why === 'land' || why === 'own-address'
          ? tBoth(`detect.spoofing.reason.${why}`)
          : tBoth('detect.spoofing.reason.class', {
              cls: classWords(why!),
            });
    const said = tBoth('detect.spoofing.address', {
      arrived: recordCount(b, 'arrived', { src: src! }),
      targetList: listBoth([...b.targets.keys()].slice(0, 3)),
      reason,
    });
    // Private or shared space without own networks configured: the log does not say which interface faces
    // the Internet, and a LAN host's packet to the router's public address reads the same as a forged one.
    const hint =
      why === 'private' || why === 'cgnat' || why === 'link-local'
        ? tBoth('detect.spoofing.ownHint', { src: src! })
        : undefined;
    const details = hint ? { en: said.en + hint.en, zh: said.zh + hint.zh } : said;
    return {
      ...worded(ctx.kb, { signature: 'spoofed-source' }, details, verbatim(src!)),
      severity: 3,
      confidence: why === 'land' || why === 'loopback' ? 0.9 : 0.6,
      technique: why!,
    };
  },
};

/** Share of packets at the two most common hop distances above which TTLs count as two steady groups. */
export const TWO_DISTANCE_SHARE = 0.7;

/**
 * Share of a group's packets that arrive within one hop of its two busiest distances: near 1 for one
 * host plus a forger (each path jitters by a hop at most), low for TTLs drawn at random over a range.
 */
function twoDistanceShare(b: Bucket): number {
  const at = new Map([...b.distinct.entries()].map(([d, n]) => [Number(d), n]));
  const near = (d: number) => (at.get(d - 1) ?? 0) + (at.get(d) ?? 0) + (at.get(d + 1) ?? 0);
  let taken = 0;
  for (let round = 0; round < 2 && at.size > 0; round++) {
    const best = [...at.keys()].reduce((x, y) => (near(y) > near(x) ? y : x));
    taken += near(best);
    for (const d of [best - 1, best, best + 1]) at.delete(d);
  }
  return b.events === 0 ? 0 : taken / b.events;
}

/**
 * A scanner, not a forgery: probe-shaped packets to many ports with TTLs spread over a range, as nmap's
 * raw probes arrive (it picks a random TTL for each). Forged copies of one address arrive at two steady TTLs.
 */
export function randomisedTtlScanner(b: Bucket, t: Tunables): boolean {
  return (
    b.ports.size >= t['minScannerPorts']! &&
    (b.extra.get('probeShaped') ?? 0) >= t['minScannerProbeShare']! * b.events &&
    ttlsVaryLikeRawProbes(b) &&
    // Spread over a range, not gathered at two distances (a forger's copies plus the real host's).
    twoDistanceShare(b) < TWO_DISTANCE_SHARE
  );
}

/** One source whose packets arrive with two steady, clearly different hop distances. */
export const inconsistentTtl: DetectorSpec = {
  id: 'spoofing',
  name: 'spoofing-ttl',
  keyedBySource: true,
  tunables: spoofedAddress.tunables,
  filter: (p) =>
    p.inbound && p.lanNoise === undefined && p.ev.ttl !== undefined && !p.replyLike && isPublicLike(p.src),
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
  distinct: (p, ctx) => String(hopDistance(p.ev.ttl!, ctx.kb)),
  observe(b, p) {
    observeTtl(b, p);
    if (probeShaped(p)) b.extra.set('probeShaped', (b.extra.get('probeShaped') ?? 0) + 1);
  },
  qualifies(b, t) {
    if (b.events < t['minTtlPackets']!) return false;
    if (randomisedTtlScanner(b, t)) return false;
    const steady = [...b.distinct.entries()].filter(([, n]) => n >= 2).map(([d]) => Number(d));
    if (steady.length < 2) return false;
    return Math.max(...steady) - Math.min(...steady) >= t['minTtlSpread']!;
  },
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const steady = [...b.distinct.entries()]
      .filter(([, n]) => n >= 2)
      .sort((x, y) => Number(x[0]) - Number(y[0]));
    const groups = steady.map(([d, n]) => tBoth('detect.spoofing.ttl.group', { hops: Number(d), n }));
    const details = tBoth('detect.spoofing.ttl', {
      src: src!,
      groups: { en: groups.map((g) => g.en).join(', '), zh: groups.map((g) => g.zh).join(', ') },
    });
    return {
      ...worded(
        ctx.kb,
        {
          title: tBoth('detect.spoofing.ttl.title', { src: src! }),
          advice: tBoth('detect.spoofing.advice'),
        },
        details,
      ),
      severity: 2,
      confidence: 0.5,
      technique: 'ttl-inconsistent',
    };
  },
};
