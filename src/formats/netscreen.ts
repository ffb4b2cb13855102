// Juniper NetScreen / ScreenOS syslog: traffic logs (`system-notification-00257(traffic): ... src=... action=Deny`)
// and screen alarms (`system-alert-00016: Port scan! From 192.0.2.1:54886 to ...`).

import type { Direction, EventAction } from '../event.js';
import { isSpaceChar } from '../util/text-scan.js';
import { type KeyedValues, keyedEvent } from './cef-event.js';
import { OBSERVER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { localTime } from './envelope/time.js';
import { setTrafficCounts } from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import { markAlarm, NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'netscreen';

/** `[Root]system-notification-00257(traffic):` — virtual system, severity, message id, optional class. */
// Brackets and parentheses do not nest in these names, so a failed try stops at the next `[` or `(`.
const MESSAGE_RE = /\[([^[\]]*)\]system-([a-z]+)-(\d{5})(?:\(([^()]*)\))?:\s*/;
/** The event-log console form puts its own stamp first: `[00001] 2006-05-25 13:34:33 [Root]system-...`. */
const CONSOLE_STAMP_RE = /^\[\d+\] (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) /;
/** A message that opens with its code, with no device id or console stamp before it. */
const BARE_CODE_RE =
  /^\[[^[\]]{1,64}\]system-(?:emergency|alert|critical|error|warning|notification|information|debugging)-\d{5}[(:]/;
/** Screen alarms that name the packet: `Port scan! From A[:p] to B[:p], proto TCP (zone Untrust, int untrust).` */
const ALARM_RE =
  /^(.*?)! From ([^\s,]+?)(?::(\d+))? to ([^\s,]+?)(?::(\d+))?, proto (\S+) \(zone ([^,()]+), int ([^()]+)\)/;
/** Zone names that mean "outside the protected network". */
const OUTSIDE_ZONE_RE = /^(untrust|untrusted|outside|internet|external|wan)$/i;

/** Device local time from the text fields of a stamp. */
function deviceTime(
  y: string,
  mo: string,
  d: string,
  h: string,
  mi: string,
  s: string,
  ctx: ParseContext,
): number {
  return localTime(ctx, Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

/** `2015-11-11 10:02:10` (device local time), or undefined. */
function stamp(text: string | undefined, ctx: ParseContext): number | undefined {
  const m = text && /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  return m ? deviceTime(m[1]!, m[2]!, m[3]!, m[4]!, m[5]!, m[6]!, ctx) : undefined;
}

/** The value of `key=value` at the start of the body or after a space: what `/(?:^| )key=(\S+)/` finds. */
function field(body: string, key: string): string | undefined {
  const mark = `${key}=`;
  for (let at = body.indexOf(mark); at >= 0; at = body.indexOf(mark, at + 1)) {
    if (at > 0 && body[at - 1] !== ' ') continue;
    let end = at + mark.length;
    while (end < body.length && !isSpaceChar(body[end]!)) end++;
    if (end > at + mark.length) return body.slice(at + mark.length, end);
  }
  return undefined;
}

function actionOf(word: string | undefined): EventAction {
  switch ((word ?? '').toLowerCase()) {
    case 'permit':
    case 'tunnel':
      return 'allow';
    case 'reject':
      return 'reject';
    case 'deny':
      return 'deny';
    default:
      return 'log';
  }
}

function zoneDirection(from: string | undefined, to: string | undefined): Direction {
  const fromOutside = from !== undefined && OUTSIDE_ZONE_RE.test(from);
  const toOutside = to !== undefined && OUTSIDE_ZONE_RE.test(to);
  if (fromOutside && !toOutside) return 'inbound';
  if (toOutside && !fromOutside && from !== undefined) return 'outbound';
  return 'unknown';
}

/** A `(traffic)` record: key=value pairs, two of them (`src zone=`, `dst zone=`) with a space in the key. */
function trafficValues(body: string, ctx: ParseContext): KeyedValues {
  const srcZone = /(?:^| )src zone=(\S+)/.exec(body)?.[1];
  const dstZone = /(?:^| )dst zone=(\S+)/.exec(body)?.[1];
  // start_time is quoted, and some relays escape the quotes (`start_time=\"2005-03-16 16:33:22\"`).
  const start = stamp(/start_time=\\?"([^"\\]*)\\?"/.exec(body)?.[1], ctx);
  const duration = Number(field(body, 'duration') ?? 0);
  const policy = field(body, 'policy_id');
  return {
    sourceIp: field(body, 'src'),
    destinationIp: field(body, 'dst'),
    sourcePort: field(body, 'src_port'),
    destinationPort: field(body, 'dst_port'),
    protocol: field(body, 'proto'),
    action: actionOf(field(body, 'action')),
    direction: zoneDirection(srcZone, dstZone),
    // A traffic record is written when the session ends: its start plus its duration.
    timestamp: start === undefined ? undefined : start + (Number.isFinite(duration) ? duration * 1000 : 0),
    ruleName: policy === undefined ? undefined : `policy ${policy}`,
    icmpType: /(?:^| )icmp type=(\d+)/.exec(body)?.[1],
  };
}

/**
 * ScreenOS message ids of records that carry no traffic, by family, as seen in the ScreenOS message layouts
 * and the samples fwlens is tested on; other ids are told by the words of their text.
 */
const SYSTEM_IDS: ReadonlyMap<string, string> = new Map([
  ['00002', NON_TRAFFIC.authentication], // Admin user "x" logged in for Web(http) management
  ['00518', NON_TRAFFIC.authentication], // Admin user "x" login attempt ... failed
  ['00040', NON_TRAFFIC.vpn], // VPN 'x' from a.b.c.d is up
  ['00041', NON_TRAFFIC.vpn], // VPN 'x' from a.b.c.d is down
  ['00042', NON_TRAFFIC.vpn], // Replay packet detected on IPSec tunnel
  ['00031', NON_TRAFFIC.system], // arp req detected an IP conflict
  ['00001', NON_TRAFFIC.system], // (second traffic alarm): Policy ID=14 Rate=... exceeds threshold
]);

/** The family of a non-traffic record: its id in SYSTEM_IDS, else words of its text, else `not understood`. */
function nonTrafficKind(level: string, id: string, body: string): string {
  const known = SYSTEM_IDS.get(id);
  if (known) return known;
  if (/\b(?:log(?:ged)? ?(?:in|out|on|off)|login|password|authentication)\b/i.test(body))
    return NON_TRAFFIC.authentication;
  if (/\b(?:NSRP|VSD group|failover)\b/.test(body)) return NON_TRAFFIC.highAvailability;
  if (/\b(?:VPN|IKE|Phase [12]|IPSec|SA)\b/.test(body)) return NON_TRAFFIC.vpn;
  if (/\b(?:configuration|config|changed|modified|saved)\b/i.test(body)) return NON_TRAFFIC.configuration;
  return notUnderstood(`system-${level}-${id}`).skip;
}

function alarmValues(body: string, ctx: ParseContext): (KeyedValues & { alarmName: string }) | null {
  const m = ALARM_RE.exec(body);
  if (!m) return null;
  const own = /\((\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})\)\s*$/.exec(body)?.[1];
  return {
    sourceIp: m[2],
    sourcePort: m[3],
    destinationIp: m[4],
    destinationPort: m[5],
    protocol: m[6],
    // Screen options drop the packets they match (unless set to alarm without drop).
    action: 'deny',
    direction: zoneDirection(m[7], undefined),
    inInterface: m[8],
    timestamp: stamp(own, ctx),
    alarmName: `${m[1]}!`,
  };
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const message = env.message;
  const hasDevice = message.includes('NetScreen device_id=');
  const console = CONSOLE_STAMP_RE.exec(message);
  // Syslog without the device id (`ns5gt: [Root]system-alert-00016: Port scan! ...`): the message code opens it.
  const bare = !hasDevice && !console && BARE_CODE_RE.test(message);
  if (!hasDevice && !console && !bare) return null;
  const m = MESSAGE_RE.exec(message);
  if (!m) return hasDevice ? damaged('parse.netscreen.noCode') : null;
  const body = message.slice(m.index + m[0].length);
  let values: KeyedValues | null;
  const alarm = m[4] !== 'traffic' ? alarmValues(body, ctx) : null;
  if (m[4] === 'traffic' && m[3] === '00257') values = trafficValues(body, ctx);
  else if (alarm) values = alarm;
  else return { skip: nonTrafficKind(m[2]!, m[3]!, body) };
  if (console)
    values.timestamp ??= deviceTime(
      console[1]!,
      console[2]!,
      console[3]!,
      console[4]!,
      console[5]!,
      console[6]!,
      ctx,
    );
  values.timestamp ??= env.timestamp;
  values.observerHost = /NetScreen device_id=(\S+)/.exec(message)?.[1] ?? env.host;
  values.observerProduct = 'netscreen';
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return damaged('parse.netscreen.noAddress');
  const ev = keyedEvent(FORMAT_ID, values);
  // A traffic log's session bytes: `sent` from the source, `rcvd` back to it (ScreenOS traffic log fields).
  if (!alarm && !('error' in ev))
    setTrafficCounts(ev, { sourceBytes: field(body, 'sent'), destinationBytes: field(body, 'rcvd') });
  // Screen alarms are the firewall's own verdict on a source: marked so a finding can name them.
  if (alarm && !('error' in ev)) markAlarm(ev, 'screen', `system-${m[2]}-${m[3]}`, alarm.alarmName);
  return ev;
}

/** Juniper NetScreen / ScreenOS firewalls. */
export const netscreen: LogFormat = {
  id: FORMAT_ID,
  label: 'Juniper NetScreen / ScreenOS',
  description:
    'ScreenOS (NetScreen, SSG, ISG) syslog, with or without the device id: per-session traffic logs with action Permit/Deny/Reject and screen alarms (SYN flood, port scan, address sweep, IP spoofing, land, ping of death, teardrop ...); admin, configuration, NSRP, VPN and system messages are counted as non-traffic by family.',
  example:
    'NetScreen device_id=ssg-edge [Root]system-notification-00257(traffic): start_time="2026-03-14 09:10:00" duration=0 policy_id=320001 service=tcp/port:22 proto=6 src zone=Untrust dst zone=Trust action=Deny sent=0 rcvd=0 src=203.0.113.7 dst=192.0.2.10 src_port=40112 dst_port=22',
  fields: [
    ...TRAFFIC_FIELDS,
    'inInterface',
    'ruleName',
    'prefix',
    'alarmName',
    'sourceBytes',
    'destinationBytes',
    ...OBSERVER_FIELDS,
  ],
  detect(message: string): number {
    if (message.includes('NetScreen device_id=')) return 0.95;
    if (BARE_CODE_RE.test(message)) return 0.8;
    return CONSOLE_STAMP_RE.test(message) && MESSAGE_RE.test(message) ? 0.8 : 0;
  },
  createParser: statelessParser(parse),
};
