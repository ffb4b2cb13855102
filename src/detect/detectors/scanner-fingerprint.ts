// Known scanner fingerprints: sscan (source ports 1-5), nmap OS detection probes, evasion source ports, Mirai, ZMap.
import { ipv4ToInt, isIPv4 } from '../../net/ip.js';
import { L, worded } from '../finding.js';
import type { Bucket, DetectorSpec, FindingDraft, Localized, Packet } from '../types.js';
import { tcpHeaderBytes, windowTunables } from './common.js';

/** Each fingerprint: how one packet counts towards it. */
const MARKS: Record<string, (p: Packet) => boolean> = {
  sscan: (p) => p.proto === 'tcp' && p.sport !== undefined && p.sport >= 1 && p.sport <= 5,
  // nmap -O probes: ECN SYN, SYN+FIN+PSH+URG (T3), NULL with DF (T2), FIN+PSH+URG to a closed port (T7),
  // the 300-byte UDP probe (U1) and echo requests with code 9 (IE1).
  'os-ecn': (p) => p.flags === 'CWR ECE SYN' && (tcpHeaderBytes(p.ev.length, p.ev.ipVersion) ?? 0) >= 32,
  'os-t3': (p) => p.flags === 'URG PSH SYN FIN',
  'os-t2': (p) => p.flags === '' && p.ev.dontFragment === true,
  'os-t7': (p) => p.flags === 'URG PSH FIN' && p.ev.tcpWindow !== undefined && p.ev.tcpWindow >= 65535,
  'os-u1': (p) =>
    p.proto === 'udp' && p.ev.length !== undefined && p.ev.length - (p.ev.ipVersion === 6 ? 40 : 20) === 308,
  'os-ie': (p) =>
    (p.proto === 'icmp' || p.proto === 'ipv6-icmp') && p.technique === 'icmp-echo' && p.ev.icmpCode === 9,
  // Source port 53 or 20 on a packet that is not a reply: chosen to slip past naive filters.
  evasion: (p) =>
    (p.sport === 53 || p.sport === 20 || p.sport === 88 || p.sport === 67) &&
    ((p.proto === 'tcp' && p.technique === 'syn') || (p.proto === 'udp' && (p.dport ?? 0) < 1024)),
  // A new TCP connection from 53/88/67 (or from 20 to a service port) is no reply: nothing legitimate opens one.
  'evasion-syn': (p) =>
    p.proto === 'tcp' &&
    p.technique === 'syn' &&
    (p.sport === 53 || p.sport === 88 || p.sport === 67 || (p.sport === 20 && (p.dport ?? 65535) < 1024)),
  // Port 0 and the address 0.0.0.0 carry no service: packets to them test how a stack answers (OS fingerprinting).
  'port-zero': (p) => ((p.proto === 'tcp' || p.proto === 'udp') && p.dport === 0) || p.dst === '0.0.0.0',
  'mirai-23': (p) => p.proto === 'tcp' && p.technique === 'syn' && p.dport === 23,
  'mirai-2323': (p) => p.proto === 'tcp' && p.technique === 'syn' && p.dport === 2323,
  'mirai-seq': (p) =>
    p.proto === 'tcp' && p.ev.tcpSeq !== undefined && isIPv4(p.dst) && p.ev.tcpSeq === ipv4ToInt(p.dst),
  zmap: (p) => p.proto === 'tcp' && p.technique === 'syn' && p.ev.ipId === 54321,
};

const n = (b: Bucket, k: string) => b.extra.get(k) ?? 0;

interface Fingerprint {
  technique: string;
  sig: string[];
  title: Localized;
  matched(b: Bucket, min: number): boolean;
  details(src: string, b: Bucket): Localized;
  advice: Localized;
  severity: 2 | 3 | 4;
}

const OS_MARKS = ['os-ecn', 'os-t3', 'os-t2', 'os-t7', 'os-u1', 'os-ie'];

