// What the source port says about the sender: replies to your clients, NAT, games, tools, crafted packets.
import type { FwEvent } from '../event.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { portRange } from '../knowledge/index.js';
import type { PortEntry, SourcePortEntry } from '../knowledge/schema.js';
import { leavesInside } from './addresses.js';
import type { Draft } from './draft.js';
import { HOSTILE_KINDS, portRangeOf } from './ports.js';

/**
 * Server ports whose packets to a high port of yours are answers to your own clients.
 * Used when the knowledge base has no source-port entry for them.
 */
export const REPLY_SOURCE_PORTS: Readonly<Record<number, { service: string; protos: string[] }>> = {
  20: { service: 'FTP data', protos: ['tcp'] },
  53: { service: 'DNS', protos: ['tcp', 'udp'] },
  123: { service: 'NTP', protos: ['udp'] },
};

/** Lowest port a client normally uses; replies go to ports at or above it. */
export const FIRST_CLIENT_PORT = 1024;

function widthFor(e: SourcePortEntry, port: number): number {
  let best = 65536;
  for (const spec of e.ports) {
    const [a, b] = portRange(spec);
    if (port >= a && port <= b) best = Math.min(best, b - a);
  }
  return best;
}

/** Source-port entries for a port, the narrowest range first. */
export function sourceEntriesFor(
  kb: KnowledgeBase,
  port: number,
  proto: string | undefined,
): SourcePortEntry[] {
  const protos = proto ? [proto] : ['tcp', 'udp'];
  const seen = new Set<string>();
  const out: SourcePortEntry[] = [];
  for (const p of protos)
    for (const e of kb.sourcePortEntries(port, p))
      if (!seen.has(e.id)) {
        seen.add(e.id);
        out.push(e);
      }
  return out.sort((a, b) => widthFor(a, port) - widthFor(b, port));
}

/** True when a source port is a server port whose traffic answers a client. */
export function isReplyPort(
  lead: SourcePortEntry | undefined,
  port: number,
  proto: string | undefined,
): boolean {
  if (lead) return lead.meaning === 'reply';
  const fallback = REPLY_SOURCE_PORTS[port];
  return fallback !== undefined && (proto === undefined || fallback.protos.includes(proto));
}

/**
 * Describe a source port on its own (entries, range, built-in reply ports); returns the entries shown. `record`:
 * the port is a connection or flow record's (FwEvent.connectionPhase set), whose traffic is no one packet.
 */
export function describeSourcePort(
  draft: Draft,
  port: number,
  proto: string | undefined,
  entries: SourcePortEntry[] = sourceEntriesFor(draft.kb, port, proto),
  record = false,
): SourcePortEntry[] {
  for (const e of entries) {
    draft.say('source-port', 'explain.sport.entry', { port, name: e.name });
    for (const f of e.facts) draft.line('source-port', { en: f.en, zh: f.zh }, f.source);
  }
  if (entries.length === 0) {
    const fallback = REPLY_SOURCE_PORTS[port];
    if (fallback && (proto === undefined || fallback.protos.includes(proto)))
      draft.say('source-port', 'explain.sport.serverPort', { port, service: fallback.service }, 'general');
    else if (port === 0) draft.say('source-port', 'explain.sport.zero', {}, 'general');
    else {
      const range = portRangeOf(port);
      const key =
        record && range === 'well-known'
          ? 'explain.sport.wellKnownRecord'
          : (`explain.sport.range.${range}` as const);
      draft.say('source-port', key, { port }, 'rfc-6335');
    }
  }
  return entries;
}

/** What the source-port explainer found, for the severity and direction logic. */
export interface SourcePortVerdict {
  /** The packet answers a client on the receiving side. */
  reply: boolean;
}

/** TCP packets with ACK or RST set answer someone; a server port as their source is expected. */
function isAnswerPacket(ev: FwEvent): boolean {
  return (
    ev.transport === 'tcp' && !!ev.tcpFlags && (ev.tcpFlags.includes('ACK') || ev.tcpFlags.includes('RST'))
  );
}

