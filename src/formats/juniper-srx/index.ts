// Juniper SRX (Junos) security logs: RT_FLOW session create/close/deny, APPTRACK sessions, RT_SCREEN and RT_IDP
// attacks, in the structured RFC 5424 form (`[junos@2636... source-address="..."]`) and the plain text form.
import type { Direction, EventAction } from '../../event.js';
import { type KeyedValues, keyedEvent, pick } from '../cef-event.js';
import { OBSERVER_FIELDS, TRAFFIC_FIELDS } from '../common-fields.js';
import { parseIsoStamp } from '../envelope/time.js';
import { statelessParser } from '../parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from '../types.js';
import { parseJunosStructuredData, parseRtFlowText, parseScreenText } from './text.js';

const FORMAT_ID = 'juniper-srx';

/** Junos message tags fwlens reads (with the `_LS` logical-system variants). */
const TAG_RE =
  /^(RT_FLOW_SESSION_(?:CREATE|CLOSE|DENY|REJECT)|APPTRACK_SESSION_\w+|RT_SCREEN_\w+|RT_IDP_\w+|RT_IDS_\w+|FLOW_\w+)(?:_LS)?$/;
/** Programs (syslog tags) of the Junos security daemons. */
const PROGRAMS = new Set(['RT_FLOW', 'RT_IDS', 'RT_IDP', 'RT_SCREEN', 'RT_UTM', 'RT_APPTRACK']);
/** An RFC 5424 record carried inside another syslog message: `2017-09-23T13:54:54.803Z host RT_FLOW - TAG [junos@...]`. */
const NESTED_5424_RE = /^(\d{4}-\d{2}-\d{2}T\S+) (\S+) (\S+) \S+ (\S+) (\[junos@.*\])\s*$/;
/** The text form: `RT_FLOW_SESSION_CLOSE: session closed ...`. */
const TEXT_TAG_RE = /^((?:RT_FLOW|APPTRACK|RT_SCREEN|RT_IDP|RT_IDS)_\w+): /;

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
  return null;
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
  const action = (pick(fields, 'action') ?? '').toLowerCase();
  if (
    /^(drop|drop-packet|drop-connection|close|close-client|close-server|close-client-and-server|block)/.test(
      action,
    )
  )
    return action.startsWith('close') ? 'reject' : 'deny';
  if (/^(accept|permit|ignore|none)$/.test(action)) return action === 'none' ? 'log' : 'allow';
  // Screens drop what they match unless configured to alarm only.
  return /^RT_SCREEN/.test(tag) ? 'deny' : 'log';
}

function fromFields(tag: string, f: Map<string, string>): KeyedValues {
  const srcZone = pick(f, 'source-zone-name', 'source-zone');
  const dstZone = pick(f, 'destination-zone-name', 'destination-zone');
  const icmpType = pick(f, 'icmp-type');
  // RT_SCREEN_TCP / _UDP / _ICMP name the protocol in the tag when the record does not.
  const screenProto = /^RT_SCREEN_(TCP|UDP|ICMP)$/.exec(tag)?.[1]?.toLowerCase();
  const protocol = pick(f, 'protocol-id', 'protocol-name', 'protocol') ?? screenProto;
  const isAttack = /^RT_(SCREEN|IDP|IDS)/.test(tag);
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
    ruleName: isAttack ? pick(f, 'attack-name', 'policy-name') : pick(f, 'policy-name', 'rule-name'),
    // Junos writes icmp-type="0" on every non-ICMP record: keep it only for ICMP.
    icmpType: isIcmp ? icmpType : undefined,
  };
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const isJunos =
    env.structuredData?.startsWith('[junos@') ||
    (env.program !== undefined && PROGRAMS.has(env.program)) ||
    TEXT_TAG_RE.test(env.message) ||
    env.message.includes('[junos@');
  if (!isJunos) return null;
  const loc = locate(env, ctx);
  if (!loc) return { error: 'Junos security record without a readable tag or structured data' };
  const tag = loc.tag.replace(/_LS$/, '');
  if (!TAG_RE.test(tag) || /^FLOW_/.test(tag)) return { skip: 'system event' };
  if (/^APPTRACK_SESSION_\w*UPDATE$/.test(tag)) return { skip: 'session update' };
  let values: KeyedValues | null;
  if (loc.fields) values = fromFields(tag, loc.fields);
  else if (/^RT_FLOW_SESSION|^APPTRACK_SESSION/.test(tag)) {
    const flow = parseRtFlowText(loc.text!);
    if (!flow) return { error: `${tag} text does not have the documented layout` };
    values = fromFields(tag, flow);
  } else {
    const screen = parseScreenText(loc.text!);
    if (!screen) return { skip: 'system event' };
    values = fromFields(tag, screen);
  }
  if (values.sourceIp === undefined && values.destinationIp === undefined) return { skip: 'system event' };
  const timestamp = loc.timestamp ?? env.timestamp;
  if (timestamp !== undefined) values.timestamp = timestamp;
  values.observerHost = loc.host ?? env.host;
  values.observerProduct = 'juniper-srx';
  return keyedEvent(FORMAT_ID, values);
}

/** Juniper SRX security-flow, screen and IDP logs. */
export const juniperSrx: LogFormat = {
  id: FORMAT_ID,
  label: 'Juniper SRX (Junos RT_FLOW)',
  description:
    'Junos security logs of SRX gateways: RT_FLOW session create/close/deny and APPTRACK sessions, RT_SCREEN and RT_IDP attacks, structured (RFC 5424 junos@ data) or plain text.',
  example:
    'RT_FLOW_SESSION_DENY: session denied 203.0.113.7/40112->192.0.2.10/22 junos-ssh 6(0) deny-ssh untrust trust UNKNOWN UNKNOWN N/A(N/A) ge-0/0/0.0 UNKNOWN policy deny',
  fields: [...TRAFFIC_FIELDS, 'inInterface', 'ruleName', 'icmpType', ...OBSERVER_FIELDS],
  detect(message: string, envelope: Envelope): number {
    if (envelope.structuredData?.startsWith('[junos@')) return 0.95;
    if (TEXT_TAG_RE.test(message)) return 0.9;
    if (message.includes('[junos@') && NESTED_5424_RE.test(message)) return 0.9;
    return envelope.program !== undefined && PROGRAMS.has(envelope.program) ? 0.6 : 0;
  },
  createParser: statelessParser(parse),
};
