// Cisco ASA / PIX / FWSM / Firepower Threat Defense syslog: `%ASA-4-106023: Deny tcp src ... dst ...`.
import type { Direction, FwEvent } from '../../event.js';
import { wordTable } from '../../util/word-table.js';
import { IOS_MNEMONIC_RE } from '../cisco-ios.js';
import {
  INTERFACE_RULE_FIELDS,
  OBSERVER_FIELDS,
  TRAFFIC_COUNT_FIELDS,
  TRAFFIC_FIELDS,
} from '../common-fields.js';
import { damaged } from '../damaged.js';
import { localTime, monthIndex, readIsoStamp } from '../envelope/time.js';
import { flowEvent, setTrafficCounts } from '../flow-record.js';
import { statelessParser } from '../parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from '../types.js';
import { LAYOUTS_BY_ID } from './catalog.js';
import { readFtdConnection, readFtdFile, readFtdIntrusion } from './ftd.js';
import { type Draft, layoutByText } from './messages.js';
import { nonTrafficKind } from './non-traffic.js';

const FORMAT_ID = 'cisco-asa';

/**
 * `%ASA-6-302013:` (also PIX, FWSM, FTD, NGIPS; the `%` and the colon are sometimes missing), with the logging
 * class some releases put before the level (`%ASA-session-3-106102`).
 */
const ID_RE = /(?:^|[\s:|>])%?(ASA|PIX|FWSM|FTD|NGIPS)(?:-[a-z]{2,12})?-([0-7])-(\d{6})(?::\s*|\s+|$)/;
/** The buffered / EMBLEM-less console form: `6|Nov 28 2014 12:59:03|302021: ...`, or just `302020: ...`. */
const SHORT_ID_RE = /^(?:([0-7])\|([A-Z][a-z]{2} +\d{1,2} \d{4} \d{2}:\d{2}:\d{2})\|)?(\d{6}): /;
/** The appliance's own clock, `Jun 07 2025 17:31:57` (`logging timestamp`), in the header. */
const ASA_STAMP_RE = /([A-Z][a-z]{2}) +(\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{3}))?/;

/** Interface names that mean "the untrusted side" when a message has no inbound/outbound word. */
const OUTSIDE_IFC_RE = /^(outside|out|internet|inet|wan|untrust|untrusted|external|ext|isp)(?:[-_.\d]|$)/i;

/**
 * Non-traffic messages relays forward without their `%ASA-n-NNNNNN:` id that still read as the ASA's own: the
 * AnyConnect/WebVPN session sentences (`Group <g> User <u> IP <a> ...`, `Group = g, Username = u, IP = a, ...`),
 * certificate-map failures, NAT translation build/teardown and the CPU-hog notice (`Task ran for N msec, Process = ...`).
 */
const ID_LESS_NON_TRAFFIC: [RegExp, string][] = [
  [
    /^\s{0,4}(?:TunnelGroup|GroupPolicy|Group) <[^<>]{0,128}> (?:(?:GroupPolicy|Group) <[^<>]{0,128}> ){0,2}User <[^<>]{0,128}> IP </,
    'VPN session',
  ],
  [/^\s{0,4}Group = [^,]{0,128}, (?:Username = [^,]{0,128}, )?IP = /, 'VPN session'],
  [/^\s{0,4}Tunnel group search using certificate maps failed /, 'authentication'],
  [
    /^\s{0,4}(?:Built|Teardown) (?:dynamic|static) (?:TCP|UDP|ICMP|SCTP) translation from /,
    'NAT translation',
  ],
  [/^\s{0,4}Task ran for \d{1,9} msec, Process = /, 'system event'],
];

function idLessNonTraffic(message: string): { skip: string } | null {
  for (const [re, skip] of ID_LESS_NON_TRAFFIC) if (re.test(message)) return { skip };
  return null;
}

/** FTD events written as `Key: value` lists: connection start/end, intrusion, file and malware events. */
const FTD_READERS: Record<string, (body: string) => Draft | null> = wordTable({
  '430001': readFtdIntrusion,
  '430002': (body) => readFtdConnection(body, 'start'),
  '430003': (body) => readFtdConnection(body, 'end'),
  '430004': readFtdFile,
  '430005': readFtdFile,
});

