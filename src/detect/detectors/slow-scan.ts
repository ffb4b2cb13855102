// Slow scan: a vertical or horizontal scan spread over hours, one probe every few minutes.
import { listBoth, tBoth } from '../../i18n.js';
import { duration } from '../../util/duration.js';
import { confidenceFor, join, recordCount, worded } from '../finding.js';
import { isProbe, pairKey, portKey, targetKey } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { distinctCount, rawProbeTtlNote, secondsPerValue, windowTunables } from './common.js';
import { observeTcpShape, scanTechnique } from './vertical-scan.js';

/** Shared by both slow-scan specs, so one config section tunes them. */
const tunables = {
  ...windowTunables(6 * 3600, 24 * 3600),
  minProbes: { default: 10, doc: 'Distinct target:port pairs one source must touch.' },
  minSecondsPerProbe: {
    default: 10,
    doc: 'A scan slower than this many seconds per new port or target is slow (faster ones are vertical or horizontal scans).',
  },
  minFewPorts: {
    default: 4,
    doc: 'Slow scan of a few ports: distinct ports one source must probe on one target (fewer than minProbes; a client retrying one or two ports never reaches it).',
  },
  maxPacketsPerFewPort: {
    default: 1.5,
    doc: 'Slow scan of a few ports: at most this many packets per port on average (a scanner sends each probe once; a retrying client repeats them).',
  },
  maxSecondsPerFewPort: {
    default: 120,
    doc: 'Slow scan of a few ports: at most this many seconds between new ports on average (slower is unrelated visits).',
  },
  minFewPortsSpanSeconds: {
    default: 40,
    doc: 'Slow scan of a few ports: the probes must spread over at least this many seconds.',
  },
};

export const slowScan: DetectorSpec = {
  id: 'slow-scan',
  name: 'slow-scan',
  keyedBySource: true,
  tunables,
  needsTime: true,
  filter: (p) => isProbe(p) && p.technique !== 'icmp' && p.technique !== 'icmp-echo',
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
  distinct: targetKey,
  observe: observeTcpShape,
  qualifies: (b, t) => distinctCount(b) >= t['minProbes']! && secondsPerValue(b) >= t['minSecondsPerProbe']!,
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const n = distinctCount(b);
    const span = duration(b.last - b.first);
    const every = duration(secondsPerValue(b) * 1000);
    const targets = b.targets.size;
    const details = tBoth('detect.slowScan.details', {
      src: src!,
      probes: n,
      ports: b.ports.size,
      hosts: targets,
      span,
      every,
    });
    return {
      ...worded(ctx.kb, { signature: 'slow-scan' }, join(details, rawProbeTtlNote(b))),
      severity: 3,
      confidence: confidenceFor(n, t['minProbes']!, 0.55),
      technique: scanTechnique(b),
    };
  },
};

/**
 * A slow scan of a few ports: a handful of ports of one host (at least minFewPorts, fewer than minProbes),
 * each probed once, seconds apart (nmap --scan-delay 15s, -T1), over a minute or more. Too few ports for a
 * vertical scan, too few probes for slowScan; a client retrying one or two ports never qualifies.
 */
export const slowFewPortsScan: DetectorSpec = {
  id: 'slow-scan',
  name: 'slow-scan-few-ports',
  keyedBySource: true,
  tunables,
  needsTime: true,
  // Packets closer than this are one burst: a scan of a few ports sends each probe on its own.
  clusterSeconds: 5,
  filter: (p) =>
    isProbe(p) &&
    p.dport !== undefined &&
    p.technique !== 'icmp' &&
    p.technique !== 'icmp-echo' &&
    // A server port answering an ephemeral one is a late reply (a web server's FIN to a client), not a probe.
    !(p.sport !== undefined && p.sport < 1024 && p.dport >= 1024),
  groupBy: pairKey,
  keyFixes: 'pair',
  distinct: portKey,
  observe: observeTcpShape,
  qualifies(b, t) {
    const ports = distinctCount(b);
    const spacing = b.gapMean / 1000;
    return (
      ports >= t['minFewPorts']! &&
      ports < t['minProbes']! &&
      // Every new port came on its own, seconds after the last: no burst of several at once.
      b.attempts >= ports &&
      b.events <= ports * t['maxPacketsPerFewPort']! &&
      spacing >= t['minSecondsPerProbe']! &&
      spacing <= t['maxSecondsPerFewPort']! &&
      b.last - b.first >= t['minFewPortsSpanSeconds']! * 1000
    );
  },
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const [dst] = b.targets.keys();
    const ports = [...b.ports.keys()].sort((x, y) => x - y);
    const details = tBoth('detect.slowScan.fewPorts', {
      src: src!,
      ports: ports.length,
      dst: dst!,
      portList: listBoth(ports),
      every: duration(b.gapMean),
      span: duration(b.last - b.first),
      records: recordCount(b, 'inAll'),
    });
    return {
      ...worded(
        ctx.kb,
        { title: tBoth('detect.slowScan.fewPorts.title'), advice: tBoth('detect.slowScan.fewPorts.advice') },
        join(details, rawProbeTtlNote(b)),
      ),
      severity: 3,
      confidence: confidenceFor(ports.length, t['minFewPorts']!, 0.5),
      technique: scanTechnique(b),
      ports,
      variant: 'few-ports',
    };
  },
};
