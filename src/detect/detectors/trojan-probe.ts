// Trojan / backdoor probes: destination ports the knowledge base marks as trojans, grouped per source.
import { listBoth, tBoth } from '../../i18n.js';
import type { PortEntry } from '../../knowledge/schema.js';
import { portText } from '../../util/port-text.js';
import { listOf, portEntriesFor, recordCount, worded } from '../finding.js';
import { isProbe } from '../packet.js';
import type { DetectorSpec, EngineContext, Localized, Packet } from '../types.js';
import { windowTunables } from './common.js';

/** Trojan or backdoor entries for a packet's destination port. */
export function trojanEntries(p: Packet, ctx: EngineContext): PortEntry[] {
  if (p.dport === undefined) return [];
  return portEntriesFor(ctx.kb, p.dport, p.proto).filter(isTrojanEntry);
}

const isTrojanEntry = (e: PortEntry) => e.kind === 'trojan' || e.kind === 'backdoor';

/** Whether the probed port has a trojan or backdoor entry (the filter's test, without a list per packet). */
function probesTrojanPort(p: Packet, ctx: EngineContext): boolean {
  return p.dport !== undefined && portEntriesFor(ctx.kb, p.dport, p.proto).some(isTrojanEntry);
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
  return tBoth('detect.trojan.family', { name: f.entry.name, ports: listBoth(ports) });
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
  filter: (p, ctx) => isProbe(p) && probesTrojanPort(p, ctx),
  groupBy: (p) => p.src,
  groupKey: 'source',
  keyFixes: 'source',
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
    const details = tBoth('detect.trojan.details', {
      src: src!,
      ports: ports.length,
      records: recordCount(b, 'inAll'),
      named,
    });
    // The Hack-a-tack trojan's own scanner has its own signature; every other probe words as trojan-probe.
    const signature = b.extra.has('hackATackScanner') ? 'hack-a-tack-scanner' : 'trojan-probe';
    return {
      ...worded(
        ctx.kb,
        { signature },
        details,
        names.length > 1 ? tBoth('detect.trojan.andMore', { name: names[0]! }) : names[0],
      ),
      severity: Math.min(5, severity) as 2 | 3 | 4 | 5,
      confidence: 0.7,
      technique: 'trojan-port',
      ports,
    };
  },
};
