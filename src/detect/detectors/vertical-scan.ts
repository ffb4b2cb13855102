// Vertical port scan: one source, one target, many distinct ports; names the technique and port order.
import { countEn as en } from '../../i18n.js';
import { confidenceFor, dominant, L, worded } from '../finding.js';
import { isProbe, portKey } from '../packet.js';
import type { Bucket, DetectorSpec, EngineContext, Localized, TcpShape, Tunables } from '../types.js';
import { distinctCount, secondsPerValue, tcpHeaderBytes, windowTunables } from './common.js';

/** Traceroute's UDP range is left to the traceroute detector. */
function inTracerouteRange(dport: number | undefined, proto: string): boolean {
  return proto === 'udp' && dport !== undefined && dport >= 33434 && dport <= 33600;
}

const TECHNIQUE_NAMES: Record<string, Localized> = {
  syn: L('TCP SYN ("half-open") scan', 'TCP SYN(半开)扫描'),
  connect: L('TCP connect() scan', 'TCP connect() 全连接扫描'),
  fin: L('TCP FIN scan', 'TCP FIN 扫描'),
  null: L('TCP NULL scan (no flags set)', 'TCP NULL 扫描(不带任何标志)'),
  xmas: L('TCP Xmas scan (FIN, PSH and URG set)', 'TCP Xmas 扫描(FIN、PSH、URG 同时置位)'),
  ack: L('TCP ACK scan (maps firewall rules)', 'TCP ACK 扫描(用来摸清防火墙规则)'),
  maimon: L('TCP Maimon scan (FIN+ACK)', 'TCP Maimon 扫描(FIN+ACK)'),
  'syn-fin': L('TCP SYN+FIN scan', 'TCP SYN+FIN 扫描'),
  udp: L('UDP scan', 'UDP 扫描'),
  sctp: L('SCTP scan', 'SCTP 扫描'),
  'ip-protocol': L('IP protocol scan (which protocols the host speaks)', 'IP 协议扫描(探测主机支持哪些协议)'),
  mixed: L('mixed-technique scan', '多种手法混合的扫描'),
};

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
    const seen = shape.portBySport.get(sport);
    if (seen === p.dport) shape.retransmit++;
    else if (seen === undefined) {
      shape.portBySport.set(sport, p.dport ?? 0);
      shape.sports++;
    }
  } else if (p.technique === 'ack' || p.flags.includes('RST')) {
    // The same source-port pair went on after its SYN: a completed connect().
    const shape = b.tcp;
    if (shape && shape.portBySport.get(p.sport ?? -1) === p.dport) shape.followUp++;
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
      portBySport: new Map(),
    };
  return b.tcp;
}

/** Words for a technique. */
export function techniqueName(technique: string): Localized {
  return TECHNIQUE_NAMES[technique] ?? L(technique, technique);
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
  groupBy: (p) => p.pair,
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
    const order = sequential
      ? L('in ascending order (a simple or sequential scanner)', '按端口号顺序逐个探测(简单或顺序扫描器)')
      : L('in shuffled order (nmap randomises by default)', '顺序被打乱(nmap 默认会随机化)');
    const unit = technique === 'ip-protocol' ? L('IP protocols', '个 IP 协议') : L('ports', '个端口');
    const details = L(
      `${src} probed ${n} distinct ${unit.en} on ${dst} with ${en(b.events, 'packet')}, ${order.en}: a ${name.en}.`,
      `${src} 用 ${b.events} 个数据包探测了 ${dst} 上 ${n} ${unit.zh},${order.zh}:这是一次${name.zh}。`,
    );
    return {
      ...worded(
        ctx.kb,
        stealth ? ['vertical-scan', 'stealth-scan'] : ['vertical-scan'],
        {
          title: L(`Port scan (${name.en})`, `端口扫描(${name.zh})`),
          advice: L(
            'Someone is mapping which services this host offers. Make sure only intended ports answer, keep those services patched, and consider blocking the source for a while.',
            '有人在摸清这台主机开放了哪些服务。确认只有本应开放的端口有应答,及时为这些服务打补丁,可以考虑临时封禁该来源。',
          ),
        },
        details,
        name,
      ),
      severity: stealth || n >= 1000 ? 4 : 3,
      confidence: confidenceFor(n, t['minPorts']!),
      technique,
    };
  },
};
