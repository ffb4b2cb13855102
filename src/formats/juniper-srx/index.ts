// Juniper SRX (Junos) security logs: RT_FLOW session create/close/deny, APPTRACK sessions, RT_SCREEN and RT_IDP
// attacks, in the structured RFC 5424 form (`[junos@2636... source-address="..."]`) and the plain text form.
import type { ConnectionPhase, Direction, EventAction } from '../../event.js';
import { type KeyedValues, keyedEvent, pick } from '../cef-event.js';
import { OBSERVER_FIELDS, TRAFFIC_COUNT_FIELDS, TRAFFIC_FIELDS } from '../common-fields.js';
import { damaged } from '../damaged.js';
import { parseIsoStamp } from '../envelope/time.js';
import { setTrafficCounts } from '../flow-record.js';
import { statelessParser } from '../parser-helpers.js';
import { type AlarmKind, markAlarm, NON_TRAFFIC, notUnderstood } from '../skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from '../types.js';
import { parseJunosStructuredData, parseRtFlowText, parseScreenText } from './text.js';

const FORMAT_ID = 'juniper-srx';

/**
 * How fwlens reads a Junos message tag (the `_LS` logical-system suffix removed): a session record, the
 * firewall's own alarm (screen, IDP, security intelligence), a UTM verdict on a connection, or a known
 * non-traffic family. A tag outside all of these is `not understood: <tag>`.
 */
type TagClass =
  | { kind: 'session' }
  | { kind: 'alarm'; alarm: AlarmKind }
  | { kind: 'utm' }
  | { kind: 'skip'; skip: string };

/** Tag families that carry no connection, by prefix (Junos system log reference: UI_, SSHD_, JSRPD_, KMD_ ...). */
const NON_TRAFFIC_TAGS: readonly [string, string][] = [
  ['FLOW_', NON_TRAFFIC.system],
  ['RT_FLOW_SESSION_', NON_TRAFFIC.system],
  ['IDP_APPDDOS_APP_STATE', NON_TRAFFIC.system],
  ['IDP_', NON_TRAFFIC.system],
  ['UI_COMMIT', NON_TRAFFIC.configuration],
  ['UI_CFG', NON_TRAFFIC.configuration],
  ['UI_LOAD', NON_TRAFFIC.configuration],
  ['UI_CMDLINE', NON_TRAFFIC.configuration],
  ['UI_LOGIN', NON_TRAFFIC.authentication],
  ['UI_LOGOUT', NON_TRAFFIC.authentication],
  ['UI_AUTH', NON_TRAFFIC.authentication],
  ['UI_CHILD', NON_TRAFFIC.system],
  ['SSHD_LOGIN', NON_TRAFFIC.authentication],
  ['LOGIN_', NON_TRAFFIC.authentication],
  ['WEB_AUTH', NON_TRAFFIC.authentication],
  ['JSRPD_', NON_TRAFFIC.highAvailability],
  ['CHASSISD_', NON_TRAFFIC.system],
  ['KMD_', NON_TRAFFIC.vpn],
  ['IKE_', NON_TRAFFIC.vpn],
  ['RT_SECINTEL_', NON_TRAFFIC.system],
];

function classifyTag(tag: string): TagClass {
  if (/^(RT_FLOW_SESSION_(CREATE|CLOSE|DENY|REJECT)|APPTRACK_SESSION_(CREATE|CLOSE))$/.test(tag))
    return { kind: 'session' };
  if (tag.startsWith('APPTRACK_SESSION_')) return { kind: 'skip', skip: NON_TRAFFIC.sessionUpdate };
  if (tag.startsWith('RT_SCREEN_') || tag.startsWith('RT_IDS_')) return { kind: 'alarm', alarm: 'screen' };
  if (tag.startsWith('RT_IDP_') || tag === 'IDP_ATTACK_LOG_EVENT' || tag === 'IDP_APPDDOS_APP_ATTACK_EVENT')
    return { kind: 'alarm', alarm: 'ids' };
  if (tag === 'SECINTEL_ACTION_LOG' || tag === 'AAMW_ACTION_LOG') return { kind: 'alarm', alarm: 'threat' };
  if (/^(WEBFILTER_|AV_|ANTISPAM_|CONTENT_FILTERING_)/.test(tag)) return { kind: 'utm' };
  for (const [prefix, skip] of NON_TRAFFIC_TAGS) if (tag.startsWith(prefix)) return { kind: 'skip', skip };
  return { kind: 'skip', skip: notUnderstood(tag).skip };
}

