// Palo Alto Networks PAN-OS logs: the syslog CSV (TRAFFIC and THREAT by their documented column positions),
// the Cortex / Strata Logging Service CEF and JSON exports. SYSTEM, CONFIG, USERID, GLOBALPROTECT ... are non-traffic.
import type { ConnectionPhase, EventAction, FwEvent } from '../event.js';
import { parseProtocol } from '../net/wire.js';
import { splitDelimited } from '../util/text-scan.js';
import { wordTable } from '../util/word-table.js';
import { type CefHeader, findCefStart, parseCefExtension, parseCefHeader, parseCefRecord } from './cef.js';
import { customNumber, type KeyedValues, keyedEvent } from './cef-event.js';
import { APPLIANCE_FIELDS, TRAFFIC_COUNT_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { localTime, parseIsoStamp } from './envelope/time.js';
import { flowEvent, parseJsonObject, startsJson, timeValue, trafficCount } from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import { type AlarmKind, markAlarm, NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'panos';

/** Column positions (0-based) shared by the TRAFFIC and THREAT CSV layouts of PAN-OS 8.0 and later. */
export const PANOS_COLUMNS = {
  receiveTime: 1,
  serial: 2,
  type: 3,
  subtype: 4,
  timeGenerated: 6,
  source: 7,
  destination: 8,
  natSource: 9,
  natDestination: 10,
  rule: 11,
  application: 14,
  fromZone: 16,
  toZone: 17,
  inboundInterface: 18,
  outboundInterface: 19,
  sessionId: 22,
  sourcePort: 24,
  destinationPort: 25,
  protocol: 29,
  action: 30,
  /** THREAT only: the threat name with its id, `TCP Port Scan(8001)`. */
  threatName: 32,
  /** THREAT only: which side sent the threat, `client-to-server` or `server-to-client`. */
  threatDirection: 35,
  /** TRAFFIC only: bytes both ways, then client to server and server to client, then packets both ways. */
  bytes: 31,
  bytesSent: 32,
  bytesReceived: 33,
  packets: 34,
  /** TRAFFIC only: packets client to server and server to client. */
  packetsSent: 44,
  packetsReceived: 45,
} as const;

/** Record types that describe a session: the rest (SYSTEM, CONFIG, USERID, HIPMATCH ...) carry no traffic. */
const TRAFFIC_TYPES = new Set(['TRAFFIC', 'THREAT']);

/** Log types without traffic decisions (PAN-OS syslog field descriptions), by family. */
const NON_TRAFFIC_TYPES: Record<string, string> = wordTable({
  CONFIG: NON_TRAFFIC.configuration,
  USERID: NON_TRAFFIC.authentication,
  AUTH: NON_TRAFFIC.authentication,
  HIPMATCH: NON_TRAFFIC.authentication,
  GLOBALPROTECT: NON_TRAFFIC.vpn,
  IPTAG: NON_TRAFFIC.system,
  CORRELATION: NON_TRAFFIC.system,
  DECRYPTION: 'decryption record',
  SCTP: 'sctp record',
  TUNNEL: 'tunnel inspection record',
  GTP: 'tunnel inspection record',
  DNS: 'dns record',
});

/** SYSTEM log subtypes (PAN-OS system log events) by family; the rest are system events. */
const SYSTEM_SUBTYPES: Record<string, string> = wordTable({
  ha: NON_TRAFFIC.highAvailability,
  vpn: NON_TRAFFIC.vpn,
  globalprotect: NON_TRAFFIC.vpn,
  auth: NON_TRAFFIC.authentication,
  userid: NON_TRAFFIC.authentication,
});

/** The non-traffic family of a log type and subtype, or `not understood: type X` for a type fwlens does not know. */
function nonTrafficKind(type: string, subtype: string | undefined): string {
  const t = type.toUpperCase();
  if (t === 'SYSTEM') return SYSTEM_SUBTYPES[(subtype ?? '').toLowerCase()] ?? NON_TRAFFIC.system;
  return NON_TRAFFIC_TYPES[t] ?? notUnderstood(`type ${type || '(none)'}`).skip;
}

/**
 * THREAT subtypes that are the firewall's own alarm: zone-protection scans and floods, vulnerability and
 * spyware signatures, antivirus and WildFire verdicts; url, file and data records are events without an alarm.
 */
const THREAT_ALARMS: Record<string, AlarmKind> = wordTable({
  scan: 'screen',
  flood: 'dos',
  vulnerability: 'ids',
  spyware: 'ids',
  virus: 'threat',
  'wildfire-virus': 'threat',
  wildfire: 'threat',
});

/**
 * Mark a THREAT event as an alarm by its subtype, named by the threat (`TCP Port Scan(8001)`); a threat the
 * session's server sent (`server-to-client`: an exploit or a virus in a response) is about the destination.
 */
function markThreat(
  ev: FwEvent,
  subtype: string | undefined,
  name: string | undefined,
  direction: string | undefined,
): FwEvent {
  const kind = THREAT_ALARMS[(subtype ?? '').toLowerCase()];
  if (!kind) return ev;
  const subject = direction === 'server-to-client' ? 'destination' : 'source';
  return markAlarm(ev, kind, `THREAT/${subtype!.toLowerCase()}`, name || undefined, subject);
}

/**
 * TRAFFIC subtypes (PAN-OS syslog field descriptions, Traffic Log Fields): every one is a record of a session.
 * `start` is written when the session opens (only with "log at session start"), `end` when it closes; `drop`
 * ("session dropped before the application is identified") and `deny` ("session dropped after the application
 * is identified") are the one record of a session the firewall refused: the whole connection.
 */
const TRAFFIC_PHASES: Record<string, ConnectionPhase> = wordTable({
  start: 'start',
  end: 'end',
  drop: 'whole',
  deny: 'whole',
});

/**
 * Mark a TRAFFIC record as the part of its session it tells (TRAFFIC_PHASES). The session ID (CSV column 23,
 * CEF `cn1Label=SessionID`, JSON `SessionID`) is the same on a session's start and end; 0 is no session.
 */
function markSessionRecord(ev: FwEvent, subtype: string | undefined, session: string | undefined): void {
  const phase = subtype === undefined ? undefined : TRAFFIC_PHASES[subtype.toLowerCase()];
  if (phase !== undefined) ev.connectionPhase = phase;
  if (session !== undefined && /^[1-9]\d{0,19}$/.test(session)) ev.sessionId = session;
}

/**
 * A TRAFFIC record's counts (PAN-OS Traffic Log Fields: "Bytes Sent: number of bytes in the client-to-server
 * direction of the session", "Bytes Received" server to client, "Packets Sent" / "Packets Received" the same for
 * packets): the client is the session's source. Each pair is kept only when it sums to the record's own total
 * (`[total, sent, received]`; a form without the total, PAN-OS's own CEF profile, is taken as it is), so a CSV
 * layout whose columns moved (an older or newer PAN-OS, a relay that dropped a column) gives no count rather
 * than a wrong one: the total's column comes first, a record cut short has none of the pair.
 */
function setSessionCounts(ev: FwEvent, bytes: unknown[], packets: unknown[]): void {
  const pair = (raw: unknown[]): [number, number] | undefined => {
    const [total, sent, received] = raw.map(trafficCount);
    if (sent === undefined || received === undefined) return undefined;
    return raw[0] === undefined || sent + received === total ? [sent, received] : undefined;
  };
  const b = pair(bytes);
  if (b) [ev.sourceBytes, ev.destinationBytes] = b;
  const p = pair(packets);
  if (p) [ev.sourcePackets, ev.destinationPackets] = p;
}

/**
 * Where the CSV starts: `1,<receive time>,<serial>,<TYPE>,` (receive time `2026/11/25 16:46:39` or
 * `11/25/26 16:46`), after a syslog header or a relay's `: `.
 */
const CSV_START_RE =
  /(?:^|[\s:>])((?:1|0|FUTURE_USE),(?:\d{4}\/\d{1,2}\/\d{1,2}|\d{1,2}\/\d{1,2}\/\d{2,4}) \d{1,2}:\d{2}(?::\d{2})?,[^,]*,[A-Z][A-Z-]+,)/;

/** A high-resolution time generated column. */
const HIGH_RES_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/;

/** PAN-OS session and threat actions (`reset-both`, `drop-icmp`, `block-url`, `sinkhole` ...) to fwlens actions. */
export function panosAction(word: string | undefined): EventAction {
  // The longest action name has 20 letters: a longer column is no action (and not worth lowercasing).
  if (word === undefined || word.length > 32) return 'log';
  const w = word.toLowerCase();
  if (/^(allow|continue|override|override-lockout)$/.test(w)) return 'allow';
  // A reset ends the session mid-flow; the traffic that triggered it was not let through.
  if (
    /^(deny|drop|drop-icmp|drop-all|drop-all-packets|reset-client|reset-server|reset-both|block|block-url|block-ip|block-continue|block-override|random-drop|sinkhole)$/.test(
      w,
    )
  )
    return 'deny';
  return 'log';
}

/** `2026/11/25 16:46:39` or `11/25/26 16:46[:39]` in the firewall's local time (the run's --tz). */
function panosTime(text: string | undefined, ctx: ParseContext): number | undefined {
  if (!text) return undefined;
  let m = /^(\d{4})\/(\d{1,2})\/(\d{1,2}) (\d{1,2}):(\d{2}):(\d{2})$/.exec(text);
  let y: number;
  let mo: number;
  let d: number;
  if (m) [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{1,2})\/(\d{1,2})\/(\d{2}|\d{4}) (\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
    if (!m) return undefined;
    [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3].length === 2 ? `20${m[3]}` : m[3])];
  }
  const [h, min, s] = [Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || min > 59 || s > 60) return undefined;
  return localTime(ctx, y, mo - 1, d, h, min, s);
}

