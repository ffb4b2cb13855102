// Traceroute: UDP probes to 33434-33600 with rising ports and TTLs, or ICMP-echo traceroute (Windows tracert).

import { tBoth } from '../../i18n.js';
import { portText } from '../../util/port-text.js';
import { confidenceFor, join, worded } from '../finding.js';
import { pairKey } from '../packet.js';
import type { Bucket, DetectorSpec, Packet, Tunables } from '../types.js';
import { windowTunables } from './common.js';

const tunables = {
  ...windowTunables(120, 3600),
  firstPort: { default: 33434, doc: 'Lowest destination port of classic UDP traceroute.' },
  lastPort: { default: 33600, doc: 'Highest destination port counted as traceroute.' },
  minProbes: { default: 3, doc: 'Probes from one source to one target needed.' },
  probesPerHop: { default: 3, doc: 'Probes traceroute sends per TTL (used to guess the hop count).' },
  maxArrivalTtl: { default: 5, doc: 'ICMP traceroute: at least one echo must arrive with a TTL this low.' },
  maxHops: {
    default: 30,
    doc: 'Longest path a hop estimate may give (traceroute and tracert stop at TTL 30 unless told otherwise).',
  },
};

/**
 * Track the lowest arrival TTL, the distinct TTL values and what each probe says about the path length.
 *
 * Probe n (counted from the run's first probe, 0-based) leaves with TTL floor(n / probesPerHop) + 1, and what
 * arrives tells how many routers it crossed. n is read from the UDP port (counted from firstPort) or the ICMP
 * sequence number (counted from 1, as Linux traceroute -I numbers them). Windows tracert does not restart its
 * sequence numbers, and classic traceroute starts one port higher, so the reading is only kept when every
 * probe gives the same answer: one that disagrees says the numbering did not start where assumed.
 */
function observeHops(b: Bucket, p: Packet, t: Tunables): void {
  const ttl = p.ev.ttl;
  if (ttl === undefined) return;
  b.extra.set('minTtl', Math.min(b.extra.get('minTtl') ?? 255, ttl));
  b.extra.set(`ttl:${ttl}`, 1);
  const index =
    p.proto === 'udp' && p.dport !== undefined
      ? p.dport - t['firstPort']!
      : p.ev.icmpSeq !== undefined
        ? p.ev.icmpSeq - 1
        : undefined;
  const hops = index === undefined || index < 0 ? 0 : Math.floor(index / t['probesPerHop']!) + 1 - ttl + 1;
  if (hops < 1) b.extra.set('hopsUnread', 1);
  b.extra.set('hopsLow', Math.min(b.extra.get('hopsLow') ?? hops, hops));
  b.extra.set('hopsHigh', Math.max(b.extra.get('hopsHigh') ?? hops, hops));
}

/** The path length every probe agrees on, when it is one traceroute could have measured. */
function hopEstimate(b: Bucket, t: Tunables): number | undefined {
  const low = b.extra.get('hopsLow');
  if (b.extra.has('hopsUnread') || low === undefined || low !== b.extra.get('hopsHigh')) return undefined;
  return low <= t['maxHops']! ? low : undefined;
}

function distinctTtls(b: Bucket): number {
  let n = 0;
  for (const k of b.extra.keys()) if (k.startsWith('ttl:')) n++;
  return n;
}

function build(kind: 'udp' | 'icmp') {
  return (b: Bucket, t: Tunables, ctx: import('../types.js').EngineContext) => {
    const [src] = b.sources.keys();
    const [dst] = b.targets.keys();
    const hops = hopEstimate(b, t);
    const hopText =
      hops !== undefined
        ? tBoth('detect.traceroute.hops', { hops })
        : tBoth(kind === 'udp' ? 'detect.traceroute.noHops' : 'detect.traceroute.noHopsIcmp');
    const how =
      kind === 'udp'
        ? tBoth('detect.traceroute.udp', {
            src: src!,
            probes: b.events,
            low: Math.min(...b.ports.keys()),
            high: Math.max(...b.ports.keys()),
            dst: dst!,
          })
        : tBoth('detect.traceroute.icmp', {
            src: src!,
            probes: b.events,
            dst: dst!,
            ttl: String(b.extra.get('minTtl')),
          });
    return {
      ...worded(ctx.kb, { signature: kind === 'udp' ? 'traceroute' : 'echo-traceroute' }, join(how, hopText)),
      severity: 1 as const,
      confidence: confidenceFor(b.events, t['minProbes']!, 0.7),
      technique: kind === 'udp' ? 'udp' : 'icmp-echo',
    };
  };
}

/** Classic UDP traceroute. */
export const udpTraceroute: DetectorSpec = {
  id: 'traceroute',
  name: 'traceroute-udp',
  keyedBySource: true,
  tunables,
  filter: (p, _ctx, t) =>
    p.inbound &&
    p.proto === 'udp' &&
    p.dport !== undefined &&
    p.dport >= t['firstPort']! &&
    p.dport <= t['lastPort']!,
  groupBy: pairKey,
  keyFixes: 'pair',
  distinct: (p) => portText(p.dport),
  observe: (b, p, ctx) => observeHops(b, p, ctx.tunables('traceroute')),
  qualifies: (b, t) => b.events >= t['minProbes']! && b.distinct.size >= Math.min(b.events, t['minProbes']!),
  build: build('udp'),
};

/** ICMP echo traceroute: echo requests whose arrival TTL starts very low and varies. */
export const icmpTraceroute: DetectorSpec = {
  id: 'traceroute',
  name: 'traceroute-icmp',
  keyedBySource: true,
  tunables,
  filter: (p) =>
    p.inbound &&
    (p.proto === 'icmp' ? p.ev.icmpType === 8 : p.proto === 'ipv6-icmp' && p.ev.icmpType === 128),
  groupBy: pairKey,
  keyFixes: 'pair',
  observe: (b, p, ctx) => observeHops(b, p, ctx.tunables('traceroute')),
  qualifies: (b, t) =>
    b.events >= t['minProbes']! &&
    (b.extra.get('minTtl') ?? 255) <= t['maxArrivalTtl']! &&
    distinctTtls(b) >= 3,
  build: build('icmp'),
};
