// Fortinet FortiGate (FortiOS) logs: `key=value` syslog (space- or comma-separated) and FortiGate CEF,
// read into FortiOS field names; traffic and UTM records with addresses become events, the rest is skipped.
import type { ConnectionPhase, Direction, EventAction } from '../event.js';
import { matchesInOrder } from '../util/text-scan.js';
import { wordTable } from '../util/word-table.js';
import { findCefStart, parseCefExtension, parseCefHeader } from './cef.js';
import { type KeyedValues, keyedEvent, parseVendorTime, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, TRAFFIC_COUNT_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseIsoStamp } from './envelope/time.js';
import { setTrafficCounts } from './flow-record.js';
import { epochDigitsToMs, isoZone, parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import { type AlarmKind, markAlarm, NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

const FORMAT_ID = 'fortigate';

/** Log types that describe a session or a packet (the UTM types as FortiOS 5.x named them are included). */
const TRAFFIC_TYPES = new Set(['traffic']);
const UTM_TYPES = new Set([
  'utm',
  'anomaly',
  'ips',
  'virus',
  'webfilter',
  'app-ctrl',
  'dns',
  'dlp',
  'emailfilter',
  'voip',
  'waf',
  'ssh',
  'ssl',
  'cifs',
  'file-filter',
]);

/** FortiOS action words: traffic logs name how a session ended, UTM logs what the profile did. */
function fortiAction(word: string | undefined, type: string): EventAction {
  const w = (word ?? '').toLowerCase();
  if (/^(deny|denied|block|blocked|drop|dropped|clear_session|reset|blocked-url|reject)$/.test(w))
    return 'deny';
  if (TRAFFIC_TYPES.has(type))
    // accept, start, close, timeout, client-rst, server-rst, ip-conn, dns ...: the session was let through.
    return w === '' ? 'log' : 'allow';
  if (/^(pass|passthrough|permit|accept|allow|allowed|exempt)$/.test(w)) return 'allow';
  return 'log';
}

/**
 * The part of a session a traffic record tells. FortiOS writes traffic logs per session (Log Message Reference,
 * field `action`: "status of the session. Deny = blocked by firewall policy. Start = session start log (special
 * option to enable logging at start of a session) ... All Others = allowed by Firewall Policy and the status
 * indicates how it was closed"): `start` opens a session, a denied one is all there is of it, any other closes
 * one. A record without an action says nothing of it.
 */
function fortiPhase(word: string | undefined, action: EventAction): ConnectionPhase | undefined {
  if (action === 'log') return undefined;
  if (action === 'deny') return 'whole';
  return (word ?? '').toLowerCase() === 'start' ? 'start' : 'end';
}

/** FortiOS `direction` (UTM logs) or the interface roles (`srcintfrole=wan dstintfrole=lan`). */
function fortiDirection(f: Map<string, string>): Direction | undefined {
  // The record's own word first, as the Elastic and Sekoia parsers read it (a UTM log's `direction` may be
  // the session side that spoke rather than the network direction: the interface roles decide only without it).
  const dir = f.get('direction')?.toLowerCase();
  if (dir === 'incoming' || dir === 'inbound') return 'inbound';
  if (dir === 'outgoing' || dir === 'outbound') return 'outbound';
  const from = f.get('srcintfrole');
  const to = f.get('dstintfrole');
  const inside = (r: string | undefined) => r === 'lan' || r === 'dmz';
  if (from === 'wan' && inside(to)) return 'inbound';
  if (inside(from) && to === 'wan') return 'outbound';
  // DoS-policy anomalies name only the ingress interface; local-in traffic goes to the unit itself.
  if (from === 'wan' && (to === undefined || to === 'undefined')) return 'inbound';
  return f.get('subtype') === 'forward' ? 'forward' : undefined;
}

/** Record time: `eventtime` (s to ns), else `date`+`time` with `tz`, else the FortiAnalyzer `timestamp`. */
function fortiTime(f: Map<string, string>, ctx: ParseContext): number | undefined {
  const event = epochDigitsToMs(f.get('eventtime'));
  if (event !== undefined) return event;
  const date = f.get('date');
  const time = f.get('time');
  if (date && time && /^\d{4}-\d{2}-\d{2}$/.test(date)) {
    const t = parseIsoStamp(`${date}T${time}${isoZone(f.get('tz')) ?? ''}`, ctx);
    if (t) return t[0];
  }
  return epochDigitsToMs(f.get('timestamp'));
}

/** CEF keys FortiGate writes and the FortiOS field each one carries. */
const CEF_TO_NATIVE: [string, string][] = [
  ['src', 'srcip'],
  ['dst', 'dstip'],
  ['spt', 'srcport'],
  ['dpt', 'dstport'],
  ['act', 'action'],
  ['deviceInboundInterface', 'srcintf'],
  ['deviceOutboundInterface', 'dstintf'],
  ['dvchost', 'devname'],
  ['smac', 'srcmac'],
  ['dmac', 'dstmac'],
  // FortiOS's CEF writes the session's bytes as `out` (sentbyte) and `in` (rcvdbyte).
  ['out', 'sentbyte'],
  ['in', 'rcvdbyte'],
];

/** FortiGate CEF: vendor keys lose their `FTNTFGT` / `FortinetFortiGate` / `ad.` prefix, CEF keys get FortiOS names. */
function cefFields(message: string, at: number): Map<string, string> | ParseError {
  const header = parseCefHeader(message.slice(at));
  if (!header) return damaged('parse.cef.header');
  const ext = parseCefExtension(header.extension);
  const f = new Map<string, string>();
  for (const [k, v] of ext) {
    const native = k.replace(/^(?:FTNTFGT|FortinetFortiGate|ad\.)/, '');
    if (native !== k && !f.has(native)) f.set(native, v);
  }
  for (const [cefKey, native] of CEF_TO_NATIVE) {
    const v = ext.get(cefKey);
    if (v !== undefined && !f.has(native)) f.set(native, v);
  }
  if (ext.has('proto')) f.set('proto', ext.get('proto')!);
  // Newer FortiOS CEF writes some FortiOS keys bare (`subtype=system logdesc=...`).
  for (const key of ['subtype', 'logdesc', 'logid', 'attack'])
    if (ext.has(key) && !f.has(key)) f.set(key, ext.get(key)!);
  // `cat=traffic:forward` (or `cat=traffic` with `ad.subtype`) carries the log type.
  const [type, subtype] = (ext.get('cat') ?? header.name.split(' ')[0] ?? '').split(':');
  if (type) f.set('type', type);
  if (subtype && !f.has('subtype')) f.set('subtype', subtype);
  // The last word of the event name is the action when `act` is absent (`traffic:forward close`).
  if (!f.has('action')) {
    const last = header.name.trim().split(/\s+/);
    if (last.length > 1) f.set('action', last[last.length - 1]!);
  }
  const dir = ext.get('deviceDirection');
  if (dir === '0' && !f.has('direction')) f.set('direction', 'incoming');
  if (dir === '1' && !f.has('direction')) f.set('direction', 'outgoing');
  const start = ext.get('start') ?? ext.get('rt');
  if (start !== undefined) f.set('cefTime', start);
  return f;
}

/** Where a FortiGate CEF header starts (`CEF:0|Fortinet|Fortigate|`, or the same without `CEF:`), or -1. */
function fortinetCefStart(message: string): number {
  const at = findCefStart(message);
  if (at >= 0) return /^CEF: ?\d\|Fortinet\|/i.test(message.slice(at)) ? at : -1;
  return /^\d\|Fortinet\|Forti/i.test(message) ? 0 : -1;
}

/** The FortiOS fields of one record: CEF or key=value; null when the record is not FortiGate's. */
function readFields(message: string): Map<string, string> | ParseError | null {
  const cefAt = fortinetCefStart(message);
  if (cefAt >= 0) return cefFields(message, cefAt);
  if (!looksFortiKeyValue(message)) return null;
  return parseKeyValues(message.trim());
}

/** `subtype=...` and later `vd="` (one `.*`-joined pattern would rescan the tail from every `subtype=`). */
const SUBTYPE_THEN_VD = [/(?:^|[\s,])subtype="?[a-z-]+"?[\s,]/, /\bvd="/];

/** FortiOS key=value: a `type`, a `logid`/`log_id` (or `subtype` and `vd`), plus a FortiOS device or time key. */
function looksFortiKeyValue(message: string): boolean {
  return (
    /(?:^|[\s,])type="?[a-z-]+"?[\s,]/.test(message) &&
    (/(?:^|[\s,])log_?id=/.test(message) || matchesInOrder(message, SUBTYPE_THEN_VD)) &&
    /(?:^|[\s,])(?:devid|devname|vd|eventtime|subtype|date)=/.test(message)
  );
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const f = readFields(env.message);
  if (f === null || f instanceof Map === false) return f as ParseResult;
  const type = (f.get('type') ?? '').toLowerCase();
  const isTraffic = TRAFFIC_TYPES.has(type);
  if (type === 'event') return { skip: eventKind(f) };
  // FortiAnalyzer's own records about its log devices.
  if (type === 'appevent') return { skip: NON_TRAFFIC.system };
  if (!isTraffic && !UTM_TYPES.has(type)) return notUnderstood(`type ${type || '(none)'}`);
  const values: KeyedValues = {
    sourceIp: pick(f, 'srcip', 'src'),
    destinationIp: pick(f, 'dstip', 'dst'),
    sourcePort: pick(f, 'srcport', 'src_port'),
    destinationPort: pick(f, 'dstport', 'dst_port'),
    protocol: pick(f, 'proto'),
    action: fortiAction(f.get('action'), isTraffic ? 'traffic' : 'utm'),
    direction: fortiDirection(f),
    timestamp: fortiTime(f, ctx) ?? parseVendorTime(f.get('cefTime'), ctx) ?? env.timestamp,
    inInterface: pick(f, 'srcintf'),
    outInterface: pick(f, 'dstintf'),
    ruleName: pick(f, 'policyname') ?? (f.get('policyid') ? `policy ${f.get('policyid')}` : undefined),
    observerHost: pick(f, 'devname') ?? env.host,
    observerProduct: 'fortinet fortigate',
    sourceMac: pick(f, 'srcmac'),
    destinationMac: pick(f, 'dstmac'),
  };
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return { skip: `${type} record without addresses` };
  // FortiOS writes ICMP type and code in hex (`icmptype=0x08`); the ports of an ICMP session are its id.
  const icmpType = f.get('icmptype');
  const icmpCode = f.get('icmpcode');
  if (icmpType && /^0x[0-9a-f]{1,2}$/i.test(icmpType))
    values.icmpType = String(Number.parseInt(icmpType, 16));
  if (icmpCode && /^0x[0-9a-f]{1,2}$/i.test(icmpCode))
    values.icmpCode = String(Number.parseInt(icmpCode, 16));
  const ev = keyedEvent(FORMAT_ID, values);
  const phase = isTraffic ? fortiPhase(f.get('action'), values.action) : undefined;
  if (phase !== undefined && !('error' in ev)) ev.connectionPhase = phase;
  // A traffic record's session so far (FortiOS log reference: sentbyte / sentpkt "sent" by the session's source,
  // rcvdbyte / rcvdpkt received by it, sent back by the destination).
  if (isTraffic && !('error' in ev))
    setTrafficCounts(ev, {
      sourcePackets: f.get('sentpkt'),
      sourceBytes: f.get('sentbyte'),
      destinationPackets: f.get('rcvdpkt'),
      destinationBytes: f.get('rcvdbyte'),
    });
  const alarm = isTraffic ? undefined : utmAlarm(type, f);
  if (alarm && !('error' in ev))
    markAlarm(ev, alarm.kind, alarm.vendorClass, alarm.name, senderIsDestination(alarm, f, values));
  return ev;
}

/**
 * Whether the alarm's subject is the record's destination. An antivirus record names the session (`srcip` the
 * client that downloaded) while the infected file of an `incoming` record came from the server: the server,
 * the destination, is whom the alarm is about. A record already written server first (its source port the
 * lower: a service port) names the sender as its source.
 */
function senderIsDestination(
  alarm: { vendorClass: string },
  f: Map<string, string>,
  v: KeyedValues,
): 'source' | 'destination' {
  if (alarm.vendorClass !== 'virus' || f.get('direction')?.toLowerCase() !== 'incoming') return 'source';
  if (v.sourcePort === undefined || v.destinationPort === undefined) return 'destination';
  return Number(v.destinationPort) < Number(v.sourcePort) ? 'destination' : 'source';
}

/**
 * The alarm a UTM record stands for: DoS-policy anomalies (`subtype=anomaly`, FortiOS 5.x `type=anomaly`), IPS
 * signatures and botnet hits, antivirus detections; web filter, application control and DNS records are not alarms.
 */
function utmAlarm(
  type: string,
  f: Map<string, string>,
): { kind: AlarmKind; vendorClass: string; name?: string } | undefined {
  const subtype = (f.get('subtype') ?? '').toLowerCase();
  const is = (name: string) => subtype === name || type === name;
  const name = pick(f, 'attack', 'virus', 'botnetdomain', 'signature');
  if (is('anomaly')) return { kind: 'dos', vendorClass: 'anomaly', name };
  if (is('ips')) return { kind: 'ids', vendorClass: 'ips', name };
  if (is('virus')) return { kind: 'threat', vendorClass: 'virus', name };
  return undefined;
}

/** Event log subtypes (FortiOS Log Message Reference) that carry no traffic, by family. */
const EVENT_SUBTYPES: Record<string, string> = wordTable({
  vpn: NON_TRAFFIC.vpn,
  user: NON_TRAFFIC.authentication,
  ha: NON_TRAFFIC.highAvailability,
  router: NON_TRAFFIC.system,
  wireless: NON_TRAFFIC.system,
  endpoint: NON_TRAFFIC.system,
  sdwan: NON_TRAFFIC.system,
  'security-rating': NON_TRAFFIC.system,
  connector: NON_TRAFFIC.system,
  'switch-controller': NON_TRAFFIC.system,
  fortiextender: NON_TRAFFIC.system,
  wad: NON_TRAFFIC.system,
  'cifs-auth-fail': NON_TRAFFIC.authentication,
  // FortiAuthenticator, forwarded through the same collectors, writes its user authentication as an event.
  authentication: NON_TRAFFIC.authentication,
  'rest-api': NON_TRAFFIC.configuration,
  webproxy: NON_TRAFFIC.system,
  'compliance-check': NON_TRAFFIC.system,
});

/**
 * The family of an event record (`type=event`): system events by their description (admin logins,
 * configuration changes, the rest system), other subtypes by EVENT_SUBTYPES, else `not understood`.
 */
function eventKind(f: Map<string, string>): string {
  const subtype = (f.get('subtype') ?? '').toLowerCase();
  if (subtype === 'system') {
    const desc = `${f.get('logdesc') ?? ''} ${f.get('action') ?? ''}`.toLowerCase();
    if (/\blog ?in\b|\blogout\b|\blogin\b|password|authentication/.test(desc))
      return NON_TRAFFIC.authentication;
    if (/configured|config|\bedit\b|\badd\b|\bdelete\b|attribute/.test(desc))
      return NON_TRAFFIC.configuration;
    return NON_TRAFFIC.system;
  }
  return (
    EVENT_SUBTYPES[subtype] ??
    notUnderstood(`event/${subtype || '(none)'} ${f.get('logid') ?? ''}`.trim()).skip
  );
}

/** Fortinet FortiGate traffic and UTM logs (key=value syslog and CEF). */
export const fortigate: LogFormat = {
  id: FORMAT_ID,
  label: 'Fortinet FortiGate',
  description:
    "FortiOS logs sent by syslog as key=value pairs (space- or comma-separated) or as CEF: traffic sessions (forward, local-in, multicast, sniffer), UTM records with addresses, DoS-policy anomalies, IPS and antivirus detections marked as the firewall's alarms; event records are counted as non-traffic by subtype (system, admin login, configuration, VPN, user, HA ...).",
  example:
    'date=2026-11-25 time=16:46:39 devname="FGT60E" devid="FGT60E0000000001" logid="0000000013" type="traffic" subtype="forward" level="notice" vd="root" eventtime=1795621599 srcip=198.51.100.5 srcport=40112 srcintf="port1" srcintfrole="wan" dstip=192.0.2.10 dstport=22 dstintf="port2" dstintfrole="lan" proto=6 action="deny" policyid=0 policytype="policy" service="SSH"',
  fields: [
    ...TRAFFIC_FIELDS,
    'sourceMac',
    ...APPLIANCE_FIELDS,
    'prefix',
    'alarmName',
    'icmpType',
    'icmpCode',
    'connectionPhase',
    ...TRAFFIC_COUNT_FIELDS,
  ],
  detect(message: string): number {
    if (fortinetCefStart(message) >= 0) return 0.9;
    return looksFortiKeyValue(message) ? 0.85 : 0;
  },
  createParser: statelessParser(parse),
};
