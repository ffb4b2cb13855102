// SonicWall SonicOS syslog (`id=firewall sn=... time="..." m=98 msg="Connection Opened" src=ip:port:iface ...`)
// and SonicWall CEF: connection, drop and content records become events; admin, VPN and system messages are skipped.
import type { EventAction } from '../event.js';
import { matchesInOrder } from '../util/text-scan.js';
import { findCefStart, parseCefExtension, parseCefHeader } from './cef.js';
import { type KeyedValues, keyedEvent, pick } from './cef-event.js';
import { APPLIANCE_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { parseIsoStamp } from './envelope/time.js';
import { parseKeyValues } from './key-value.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseResult } from './types.js';

const FORMAT_ID = 'sonicwall';

/** Messages about logins, VPN tunnels and the appliance itself: no packet decision in them. */
const NON_TRAFFIC_MSG =
  /log(?:ged)? ?in|log(?:ged)? ?out|login|authentication|administrator|credentials|\bvpn\b|ipsec|\bike\b|licen[cs]e|dhcp|firmware|configuration/i;

/** The decision a SonicWall record states: `fw_action`, else the wording of its message. */
function sonicwallAction(fwAction: string | undefined, msg: string): EventAction {
  const a = (fwAction ?? '').toLowerCase();
  if (/^(drop|deny|block|reject)$/.test(a)) return 'deny';
  if (/dropped|denied|blocked|discarded|rejected|\bdrop\b/i.test(msg)) return 'deny';
  if (/connection (?:opened|closed)|nat mapping|website accessed|allowed|accepted/i.test(msg)) return 'allow';
  return 'log';
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
  if (NON_TRAFFIC_MSG.test(msg)) return { skip: 'administration or VPN message' };
  const src = splitEndpoint(f.get('src'), f.get('srcV6'));
  const dst = splitEndpoint(f.get('dst'), f.get('dstV6'));
  if (src.ip === undefined && dst.ip === undefined) return { skip: 'message without addresses' };
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
  };
  return keyedEvent(FORMAT_ID, values);
}

/** SonicOS writes some CEF values in double quotes (`fw_action="drop"`, `cs1="LAN->WAN"`). */
function unquote(v: string): string {
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

function parseCef(message: string, at: number, env: Envelope, ctx: ParseContext): ParseResult {
  const header = parseCefHeader(message.slice(at));
  if (!header) return { error: 'CEF header has fewer than seven |-separated fields' };
  if (NON_TRAFFIC_MSG.test(header.name)) return { skip: 'administration or VPN message' };
  const f = new Map([...parseCefExtension(header.extension)].map(([k, v]) => [k, unquote(v)]));
  if (!f.has('src') && !f.has('dst')) return { skip: 'message without addresses' };
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
  return keyedEvent(FORMAT_ID, values);
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
    'SonicWall firewall syslog (id=firewall sn=... m=... msg="..." src=ip:port:interface) and SonicWall CEF: connection opened/closed, dropped packets and content-filter records; login, VPN and system messages are counted as non-traffic.',
  example:
    'id=firewall sn=0040100C0FFE time="2026-11-25 16:46:39 UTC" fw=198.51.100.2 pri=1 c=32 m=36 msg="TCP connection dropped" n=2686 src=198.51.100.5:4711:X1 dst=192.0.2.10:22:X0 proto=tcp/ssh rule="5 (WAN->LAN)"',
  fields: [...UNDIRECTED_TRAFFIC_FIELDS, 'sourceMac', 'destinationMac', ...APPLIANCE_FIELDS],
  detect(message: string): number {
    if (sonicwallCefStart(message) >= 0) return 0.9;
    return isSyslogRecord(message) ? 0.85 : 0;
  },
  createParser: statelessParser(parse),
};