/** Programs (syslog tags) of the Junos security daemons. */
const PROGRAMS = new Set([
  'RT_FLOW',
  'RT_IDS',
  'RT_IDP',
  'RT_SCREEN',
  'RT_UTM',
  'RT_APPTRACK',
  'RT_SECINTEL',
  'RT_AAMW',
]);
/** An RFC 5424 record carried inside another syslog message: `2017-09-23T13:54:54.803Z host RT_FLOW - TAG [junos@...]`. */
const NESTED_5424_RE = /^(\d{4}-\d{2}-\d{2}T\S+) (\S+) (\S+) \S+ (\S+) (\[junos@.*\])\s*$/;
/** The text form: `RT_FLOW_SESSION_CLOSE: session closed ...`. */
const TEXT_TAG_RE = /^((?:RT_FLOW|APPTRACK|RT_SCREEN|RT_IDP|RT_IDS|IDP|SECINTEL|WEBFILTER|AV|AAMW)_\w+): /;

/** Zone names that mean "outside the protected network". */
const OUTSIDE_ZONE_RE = /^(untrust|untrusted|outside|internet|external|wan|public)(?:[-_.\d]|$)/i;

/** The record, found in any of its forms: its Junos tag and structured fields, or its text. */
interface Located {
  tag: string;
  fields?: Map<string, string>;
  text?: string;
  timestamp?: number;
  host?: string;
}

function locate(env: Envelope, ctx: ParseContext): Located | null {
  if (env.structuredData?.startsWith('[junos@') && env.msgId)
    return { tag: env.msgId, fields: parseJunosStructuredData(env.structuredData) };
  const message = env.message;
  const nested = NESTED_5424_RE.exec(message);
  if (nested) {
    return {
      tag: nested[4]!,
      fields: parseJunosStructuredData(nested[5]!),
      timestamp: parseIsoStamp(nested[1]!, ctx)?.[0],
      host: nested[2],
    };
  }
  const text = TEXT_TAG_RE.exec(message);
  if (text) return { tag: text[1]!, text: message.slice(text[0].length) };
  // Structured data without the syslog tag around it (`RT_FLOW_SESSION_CREATE [junos@...]`, a relay that kept
  // only the message, or a 5424 record whose MSGID is `-`): the tag is the word right before the data.
  const at = message.indexOf('[junos@');
  const tag = at > 0 ? lastWord(message, at) : env.msgId;
  const sd = at >= 0 ? message.slice(at) : env.structuredData;
  if (tag && JUNOS_TAG_RE.test(tag) && sd?.startsWith('[junos@'))
    return { tag, fields: parseJunosStructuredData(sd) };
  return null;
}

/** A Junos message tag: capitals, digits and underscores (`RT_FLOW_SESSION_CREATE`, `UI_COMMIT`). */
const JUNOS_TAG_RE = /^[A-Z][A-Z0-9_]{2,}$/;

/** The word that ends just before `end` (spaces skipped), or undefined. */
function lastWord(text: string, end: number): string | undefined {
  let stop = end;
  while (stop > 0 && text[stop - 1] === ' ') stop--;
  let start = stop;
  while (start > 0 && text[start - 1] !== ' ') start--;
  return start < stop ? text.slice(start, stop) : undefined;
}

function zoneDirection(from: string | undefined, to: string | undefined): Direction {
  const fromOutside = from !== undefined && OUTSIDE_ZONE_RE.test(from);
  const toOutside = to !== undefined && OUTSIDE_ZONE_RE.test(to);
  // A screen alarm names only the zone the packet came from.
  if (fromOutside && !toOutside) return 'inbound';
  if (toOutside && !fromOutside && from !== undefined) return 'outbound';
  return 'unknown';
}

/** The decision a tag (and, for attacks, an `action` field) states. */
function actionOf(tag: string, fields: Map<string, string>): EventAction {
  if (/_DENY/.test(tag)) return 'deny';
  if (/_REJECT/.test(tag)) return 'reject';
  if (/^RT_FLOW_SESSION|^APPTRACK_SESSION/.test(tag)) return 'allow';
  if (/_BLOCKED|_DROP/.test(tag)) return 'deny';
  if (/_PERMITTED/.test(tag)) return 'allow';
  const action = (pick(fields, 'action') ?? '').toLowerCase();
  if (
    /^(drop|drop-packet|drop-connection|close|close-client|close-server|close-client-and-server|block|blocked)/.test(
      action,
    )
  )
    return action.startsWith('close') ? 'reject' : 'deny';
  if (/^(accept|permit|ignore|none)$/.test(action)) return action === 'none' ? 'log' : 'allow';
  // Screens drop what they match unless configured to alarm only.
  return /^RT_SCREEN/.test(tag) ? 'deny' : 'log';
}

/** A record's values and, for an attack record, the name the firewall gave the attack. */
type JunosValues = KeyedValues & { alarmName?: string; phase?: ConnectionPhase; sessionId?: string };

