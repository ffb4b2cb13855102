// Service hunt: one source trying the port set of one kind of service (proxies, pcAnywhere, NFS/RPC) even on one host.
import { listBoth, tBoth } from '../../i18n.js';
import { distinctServices, listOf, portEntriesFor, servicesWithPorts, worded } from '../finding.js';
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
  groupKey: 'source',
  keyFixes: 'source',
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
        out.push({
          ...worded(
            ctx.kb,
            { signature: 'proxy-scanner' },
            tBoth('detect.hunt.proxy', {
              src: src!,
              count: ports.length,
              named: servicesWithPorts(ctx.kb, ports, 'tcp'),
              hosts: b.targets.size,
              seconds: Math.round((b.last - b.first) / 1000),
            }),
            listBoth(ports),
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
            { signature: 'pcanywhere-discovery' },
            tBoth('detect.hunt.pcanywhere', {
              src: src!,
              swapped: has(b, 'udp/22') ? tBoth('detect.hunt.pcanywhere.swapped') : '',
              session: has(b, 'tcp/5631') ? tBoth('detect.hunt.pcanywhere.session') : '',
            }),
          ),
          severity: 2,
          confidence: 0.8,
          technique: 'service-hunt',
          ports,
          variant: hunt,
        });
      } else {
        const ports = rpcBothWays(b);
        const names = listOf(distinctServices(ctx.kb, ports, 'udp'));
        out.push({
          ...worded(
            ctx.kb,
            { title: tBoth('detect.hunt.rpc.title', { names }), advice: tBoth('detect.hunt.advice') },
            tBoth('detect.hunt.rpc', { src: src!, names, portList: listBoth(ports) }),
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
