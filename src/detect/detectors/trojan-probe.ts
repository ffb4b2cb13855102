// Trojan / backdoor probes: destination ports the knowledge base marks as trojans, grouped per source.
import { countEn as en } from '../../i18n.js';
import type { PortEntry } from '../../knowledge/schema.js';
import { portText } from '../../util/port-text.js';
import { L, listOf, portEntriesFor, worded } from '../finding.js';
import { isProbe } from '../packet.js';
import type { DetectorSpec, EngineContext, Localized, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** Trojan or backdoor entries for a packet's destination port. */
export function trojanEntries(p: Packet, ctx: EngineContext): PortEntry[] {
  if (p.dport === undefined) return [];
  return portEntriesFor(ctx.kb, p.dport, p.proto).filter((e) => e.kind === 'trojan' || e.kind === 'backdoor');
}

/** One trojan family hit by a source: its most severe port entry and the ports of it that were probed. */
interface TrojanFamily {
  entry: PortEntry;
  ports: number[];
}

/** Group the trojan entries of the probed ports by family (malware name, else entry id), most severe first. */
function trojanFamilies(ctx: EngineContext, ports: number[], transports: string[]): TrojanFamily[] {
  const byFamily = new Map<string, TrojanFamily>();
  for (const port of ports)
    for (const proto of transports)
      for (const e of portEntriesFor(ctx.kb, port, proto)) {
        if (e.kind !== 'trojan' && e.kind !== 'backdoor') continue;
        const key = e.malware?.[0] ?? e.id;
        const family = byFamily.get(key);
        if (!family) byFamily.set(key, { entry: e, ports: [port] });
        else {
          if (!family.ports.includes(port)) family.ports.push(port);
          if (e.severity > family.entry.severity) family.entry = e;
        }
      }
  return [...byFamily.values()].sort(
    (a, b) => b.entry.severity - a.entry.severity || a.ports[0]! - b.ports[0]!,
  );
}

/** "Sub-7 (SubSeven) trojan (1243, 27374)": the entry's own name plus the ports that were probed. */
function familyName(f: TrojanFamily): Localized {
  const ports = [...f.ports].sort((a, b) => a - b);
  return L(`${f.entry.name.en} (${ports.join(', ')})`, `${f.entry.name.zh}(${ports.join('、')})`);
}

export const trojanProbe: DetectorSpec = {
  id: 'trojan-probe',
  name: 'trojan-probe',
  keyedBySource: true,
  singleEvent: true,
  tunables: {
    ...windowTunables(3600, 6 * 3600),
    minPackets: { default: 1, doc: 'Packets to trojan ports one source must send.' },
  },
  filter: (p, ctx) => isProbe(p) && trojanEntries(p, ctx).length > 0,
  groupBy: (p) => p.src,
  distinct: (p) => portText(p.dport),
  observe(b, p) {
    // The Hack-a-tack trojan's own scanner sends from 31790 to 31789; only that deserves its signature.
    if (p.proto === 'udp' && p.sport === 31790 && p.dport === 31789) b.extra.set('hackATackScanner', 1);
  },
  qualifies: (b, t) => b.events >= t['minPackets']!,
  build(b, _t, ctx) {
    const [src] = b.sources.keys();
    const ports = [...b.ports.keys()].sort((x, y) => x - y);
    const families = trojanFamilies(ctx, ports, [...b.transports.keys()]);
    const names = families.map(familyName);
    const named = listOf(names.slice(0, 6));
    const severity = Math.max(2, ...families.map((f) => f.entry.severity)) as 2 | 3 | 4 | 5;
    const details = L(
      `${src} knocked on ${en(ports.length, 'port')} where backdoors listen (${en(b.events, 'packet')}): ${named.en}. It is looking for machines that are already infected and would answer.`,
      `${src} 探测了 ${ports.length} 个后门程序监听的端口(共 ${b.events} 个包):${named.zh}。它在寻找已经被感染、会作出应答的机器。`,
    );
    const sigIds = b.extra.has('hackATackScanner')
      ? ['hack-a-tack-scanner', 'trojan-probe']
      : ['trojan-probe'];
    return {
      ...worded(
        ctx.kb,
        sigIds,
        {
          title: L(
            `Trojan probe: ${names[0]?.en ?? ports.join(', ')}`,
            `木马探测:${names[0]?.zh ?? ports.join('、')}`,
          ),
          advice:
            families[0]?.entry.advice ??
            L(
              'Block the source. If any host of yours answers on these ports, treat it as compromised.',
              '封禁该来源。若你的任何主机在这些端口上有应答,应视为已被入侵。',
            ),
        },
        details,
        names.length > 1 ? L(`${names[0]!.en} and more`, `${names[0]!.zh} 等`) : names[0],
      ),
      severity: Math.min(5, severity) as 2 | 3 | 4 | 5,
      confidence: 0.7,
      technique: 'trojan-port',
      ports,
    };
  },
};