/**
 * The part of a session a record tells: its opening (RT_FLOW / APPTRACK `_CREATE`), its closing (`_CLOSE`), or all
 * there is of a session the policy refused (RT_FLOW_SESSION_DENY, Junos System Log Messages Reference: "A security
 * session was not permitted by policy"; `_REJECT` the same for a policy whose action is reject). Other records
 * (screens, IDP, AppTrack volume updates) say nothing of it.
 */
function phaseOf(tag: string): ConnectionPhase | undefined {
  if (!/^(?:RT_FLOW|APPTRACK)_SESSION_/.test(tag)) return undefined;
  if (tag.endsWith('_CREATE')) return 'start';
  if (tag.endsWith('_CLOSE')) return 'end';
  return tag === 'RT_FLOW_SESSION_DENY' || tag === 'RT_FLOW_SESSION_REJECT' ? 'whole' : undefined;
}

function fromFields(tag: string, f: Map<string, string>): JunosValues {
  const srcZone = pick(f, 'source-zone-name', 'source-zone');
  const dstZone = pick(f, 'destination-zone-name', 'destination-zone');
  const icmpType = pick(f, 'icmp-type');
  // RT_SCREEN_TCP / _UDP / _ICMP name the protocol in the tag when the record does not.
  const screenProto = /^RT_SCREEN_(TCP|UDP|ICMP)(?:_SRC_IP|_DST_IP)?$/.exec(tag)?.[1]?.toLowerCase();
  const protocol = pick(f, 'protocol-id', 'protocol-name', 'protocol') ?? screenProto;
  const isAttack = /^(RT_SCREEN|RT_IDP|RT_IDS|IDP_|SECINTEL|AAMW)/.test(tag);
  const isIcmp = protocol === '1' || protocol === '58' || /^icmp/i.test(protocol ?? '');
  return {
    sourceIp: pick(f, 'source-address'),
    destinationIp: pick(f, 'destination-address'),
    // For ICMP, Junos fills the port fields with the echo id and type/code, which are not ports.
    sourcePort: isIcmp ? undefined : pick(f, 'source-port'),
    destinationPort: isIcmp ? undefined : pick(f, 'destination-port'),
    protocol,
    action: actionOf(tag, f),
    direction: zoneDirection(srcZone, dstZone),
    inInterface: pick(f, 'packet-incoming-interface', 'interface-name'),
    // An attack record names the attack (kept as the alarm name) and, for IDP, the policy and rule that matched.
    ruleName: pick(
      f,
      'policy-name',
      'rule-name',
      'profile-name',
      'profile',
      ...(isAttack ? [] : ['category']),
    ),
    // An AppDDoS record names no attack: its policy names the alarm.
    alarmName: isAttack ? pick(f, 'attack-name', 'feed-name', 'sub-category', 'policy-name') : undefined,
    // Junos writes icmp-type="0" on every non-ICMP record: keep it only for ICMP.
    icmpType: isIcmp ? icmpType : undefined,
    phase: phaseOf(tag),
    sessionId: pick(f, 'session-id-32', 'session-id'),
  };
}

/** Firewall-filter log (`then syslog` in a Junos filter): `PFE_FW_SYSLOG_IP: FW: ge-0/0/0.0 D tcp SRC DST SPORT DPORT (1 packets)`. */
const FILTER_LOG_RE =
  /^PFE_FW_SYSLOG_(?:ETH_)?IP6?(?:_\w+)?: FW: (\S+)\s+([ADR])\s+(\S+)\s+(\S+)\s+(\S+)\s+(\d+)\s+(\d+)\s+\((\d+) packets?\)/;

/** A firewall-filter log line as an event (`A` accept, `D` discard, `R` reject; ICMP carries type and code as ports). */
function filterLog(m: RegExpExecArray, env: Envelope): ParseResult {
  const protocol = m[3]!;
  const icmp = /^icmp/i.test(protocol);
  const values: KeyedValues = {
    sourceIp: m[4],
    destinationIp: m[5],
    sourcePort: icmp ? undefined : m[6],
    destinationPort: icmp ? undefined : m[7],
    protocol,
    action: m[2] === 'A' ? 'allow' : m[2] === 'R' ? 'reject' : 'deny',
    direction: 'unknown',
    inInterface: m[1],
    icmpType: icmp ? m[6] : undefined,
    icmpCode: icmp ? m[7] : undefined,
    timestamp: env.timestamp,
    observerHost: env.host,
    observerProduct: 'juniper-srx',
  };
  return keyedEvent(FORMAT_ID, values);
}

