// Repeated attempts: a source hammering one or two ports (password guessing or a retrying client), never a scan.
import { countEn as en } from '../../i18n.js';
import { confidenceFor, L, listOf, serviceName, topKeys, worded } from '../finding.js';
import { isProbe } from '../packet.js';
import type { DetectorSpec } from '../types.js';
import { topShare, windowTunables } from './common.js';
import { replyKind } from './return-traffic.js';

/** Ports where a stream of new connections usually means password guessing. */
const LOGIN_PORTS = new Set([21, 22, 23, 25, 110, 143, 445, 1433, 2323, 3306, 3389, 5432, 5900, 8291]);

export const repeatedAttempts: DetectorSpec = {
  id: 'repeated-attempts',
  name: 'repeated-attempts',
  keyedBySource: true,
  tunables: {
    ...windowTunables(600, 6 * 3600),
    minAttempts: {
      default: 10,
      doc: 'Packets one source must send to the same one or two ports of one target.',
    },
    maxPorts: { default: 2, doc: 'The top this-many ports must carry nearly all attempts.' },
    minShare: { default: 0.9, doc: 'Share of attempts the top ports must carry.' },
  },
  // Connection attempts only: crafted FIN/ACK/NULL probes belong to scans and fingerprinting.
  // Replies to our own clients (RealAudio streams, DNS answers ...) are return traffic, not attempts.
  filter: (p, ctx) =>
    isProbe(p) &&
    p.dport !== undefined &&
    (p.technique === 'syn' || p.technique === 'udp') &&
    replyKind(p, ctx) === undefined,
  groupBy: (p) => p.pair,
  distinct: (p) => p.portKey, // the filter keeps packets with a port: `proto/port`
  qualifies: (b, t) =>
    b.events >= t['minAttempts']! && topShare(b.ports, t['maxPorts']!, b.events) >= t['minShare']!,
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const [dst] = b.targets.keys();
    const proto = topKeys(b.transports, 1)[0] ?? 'tcp';
    const ports = topKeys(b.ports, t['maxPorts']!).sort((x, y) => x - y);
    const services = listOf(ports.map((p) => serviceName(ctx.kb, p, proto)));
    const login = ports.some((p) => LOGIN_PORTS.has(p));
    const why = login
      ? L('a login service: most likely password guessing', '这是登录服务:很可能是在猜密码')
      : L(
          'most likely a client retrying a connection that your firewall keeps refusing',
          '很可能是某个客户端在不断重试被防火墙拒绝的连接',
        );
    const details = L(
      `${src} sent ${en(b.events, 'packet')} to ${services.en} on ${dst} and almost nothing else. That is not a port scan (a scan touches many ports); it is ${why.en}.`,
      `${src} 向 ${dst} 的 ${services.zh} 发送了 ${b.events} 个包,几乎没有访问其他端口。这不是端口扫描(扫描会触及很多端口);这是${why.zh}。`,
    );
    return {
      ...worded(
        ctx.kb,
        // The knowledge base's repeated-attempts text speaks of password guessing: only for login ports.
        login ? ['brute-force', 'repeated-attempts'] : [],
        {
          title: L(`Repeated attempts on ${services.en}`, `反复尝试连接 ${services.zh}`),
          advice: login
            ? L(
                'Make sure the service is not reachable from the Internet or uses keys / strong passwords; rate-limit new connections (fail2ban, connlimit).',
                '确认该服务不对互联网开放,或只使用密钥/强密码;对新连接做限速(fail2ban、connlimit)。',
              )
            : L(
                'Find out which program on the source keeps retrying; if it is yours, fix its configuration, otherwise just keep dropping it.',
                '查明来源上是哪个程序在不断重试;如果是你自己的程序就修正其配置,否则继续丢弃即可。',
              ),
        },
        details,
        services,
      ),
      severity: login ? 3 : 2,
      confidence: confidenceFor(b.events, t['minAttempts']!),
      technique: login ? 'password-guessing' : 'retry',
      ports,
    };
  },
};