function parseCsv(message: string, at: number, env: Envelope, ctx: ParseContext): ParseResult {
  const cols = splitDelimited(message.slice(at), ',');
  const c = PANOS_COLUMNS;
  const type = cols[c.type];
  // A quote opened in an early column and never closed swallows the rest of the record.
  if (type === undefined) return damaged('parse.panos.noType', { count: cols.length, column: c.type + 1 });
  if (!TRAFFIC_TYPES.has(type)) return { skip: nonTrafficKind(type, cols[c.subtype]) };
  if (cols.length <= c.action)
    return damaged('parse.panos.noAction', { type, count: cols.length, column: c.action + 1 });
  const subtype = cols[c.subtype]!;
  // TRAFFIC subtypes `deny` and `drop` are decisions of their own; otherwise the action column decides.
  const action = type === 'TRAFFIC' && /^(deny|drop)$/.test(subtype) ? 'deny' : panosAction(cols[c.action]);
  const generated = cols[c.timeGenerated];
  // PAN-OS 10+ adds a high-resolution time generated with its zone (`2026-11-25T16:46:39.123+01:00`): prefer it.
  const highRes = cols.find((v, i) => i > c.action && HIGH_RES_RE.test(v));
  const time = (highRes ? parseIsoStamp(highRes, ctx)?.[0] : undefined) ?? panosTime(generated, ctx);
  if (generated && time === undefined)
    return damaged('parse.notDateTime', { field: 'time generated', value: `"${generated}"` });
  // The protocol column holds IANA names (tcp, udp, icmp, ipv6-icmp, sctp, gre ...), never free text.
  if (parseProtocol(cols[c.protocol])?.ianaNumber === undefined)
    return damaged('parse.notProtocolName', { value: `"${cols[c.protocol]}"` });
  const values: KeyedValues = {
    sourceIp: cols[c.source],
    destinationIp: cols[c.destination],
    sourcePort: cols[c.sourcePort],
    destinationPort: cols[c.destinationPort],
    protocol: cols[c.protocol],
    action,
    timestamp: time ?? panosTime(cols[c.receiveTime], ctx) ?? env.timestamp,
    inInterface: cols[c.inboundInterface],
    outInterface: cols[c.outboundInterface],
    ruleName: cols[c.rule],
    observerHost: env.host,
    observerProduct: 'palo alto networks pan-os',
  };
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  if (type === 'TRAFFIC') {
    markSessionRecord(ev, subtype, cols[c.sessionId]);
    setSessionCounts(
      ev,
      [cols[c.bytes], cols[c.bytesSent], cols[c.bytesReceived]],
      [cols[c.packets], cols[c.packetsSent], cols[c.packetsReceived]],
    );
  }
  if (type !== 'THREAT') return ev;
  return markThreat(ev, subtype, cols[c.threatName], cols[c.threatDirection]);
}