/** Where a firewall-filter log starts: at the message start or after the PFE name (`fpc0 PFE_FW_SYSLOG_IP: ...`); -1 if none. */
function filterLogStart(message: string): number {
  const at = message.indexOf('PFE_FW_SYSLOG_');
  if (at < 0 || at > 16) return -1;
  return at === 0 || /^[a-z]+\d* $/.test(message.slice(0, at)) ? at : -1;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const filterAt = filterLogStart(env.message);
  if (filterAt >= 0) {
    const m = FILTER_LOG_RE.exec(env.message.slice(filterAt));
    return m ? filterLog(m, env) : damaged('parse.junos.filterLayout');
  }
  const isJunos =
    env.structuredData?.startsWith('[junos@') ||
    (env.program !== undefined && PROGRAMS.has(env.program)) ||
    TEXT_TAG_RE.test(env.message) ||
    env.message.includes('[junos@');
  if (!isJunos) return null;
  const loc = locate(env, ctx);
  if (!loc) return damaged('parse.junos.noTag');
  const tag = loc.tag.replace(/_LS$/, '');
  const cls = classifyTag(tag);
  if (cls.kind === 'skip') return { skip: cls.skip };
  let values: JunosValues | null;
  let fields = loc.fields;
  if (fields) values = fromFields(tag, fields);
  else if (cls.kind === 'session') {
    fields = parseRtFlowText(loc.text!) ?? undefined;
    if (!fields) return damaged('parse.junos.textLayout', { tag });
    values = fromFields(tag, fields);
  } else {
    const screen = parseScreenText(loc.text!);
    if (!screen) return notUnderstood(`${tag} (text form)`);
    values = fromFields(tag, screen);
  }
  // An alarm about one address (`RT_SCREEN_TCP_SRC_IP` names the flooding source only) is still an event.
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return { skip: `${tag} without addresses` };
  const timestamp = loc.timestamp ?? env.timestamp;
  if (timestamp !== undefined) values.timestamp = timestamp;
  values.observerHost = loc.host ?? env.host;
  values.observerProduct = 'juniper-srx';
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  if (cls.kind === 'alarm') markAlarm(ev, cls.alarm, tag, values.alarmName);
  if (values.phase) ev.connectionPhase = values.phase;
  // A closed session's (and an AppTrack volume update's) traffic so far: the client is the session's source.
  if (fields)
    setTrafficCounts(ev, {
      sourcePackets: fields.get('packets-from-client'),
      sourceBytes: fields.get('bytes-from-client'),
      destinationPackets: fields.get('packets-from-server'),
      destinationBytes: fields.get('bytes-from-server'),
    });
  // Junos writes 0 (or nothing) where the record belongs to no session.
  if (values.sessionId !== undefined && /^[1-9]\d{0,19}$/.test(values.sessionId))
    ev.sessionId = values.sessionId;
  return ev;
}

/** Juniper SRX security-flow, screen and IDP logs. */
export const juniperSrx: LogFormat = {
  id: FORMAT_ID,
  label: 'Juniper SRX (Junos RT_FLOW)',
  description:
    'Junos security logs of SRX gateways: RT_FLOW session create/close/deny and APPTRACK sessions (a created and closed session is one connection, a denied one a connection of one record), RT_SCREEN screen alarms, RT_IDP / IDP_ATTACK_LOG_EVENT attacks, security-intelligence and UTM verdicts, structured (RFC 5424 junos@ data, with or without the syslog tag) or plain text; UI_, SSHD_, JSRPD_, KMD_ and FLOW_ records are counted as configuration, authentication, HA, VPN and system records.',
  example:
    'RT_FLOW_SESSION_DENY: session denied 203.0.113.7/40112->192.0.2.10/22 junos-ssh 6(0) deny-ssh untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny',
  fields: [
    ...TRAFFIC_FIELDS,
    'inInterface',
    'ruleName',
    'prefix',
    'alarmName',
    'icmpType',
    'icmpCode',
    'connectionPhase',
    'sessionId',
    ...TRAFFIC_COUNT_FIELDS,
    ...OBSERVER_FIELDS,
  ],
  detect(message: string, envelope: Envelope): number {
    if (envelope.structuredData?.startsWith('[junos@')) return 0.95;
    if (TEXT_TAG_RE.test(message)) return 0.9;
    if (message.includes('[junos@') && NESTED_5424_RE.test(message)) return 0.9;
    if (filterLogStart(message) >= 0 && message.includes(' FW: ')) return 0.9;
    const at = message.indexOf('[junos@');
    if (at > 0 && JUNOS_TAG_RE.test(lastWord(message, at) ?? '')) return 0.85;
    return envelope.program !== undefined && PROGRAMS.has(envelope.program) ? 0.6 : 0;
  },
  createParser: statelessParser(parse),
};
