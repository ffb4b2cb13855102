// Turn one FwEvent into an Explanation: packet, direction, ports, addresses, flags, ICMP, TTL and severity.
import type { FwEvent } from '../event.js';
import { type MessageVars, tBoth } from '../i18n.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import type { Localized, PortEntry } from '../knowledge/schema.js';
import { explainAddresses, leavesInside } from './addresses.js';
import { Draft } from './draft.js';
import { explainFlags, type FlagVerdict } from './flags.js';
import { explainIcmp, type IcmpVerdict } from './icmp.js';
import { describePort, HOSTILE_KINDS, leadEntry, portLabelOf, RETURN_KINDS } from './ports.js';
import { explainSourcePort } from './source-port.js';
import { explainTtl } from './ttl.js';
import { clampSeverity, type Explanation, type Score } from './types.js';

const PORT_TRANSPORTS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp']);

/** Display name of a transport. */
export function protoName(transport: string | undefined): string {
  if (!transport) return 'IP';
  if (transport === 'ipv6-icmp') return 'ICMPv6';
  return transport.toUpperCase();
}

/** Address and port as "a.b.c.d port n", localized (a placeholder in a score-only draft). */
function endpoint(draft: Draft, ip: string | undefined, port: number | undefined): Localized {
  const addr = ip ?? '?';
  return port === undefined ? { en: addr, zh: addr } : draft.text('explain.endpoint', { ip: addr, port });
}

/**
 * Formats whose REJECT refuses without answering the sender: AWS security groups and network ACLs drop what
 * they do not permit (the flow log's own word is kept in `action`, as ECS readers of these logs expect).
 */
const SILENT_REJECT_FORMATS: ReadonlySet<string> = new Set(['aws-vpc-flow']);

/**
 * The packet section: what the line is (a packet, or a session or flow log's record of a connection, by its
 * FwEvent.connectionPhase), what the firewall did, where it was seen. A packet log's wording is as it always was.
 */
function explainPacket(ev: FwEvent, draft: Draft): void {
  // Text only: nothing here moves the score, so a score-only draft skips it.
  if (!draft.rendering) return;
  const vars: MessageVars = {
    proto: protoName(ev.transport),
    from: endpoint(draft, ev.sourceIp, ev.sourcePort),
    to: endpoint(draft, ev.destinationIp, ev.destinationPort),
  };
  const phase = ev.connectionPhase;
  if (phase === undefined) draft.say('packet', 'explain.packet.what', vars);
  else {
    draft.entitle('packet', `explain.topic.record.${phase}`);
    draft.say('packet', `explain.record.what.${phase}`, vars);
    // Formats set a record's length only when it counted one packet (see the messages): say so, as the record does.
    if (ev.length !== undefined && (phase === 'continue' || phase === 'whole'))
      draft.say('packet', `explain.record.onePacket.${phase}`, { bytes: ev.length });
  }
  explainCounts(ev, draft);
  draft.say(
    'packet',
    ev.action === 'reject' && SILENT_REJECT_FORMATS.has(ev.format)
      ? 'explain.packet.action.rejectSilent'
      : ev.action === 'log' && phase !== undefined
        ? 'explain.record.action.log'
        : `explain.packet.action.${ev.action}`,
  );
  if (ev.ruleName) draft.say('packet', 'explain.packet.rule', { rule: ev.ruleName });
  if ((ev.ruleName === 'UFW LIMIT BLOCK' || ev.ruleName === 'UFW LIMIT') && ev.observerProduct === 'ufw')
    draft.say('packet', 'explain.packet.ufwLimit', {}, 'ufw-manual');
  // The alarm's own name, apart from the policy that logged it.
  if (ev.alarmName) draft.say('packet', 'explain.packet.alarm', { alarm: ev.alarmName });
  if (ev.inInterface) draft.say('packet', 'explain.packet.inIf', { iface: ev.inInterface });
  if (ev.outInterface) draft.say('packet', 'explain.packet.outIf', { iface: ev.outInterface });
  // Which way a record's traffic went: of the direction messages only these two name a packet.
  const dir = ev.direction;
  const dirKey =
    phase !== undefined && (dir === 'forward' || dir === 'unknown')
      ? (`explain.dir.record.${dir}` as const)
      : (`explain.dir.${dir}` as const);
  draft.say('direction', dirKey, {
    src: ev.sourceIp ?? '?',
    dst: ev.destinationIp ?? '?',
  });
}

/** One side's part of a record's counts (packets with bytes, or the one the record gives), or undefined. */
function sideCounts(
  draft: Draft,
  packets: number | undefined,
  bytes: number | undefined,
): Localized | undefined {
  if (packets !== undefined && bytes !== undefined)
    return draft.text('explain.record.side.both', { p: packets, b: bytes });
  if (packets !== undefined) return draft.text('explain.record.side.packets', { p: packets });
  if (bytes !== undefined) return draft.text('explain.record.side.bytes', { b: bytes });
  return undefined;
}

