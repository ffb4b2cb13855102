// Cisco Meraki MX/MR syslog (`<epoch.ns> <device> <type> key=value ...`): firewall and flow decisions,
// NAT flow start/end, URL requests and IDS alerts become events; event-log and Air Marshal records are non-traffic.
import type { Direction, EventAction } from '../event.js';
import { type KeyedValues, keyedEvent } from './cef-event.js';
import { OBSERVER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { epochDigitsToMs, parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import { markAlarm } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseResult } from './types.js';

const FORMAT_ID = 'cisco-meraki';

/** Record types that state a firewall rule's decision (`flows` before MX 18.101, the others since). */
const DECISION_TYPES = new Set([
  'flows',
  'firewall',
  'l7_firewall',
  'vpn_firewall',
  'cellular_firewall',
  'bridge_anyconnect_client_vpn_firewall',
]);

/** Record types without traffic: the event log (DHCP, VPN, content filtering ...) and wireless records. */
const NON_TRAFFIC_TYPES = new Set(['events', 'airmarshal_events']);

/** Connection records written without a decision (NAT flow start/end, HTTP requests) and IDS alerts. */
const OTHER_TRAFFIC_TYPES = new Set(['ip_flow_start', 'ip_flow_end', 'urls', 'ids-alerts', 'security_event']);

/**
 * `[1 ]<epoch.fraction> <device> <type> <rest>`: the `1` is the syslog version some relays leave in front.
 */
const MERAKI_RE = /^(?:1 )?(\d{9,10}\.\d{1,9}) (\S+) ([a-z0-9_-]+)(?: (.*))?$/;

function knownType(type: string): boolean {
  return DECISION_TYPES.has(type) || NON_TRAFFIC_TYPES.has(type) || OTHER_TRAFFIC_TYPES.has(type);
}

/** `allow`/`deny` right after the type, else `pattern: 0|1|allow|deny` (0 = allow, 1 = deny). */
function ruleDecision(rest: string): EventAction | undefined {
  const first = /^(allow|deny)\b/.exec(rest)?.[1];
  const pattern = /\bpattern: (0|1|allow|deny)\b/.exec(rest)?.[1];
  const word = first ?? pattern;
  if (word === 'allow' || word === '0') return 'allow';
  if (word === 'deny' || word === '1') return 'deny';
  // Layer-7 rules only block; some firmware writes `decision=blocked`.
  return undefined;
}

/** `192.0.2.1:443`, `2001:db8::1:443` (the port is after the last colon), or a bare address. */
function splitEndpoint(
  text: string | undefined,
  withPort: boolean,
): [string | undefined, string | undefined] {
  if (text === undefined || text === '') return [undefined, undefined];
  if (!withPort) return [text, undefined];
  const colon = text.lastIndexOf(':');
  if (colon < 0) return [text, undefined];
  return [text.slice(0, colon), text.slice(colon + 1)];
}

function idsDecision(f: Map<string, string>): EventAction {
  const d = (f.get('decision') ?? f.get('action') ?? '').toLowerCase();
  if (d === 'blocked' || d === 'block' || d === 'rst') return 'deny';
  if (d === 'allowed' || d === 'allow') return 'allow';
  return 'log';
}

function idsDirection(f: Map<string, string>): Direction {
  const d = f.get('direction');
  return d === 'ingress' ? 'inbound' : d === 'egress' ? 'outbound' : 'unknown';
}

/** The free text after ` message: ` of an IDS alert (its signature's name), or undefined. */
function idsMessage(rest: string): string | undefined {
  const at = rest.indexOf(' message: ');
  const text = at < 0 ? '' : rest.slice(at + ' message: '.length).trim();
  return text === '' ? undefined : text;
}

function parse(env: Envelope): ParseResult {
  const m = MERAKI_RE.exec(env.message);
  if (!m || !knownType(m[3]!)) return null;
  const [, epoch, device, type] = m as unknown as [string, string, string, string];
  const rest = m[4] ?? '';
  if (NON_TRAFFIC_TYPES.has(type)) return { skip: `${type} record` };
  // `security_event` carries IDS alerts and file-scan verdicts (both name the endpoints) and disposition changes.
  const fileScan = type === 'security_event' && rest.startsWith('security_filtering_file_scanned');
  if (type === 'security_event' && !rest.startsWith('ids_alerted') && !fileScan)
    return { skip: 'security_event record' };
  // Everything after `pattern:` / `message:` / `request:` is free text, not key=value pairs.
  const kvText = rest.split(/ (?:pattern|message|request): /)[0]!;
  const f = parseKeyValues(kvText);
  const withPorts = type === 'urls' || type === 'ids-alerts' || type === 'security_event';
  const [sourceIp, sourcePortInAddress] = splitEndpoint(f.get('src'), withPorts);
  const [destinationIp, destinationPortInAddress] = splitEndpoint(f.get('dst'), withPorts);
  if (sourceIp === undefined && destinationIp === undefined)
    return { skip: `${type} record without addresses` };
  let action: EventAction;
  let direction: Direction = 'unknown';
  if (DECISION_TYPES.has(type)) {
    const decided = ruleDecision(rest) ?? (f.get('decision') === 'blocked' ? 'deny' : undefined);
    if (decided === undefined) return damaged('parse.meraki.noDecision', { type });
    action = decided;
  } else if (fileScan) {
    action = f.get('action') === 'block' ? 'deny' : 'log';
  } else if (type === 'ids-alerts' || type === 'security_event') {
    action = idsDecision(f);
    direction = idsDirection(f);
  } else {
    // NAT flow records and URL requests describe traffic the appliance let through; no rule decision is named.
    action = 'log';
  }
  const protocol = f.get('protocol')?.replace(/\/ip$/, '');
  const values: KeyedValues = {
    sourceIp,
    destinationIp,
    sourcePort: f.get('sport') ?? sourcePortInAddress,
    destinationPort: f.get('dport') ?? destinationPortInAddress,
    protocol,
    action,
    direction,
    timestamp: epochDigitsToMs(epoch) ?? env.timestamp,
    observerHost: device,
    observerProduct: 'cisco meraki',
    sourceMac: f.get('mac'),
  };
  const ev = keyedEvent(FORMAT_ID, values);
  if ('error' in ev) return ev;
  // IDS alerts and file-scan verdicts are the appliance's own alarms: the signature text or file verdict names them.
  if (type === 'ids-alerts' || (type === 'security_event' && !fileScan))
    markAlarm(
      ev,
      'ids',
      type === 'ids-alerts' ? 'ids-alerts' : 'ids_alerted',
      idsMessage(rest) ?? f.get('signature'),
    );
  else if (fileScan)
    markAlarm(ev, 'threat', 'security_filtering_file_scanned', f.get('name')?.replace(/^'|'$/g, ''));
  // ICMP records name the message type: `protocol=icmp6 type=136`.
  const icmpType = f.get('type');
  if (icmpType && /^\d{1,3}$/.test(icmpType) && /icmp/.test(ev.transport ?? ''))
    ev.icmpType = Number(icmpType);
  return ev;
}

/** Cisco Meraki MX security appliance and MR access point syslog. */
export const ciscoMeraki: LogFormat = {
  id: FORMAT_ID,
  label: 'Cisco Meraki MX/MR',
  description:
    "Cisco Meraki syslog (epoch stamp, device name, record type): firewall/flows rule decisions (allow/deny, pattern: 0/1), NAT flow start/end, URL requests, IDS alerts and malware file-scan verdicts (marked as the appliance's alarms); event-log and Air Marshal records are counted as non-traffic.",
  example:
    '1795625199.512345678 MX68_branch firewall src=203.0.113.7 dst=192.0.2.10 mac=00:18:0A:12:34:56 protocol=tcp sport=40112 dport=22 pattern: 1 all',
  fields: [...TRAFFIC_FIELDS, 'sourceMac', 'icmpType', 'ruleName', 'prefix', 'alarmName', ...OBSERVER_FIELDS],
  detect(message: string): number {
    const m = MERAKI_RE.exec(message);
    return m && knownType(m[3]!) ? 0.9 : 0;
  },
  createParser: statelessParser(parse),
};