/** Cortex / Strata Logging Service CEF: the signature id is the log type, `act` the action. */
function parseCef(message: string, env: Envelope, ctx: ParseContext): ParseResult {
  const at = findCefStart(message);
  const header = parseCefHeader(message.slice(at));
  // Two header orders: Strata Logging Service writes `|TRAFFIC|drop|` (type, subtype), PAN-OS's own CEF
  // profile `|drop|TRAFFIC|` (subtype, type).
  const isType = (word: string) =>
    TRAFFIC_TYPES.has(word) || word === 'SYSTEM' || NON_TRAFFIC_TYPES[word] !== undefined;
  const typeAndSub = (h: CefHeader): [string, string] =>
    !isType(h.signatureId.toUpperCase()) && isType(h.name.toUpperCase())
      ? [h.name.toUpperCase(), h.signatureId]
      : [h.signatureId.toUpperCase(), h.name];
  if (header) {
    const [type, subtype] = typeAndSub(header);
    if (!TRAFFIC_TYPES.has(type)) return { skip: nonTrafficKind(type, subtype) };
  }
  const decide = (fields: Map<string, string>, h: CefHeader): EventAction => {
    const [type, subtype] = typeAndSub(h);
    return type === 'TRAFFIC' && /^(deny|drop)$/i.test(subtype) ? 'deny' : panosAction(fields.get('act'));
  };
  const result = parseCefRecord(FORMAT_ID, message, env, ctx, decide);
  if (result && 'format' in result) {
    result.observerProduct = 'palo alto networks pan-os';
    const [type, subtype] = typeAndSub(header!);
    const ext = parseCefExtension(header!.extension);
    if (type === 'TRAFFIC') {
      markSessionRecord(result, subtype, customNumber(ext, /^SessionID$/i));
      // The Logging Service's CEF: `out` bytes sent, `in` bytes received (summing to PanOSBytes).
      setSessionCounts(
        result,
        [ext.get('PanOSBytes'), ext.get('out'), ext.get('in')],
        [customNumber(ext, /^PacketsTotal$/i), ext.get('PanOSPacketsSent'), ext.get('PanOSPacketsReceived')],
      );
    }
    if (type === 'THREAT') {
      markThreat(
        result,
        subtype,
        ext.get('PanOSThreatID') ?? ext.get('ThreatID') ?? ext.get('cat'),
        // The PAN-OS CEF profile writes the threat direction as flexString2 labelled Direction.
        ext.get('flexString2Label') === 'Direction' ? ext.get('flexString2') : ext.get('PanOSDirection'),
      );
    }
  }
  return result;
}

