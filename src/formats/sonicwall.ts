// SonicWall SonicOS syslog (`id=firewall sn=... time="..." m=98 msg="Connection Opened" src=ip:port:iface ...`)
// and SonicWall CEF, read by message id (sonicwall-catalog.ts): connection, drop and content records become events,
// attack, flood, IPS and security-service records are the appliance's alarms, the rest is counted by kind.
import type { EventAction } from '../event.js';
import { matchesInOrder } from '../util/text-scan.js';
import { findCefStart, parseCefExtension, parseCefHeader } from './cef.js';
import { type KeyedValues, keyedEvent, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseIsoStamp } from './envelope/time.js';
import { parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import { markAlarm, NON_TRAFFIC, notUnderstood } from './skip-kinds.js';
import { SONICWALL_MESSAGES, type SonicwallRecord } from './sonicwall-catalog.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'sonicwall';

/** Wording of records about logins, VPN tunnels and the appliance itself, for ids the catalogue does not hold. */
const NON_TRAFFIC_WORDING: [RegExp, string][] = [
  [/log(?:ged)? ?in|log(?:ged)? ?out|login|authentication|credentials|password/i, NON_TRAFFIC.authentication],
  [/\bvpn\b|ipsec|\bike\b|l2tp|xauth/i, NON_TRAFFIC.vpn],
  [/administrator|configuration|access rule|policy (?:added|deleted|modified)/i, NON_TRAFFIC.configuration],
  [/licen[cs]e|dhcp|firmware|subscription|reboot/i, NON_TRAFFIC.system],
];

/** A decision or a session in the wording of a record whose id the catalogue does not hold. */
const TRAFFIC_WORDING =
  /dropped|denied|blocked|discarded|rejected|connection (?:opened|closed)|nat mapping|website accessed|allowed|accepted/i;

/** The decision a SonicWall record states: `fw_action`, else the wording of its message. */
function sonicwallAction(fwAction: string | undefined, msg: string): EventAction {
  const a = (fwAction ?? '').toLowerCase();
  if (/^(drop|deny|block|reject)$/.test(a)) return 'deny';
  if (/dropped|denied|blocked|discarded|rejected|\bdrop\b|prevention alert/i.test(msg)) return 'deny';
  if (/connection (?:opened|closed)|nat mapping|website accessed|web site hit|allowed|accepted/i.test(msg))
    return 'allow';
  return 'log';
}

/**
 * What a record is: by its message id when the catalogue holds it, else by its wording (a login or VPN
 * message, a decision on traffic), else `not understood: m=<id>`.
 */
function classify(id: string | undefined, msg: string): SonicwallRecord | { kind: 'unknown'; skip: string } {
  const known = id !== undefined && /^\d{1,6}$/.test(id) ? SONICWALL_MESSAGES.get(Number(id)) : undefined;
  if (known) return known;
  for (const [re, skip] of NON_TRAFFIC_WORDING) if (re.test(msg)) return { kind: 'other', skip };
  if (TRAFFIC_WORDING.test(msg)) return { kind: 'traffic' };
  return { kind: 'unknown', skip: notUnderstood(`m=${id ?? '(none)'}`).skip };
}

/** The first IPv4 address in a message (`SYN-Flooding machine 198.51.100.7 blacklisted`). */
const ADDRESS_IN_TEXT = /\b\d{1,3}(?:\.\d{1,3}){3}\b/;

/**
 * The event of a traffic or alarm record, or a skip when it names no address; an alarm record is marked, and
 * a flood record naming the flooding machine only in its text takes that machine as the source.
 */
function recordEvent(record: SonicwallRecord, values: KeyedValues, msg: string): ParseResult {
  if (record.kind === 'other') return { skip: record.skip };
  if (record.kind === 'alarm' && values.sourceIp === undefined && values.destinationIp === undefined)
    values.sourceIp = ADDRESS_IN_TEXT.exec(msg)?.[0];
  if (values.sourceIp === undefined && values.destinationIp === undefined)
    return {
      skip:
        record.kind === 'alarm'
          ? `${record.vendorClass} alarm without addresses`
          : 'message without addresses',
    };
  const ev = keyedEvent(FORMAT_ID, values);
  if (record.kind === 'alarm' && !('error' in ev))
    markAlarm(ev, record.alarm, record.vendorClass, msg || undefined);
  return ev;
}

/** `192.0.2.1:4711:X1[:host]`, `192.0.2.1::X0-V500`, `:5355` (address in `srcV6`), or a bare address. */
function splitEndpoint(
  value: string | undefined,
  v6: string | undefined,
): { ip?: string; port?: string; ifc?: string } {
  if (value === undefined) return { ip: v6 };
  const [ip, port, ifc] = value.split(':');
  return { ip: ip || v6, port: port || undefined, ifc: ifc || undefined };
}

/** `2026-11-25 16:46:39[ UTC]`: with `UTC` it is UTC, without it the device's local time (the run's --tz). */
function sonicwallTime(text: string | undefined, ctx: ParseContext): number | undefined {
  if (!text) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})(?: (UTC|GMT))?$/.exec(text.trim());
  if (!m) return undefined;
  return parseIsoStamp(`${m[1]}${m[2] ? 'Z' : ''}`, ctx)?.[0];
}

