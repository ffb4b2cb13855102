// Trojan / backdoor probes: destination ports the knowledge base marks as trojans, grouped per source.
import type { PortEntry } from '../../knowledge/schema.js';
import { L, listOf, portEntriesFor, worded } from '../finding.js';
import { isProbe } from '../packet.js';
import type { DetectorSpec, EngineContext, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** Trojan or backdoor entries for a packet's destination port. */
export function trojanEntries(p: Packet, ctx: EngineContext): PortEntry[] {
  if (p.dport === undefined) return [];
  return portEntriesFor(ctx.kb, p.dport, p.proto).filter((e) => e.kind === 'trojan' || e.kind === 'backdoor');
}

export const trojanProbe: DetectorSpec = {
  id: 'trojan-probe',
  name: 'trojan-probe',
  singleEvent: true,
  tunables: {
    ...windowTunables(3600, 6 * 3600),
    minPackets: { default: 1, doc: 'Packets to trojan ports one source must send.' },
  },
  filter: (p, ctx) => isProbe(p) && trojanEntries(p, ctx).length > 0,
  groupBy: (p) => p.src,
  distinct: (p) => String(p.dport),
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const ports = [...b.ports.keys()].sort((x, y) => x - y);
    const entries = new Map<string, PortEntry>();
    for (const port of ports)
      for (const proto of b.transports.keys())
        for (const e of portEntriesFor(ctx.kb, port, proto))
          if (e.kind === 'trojan' || e.kind === 'backdoor') entries.set(e.id, e);
    const list = [...entries.values()];
    const names = list.map((e) =>
      e.malware?.length
        ? L(`${e.malware.join('/')} (${e.ports.join(', ')})`, `${e.malware.join('/')}(${e.ports.join('、')})`)
        : e.name,
    );
    const named = listOf(names.slice(0, 6));
    const severity = Math.max(2, ...list.map((e) => e.severity)) as 2 | 3 | 4 | 5;
    const details = L(
      `${src} knocked on ${ports.length} port${ports.length === 1 ? '' : 's'} where backdoors listen (${b.events} packets): ${named.en}. It is looking for machines that are already infected and would answer.`,
      `${src} 探测了 ${ports.length} 个后门程序监听的端口(共 ${b.events} 个包):${named.zh}。它在寻找已经被感染、会作出应答的机器。`,
    );
    return {
      ...worded(
        ctx.kb,
        ['trojan-probe', 'hack-a-tack-scanner'],
        {
          title: L(
            `Trojan probe: ${names[0]?.en ?? ports.join(', ')}`,
            `木马探测:${names[0]?.zh ?? ports.join('、')}`,
          ),
          advice:
            list[0]?.advice ??
            L(
              'Block the source. If any host of yours answers on these ports, treat it as compromised.',
              '封禁该来源。若你的任何主机在这些端口上有应答,应视为已被入侵。',
            ),
        },
        details,
        names[0],
      ),
      severity: Math.min(5, severity) as 2 | 3 | 4 | 5,
      confidence: 0.7,
      technique: 'trojan-port',
      ports,
    };
  },
};
