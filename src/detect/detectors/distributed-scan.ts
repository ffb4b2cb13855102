// Distributed scan: many sources of one /24 (IPv4) or /64 (IPv6), or many addresses at once, sharing a target set.
import { tBoth } from '../../i18n.js';
import { sourcePrefix } from '../addresses.js';
import { heldKeys } from '../counter.js';
import { confidenceFor, recordCount, verbatim, worded } from '../finding.js';
import { isProbe, portKey, targetKey } from '../packet.js';
import type { Bucket, DetectorSpec, Packet, Tunables } from '../types.js';
import { distinctCount, topShare, windowTunables } from './common.js';
import { scanTechnique } from './vertical-scan.js';

/** Shared by both specs, so one config section tunes them. */
const tunables = {
  ...windowTunables(300, 3600),
  minProbes: {
    default: 10,
    doc: 'Distinct target:port pairs the members of one network must touch together.',
  },
  minSources: { default: 2, doc: 'Distinct member addresses needed.' },
  minProbesPerSource: {
    default: 3,
    doc: 'Distinct ports one address must probe within the window to count as a member (background senders try one or two).',
  },
  minProbesPerMinute: {
    default: 5,
    doc: 'Distinct probes per minute the members must reach together while active (background trickles far slower).',
  },
  overlapSeconds: {
    default: 30,
    doc: 'Members must be active at the same time, give or take this many seconds.',
  },
  minPortsOneTarget: {
    default: 30,
    doc: 'For unrelated addresses hitting one target: distinct ports needed within the window.',
  },
  minSourcesOneTarget: {
    default: 5,
    doc: 'For unrelated addresses hitting one target: distinct sources needed.',
  },
};

/** Addresses tracked per network group (a /24 has at most 256; a /64 is capped). */
const MAX_TRACKED_SOURCES = 1024;

/** Per address of a network group: probes (changes of port), the last port, first and last probe time. */
interface Member {
  n: number;
  port: number;
  first: number;
  last: number;
}

/** Members of a group, kept as the group's own state (dropped with it). */
function memberMap(b: Bucket): Map<string, Member> {
  let m = b.state as Map<string, Member> | undefined;
  if (!m) {
    m = new Map();
    b.state = m;
  }
  return m;
}

/** Count one probe of a member address. */
function observeMember(b: Bucket, p: Packet): void {
  const all = memberMap(b);
  const m = all.get(p.src);
  const port = p.dport ?? -1;
  if (m === undefined) {
    if (all.size >= MAX_TRACKED_SOURCES) return;
    all.set(p.src, { n: 1, port, first: p.time, last: p.time });
    heldKeys.added++;
    return;
  }
  // Retransmissions repeat the port; a member of a split scan moves on to a new one with every probe.
  if (m.port !== port) {
    m.n++;
    m.port = port;
  }
  m.last = p.time;
}

interface Members {
  sources: string[];
  probes: number;
  topProbes: number;
  perMinute: number;
}

/** Addresses that each probed several ports: the coordinated part of the group, without passing background. */
function members(b: Bucket, t: Tunables): Members {
  const all = memberMap(b);
  const busy: string[] = [];
  for (const src of b.sources.keys()) if ((all.get(src)?.n ?? 0) >= t['minProbesPerSource']!) busy.push(src);
  const from = (s: string) => all.get(s)!.first;
  const to = (s: string) => all.get(s)!.last;
  const slack = t['overlapSeconds']! * 1000;
  // Acting together means at the same time: two scans of one /24 taking turns are two scans, not one.
  const sources = busy.filter((s) =>
    busy.some((o) => o !== s && from(o) <= to(s) + slack && from(s) <= to(o) + slack),
  );
  let probes = 0;
  let topProbes = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const src of sources) {
    const m = all.get(src)!;
    probes += m.n;
    topProbes = Math.max(topProbes, m.n);
    first = Math.min(first, m.first);
    last = Math.max(last, m.last);
  }
  const minutes = Math.max(1 / 60, (last - first) / 60_000);
  sources.sort((x, y) => (all.get(y)?.n ?? 0) - (all.get(x)?.n ?? 0) || (x < y ? -1 : 1));
  return { sources, probes, topProbes, perMinute: sources.length ? probes / minutes : 0 };
}

function coordinated(m: Members, t: Tunables, timeless: boolean): boolean {
  return (
    m.sources.length >= t['minSources']! &&
    m.probes >= t['minProbes']! &&
    // No single address may carry the scan alone (that is a vertical scan or sweep by one host).
    m.topProbes <= 0.7 * m.probes &&
    (timeless || m.perMinute >= t['minProbesPerMinute']!)
  );
}

/** Several addresses of one /24 or /64, each probing several ports, densely and at the same time. */
export const distributedByPrefix: DetectorSpec = {
  id: 'distributed-scan',
  name: 'distributed-scan-prefix',
  tunables,
  filter: (p) => isProbe(p) && p.technique !== 'icmp',
  groupBy: (p) => sourcePrefix(p.src),
  groupKey: 'source-net',
  // One busy address is not a split scan: a group starts when a second address of the network probes.
  admit: (first, p) => first.src !== p.src,
  distinct: targetKey,
  observe: observeMember,
  qualifies: (b, t, ctx) =>
    distinctCount(b) >= t['minProbes']! && coordinated(members(b, t), t, ctx.timeless()),
  build(b, t, ctx) {
    const m = members(b, t);
    const details = tBoth('detect.distributed.prefix', {
      sources: m.sources.length,
      net: b.key,
      probes: m.probes,
      ports: b.ports.size,
      hosts: b.targets.size,
      records: recordCount(b, 'inAll'),
      rate: Math.round(m.perMinute),
    });
    return {
      ...worded(ctx.kb, { signature: 'distributed-scan' }, details, verbatim(b.key)),
      severity: 3,
      confidence: confidenceFor(m.probes, t['minProbes']!, 0.5),
      technique: scanTechnique(b),
      sources: m.sources,
    };
  },
};

/** Unrelated addresses covering many ports of one target, each only a few, with hardly any repeats. */
export const distributedOnTarget: DetectorSpec = {
  id: 'distributed-scan',
  name: 'distributed-scan-target',
  tunables,
  filter: (p) => isProbe(p) && p.dport !== undefined,
  groupBy: (p) => p.dst,
  groupKey: 'target',
  distinct: portKey,
  qualifies(b, t, ctx) {
    const n = distinctCount(b);
    const minutes = Math.max(1 / 60, (b.last - b.first) / 60_000);
    // Background noise keeps hitting the same popular ports; a split scan covers new ones with little overlap.
    return (
      n >= t['minPortsOneTarget']! &&
      b.sources.size >= t['minSourcesOneTarget']! &&
      n / b.events >= 0.8 &&
      topShare(b.sources, 1, b.events) <= 0.5 &&
      (ctx.timeless() || n / minutes >= t['minProbesPerMinute']!)
    );
  },
  build(b, t, ctx) {
    const [dst] = b.targets.keys();
    const n = distinctCount(b);
    const details = tBoth('detect.distributed.target', { sources: b.sources.size, ports: n, dst: dst! });
    return {
      ...worded(ctx.kb, { signature: 'distributed-scan' }, details, verbatim(dst!)),
      severity: 3,
      confidence: confidenceFor(n, t['minPortsOneTarget']!, 0.5),
      technique: scanTechnique(b),
    };
  },
};