function asaStamp(header: string, ctx: ParseContext): number | undefined {
  const m = ASA_STAMP_RE.exec(header);
  if (!m) return undefined;
  const month = monthIndex(m[1]!);
  if (month < 0) return undefined;
  return localTime(
    ctx,
    Number(m[3]),
    month,
    Number(m[2]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    Number(m[7] ?? 0),
  );
}

/** Host name left in the header after the stamp (`Aug 14 2019 15:09:41 siem-ftd  %FTD-...`). */
function headerHost(header: string): string | undefined {
  let rest = header
    .replace(/^<\d{1,3}>/, '')
    .replace(ASA_STAMP_RE, '')
    .trimEnd();
  // A trailing `:` and blanks (`host : %ASA-...`), then a leading one (`/:?\s*$/` backtracks on long blank runs).
  if (rest.endsWith(':')) rest = rest.slice(0, -1).trimEnd();
  rest = rest.replace(/^:?\s*/, '');
  return /^[\w.-]+$/.test(rest) ? rest : undefined;
}

function directionFromInterfaces(from: string | undefined, to: string | undefined): Direction {
  const fromOutside = from !== undefined && OUTSIDE_IFC_RE.test(from);
  const toOutside = to !== undefined && OUTSIDE_IFC_RE.test(to);
  if (fromOutside && !toOutside && to !== undefined) return 'inbound';
  if (toOutside && !fromOutside && from !== undefined) return 'outbound';
  return 'unknown';
}

/** Validate a draft and turn it into an event. */
function toEvent(d: Draft, product: string): FwEvent | ParseError {
  const [src, dst] = d.swap ? [d.dst, d.src] : [d.src, d.dst];
  const inIfc = d.onInterface ?? src.ifc;
  const outIfc = d.onInterface ? undefined : dst.ifc;
  const direction = d.direction ?? directionFromInterfaces(src.ifc ?? d.onInterface, dst.ifc);
  const ev = flowEvent(FORMAT_ID, d.action, direction, {
    sourceIp: src.ip,
    destinationIp: dst.ip,
    sourcePort: src.port,
    destinationPort: dst.port,
    protocol: d.protocol,
  });
  if ('error' in ev) return ev;
  ev.observerProduct = product;
  if (inIfc) ev.inInterface = inIfc;
  if (outIfc) ev.outInterface = outIfc;
  if (d.ruleName) ev.ruleName = d.ruleName;
  if (d.icmpType !== undefined) ev.icmpType = d.icmpType;
  if (d.icmpCode !== undefined) ev.icmpCode = d.icmpCode;
  if (d.tcpFlags && d.tcpFlags.length > 0) ev.tcpFlags = d.tcpFlags;
  if (d.inner) ev.inner = d.inner;
  if (d.phase) ev.connectionPhase = d.phase;
  if (d.sessionId !== undefined) ev.sessionId = d.sessionId;
  // A Teardown's `bytes N` is the connection's byte count, both ways together, not split by side: ECS
  // network.bytes (FwEvent.networkBytes). FTD's connection events count each side.
  setTrafficCounts(ev, { networkBytes: d.bytes });
  if (d.counts)
    setTrafficCounts(
      ev,
      d.swap
        ? {
            sourcePackets: d.counts.destinationPackets,
            sourceBytes: d.counts.destinationBytes,
            destinationPackets: d.counts.sourcePackets,
            destinationBytes: d.counts.sourceBytes,
          }
        : d.counts,
    );
  // ICMP's "ports" in ASA messages are its ids, types or sequence numbers (flowEvent drops those of PIM, GRE ...).
  if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    delete ev.sourcePort;
    delete ev.destinationPort;
  }
  return ev;
}

/** Where the message id sits in a payload: product, id, header text before it and the body after. */
interface Located {
  product: string;
  /** The product tag and level as written (`ASA`, `6`), for the "not understood" count. */
  tag: string;
  level: string;
  id: string;
  header: string;
  body: string;
}

