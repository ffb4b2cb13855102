// Service hunt: one source trying the port set of one kind of service (proxies, pcAnywhere, NFS/RPC) even on one host.
import { L, listOf, portEntriesFor, serviceName, worded } from '../finding.js';
import { isProbe } from '../packet.js';
import type { Bucket, DetectorSpec, EngineContext, FindingDraft, Packet, Tunables } from '../types.js';
import { windowTunables } from './common.js';

/** Ports open proxies listen on (SOCKS, Squid, the HTTP proxy alternates). */
const PROXY_PORTS = new Set([1080, 3128, 8000, 8001, 8080, 8888]);

/** Which hunt a packet may belong to, or undefined. */
function huntOf(p: Packet, ctx: EngineContext): 'proxy' | 'pcanywhere' | 'rpc' | undefined {
  const port = p.dport;
  if (port === undefined) return undefined;
  if (p.proto === 'tcp' && PROXY_PORTS.has(port)) return 'proxy';
  // pcAnywhere looks for hosts on UDP 5632 and, byte-swapped, UDP 22; its sessions use TCP 5631.
  if ((p.proto === 'udp' && (port === 5632 || port === 22)) || (p.proto === 'tcp' && port === 5631))
    return 'pcanywhere';
  if (
    (p.proto === 'tcp' || p.proto === 'udp') &&
    portEntriesFor(ctx.kb, port, p.proto).some((e) => e.kind === 'rpc')
  )
    return 'rpc';
  return undefined;
}

const has = (b: Bucket, key: string) => b.extra.has(key);

/** Proxy ports tried, sorted. */
function proxyPorts(b: Bucket): number[] {
  return [...PROXY_PORTS].filter((p) => has(b, `tcp/${p}`)).sort((x, y) => x - y);
}

/** RPC ports tried over both TCP and UDP: a client uses one transport, a prober tries both. */
function rpcBothWays(b: Bucket): number[] {
  const out: number[] = [];
  for (const key of b.extra.keys())
    if (key.startsWith('rpc:') && has(b, `tcp/${key.slice(4)}`) && has(b, `udp/${key.slice(4)}`))
      out.push(Number(key.slice(4)));
  return out.sort((x, y) => x - y);
}

function pcAnywhere(b: Bucket): boolean {
  return has(b, 'udp/5632') && (has(b, 'udp/22') || has(b, 'tcp/5631'));
}

function hunts(b: Bucket, t: Tunables): string[] {
  const out: string[] = [];
  if (proxyPorts(b).length >= t['minProxyPorts']!) out.push('proxy');
  if (pcAnywhere(b)) out.push('pcanywhere');
  if (rpcBothWays(b).length > 0) out.push('rpc');
  return out;
}

const advice = L(
  'Make sure none of your hosts offers this service to the outside; if one does, restrict it to the addresses that need it.',
  '确认你没有主机向外部提供这项服务;如果有,只允许确实需要的地址访问。',
);

export const serviceHunt: DetectorSpec = {
  id: 'horizontal-sweep',
  name: 'service-hunt',
  keyedBySource: true,
  tunables: {
    ...windowTunables(900, 3600),
    minProxyPorts: {
      default: 3,
      doc: 'Distinct proxy ports (1080, 3128, 8000, 8001, 8080, 8888) one source must try.',
    },
  },
  filter: (p, ctx) => isProbe(p) && huntOf(p, ctx) !== undefined,
  groupBy: (p) => p.src,
  distinct: (p) => p.portKey, // hunts have a port: `proto/port`
  observe(b, p, ctx) {
    b.extra.set(p.portKey, 1);
    if (huntOf(p, ctx) === 'rpc') b.extra.set(`rpc:${p.dport}`, 1);
  },
  qualifies: (b, t) => hunts(b, t).length > 0,
  build(b, t, ctx) {
    const [src] = b.sources.keys();
    const out: FindingDraft[] = [];
    for (const hunt of hunts(b, t)) {
      if (hunt === 'proxy') {
        const ports = proxyPorts(b);
        const names = listOf(ports.map((p) => serviceName(ctx.kb, p, 'tcp')));
        out.push({
          ...worded(
            ctx.kb,
            ['proxy-scanner'],
            { title: L('Open-proxy hunt', '搜寻开放代理'), advice },
            L(
              `${src} tried ${ports.length} proxy ports (${ports.join(', ')}: ${names.en}) on ${b.targets.size} host(s) within ${Math.round((b.last - b.first) / 1000)} s: it is looking for an open proxy to relay through.`,
              `${src} 在 ${Math.round((b.last - b.first) / 1000)} 秒内试探了 ${b.targets.size} 台主机上的 ${ports.length} 个代理端口(${ports.join('、')}:${names.zh}):它在寻找可供中转的开放代理。`,
            ),
            L(`${ports.join(', ')}`, `${ports.join('、')}`),
          ),
          severity: 3,
          confidence: 0.8,
          technique: 'service-hunt',
          ports,
          variant: hunt,
        });
      } else if (hunt === 'pcanywhere') {
        const ports = [5631, 5632, 22]
          .filter((p) => has(b, `udp/${p}`) || has(b, `tcp/${p}`))
          .sort((x, y) => x - y);
        out.push({
          ...worded(
            ctx.kb,
            ['pcanywhere-discovery'],
            { title: L('pcAnywhere discovery', 'pcAnywhere 发现探测'), advice },
            L(
              `${src} sent tiny UDP datagrams to 5632${has(b, 'udp/22') ? ' and to 22 (5632 byte-swapped; not SSH)' : ''}${has(b, 'tcp/5631') ? ', then tried TCP 5631' : ''}: pcAnywhere looking for hosts to control.`,
              `${src} 向 5632${has(b, 'udp/22') ? ' 和 22(5632 字节对调后的值,并非 SSH)' : ''}发送了很小的 UDP 数据报${has(b, 'tcp/5631') ? ',随后尝试 TCP 5631' : ''}:这是 pcAnywhere 在寻找可控制的主机。`,
            ),
          ),
          severity: 2,
          confidence: 0.8,
          technique: 'service-hunt',
          ports,
          variant: hunt,
        });
      } else {
        const ports = rpcBothWays(b);
        const names = listOf(ports.map((p) => serviceName(ctx.kb, p, 'udp')));
        out.push({
          ...worded(
            ctx.kb,
            [],
            {
              title: L(`Probe for ${names.en} over TCP and UDP`, `通过 TCP 和 UDP 探测 ${names.zh}`),
              advice,
            },
            L(
              `${src} tried ${names.en} (${ports.join(', ')}) over both TCP and UDP. A client uses one transport; trying both is someone checking whether the RPC service is reachable, a classic first step against NFS and Sun RPC daemons.`,
              `${src} 同时通过 TCP 和 UDP 试探了 ${names.zh}(${ports.join('、')})。正常客户端只用一种传输协议;两种都试,是在检查该 RPC 服务能否访问,这是攻击 NFS 和 Sun RPC 守护进程的典型第一步。`,
            ),
          ),
          severity: 3,
          confidence: 0.75,
          technique: 'service-hunt',
          ports,
          variant: hunt,
        });
      }
    }
    return out;
  },
};
