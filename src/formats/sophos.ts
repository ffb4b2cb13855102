// Sophos Firewall (XG / SFOS: `log_type="Firewall" log_component="Firewall Rule" src_ip=...`) and Sophos UTM
// packet filter (`id="2001" sys="SecureNet" sub="packetfilter" name="Packet dropped" srcip=...`) key=value logs.
import type { EventAction, TcpFlag } from '../event.js';
import { matchesInOrder } from '../util/text-scan.js';
import { type KeyedValues, keyedEvent, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, TRAFFIC_COUNT_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { parseIsoStamp } from './envelope/time.js';
import { setTrafficCounts } from './flow-record.js';
import { isoZone, parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import { markAlarm, NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'sophos';

/** SFOS log types that record a firewall decision on a packet or connection. */
const SFOS_TRAFFIC_TYPES = new Set(['firewall', 'idp', 'atp']);

/** SFOS `status` / `log_subtype` or UTM `action` words to fwlens actions. */
function sophosAction(...words: (string | undefined)[]): EventAction {
  for (const word of words) {
    const w = (word ?? '').toLowerCase();
    if (/^(allow|allowed|accept|accepted)$/.test(w)) return 'allow';
    if (/^(deny|denied|drop|dropped|block|blocked)$/.test(w)) return 'deny';
    if (/^(reject|rejected)$/.test(w)) return 'reject';
  }
  return 'log';
}

/** SFOS time: `timestamp="2026-11-25T16:46:39+0100"`, else `date` + `time` with `timezone` (`+11`, `CET`; an ambiguous name such as CST falls back to --tz). */
function sfosTime(f: Map<string, string>, ctx: ParseContext): number | undefined {
  const stamp = f.get('timestamp');
  if (stamp) {
    const t = parseIsoStamp(stamp, ctx);
    if (t) return t[0];
  }
  const date = f.get('date');
  const time = f.get('time');
  if (!date || !time) return undefined;
  return parseIsoStamp(`${date}T${time}${isoZone(f.get('timezone')) ?? ''}`, ctx)?.[0];
}

function parseSfos(f: Map<string, string>, env: Envelope, ctx: ParseContext): ParseResult {
  const type = (f.get('log_type') ?? '').toLowerCase();
  if (!SFOS_TRAFFIC_TYPES.has(type)) return { skip: sfosNonTrafficKind(type, f.get('log_component')) };
  const values: KeyedValues = {
    sourceIp: f.get('src_ip'),
    destinationIp: f.get('dst_ip'),
    sourcePort: f.get('src_port'),
    destinationPort: f.get('dst_port'),
    protocol: f.get('protocol'),
    action: sophosAction(f.get('status'), f.get('log_subtype')),
    timestamp: sfosTime(f, ctx) ?? env.timestamp,
    inInterface: f.get('in_interface'),
    outInterface: f.get('out_interface'),
    ruleName:
      pick(f, 'fw_rule_name') ??
      (/^\d+$/.test(f.get('fw_rule_id') ?? '') ? `rule ${f.get('fw_rule_id')}` : undefined),
    observerHost: pick(f, 'device_name', 'device') ?? env.host,
    observerProduct: 'sophos firewall',
    sourceMac: f.get('src_mac'),
    destinationMac: f.get('dst_mac'),
    icmpType: f.get('icmp_type'),
    icmpCode: f.get('icmp_code'),
  };
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return { skip: `${type} record without addresses` };
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  // The session's traffic (Sophos Firewall log fields: sent_pkts / sent_bytes from the source, recv_pkts /
  // recv_bytes back to it; older XG versions write packets_sent / bytes_sent / _received).
  setTrafficCounts(ev, {
    sourcePackets: pick(f, 'sent_pkts', 'packets_sent'),
    sourceBytes: pick(f, 'sent_bytes', 'bytes_sent'),
    destinationPackets: pick(f, 'recv_pkts', 'packets_received'),
    destinationBytes: pick(f, 'recv_bytes', 'bytes_received'),
  });
  // IPS and ATP records and the firewall's DoS and spoof protections are the appliance's own alarms.
  const component = f.get('log_component') ?? '';
  if (type === 'idp') markAlarm(ev, 'ids', 'IDP', pick(f, 'signature_msg', 'message'));
  else if (type === 'atp') markAlarm(ev, 'threat', 'ATP', pick(f, 'threatname', 'message'));
  else if (/^dos attack$/i.test(component)) markAlarm(ev, 'dos', component, pick(f, 'message') ?? component);
  else if (/spoof/i.test(component)) markAlarm(ev, 'screen', component, pick(f, 'message') ?? component);
  return ev;
}

/** SFOS log types without traffic decisions (Sophos Firewall syslog guide), kept under their own name. */
const SFOS_OTHER_TYPES = new Set([
  'content filtering',
  'anti-virus',
  'anti-spam',
  'waf',
  'wireless protection',
  'sandbox',
  'sandstorm',
  'heartbeat',
  'sd-wan',
  'system health',
  'zero day protection',
  'ztna',
]);

/**
 * The family of an SFOS record without traffic: Event records by component (authentication, VPN, HA,
 * administration as configuration, the rest system), other known log types by their name, else `not understood`.
 */
function sfosNonTrafficKind(type: string, component: string | undefined): string {
  if (type === 'event') {
    const c = (component ?? '').toLowerCase();
    if (c.includes('authentication')) return NON_TRAFFIC.authentication;
    if (c === 'ipsec' || c.includes('vpn')) return NON_TRAFFIC.vpn;
    if (c === 'ha' || c.includes('high availability')) return NON_TRAFFIC.highAvailability;
    if (c === 'gui' || c === 'cli' || c === 'admin' || c === 'api') return NON_TRAFFIC.configuration;
    return NON_TRAFFIC.system;
  }
  if (SFOS_OTHER_TYPES.has(type)) return `${type} record`;
  return notUnderstood(`log_type ${type || '(none)'}`).skip;
}

const UTM_FLAGS = new Set<TcpFlag>(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']);

function parseUtm(f: Map<string, string>, env: Envelope): ParseResult {
  if (f.get('sub') !== 'packetfilter') return { skip: `${f.get('sub') ?? f.get('sys') ?? 'utm'} record` };
  const values: KeyedValues = {
    sourceIp: f.get('srcip'),
    destinationIp: f.get('dstip'),
    sourcePort: f.get('srcport'),
    destinationPort: f.get('dstport'),
    protocol: f.get('proto'),
    action: sophosAction(f.get('action')),
    timestamp: env.timestamp,
    inInterface: f.get('initf'),
    outInterface: f.get('outitf'),
    ruleName: f.has('fwrule') ? `rule ${f.get('fwrule')}` : undefined,
    observerHost: env.host,
    observerProduct: 'sophos utm',
    sourceMac: f.get('srcmac'),
    destinationMac: f.get('dstmac'),
    icmpType: f.get('type'),
    icmpCode: f.get('code'),
  };
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  // The UTM packet filter logs the packet itself: its length, TTL, TOS and TCP flags.
  const num = (k: string) => (/^\d+$/.test(f.get(k) ?? '') ? Number(f.get(k)) : undefined);
  const length = num('length');
  const ttl = num('ttl');
  if (length !== undefined) ev.length = length;
  if (ttl !== undefined && ttl <= 255) ev.ttl = ttl;
  const tos = f.get('tos');
  if (tos && /^0x[0-9a-f]{1,2}$/i.test(tos)) ev.tos = Number.parseInt(tos, 16);
  const flags = (f.get('tcpflags') ?? '')
    .split(/\s+/)
    .filter((x): x is TcpFlag => UTM_FLAGS.has(x as TcpFlag));
  if (flags.length) ev.tcpFlags = flags;
  return ev;
}

const SFOS_PARTS = [/(?:^|\s)log_id="?\d+"?\s/, /\blog_type="[^"]+"/];
/** True for a Sophos Firewall (SFOS) record: `log_id`, then `log_type` (one `.*`-joined pattern is quadratic). */
const isSfosRecord = (message: string) => matchesInOrder(message, SFOS_PARTS);
const UTM_RE = /(?:^|\s)id="\d{4}" (?:severity="\w+" sys="|srcip=")/;

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  if (isSfosRecord(env.message)) return parseSfos(parseKeyValues(env.message), env, ctx);
  if (UTM_RE.test(env.message)) return parseUtm(parseKeyValues(env.message), env);
  return null;
}

/** Sophos Firewall (SFOS/XG) and Sophos UTM key=value logs. */
export const sophos: LogFormat = {
  id: FORMAT_ID,
  label: 'Sophos Firewall (SFOS/XG) and UTM',
  description:
    'Sophos Firewall (XG/SFOS) key=value logs with log_type="Firewall" (firewall rule, invalid traffic, DoS attack and spoof prevention), IDP and ATP (the DoS, spoof, IPS and ATP records marked as the appliance\'s alarms), and Sophos UTM packet-filter lines; Event records by component (authentication, VPN, HA, administration) and content filtering, SD-WAN and proxy records are counted as non-traffic.',
  example:
    'device_name="XGS136" timestamp="2026-11-25T16:46:39+0100" device_model="XGS136" device_serial_id="X1300000000001" log_id="010101600001" log_type="Firewall" log_component="Firewall Rule" log_subtype="Denied" log_version=1 severity="Information" status="Deny" fw_rule_id="5" fw_rule_name="Drop WAN" in_interface="Port2" src_ip="203.0.113.7" dst_ip="192.0.2.10" protocol="TCP" src_port=40112 dst_port=22',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    'sourceMac',
    'destinationMac',
    ...APPLIANCE_FIELDS,
    'prefix',
    'alarmName',
    'length',
    'ttl',
    'tos',
    'tcpFlags',
    ...TRAFFIC_COUNT_FIELDS,
  ],
  detect(message: string): number {
    if (isSfosRecord(message)) return 0.85;
    return UTM_RE.test(message) ? 0.8 : 0;
  },
  createParser: statelessParser(parse),
};