const FINGERPRINTS: Fingerprint[] = [
  {
    technique: 'nmap-os-detection',
    sig: ['nmap-os-detection', 'os-fingerprint'],
    title: L('nmap OS detection', 'nmap 操作系统识别'),
    matched: (b) => OS_MARKS.filter((k) => n(b, k) > 0).length >= 2,
    details: (src, b) =>
      L(
        `${src} sent the odd packets nmap uses to guess an operating system (${OS_MARKS.filter((k) => n(b, k) > 0).join(', ')}): flag combinations and probe sizes no normal program sends.`,
        `${src} 发送了 nmap 用来猜测操作系统的特殊数据包(${OS_MARKS.filter((k) => n(b, k) > 0).join('、')}):正常程序不会发送这样的标志组合和探测长度。`,
      ),
    advice: L(
      'Someone wants to know exactly what runs here, usually to pick an exploit. Review what this host exposes.',
      '有人想确切知道这里运行的是什么系统,通常是为了挑选漏洞利用方式。检查这台主机暴露了哪些服务。',
    ),
    severity: 3,
  },
  {
    technique: 'sscan',
    sig: ['sscan'],
    title: L('sscan scanner', 'sscan 扫描脚本'),
    matched: (b, min) => n(b, 'sscan') >= min,
    details: (src, b) =>
      L(
        `${src} sent ${n(b, 'sscan')} TCP packets from source ports 1-5, the calling card of the old sscan script.`,
        `${src} 从源端口 1-5 发出了 ${n(b, 'sscan')} 个 TCP 包,这是老牌 sscan 扫描脚本的特征。`,
      ),
    advice: L(
      'An automated vulnerability sweep; check that the services it probed are patched.',
      '这是自动化的漏洞扫描;确认被探测的服务都已打好补丁。',
    ),
    severity: 3,
  },
  {
    technique: 'source-port-evasion',
    sig: ['source-port-evasion'],
    title: L('Probes from source port 53/20 (filter evasion)', '来自源端口 53/20 的探测(绕过过滤)'),
    matched: (b, min) => n(b, 'evasion') >= min || n(b, 'evasion-syn') >= 1,
    details: (src, b) =>
      L(
        `${src} sent ${n(b, 'evasion')} new connections or probes from source port ${[...b.extra.keys()].find((k) => k.startsWith('sport:'))?.slice(6) ?? '53/20'}; real DNS or FTP-data traffic does not look like this. Scanners pick these ports because naive filters let "DNS replies" and "FTP data" through.`,
        `${src} 从源端口 ${[...b.extra.keys()].find((k) => k.startsWith('sport:'))?.slice(6) ?? '53/20'} 发起了 ${n(b, 'evasion')} 次新连接或探测;真正的 DNS 或 FTP 数据流量不是这样的。扫描器选择这些端口,是因为简单的过滤规则会放行“DNS 应答”和“FTP 数据”。`,
      ),
    advice: L(
      'Make sure no rule accepts traffic just because its source port is 53 or 20; use connection tracking instead.',
      '确认没有任何规则仅凭源端口为 53 或 20 就放行流量;应改用连接跟踪。',
    ),
    severity: 3,
  },
  {
    technique: 'port-zero',
    sig: [],
    title: L('Probes to port 0 / address 0.0.0.0', '探测 0 端口 / 0.0.0.0 地址'),
    // Two, so a sequential scan that starts at port 0 is not called a fingerprint.
    matched: (b) => n(b, 'port-zero') >= 2,
    details: (src, b) =>
      L(
        `${src} sent ${n(b, 'port-zero')} packets to port 0 or to the address 0.0.0.0. No service lives there and no normal program sends such packets: tools send them to see how a host's stack answers, a way of fingerprinting the operating system.`,
        `${src} 向 0 端口或 0.0.0.0 地址发送了 ${n(b, 'port-zero')} 个包。那里没有任何服务,正常程序也不会发这种包:这是工具在观察主机协议栈如何应答,借此识别操作系统。`,
      ),
    advice: L(
      'Keep dropping it; make sure nothing of yours answers packets to port 0 differently from other closed ports.',
      '继续丢弃即可;确认你的主机对 0 端口的应答与其他关闭端口没有区别。',
    ),
    severity: 2,
  },
  {
    technique: 'mirai',
    sig: [],
    title: L('Mirai-style Telnet scanner', 'Mirai 类 Telnet 扫描器'),
    matched: (b) => (n(b, 'mirai-23') > 0 && n(b, 'mirai-2323') > 0) || n(b, 'mirai-seq') >= 2,
    details: (src, b) =>
      L(
        `${src} tried Telnet on both 23 and 2323${n(b, 'mirai-seq') > 0 ? ' with the TCP sequence number set to the target address' : ''}: the way Mirai and its offspring look for IoT devices with default passwords. The source is most likely an infected device itself.`,
        `${src} 同时尝试了 23 和 2323 两个 Telnet 端口${n(b, 'mirai-seq') > 0 ? ',且 TCP 序列号等于目标地址' : ''}:这是 Mirai 及其变种寻找使用默认密码的物联网设备的方式。该来源本身很可能就是一台被感染的设备。`,
      ),
    advice: L(
      'Make sure no device of yours offers Telnet to the Internet and none keeps a default password.',
      '确认你的设备没有向互联网开放 Telnet,且没有设备仍在使用默认密码。',
    ),
    severity: 3,
  },
  {
    technique: 'zmap',
    sig: ['zmap-fingerprint'],
    title: L('ZMap scanner', 'ZMap 扫描器'),
    matched: (b, min) => n(b, 'zmap') >= min,
    details: (src, b) =>
      L(
        `${src} sent ${n(b, 'zmap')} SYNs with IP ID 54321, the fixed value of the ZMap Internet-wide scanner (often research projects).`,
        `${src} 发送了 ${n(b, 'zmap')} 个 IP ID 为 54321 的 SYN 包,这是全网扫描工具 ZMap 的固定值(常见于研究项目)。`,
      ),
    advice: L(
      'Internet-wide survey traffic; usually harmless, but it tells you what the world can see of you.',
      '这是全网普查流量,通常无害,但说明了外界能看到你的哪些服务。',
    ),
    severity: 2,
  },
];