function parseSyslog(message: string, env: Envelope, ctx: ParseContext): ParseResult {
  const f = parseKeyValues(message);
  const msg = f.get('msg') ?? '';
  const record = classify(f.get('m'), msg);
  if (record.kind === 'other' || record.kind === 'unknown') return { skip: record.skip };
  const src = splitEndpoint(f.get('src'), f.get('srcV6'));
  const dst = splitEndpoint(f.get('dst'), f.get('dstV6'));
  const values: KeyedValues = {
    sourceIp: src.ip,
    destinationIp: dst.ip,
    sourcePort: src.port,
    destinationPort: dst.port,
    // `proto=tcp/https`, `udp/5355`, `icmp`: the transport is before the slash.
    // Without `proto`, a message such as "TCP connection dropped" still names the transport.
    protocol: f.get('proto')?.split('/')[0] ?? /^(TCP|UDP|ICMP)\b/.exec(msg)?.[1],
    action: sonicwallAction(f.get('fw_action'), msg),
    timestamp: sonicwallTime(f.get('time'), ctx) ?? env.timestamp,
    inInterface: src.ifc,
    outInterface: dst.ifc,
    ruleName: f.get('rule'),
    observerHost: f.get('fw') ?? env.host,
    observerProduct: 'sonicwall sonicos',
    sourceMac: f.get('srcMac'),
    destinationMac: f.get('dstMac'),
    // ICMP records carry `type=8 icmpCode=0`.
    icmpType: f.get('type'),
    icmpCode: f.get('icmpCode'),
  };
  return recordEvent(record, values, msg);
}

/** SonicOS writes some CEF values in double quotes (`fw_action="drop"`, `cs1="LAN->WAN"`). */
function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function parseCef(message: string, at: number, env: Envelope, ctx: ParseContext): ParseResult {
  const header = parseCefHeader(message.slice(at));
  if (!header) return damaged('parse.cef.header');
  const f = new Map([...parseCefExtension(header.extension)].map(([k, v]) => [k, unquote(v)]));
  // The CEF signature id is the syslog message id; the alarm text is in `msg` (`IPS Detection Alert: <signature>`).
  const msg = f.get('msg') ?? header.name;
  const record = classify(header.signatureId.trim(), header.name);
  if (record.kind === 'other' || record.kind === 'unknown') return { skip: record.skip };
  const values: KeyedValues = {
    sourceIp: f.get('src'),
    destinationIp: f.get('dst'),
    sourcePort: f.get('spt'),
    destinationPort: f.get('dpt'),
    protocol: f.get('proto')?.split('/')[0],
    action: sonicwallAction(f.get('fw_action'), header.name),
    timestamp: sonicwallTime(pick(f, 'rt', 'time'), ctx) ?? env.timestamp,
    inInterface: f.get('deviceInboundInterface'),
    outInterface: f.get('deviceOutboundInterface'),
    ruleName: f.get('cs1'),
    observerHost: env.host,
    observerProduct: `sonicwall ${header.product}`.toLowerCase(),
    sourceMac: f.get('smac'),
    destinationMac: f.get('dmac'),
  };
  return recordEvent(record, values, msg);
}

/** Where a SonicWall CEF header starts (`CEF:0|SonicWall|`, or without `CEF:`), or -1. */
function sonicwallCefStart(message: string): number {
  const at = findCefStart(message);
  if (at >= 0) return /^CEF: ?\d\|SonicWall\|/i.test(message.slice(at)) ? at : -1;
  return /^\d\|SonicWall\|/i.test(message) ? 0 : -1;
}

/** SonicOS key=value: `id=<name> sn=<serial> time="..."` with the `m=` message id. */
const SYSLOG_PARTS = [/(?:^|\s)id=\S+\s/, /\bsn=[0-9A-Za-z]+\s+time="[^"]*"\s/, /\bm=\d+\b/];
/** True for a SonicOS key=value record (the three parts in order; one `.*?`-joined pattern is quadratic). */
const isSyslogRecord = (message: string) => matchesInOrder(message, SYSLOG_PARTS);

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const at = sonicwallCefStart(env.message);
  if (at >= 0) return parseCef(env.message, at, env, ctx);
  if (!isSyslogRecord(env.message)) return null;
  return parseSyslog(env.message, env, ctx);
}

/** SonicWall firewalls (SonicOS syslog and CEF). */
export const sonicwall: LogFormat = {
  id: FORMAT_ID,
  label: 'SonicWall SonicOS',
  description:
    "SonicWall firewall syslog (id=firewall sn=... m=... msg=\"...\" src=ip:port:interface) and SonicWall CEF, read by message id after the SonicOS log events reference: connections opened/closed, NAT mappings, TCP/UDP/ICMP and other drops, content-filter, Geo-IP and application-control records are traffic; attack drops (port scans, ping of death, land attack, IP spoof, smurf), flood protection, IPS/IDP, anti-virus, anti-spyware and botnet records are marked as the firewall's alarms; login, configuration, VPN, HA and system messages are counted as non-traffic by kind, unknown ids as 'not understood: m=<id>'.",
  example:
    'id=firewall sn=0040100C0FFE time="2026-11-25 16:46:39 UTC" fw=198.51.100.2 pri=1 c=32 m=36 msg="TCP connection dropped" n=2686 src=198.51.100.5:4711:X1 dst=192.0.2.10:22:X0 proto=tcp/ssh rule="5 (WAN->LAN)"',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    'sourceMac',
    'destinationMac',
    ...APPLIANCE_FIELDS,
    'prefix',
    'alarmName',
    'icmpType',
    'icmpCode',
  ],
  detect(message: string): number {
    if (sonicwallCefStart(message) >= 0) return 0.9;
    return isSyslogRecord(message) ? 0.85 : 0;
  },
  createParser: statelessParser(parse),
};