/** Cortex / Strata Logging Service JSON (`"LogType": "TRAFFIC", "SourceAddress": ...`). */
function parseJson(message: string, env: Envelope, ctx: ParseContext): ParseResult {
  const parsed = parseJsonObject(message);
  if (parsed === undefined) return null;
  if ('error' in parsed) return parsed;
  const r = parsed.record;
  const type = String(r.LogType ?? '').toUpperCase();
  if (!TRAFFIC_TYPES.has(type)) return { skip: nonTrafficKind(type, String(r.Subtype ?? '')) };
  const action =
    type === 'TRAFFIC' && /^(deny|drop)$/i.test(String(r.Subtype ?? ''))
      ? 'deny'
      : panosAction(String(r.Action ?? ''));
  const ev = flowEvent(FORMAT_ID, action, 'unknown', {
    sourceIp: r.SourceAddress,
    destinationIp: r.DestinationAddress,
    sourcePort: r.SourcePort,
    destinationPort: r.DestinationPort,
    protocol: r.Protocol,
  });
  if ('error' in ev) return ev;
  const t = timeValue(r.TimeGenerated, ctx) ?? timeValue(r.TimeReceived, ctx) ?? env.timestamp;
  if (t !== undefined) ev.timestamp = t;
  for (const [key, prop] of [
    ['InboundInterface', 'inInterface'],
    ['OutboundInterface', 'outInterface'],
    ['Rule', 'ruleName'],
    ['DeviceName', 'observerHost'],
  ] as const)
    if (typeof r[key] === 'string' && r[key] !== '') ev[prop] = r[key] as string;
  ev.observerHost ??= env.host;
  ev.observerProduct = 'palo alto networks pan-os';
  if (type === 'TRAFFIC') {
    markSessionRecord(
      ev,
      typeof r.Subtype === 'string' ? r.Subtype : undefined,
      typeof r.SessionID === 'number' || typeof r.SessionID === 'string' ? String(r.SessionID) : undefined,
    );
    setSessionCounts(
      ev,
      [r.Bytes, r.BytesSent, r.BytesReceived],
      [r.PacketsTotal ?? r.Packets, r.PacketsSent, r.PacketsReceived],
    );
  }
  if (type === 'THREAT')
    markThreat(
      ev,
      String(r.Subtype ?? ''),
      String(r.ThreatName ?? r.ThreatID ?? ''),
      typeof r.Direction === 'string' ? r.Direction : undefined,
    );
  return ev;
}

