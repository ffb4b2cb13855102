// WatchGuard Firebox (Fireware) logs: LEEF export (`LEEF:1.0|WatchGuard|XTM|...`, also seen without its `LEEF:`
// and with rsyslog's `#011` for tabs) and native syslog traffic lines (`msg_id="3000-0148" Allow ...`, both layouts).
import type { EventAction, FwEvent } from '../event.js';
import { splitFields } from '../util/text-scan.js';
import { wordTable } from '../util/word-table.js';
import { type KeyedValues, keyedEvent, parseVendorTime, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, PACKET_DETAIL_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { setTrafficCounts } from './flow-record.js';
import { parseKeyValues } from './key-value.js';
import { findLeefStart, parseLeef } from './leef.js';
import { statelessParser } from './parser-helpers.js';
import { type AlarmKind, markAlarm, NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import { tcpFlagsFromLetters } from './tcp-flag-letters.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';
import { matchClassicLayout, matchMonitorLayout } from './watchguard-layouts.js';

const FORMAT_ID = 'watchguard';
const PRODUCT = 'watchguard firebox';

/** A LEEF record of WatchGuard, with or without the `LEEF:` marker a collector may have stripped. */
const LEEF_RE = /(?:^|LEEF: ?)[12]\.0\|WatchGuard\|/;
/** A native Fireware syslog message id (`3000-0148`, `1AFF-0024`, `3E00-0002`). */
const MSG_ID_RE = /(?:^|\s)msg_id="([0-9A-F]{4}-[0-9A-F]{4})"/;

/**
 * Fireware modules (the first half of a message id) whose records carry no traffic, by kind, after the Fireware
 * Log Message Catalog: Firebox authentication, the SSL VPN session daemon, management logins, the DHCP server.
 */
const NON_TRAFFIC_MODULES: Record<string, string> = wordTable({
  '1100': NON_TRAFFIC.authentication,
  '3E00': NON_TRAFFIC.vpn,
  '5000': NON_TRAFFIC.authentication,
  '1600': NON_TRAFFIC.system,
});

/** The kind of a record without addresses: by its module, else `not understood: <id>`. */
function nonTrafficKind(id: string): ParseResult {
  const kind = NON_TRAFFIC_MODULES[id.replace('-', '').slice(0, 4).toUpperCase()];
  return kind ? { skip: kind } : notUnderstood(id);
}

/** An alarm the Firebox raised about a record's traffic. */
interface Alarm {
  kind: AlarmKind;
  vendorClass: string;
  name?: string;
}

/**
 * The alarm a traffic record stands for: an IPS signature, a Gateway AntiVirus or APT Blocker detection, a Botnet
 * Detection or Blocked Sites hit, or a default threat protection drop (port and IP scans, spoofing, floods and
 * DDoS, ping of death, source route, land and teardrop attacks); a geolocation block is policy, not an alarm.
 */
function watchguardAlarm(msg: string, f: Map<string, string>): Alarm | undefined {
  const named = (vendorClass: string, kind: AlarmKind, name?: string): Alarm => ({
    kind,
    vendorClass,
    name: name ?? (msg || vendorClass),
  });
  if (f.has('signature_name') || f.has('signature_id') || /^IPS\b|\bIPS (?:detected|match|alert)/i.test(msg))
    return named('IPS', 'ids', pick(f, 'signature_name'));
  if (f.has('virus')) return named('Gateway AntiVirus', 'threat', pick(f, 'virus'));
  if (f.has('threat_level') || /\bAPT\b/.test(msg)) return named('APT Blocker', 'threat');
  if (/botnet/i.test(msg)) return named('Botnet Detection', 'threat');
  if (/geolocation/i.test(msg)) return undefined;
  if (/blocked sites?\b/i.test(msg)) return named('blocked sites', 'screen');
  if (/\b(?:port|ip|address) ?scan/i.test(msg)) return named('default threat protection', 'screen');
  if (/flood|ddos|\bdos attack/i.test(msg)) return named('default threat protection', 'dos');
  if (/spoof|ping of death|source route|land attack|teardrop|winnuke/i.test(msg))
    return named('default threat protection', 'screen');
  return undefined;
}

/** Alarms about a file the proxy scanned (the alarm is about whoever sent the file). */
const FILE_ALARMS = new Set(['Gateway AntiVirus', 'APT Blocker']);

/**
 * The event with its alarm marked, when the record is one. A proxy record names the connection client first;
 * an infected file it fetched (a download: its destination port the lower, no POST or PUT) came from the
 * server, so the alarm is about the destination.
 */
function withAlarm(ev: FwEvent, msg: string, f: Map<string, string>): FwEvent {
  const alarm = watchguardAlarm(msg, f);
  if (!alarm) return ev;
  const download =
    FILE_ALARMS.has(alarm.vendorClass) &&
    ev.sourcePort !== undefined &&
    ev.destinationPort !== undefined &&
    ev.destinationPort < ev.sourcePort &&
    !/^(?:POST|PUT)$/i.test(f.get('op') ?? '');
  return markAlarm(ev, alarm.kind, alarm.vendorClass, alarm.name, download ? 'destination' : 'source');
}

/** Fireware disposition words. */
function disposition(word: string | undefined): EventAction | undefined {
  const w = (word ?? '').toLowerCase();
  if (w === 'allow' || w === 'allowed') return 'allow';
  if (w === 'deny' || w === 'denied') return 'deny';
  return undefined;
}

const num = (text: string | undefined) =>
  text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;

/** TTL, length and TCP details, each only when the record wrote it. */
function addPacketDetails(
  ev: FwEvent,
  d: { ttl?: string; length?: string; flags?: string; seq?: string; window?: string },
): FwEvent {
  const ttl = num(d.ttl);
  const length = num(d.length);
  if (ttl !== undefined && ttl <= 255) ev.ttl = ttl;
  if (length !== undefined) ev.length = length;
  if (ev.transport === 'tcp') {
    const flags = d.flags === undefined ? undefined : tcpFlagsFromLetters(d.flags);
    if (flags?.length) ev.tcpFlags = flags;
    const seq = num(d.seq);
    const window = num(d.window);
    if (seq !== undefined) ev.tcpSeq = seq;
    if (window !== undefined) ev.tcpWindow = window;
  }
  return ev;
}

function parseLeefRecord(env: Envelope, ctx: ParseContext): ParseResult {
  const at = findLeefStart(env.message);
  // rsyslog writes the LEEF 1.0 tab separator as `#011`; collectors sometimes drop the `LEEF:` marker.
  let text = (
    at >= 0 ? env.message.slice(at) : `LEEF:${env.message.slice(env.message.search(/[12]\.0\|/))}`
  ).replace(/#011/g, '\t');
  if (!text.startsWith('LEEF:')) text = `LEEF:${text}`;
  const record = parseLeef(text);
  if (!record) return damaged('parse.watchguard.leef');
  const a = record.attributes;
  if (!a.has('src') && !a.has('dst')) return nonTrafficKind(record.eventId.trim());
  const action = disposition(a.get('disp'));
  const values: KeyedValues = {
    sourceIp: a.get('src'),
    destinationIp: a.get('dst'),
    sourcePort: a.get('srcPort'),
    destinationPort: a.get('dstPort'),
    protocol: a.get('proto'),
    action: action ?? 'log',
    timestamp: parseVendorTime(a.get('devTime'), ctx) ?? env.timestamp,
    inInterface: a.get('in_if'),
    outInterface: a.get('out_if'),
    ruleName: a.get('policy'),
    observerHost: pick(a, 'host_name', 'sys_name') ?? env.host,
    observerProduct: PRODUCT,
  };
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  // A closed connection's or proxied request's bytes: `sent_bytes` from the source, `rcvd_bytes` back to it.
  setTrafficCounts(ev, { sourceBytes: a.get('sent_bytes'), destinationBytes: a.get('rcvd_bytes') });
  withAlarm(ev, a.get('msg') ?? '', a);
  return addPacketDetails(ev, {
    ttl: a.get('ip_TTL'),
    length: a.get('ip_len'),
    flags: a.get('tcp_flag'),
    seq: a.get('tcp_seq'),
    window: a.get('tcp_window'),
  });
}

/** Where a 12.10-layout verdict starts: `Allow|Deny <address>` (an address token holds a `.` or `:`). */
const VERDICT_FIRST_RE = /(?:^|\s)(?:Member\d+\s+)?(?:Allow|Deny)\s+[0-9A-Fa-f]*[.:][0-9A-Fa-f.:]*\s/;
const TCP_INFO_RE = /\boffset (\d+) ([A-Z]+) (\d+) win (\d+)/;

/** Two interface names when the text splits into exactly two words, else none (a name may hold spaces). */
function interfaces(text: string): [string | undefined, string | undefined] {
  const words = splitFields(text.trim(), /\s+/);
  return words.length === 2 ? [words[0], words[1]] : [undefined, undefined];
}

function policyOf(body: string): string | undefined {
  return /\(([^()]+)\)\s*(?:$|\w+=)/.exec(body)?.[1];
}

function parseSyslog(env: Envelope, msgId: string, msgIdEnd: number): ParseResult {
  const message = env.message;
  // Classic lines put the verdict right after msg_id; 12.10 lines start with it and end with msg_id.
  const after = message.slice(msgIdEnd).trim();
  let body: string | undefined;
  if (/^(?:Allow|Deny)\s/.test(after)) body = after;
  else {
    const verdict = VERDICT_FIRST_RE.exec(message);
    if (verdict) body = message.slice(verdict.index).trim();
  }
  if (body === undefined) return nonTrafficKind(msgId);
  const bodyFromVerdict = body;
  const kv = parseKeyValues(bodyFromVerdict);
  let values: KeyedValues;
  let details: Parameters<typeof addPacketDetails>[1];
  const monitor = matchMonitorLayout(bodyFromVerdict);
  const classic = monitor ? null : matchClassicLayout(bodyFromVerdict);
  if (monitor) {
    const [inIf, outIf] = interfaces(monitor[7]!);
    const icmp = /icmp/.test(monitor[4]!);
    values = {
      sourceIp: monitor[2],
      destinationIp: monitor[3],
      sourcePort: icmp ? undefined : monitor[5],
      destinationPort: icmp ? undefined : monitor[6],
      protocol: monitor[4],
      action: disposition(monitor[1]) ?? 'log',
      inInterface: inIf,
      outInterface: outIf,
      ruleName: monitor[10],
      icmpType: icmp ? kv.get('type') : undefined,
      icmpCode: icmp ? kv.get('code') : undefined,
    };
    const tcp = TCP_INFO_RE.exec(kv.get('tcp_info') ?? '');
    details = { length: monitor[8], ttl: monitor[9], flags: tcp?.[2], seq: tcp?.[3], window: tcp?.[4] };
  } else if (classic) {
    const [inIf, outIf] = interfaces(classic[2]!);
    const icmp = /icmp/.test(classic[4]!);
    values = {
      sourceIp: classic[7],
      destinationIp: classic[8],
      // ICMP lines write the message type and code where other protocols write ports.
      sourcePort: icmp ? undefined : classic[9],
      destinationPort: icmp ? undefined : classic[10],
      protocol: classic[4],
      action: disposition(classic[1]) ?? 'log',
      inInterface: inIf,
      outInterface: outIf,
      ruleName: policyOf(bodyFromVerdict),
      icmpType: icmp ? classic[9] : undefined,
      icmpCode: icmp ? classic[10] : undefined,
    };
    const tcp = TCP_INFO_RE.exec(bodyFromVerdict);
    // The IP header length (classic[5]) is not the packet length; classic[3] is.
    details = { length: classic[3], ttl: classic[6], flags: tcp?.[2], seq: tcp?.[3], window: tcp?.[4] };
  } else return damaged('parse.watchguard.layout');
  values.timestamp = env.timestamp;
  values.observerHost = env.host;
  values.observerProduct = PRODUCT;
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  withAlarm(ev, kv.get('msg') ?? '', kv);
  return addPacketDetails(ev, details);
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  if (LEEF_RE.test(env.message)) return parseLeefRecord(env, ctx);
  const m = MSG_ID_RE.exec(env.message);
  if (!m) return null;
  return parseSyslog(env, m[1]!, m.index + m[0].length);
}

/** WatchGuard Firebox (Fireware OS) syslog and LEEF. */
export const watchguard: LogFormat = {
  id: FORMAT_ID,
  label: 'WatchGuard Firebox (Fireware)',
  description:
    "WatchGuard Firebox traffic logs: native syslog packet/connection lines (msg_id=\"3000-0148\" Allow/Deny, classic and Fireware 12.10 layouts) and the LEEF export (disp, src/dst, policy, in_if/out_if); IPS, Gateway AntiVirus, APT Blocker, Botnet Detection and Blocked Sites records and default threat protection drops (scans, spoofing, floods, ping of death ...) are marked as the firewall's alarms; authentication, SSL VPN, management login and DHCP records are counted as non-traffic by kind, other records without addresses as 'not understood: <msg_id>'.",
  example:
    'FVE1000000001 firewall: msg_id="3000-0148" Deny 0-External 1-Trusted 60 tcp 20 49 203.0.113.7 192.0.2.10 40112 22 offset 10 S 2630166840 win 4210 geo_src="NLD" (Unhandled External Packet-00)',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    ...APPLIANCE_FIELDS,
    ...PACKET_DETAIL_FIELDS,
    'icmpType',
    'icmpCode',
    'prefix',
    'alarmName',
    'sourceBytes',
    'destinationBytes',
  ],
  detect(message: string): number {
    if (LEEF_RE.test(message)) return 0.9;
    return MSG_ID_RE.test(message) ? 0.85 : 0;
  },
  createParser: statelessParser(parse),
};