/**
 * A TCP packet opening a connection (SYN without ACK) from a server port: no server answers with one, so it is
 * no reply but a sender who picked the port to slip past filters. FTP's active data connection from port 20 is
 * the one server that opens connections (to the client's high port).
 */
function opensFromServerPort(ev: FwEvent, sport: number): boolean {
  return (
    sport !== 20 &&
    ev.transport === 'tcp' &&
    !!ev.tcpFlags &&
    ev.tcpFlags.includes('SYN') &&
    !ev.tcpFlags.includes('ACK')
  );
}

/**
 * Explain the source port of an event and adjust the severity for what it reveals. The situation
 * decides which entries apply: a server port answering your high port is a reply; the same port
 * aimed at a backdoor is evasion; otherwise the narrowest other entry (NAT, game, scanner ...) counts.
 */
export function explainSourcePort(ev: FwEvent, draft: Draft, destEntries: PortEntry[]): SourcePortVerdict {
  const sport = ev.sourcePort;
  const verdict: SourcePortVerdict = { reply: false };
  if (sport === undefined) return verdict;
  const dport = ev.destinationPort;
  const all = sourceEntriesFor(draft.kb, sport, ev.transport);
  const replyEntry = all.find((e) => e.meaning === 'reply');
  const evasionEntry = all.find((e) => e.meaning === 'evasion');
  const replyPort = all.length ? replyEntry !== undefined : isReplyPort(undefined, sport, ev.transport);
  const arriving = !leavesInside(ev);
  const hostileTarget = destEntries.some((e) => HOSTILE_KINDS.has(e.kind) && e.kind !== 'adware');
  const answersClient =
    replyPort && arriving && dport !== undefined && dport >= FIRST_CLIENT_PORT && sport !== dport;
  const opening = answersClient && opensFromServerPort(ev, sport);
  const situation = answersClient ? (hostileTarget || opening ? 'evasion' : 'reply') : 'other';
  const shown = all.filter((e) =>
    situation === 'reply' ? e.meaning !== 'evasion' : situation === 'evasion' ? e.meaning !== 'reply' : true,
  );
  // A connection or flow record's crafted source port makes crafted traffic, not one crafted packet.
  const record = ev.connectionPhase !== undefined;
  describeSourcePort(draft, sport, ev.transport, shown, record);
  if (all.length === 0 && sport === 0)
    draft.adjust(
      1,
      record ? 'explain.reason.sourcePortZeroRecord' : 'explain.reason.sourcePortZero',
      undefined,
      'general',
    );
  if (dport !== undefined && sport === dport)
    draft.say('source-port', record ? 'explain.sport.sameRecord' : 'explain.sport.same', { port: sport });

  if (situation === 'evasion') {
    draft.say('source-port', 'explain.sport.evasion', { port: sport, dport: dport! });
    const delta = evasionEntry && evasionEntry.severityDelta > 0 ? evasionEntry.severityDelta : 1;
    draft.adjust(
      delta,
      hostileTarget ? 'explain.reason.evasion' : 'explain.reason.evasionSyn',
      { port: sport },
      evasionEntry?.facts[0]?.source ?? 'faq',
    );
  } else if (situation === 'reply') {
    verdict.reply = true;
    draft.say('source-port', 'explain.sport.reply', { port: sport, dport: dport! });
    const delta = replyEntry && replyEntry.severityDelta < 0 ? replyEntry.severityDelta : -1;
    draft.adjust(delta, 'explain.reason.reply', { port: sport }, replyEntry?.facts[0]?.source ?? 'general');
  } else {
    const lead = all.find((e) => e.meaning !== 'reply' && e.meaning !== 'evasion');
    // A server port as the source of an ACK/RST is a server answering: no penalty for "reserved".
    const excused = lead?.meaning === 'reserved' && isAnswerPacket(ev);
    if (lead && !excused)
      draft.adjust(
        lead.severityDelta,
        'explain.reason.sourcePortEntry',
        { port: sport, name: lead.name },
        lead.facts[0]?.source,
      );
  }
  return verdict;
}