function isPaloAltoCef(message: string): boolean {
  const at = findCefStart(message);
  return at >= 0 && /^CEF: ?\d\|Palo Alto Networks\|/i.test(message.slice(at));
}

function isPanosJson(message: string): boolean {
  return (
    startsJson(message) &&
    /"LogType"\s*:/.test(message) &&
    /"(?:DeviceSN|TimeGenerated|ConfigVersion)"\s*:/.test(message)
  );
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const message = env.message;
  if (isPaloAltoCef(message)) return parseCef(message, env, ctx);
  if (isPanosJson(message)) return parseJson(message, env, ctx);
  const m = CSV_START_RE.exec(message);
  if (!m) return null;
  return parseCsv(message, m.index + m[0].length - m[1]!.length, env, ctx);
}

/** Palo Alto Networks PAN-OS firewalls (syslog CSV, Logging Service CEF and JSON). */
export const panos: LogFormat = {
  id: FORMAT_ID,
  label: 'Palo Alto Networks PAN-OS',
  description:
    "PAN-OS firewall logs: the syslog CSV TRAFFIC and THREAT records by column position (PAN-OS 6.1 to 11, with or without the high-resolution time), PAN-OS's own CEF profile and the Cortex / Strata Logging Service CEF and JSON forms; THREAT scan, flood, vulnerability, spyware, virus and WildFire records are marked as the firewall's alarms; SYSTEM (by subtype: HA, VPN, auth), CONFIG, USERID, AUTH, GLOBALPROTECT, HIPMATCH and other records are counted as non-traffic.",
  example:
    '1,2026/11/25 16:46:39,013201001234,TRAFFIC,drop,2561,2026/11/25 16:46:39,203.0.113.7,192.0.2.10,0.0.0.0,0.0.0.0,interzone-default,,,not-applicable,vsys1,untrust,trust,ethernet1/1,,default,2026/11/25 16:46:39,0,1,40112,22,0,0,0x0,tcp,deny,60,60,0,1,2026/11/25 16:46:39,0,any,0,7290001,0x0,Reserved,192.0.2.0-192.0.2.255,0,1,0,policy-deny,0,0,0,0,,PA-440,from-policy,,,0,,0,,N/A,0,0,0,0',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    ...APPLIANCE_FIELDS,
    'prefix',
    'alarmName',
    'connectionPhase',
    'sessionId',
    ...TRAFFIC_COUNT_FIELDS,
  ],
  detect(message: string): number {
    if (isPaloAltoCef(message)) return 0.9;
    if (isPanosJson(message)) return 0.8;
    return CSV_START_RE.test(message) ? 0.9 : 0;
  },
  createParser: statelessParser(parse),
};