function locate(message: string): Located | null {
  const m = ID_RE.exec(message);
  if (m) {
    const start = m.index + (m[0].length - m[0].trimStart().length);
    return {
      product: m[1] === 'NGIPS' ? 'cisco-ftd' : `cisco-${m[1]!.toLowerCase()}`,
      tag: m[1]!,
      level: m[2]!,
      id: m[3]!,
      header: message.slice(0, start),
      body: message.slice(m.index + m[0].length),
    };
  }
  const s = SHORT_ID_RE.exec(message);
  // IOS numbers its messages too (`012345: Dec 23 ...: %SYS-5-CONFIG_I: ...`): a mnemonic makes it not ours.
  if (s && !(message.includes('%') && IOS_MNEMONIC_RE.test(message)))
    return {
      product: 'cisco-asa',
      tag: 'ASA',
      level: s[1] ?? '-',
      id: s[3]!,
      header: s[2] ?? '',
      body: message.slice(s[0].length),
    };
  return null;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const loc = locate(env.message);
  let draft: Draft | null;
  let product = 'cisco-asa';
  let header = '';
  if (loc === null) {
    // A relay that strips the `%ASA-n-NNNNNN:` id still leaves a recognisable traffic sentence.
    const byText = layoutByText(env.message.trimStart());
    if (!byText) return idLessNonTraffic(env.message);
    draft = byText.layout.read(byText.match, byText.id);
  } else {
    product = loc.product;
    header = loc.header;
    const { id, body } = loc;
    const ftd = FTD_READERS[id];
    if (ftd) {
      draft = ftd(body);
      if (!draft) return damaged('parse.asa.ftdNoAddress', { id });
    } else {
      const layout = LAYOUTS_BY_ID.get(id);
      if (!layout) return { skip: nonTrafficKind(loc.tag, loc.level, id) };
      // Some relays and old PIX releases double spaces ("from  192.0.2.1/53", "on  interface").
      const m = layout.re.exec(body.includes('  ') ? body.replace(/ {2,}/g, ' ') : body);
      if (!m) return damaged('parse.asa.layout', { id });
      draft = layout.read(m, id);
    }
  }
  const ev = toEvent(draft, product);
  if ('error' in ev) return ev;
  const t = asaStamp(header, ctx) ?? env.timestamp;
  if (t !== undefined) ev.timestamp = t;
  else if (draft.bodyTime !== undefined) {
    // No header stamp (an FTD sending without `logging timestamp`): the body's own time, when it is one.
    const body = readIsoStamp(draft.bodyTime, ctx);
    if (body?.time !== undefined) ev.timestamp = body.time;
    else if (body !== null) return damaged('parse.impossibleStamp', { value: draft.bodyTime });
  }
  // The host written next to the ASA's own stamp is the device's; the envelope's may be a relay's.
  const host = headerHost(header) || env.host;
  if (host) ev.observerHost = host;
  return ev;
}

/** Cisco ASA, PIX, FWSM and FTD syslog messages (traffic decisions and connection build/teardown). */
export const ciscoAsa: LogFormat = {
  id: FORMAT_ID,
  label: 'Cisco ASA / PIX / FTD',
  description:
    'Syslog messages of Cisco ASA, PIX, FWSM and Firepower Threat Defense (%ASA-n-NNNNNN): ACL, NAT, routing, fragment, ICMP, TCP-state and IPS drops, connection build/teardown (TCP, UDP, ICMP, SCTP, GRE, cluster stubs, state-bypass), FTD connection, intrusion and file events; other message ids are counted by family (configuration, authentication, VPN session ...) or as not understood with their id.',
  example:
    '%ASA-4-106023: Deny tcp src outside:203.0.113.9/44321 dst inside:192.0.2.10/23 by access-group "OUTSIDE_IN" [0x0, 0x0]',
  fields: [
    ...TRAFFIC_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'icmpType',
    'icmpCode',
    'tcpFlags',
    'inner',
    'connectionPhase',
    'sessionId',
    ...TRAFFIC_COUNT_FIELDS,
    'networkBytes',
    ...OBSERVER_FIELDS,
  ],
  detect(message: string): number {
    if (
      message.includes('ASA-') ||
      message.includes('PIX-') ||
      message.includes('FTD-') ||
      message.includes('FWSM-') ||
      message.includes('NGIPS-')
    )
      return ID_RE.test(message) ? 0.95 : 0;
    if (SHORT_ID_RE.test(message)) return message.includes('%') && IOS_MNEMONIC_RE.test(message) ? 0 : 0.6;
    const c = message.charCodeAt(0);
    // Id-less bodies start with one of a few words: Deny, Denied, Duplicate, Dropping, Inbound, ICMP, Built, Teardown, access-list, No, Invalid.
    if (c === 68 || c === 73 || c === 66 || c === 84 || c === 97 || c === 78)
      if (layoutByText(message)) return 0.5;
    return idLessNonTraffic(message) ? 0.5 : 0;
  },
  createParser: statelessParser(parse),
};