export const scannerFingerprint: DetectorSpec = {
  id: 'scanner-fingerprint',
  name: 'scanner-fingerprint',
  keyedBySource: true,
  tunables: {
    ...windowTunables(1800, 3600),
    minPackets: {
      default: 3,
      doc: 'Packets carrying a single-packet mark (sscan, source port 53/20, ZMap) needed.',
    },
  },
  filter: (p) => p.inbound && p.lanNoise === undefined && Object.values(MARKS).some((m) => m(p)),
  groupBy: (p) => p.src,
  observe(b, p) {
    for (const [k, mark] of Object.entries(MARKS)) if (mark(p)) b.extra.set(k, n(b, k) + 1);
    if (MARKS['evasion']!(p)) b.extra.set(`sport:${p.sport}`, 1);
  },
  qualifies: (b, t) => FINGERPRINTS.some((f) => f.matched(b, t['minPackets']!)),
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const out: FindingDraft[] = [];
    for (const f of FINGERPRINTS) {
      if (!f.matched(b, t['minPackets']!)) continue;
      out.push({
        ...worded(
          ctx.kb,
          f.technique === 'mirai' && n(b, 'mirai-seq') > 0 ? ['mirai-seq'] : f.sig,
          { title: f.title, advice: f.advice },
          f.details(src!, b),
        ),
        severity: f.severity,
        confidence: 0.85,
        technique: f.technique,
        variant: f.technique,
      });
    }
    return out;
  },
};