/**
 * What a flow or session record summed, each way (FwEvent.sourcePackets ... destinationBytes), or both ways
 * together when that is all it gives (networkBytes); a packet line has no counts and gets no line. Left out when every count is 0 (an Azure begin tuple counts nothing yet) and when
 * the record's one packet was told already (explain.record.onePacket) with nothing from the other side.
 */
function explainCounts(ev: FwEvent, draft: Draft): void {
  const src = sideCounts(draft, ev.sourcePackets, ev.sourceBytes);
  const dst = sideCounts(draft, ev.destinationPackets, ev.destinationBytes);
  if (src === undefined && dst === undefined) {
    if (ev.networkBytes) draft.say('packet', 'explain.record.counts.total', { b: ev.networkBytes });
    return;
  }
  const counts = [ev.sourcePackets, ev.sourceBytes, ev.destinationPackets, ev.destinationBytes];
  if (counts.every((n) => n === undefined || n === 0)) return;
  const onePacketTold =
    ev.length !== undefined && (ev.connectionPhase === 'continue' || ev.connectionPhase === 'whole');
  if (onePacketTold && !ev.destinationPackets && !ev.destinationBytes) return;
  if (src && dst) draft.say('packet', 'explain.record.counts.both', { src, dst });
  else if (src) draft.say('packet', 'explain.record.counts.source', { src });
  else if (dst) draft.say('packet', 'explain.record.counts.destination', { dst });
}

/** Base severity: the port or ICMP entry, else obvious noise (1) or unknown (2). */
function setBase(
  ev: FwEvent,
  draft: Draft,
  lead: PortEntry | undefined,
  icmp: IcmpVerdict | undefined,
  noise: boolean,
): 'entry' | 'noise' | 'unknown' {
  if (icmp?.entry) {
    draft.setBase(
      icmp.entry.severity,
      'explain.base.icmp',
      { name: icmp.entry.name, n: icmp.entry.severity },
      icmp.entry.facts[0]?.source,
    );
    return 'entry';
  }
  if (lead) {
    draft.setBase(
      lead.severity,
      'explain.base.port',
      { port: ev.destinationPort ?? '?', name: lead.name, n: lead.severity },
      lead.facts[0]?.source,
    );
    return 'entry';
  }
  if (noise || ev.transport === 'igmp') {
    draft.setBase(1, 'explain.base.noise');
    return 'noise';
  }
  if (ev.destinationPort !== undefined)
    draft.setBase(2, 'explain.base.unknownPort', { port: ev.destinationPort });
  else draft.setBase(2, ev.connectionPhase ? 'explain.base.unknownRecord' : 'explain.base.unknown');
  return 'unknown';
}

/** Direction-aware meaning: outbound hits are about your machine; inbound return traffic answers your clients. */
function explainDirection(
  ev: FwEvent,
  draft: Draft,
  entries: PortEntry[],
  lead: PortEntry | undefined,
  quiet: boolean,
): void {
  if (leavesInside(ev)) {
    // The firewall's own packet (outbound), or one of an inside host passing out (forwarded or not placed).
    const own = ev.direction === 'outbound';
    const host = ev.sourceIp ?? '?';
    const withOutbound = entries.filter((e) => e.outbound);
    for (const e of withOutbound) draft.line('direction', e.outbound!, e.facts[0]?.source);
    const hostile = lead && HOSTILE_KINDS.has(lead.kind) ? lead : undefined;
    if (hostile && withOutbound.length > 0) {
      draft.adjust(
        1,
        own ? 'explain.reason.outboundHostile' : 'explain.reason.insideHostile',
        { host, name: hostile.name },
        hostile.facts[0]?.source,
      );
      draft.advise('explain.advice.findProgram');
    } else if (hostile) {
      if (own) draft.say('direction', 'explain.dir.outboundToHostile', { name: hostile.name });
      else draft.say('direction', 'explain.dir.insideToHostile', { host, name: hostile.name });
      draft.advise('explain.advice.findProgram');
    } else if (!quiet) {
      if (own) draft.adjust(-1, 'explain.reason.ownTraffic');
      else draft.adjust(-1, 'explain.reason.insideTraffic', { host });
    }
    return;
  }
  for (const e of entries)
    if (RETURN_KINDS.has(e.kind)) draft.say('direction', 'explain.dir.returnTraffic', { name: e.name });
}

/** What the explainers found that the headline and the port label tell. */
interface EventFindings {
  flags: FlagVerdict;
  icmp: IcmpVerdict | undefined;
  entries: PortEntry[];
  hasPorts: boolean;
}

/**
 * Every explainer of an event, into one draft: the severity rules live here once, whether the draft keeps the
 * explanation (`explainEvent`) or only the score (`scoreEvent`).
 */
