// Vertical port scan: one source, one target, many distinct ports; names the technique and port order.
import { hasMessage, tBoth } from '../../i18n.js';
import { confidenceFor, dominant, join, recordCount, verbatim, worded } from '../finding.js';
import { isProbe, pairKey, portKey } from '../packet.js';
import type { Bucket, DetectorSpec, EngineContext, Localized, TcpShape, Tunables } from '../types.js';
import {
  distinctCount,
  observeTtl,
  rawProbeTtlNote,
  secondsPerValue,
  tcpHeaderBytes,
  windowTunables,
} from './common.js';

/** Traceroute's UDP range is left to the traceroute detector. */
function inTracerouteRange(dport: number | undefined, proto: string): boolean {
  return proto === 'udp' && dport !== undefined && dport >= 33434 && dport <= 33600;
}

/** The scan technique of a group: the dominant per-packet technique, with SYN refined into connect(). */
export function scanTechnique(b: Bucket): string {
  const [top, share] = dominant(b.techniques, b.events);
  if (!top || share < 0.6) return 'mixed';
  if (top === 'tcp-other') return 'mixed';
  if (top !== 'syn') return top;
  const shape = b.tcp;
  const syns = shape?.syn ?? 0;
  // Source-port ratios are judged on the sampled SYNs (see SPORT_SAMPLE).
  const sampled = shape?.synSampled ?? 0;
  const followUps = shape?.followUp ?? 0;
  const retransmits = shape?.retransmit ?? 0;
  const stackLike = shape?.stackSyn ?? 0;
  const sports = shape?.sports ?? 0;
  // connect() goes through the OS stack: a fresh source port per port, full options, DF, and the
  // kernel retransmits unanswered SYNs; raw SYN scanners reuse one source port and never retransmit.
  if (followUps > 0 || (sampled > 0 && retransmits / sampled >= 0.2 && sports / sampled >= 0.3))
    return 'connect';
  if (syns > 0 && stackLike / syns >= 0.8 && sampled > 0 && sports / sampled >= 0.3) return 'connect';
  return 'syn';
}

/**
 * SYNs whose source ports are remembered per group to tell connect() from raw SYN scans: enough to judge
 * the pattern, and a noisy source with a fresh port per packet cannot grow the group without bound.
 */
export const SPORT_SAMPLE = 64;

/** Per-packet bookkeeping for technique naming; shared with horizontal sweeps. */
export function observeTcpShape(b: Bucket, p: import('../types.js').Packet): void {
  observeTtl(b, p);
  if (p.proto !== 'tcp' || p.flags === undefined) return;
  if (p.technique === 'syn') {
    const shape = tcpShapeOf(b);
    shape.syn++;
    const header = tcpHeaderBytes(p.ev.length, p.ev.ipVersion);
    // Kernel SYNs carry 12-20 bytes of options (header 32-40); IPv4 ones also set DF.
    const stack =
      header !== undefined && header >= 32 && header <= 44 && (p.ev.ipVersion === 6 || p.ev.dontFragment);
    if (stack) shape.stackSyn++;
    if (shape.synSampled >= SPORT_SAMPLE) return;
    shape.synSampled++;
    const sport = p.sport ?? -1;
    const at = shape.sampledSports.indexOf(sport);
    if (at >= 0) {
      if (shape.sampledPorts[at] === p.dport) shape.retransmit++;
    } else {
      shape.sampledSports.push(sport);
      shape.sampledPorts.push(p.dport ?? 0);
      shape.sports++;
    }
  } else if (p.technique === 'ack' || p.flags.includes('RST')) {
    // The same source-port pair went on after its SYN: a completed connect().
    const shape = b.tcp;
    if (shape) {
      const at = shape.sampledSports.indexOf(p.sport ?? -1);
      if (at >= 0 && shape.sampledPorts[at] === p.dport) shape.followUp++;
    }
  }
}

function tcpShapeOf(b: Bucket): TcpShape {
  if (!b.tcp)
    b.tcp = {
      syn: 0,
      stackSyn: 0,
      synSampled: 0,
      retransmit: 0,
      sports: 0,
      followUp: 0,
      sampledSports: [],
      sampledPorts: [],
    };
  return b.tcp;
}

/** Words for a technique. */
export function techniqueName(technique: string): Localized {
  const key = `detect.technique.${technique}`;
  return hasMessage(key) ? tBoth(key) : verbatim(technique);
}

/** True when ports were visited mostly in ascending order. */
export function isSequential(b: Bucket): boolean {
  return b.events > 3 && b.ascendingSteps / (b.events - 1) >= 0.6;
}

/** A scan is "slow" when it spends more than the slow-scan detector's seconds per probe. */
export function isSlow(b: Bucket, ctx: EngineContext): boolean {
  const slow = ctx.tunables('slow-scan')['minSecondsPerProbe'] ?? 10;
  return !ctx.timeless() && secondsPerValue(b) >= slow;
}

export const verticalScan: DetectorSpec = {
  id: 'vertical-scan',
  name: 'vertical-scan',
  keyedBySource: true,
  tunables: {
    ...windowTunables(600, 3600),
    minPorts: { default: 10, doc: 'Distinct ports (or IP protocols) one source must touch on one target.' },
  },
  filter: (p) => isProbe(p) && !inTracerouteRange(p.dport, p.proto) && p.technique !== 'icmp',
  groupBy: pairKey,
  keyFixes: 'pair',
  distinct: portKey,
  observe: observeTcpShape,
  qualifies: (b, t: Tunables, ctx) => distinctCount(b) >= t['minPorts']! && !isSlow(b, ctx),
  build(b, t, ctx) {
    const technique = scanTechnique(b);
    const n = distinctCount(b);
    const sequential = isSequential(b);
    const [src] = b.sources.keys();
    const [dst] = b.targets.keys();
    const name = techniqueName(technique);
    const stealth = ['fin', 'null', 'xmas', 'maimon', 'syn-fin'].includes(technique);
    const order = tBoth(sequential ? 'detect.vertical.sequential' : 'detect.vertical.shuffled');
    const unit = tBoth(
      technique === 'ip-protocol' ? 'detect.vertical.unit.protocols' : 'detect.vertical.unit.ports',
    );
    const details = tBoth('detect.vertical.details', {
      src: src!,
      n,
      unit,
      dst: dst!,
      records: recordCount(b, 'with'),
      order,
      name,
    });
    return {
      ...worded(ctx.kb, { signature: 'vertical-scan' }, join(details, rawProbeTtlNote(b)), name),
      severity: stealth || n >= 1000 ? 4 : 3,
      confidence: confidenceFor(n, t['minPorts']!),
      technique,
    };
  },
};
