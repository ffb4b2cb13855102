// Floods: per-source packet-rate floods, spoofed-source floods on one target, smurf, fraggle, directed broadcasts.
import { listBoth, tBoth } from '../../i18n.js';
import { isIPv4 } from '../../net/ip.js';
import { portText } from '../../util/port-text.js';
import { recordCount, topKeys, type Wording, worded } from '../finding.js';
import type { Bucket, DetectorSpec, EngineContext, Localized, Tunables } from '../types.js';
import { windowTunables } from './common.js';

const tunables = {
  ...windowTunables(300, 3600),
  packetsPerSecond: {
    default: 200,
    doc: 'Peak packets in one second from one source (to at most a few ports) that make a flood.',
  },
  targetPacketsPerSecond: {
    default: 500,
    doc: 'Peak packets in one second to one target from many sources.',
  },
  minReplySources: { default: 10, doc: 'Smurf/fraggle: distinct reflectors whose replies reach one target.' },
  minReplies: { default: 50, doc: 'Smurf/fraggle: replies needed within the window.' },
  minBroadcastPings: {
    default: 3,
    doc: 'Echo requests to a broadcast address from outside that count as smurf set-up.',
  },
};

function draft(ctx: EngineContext, owner: Wording, details: Localized, technique: string, severity: 3 | 4) {
  return { ...worded(ctx.kb, owner, details), severity, confidence: 0.8, technique };
}

/** A rate flood's words: the knowledge base's SYN-flood signature, or this detector's own title. */
function floodWording(kind: string, title: Localized): Wording {
  return kind === 'syn-flood' ? { signature: 'syn-flood' } : { title, advice: tBoth('detect.flood.advice') };
}

function floodKind(b: Bucket): string {
  const [proto] = topKeys(b.transports, 1);
  if (proto === 'tcp') return (b.techniques.get('syn') ?? 0) > b.events / 2 ? 'syn-flood' : 'tcp-flood';
  if (proto === 'udp') return 'udp-flood';
  if (proto === 'icmp' || proto === 'ipv6-icmp') return 'icmp-flood';
  return 'packet-flood';
}

/** One source sending at a high rate to a few ports. */
export const sourceFlood: DetectorSpec = {
  id: 'flood',
  name: 'flood-source',
  keyedBySource: true,
  tunables,
  needsTime: true,
  filter: (p) => p.inbound && p.lanNoise === undefined,
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
  distinct: (p) => (p.dport === undefined ? p.proto : portText(p.dport)),
  qualifies: (b: Bucket, t: Tunables) => b.peakBin >= t['packetsPerSecond']! && b.distinct.size <= 5,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const kind = floodKind(b);
    return draft(
      ctx,
      floodWording(kind, tBoth('detect.flood.source.title', { src: src!, kind })),
      tBoth('detect.flood.source', {
        src: src!,
        sent: recordCount(b, 'sent'),
        peak: b.peakBin,
        ports: b.distinct.size,
        hosts: b.targets.size,
      }),
      kind,
      4,
    );
  },
};

/** Many (often spoofed) sources at a high rate against one target. */
export const targetFlood: DetectorSpec = {
  id: 'flood',
  name: 'flood-target',
  tunables,
  needsTime: true,
  filter: (p) => p.inbound && p.lanNoise === undefined && !p.replyLike,
  groupBy: (p) => p.dst,
  groupKey: 'target',
  distinctIsSource: true,
  qualifies: (b, t) => b.peakBin >= t['targetPacketsPerSecond']! && b.sources.size >= 50,
  build(b, _t, ctx) {
    const [dst] = b.targets.keys();
    const kind = floodKind(b);
    return draft(
      ctx,
      floodWording(kind, tBoth('detect.flood.target.title', { dst: dst!, kind })),
      tBoth('detect.flood.target', {
        sources: b.sources.size,
        sent: recordCount(b, 'sent'),
        dst: dst!,
        peak: b.peakBin,
      }),
      kind,
      4,
    );
  },
};

/** Smurf: echo replies from many reflectors; fraggle: UDP echo (7) / chargen (19) replies. */
export const reflectionFlood: DetectorSpec = {
  id: 'flood',
  name: 'flood-reflection',
  tunables,
  filter: (p) =>
    p.inbound &&
    ((p.proto === 'icmp' && p.ev.icmpType === 0) ||
      (p.proto === 'ipv6-icmp' && p.ev.icmpType === 129) ||
      (p.proto === 'udp' && (p.sport === 7 || p.sport === 19))),
  groupBy: (p) => `${p.dst}|${p.proto === 'udp' ? 'fraggle' : 'smurf'}`,
  distinctIsSource: true,
  qualifies: (b, t) => b.sources.size >= t['minReplySources']! && b.events >= t['minReplies']!,
  build(b, _t, ctx) {
    const [dst] = b.targets.keys();
    const kind = b.key.endsWith('fraggle') ? 'fraggle' : 'smurf';
    // Counted as replies, not packets: a session log's ICMP or UDP connections (FortiGate, Clavister) are replies too.
    const replies = tBoth(kind === 'smurf' ? 'detect.flood.smurfReplies' : 'detect.flood.fraggleReplies', {
      n: b.events,
    });
    return draft(
      ctx,
      { signature: kind },
      tBoth('detect.flood.reflection', { dst: dst!, replies, sources: b.sources.size }),
      kind,
      4,
    );
  },
};

/** Echo requests to a broadcast address from outside: someone trying to use your network as a smurf amplifier. */
export const directedBroadcast: DetectorSpec = {
  id: 'flood',
  name: 'flood-directed-broadcast',
  keyedBySource: true,
  tunables,
  filter: (p) =>
    p.inbound &&
    isIPv4(p.dst) &&
    (p.dst.endsWith('.255') || p.dst === '255.255.255.255') &&
    ((p.proto === 'icmp' && p.ev.icmpType === 8) || (p.proto === 'udp' && (p.dport === 7 || p.dport === 19))),
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
  qualifies: (b, t) => b.events >= t['minBroadcastPings']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    return draft(
      ctx,
      { signature: 'directed-broadcast-probe' },
      tBoth('detect.flood.directedBroadcast', {
        src: src!,
        // Echo requests, whether a packet log's packets or a session log's connections.
        requests: b.events,
        targetList: listBoth([...b.targets.keys()].slice(0, 3)),
      }),
      'directed-broadcast',
      3,
    );
  },
};