function explainInto(ev: FwEvent, draft: Draft): EventFindings {
  const kb = draft.kb;
  explainPacket(ev, draft);
  const addresses = explainAddresses(ev, kb, draft);
  const flags: FlagVerdict = explainFlags(ev, kb, draft);
  const icmp = explainIcmp(ev, kb, draft);

  let entries: PortEntry[] = [];
  const hasPorts = ev.transport !== undefined && PORT_TRANSPORTS.has(ev.transport);
  if (hasPorts && ev.destinationPort !== undefined)
    entries = describePort(draft, 'destination-port', ev.destinationPort, ev.transport);
  const lead = leadEntry(entries);
  const baseKind = setBase(ev, draft, lead, icmp, addresses.localBroadcast);
  const sport = hasPorts ? explainSourcePort(ev, draft, entries) : { reply: false };

  if (addresses.localBroadcast && baseKind !== 'noise')
    draft.adjust(-1, 'explain.reason.broadcast', { ip: ev.destinationIp ?? '?' });

  const returnTraffic = entries.some((e) => RETURN_KINDS.has(e.kind));
  const quiet =
    sport.reply || flags.role === 'backscatter' || addresses.localBroadcast || baseKind === 'noise';
  explainDirection(ev, draft, entries, lead, quiet);

  const risky = (lead && lead.severity >= 3) || (icmp?.entry && icmp.entry.severity >= 3);
  if (ev.action === 'allow' && !leavesInside(ev) && risky && !sport.reply && !returnTraffic) {
    draft.adjust(1, ev.connectionPhase ? 'explain.reason.allowedRecord' : 'explain.reason.allowed');
    draft.advise('explain.advice.allowed');
  }
  explainTtl(ev, kb, draft);

  if (addresses.spoofHint) draft.advise('explain.advice.spoof');
  if (sport.reply) draft.advise('explain.advice.reply');
  if (flags.role === 'backscatter' || icmp?.notOurs) draft.advise('explain.advice.backscatter');
  if (flags.role === 'stealth') draft.advise('explain.advice.stealth');
  return { flags, icmp, entries, hasPorts };
}

/** Explain one event with the knowledge base. */
export function explainEvent(ev: FwEvent, kb: KnowledgeBase): Explanation {
  const draft = new Draft(kb);
  const { flags, icmp, entries, hasPorts } = explainInto(ev, draft);
  const portLabel =
    hasPorts && ev.destinationPort !== undefined
      ? portLabelOf(kb, ev.destinationPort, ev.transport, entries)
      : undefined;
  const label = headlineLabel(portLabel, flags, icmp);
  // The Chinese headline names what the line is: a packet, a connection, or a flow record's traffic.
  const headline =
    ev.connectionPhase === undefined
      ? 'explain.headline'
      : ev.connectionPhase === 'continue'
        ? 'explain.headline.flow'
        : 'explain.headline.connection';
  const x = draft.finish(
    tBoth(headline, {
      action: tBoth(`explain.actionWord.${ev.action}`),
      proto: protoName(ev.transport),
      src: ev.sourceIp ?? '?',
      dst: ev.destinationIp ?? '?',
      port:
        ev.destinationPort !== undefined && hasPorts
          ? tBoth('explain.headline.port', { port: ev.destinationPort })
          : '',
      label,
    }),
    portLabel,
  );
  if (x.advice.length === 0)
    x.advice.push(tBoth(x.severity.score <= 2 ? 'explain.advice.noise' : 'explain.advice.watch'));
  return x;
}

/**
 * The severity score of `explainEvent(ev, kb)`, by the same explainers into a score-only draft: no message is
 * rendered, no section or advice kept (the analyze pipeline's cost for a packet shape it has not seen).
 */
export function scoreEvent(ev: FwEvent, kb: KnowledgeBase): Score {
  return clampSeverity(scoreSum(ev, kb));
}

/** The unclamped sum of the steps `scoreEvent` clamps (what a context step starts from). */
export function scoreSum(ev: FwEvent, kb: KnowledgeBase): number {
  const draft = new Draft(kb, 'score');
  explainInto(ev, draft);
  return draft.sum();
}

function headlineLabel(
  portLabel: Localized | undefined,
  flags: FlagVerdict,
  icmp: IcmpVerdict | undefined,
): Localized {
  const parts: Localized[] = [];
  if (flags.technique && (flags.role === 'stealth' || flags.role === 'invalid')) parts.push(flags.technique);
  else if (flags.role === 'backscatter' || flags.role === 'invalid' || flags.role === 'stealth')
    parts.push(flags.name!);
  if (icmp) parts.push(icmp.name);
  if (portLabel) parts.push(portLabel);
  if (parts.length === 0) return tBoth('explain.headline.noLabel');
  return { en: parts.map((p) => p.en).join(' · '), zh: parts.map((p) => p.zh).join(' · ') };
}
