// Distributed scan: many sources of one /24 (IPv4) or /64 (IPv6), or many addresses at once, sharing a target set.
import { sourcePrefix } from '../addresses.js';
import { confidenceFor, L, worded } from '../finding.js';
import { isProbe, portKey } from '../packet.js';
import type { Bucket, DetectorSpec, Tunables } from '../types.js';
import { distinctCount, topShare, windowTunables } from './common.js';
import { scanTechnique } from './vertical-scan.js';

const advice = L(
  'Treat the whole range as one actor: block the network rather than single addresses, and check whether any of the probed ports answered.',
  '把整个网段当作同一个攻击者看待:封禁整个网段而不是单个地址,并检查被探测的端口是否有应答。',
);

/** Shared by both specs, so one config section tunes them. */
const tunables = {
  ...windowTunables(1800, 3600),
  minProbes: {
    default: 10,
    doc: 'Distinct target:port pairs the sources of one network must touch together.',
  },
  minSources: { default: 2, doc: 'Distinct source addresses needed.' },
  minPortsOneTarget: {
    default: 30,
    doc: 'For unrelated addresses hitting one target: distinct ports needed within the window.',
  },
  minSourcesOneTarget: {
    default: 5,
    doc: 'For unrelated addresses hitting one target: distinct sources needed.',
  },
};

function spreadOk(b: Bucket, t: Tunables): boolean {
  // No single address may carry the scan alone (that is a vertical scan or sweep by one host).
  return b.sources.size >= t['minSources']! && topShare(b.sources, 1, b.events) <= 0.7;
}

/** One /24 or /64 acting together. */
export const distributedByPrefix: DetectorSpec = {
  id: 'distributed-scan',
  name: 'distributed-scan-prefix',
  tunables,
  filter: (p) => isProbe(p) && p.technique !== 'icmp',
  groupBy: (p) => sourcePrefix(p.src),
  distinct: (p) => `${p.dst}|${portKey(p)}`,
  qualifies: (b, t) => distinctCount(b) >= t['minProbes']! && spreadOk(b, t),
  build(b, t, ctx) {
    const n = distinctCount(b);
    const details = L(
      `${b.sources.size} addresses of ${b.key} together probed ${n} port/host pairs (${b.ports.size} ports on ${b.targets.size} hosts, ${b.events} packets): one scan split across a network range.`,
      `${b.key} 网段中的 ${b.sources.size} 个地址共同探测了 ${n} 个端口/主机组合(${b.targets.size} 台主机上的 ${b.ports.size} 个端口,共 ${b.events} 个包):这是把一次扫描分散到整个网段上进行。`,
    );
    return {
      ...worded(
        ctx.kb,
        ['distributed-scan', 'decoy-scan'],
        { title: L(`Distributed scan from ${b.key}`, `来自 ${b.key} 的分布式扫描`), advice },
        details,
        L(b.key, b.key),
      ),
      severity: 3,
      confidence: confidenceFor(n, t['minProbes']!, 0.5),
      technique: scanTechnique(b),
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
  distinct: portKey,
  qualifies(b, t) {
    const n = distinctCount(b);
    // Background noise keeps hitting the same popular ports; a split scan covers new ones with little overlap.
    return (
      n >= t['minPortsOneTarget']! &&
      b.sources.size >= t['minSourcesOneTarget']! &&
      n / b.events >= 0.8 &&
      topShare(b.sources, 1, b.events) <= 0.5
    );
  },
  build(b, t, ctx) {
    const [dst] = b.targets.keys();
    const n = distinctCount(b);
    const details = L(
      `${b.sources.size} different addresses probed ${n} distinct ports of ${dst} in a short time, each taking only a few, with almost no port hit twice: a scan divided among many sources (a botnet, cloud hosts or decoys).`,
      `${b.sources.size} 个不同地址在短时间内探测了 ${dst} 的 ${n} 个不同端口,每个地址只负责几个,几乎没有端口被重复探测:这是把扫描分摊给许多来源(僵尸网络、云主机或诱饵)。`,
    );
    return {
      ...worded(
        ctx.kb,
        ['distributed-scan', 'decoy-scan'],
        { title: L(`Distributed scan of ${dst}`, `针对 ${dst} 的分布式扫描`), advice },
        details,
        L(dst!, dst!),
      ),
      severity: 3,
      confidence: confidenceFor(n, t['minPortsOneTarget']!, 0.5),
      technique: scanTechnique(b),
    };
  },
};
