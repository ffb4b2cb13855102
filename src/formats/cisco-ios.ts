// Cisco IOS / IOS-XE / NX-OS syslog (`%FACILITY-SEVERITY-MNEMONIC: text`): ACL logging (IPv4 and IPv6, with and
// without ports, log-input interface tags, IOS-XE fman_fp_image prefixes), NX-OS ACLLOG flows and zone-based
// firewall drops become events; rate-limit notices and other messages are counted as non-traffic by facility.
import type { EventAction, FwEvent } from '../event.js';
import { canonicalIp } from '../net/ip.js';
import { splitFields } from '../util/text-scan.js';
import { INTERFACE_RULE_FIELDS, OBSERVER_FIELDS, UNDIRECTED_TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { inferYearTime, localTime, monthIndex } from './envelope/time.js';
import { flowEvent } from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

const FORMAT_ID = 'cisco-ios';

/**
 * `%SEC-6-IPACCESSLOGP:`, `%PIM-SW1-6-INVALID_RP_JOIN:`: facility (with an optional sub-facility), severity and a
 * mnemonic that starts with a letter (ASA/FTD ids are six digits, so their lines never match).
 */
export const IOS_MNEMONIC_RE =
  /(?:^|[\s:])%([A-Z][A-Z0-9_]{0,30}(?:-[A-Z][A-Z0-9_]{0,20})?)-([0-7])-([A-Z][A-Z0-9_]{0,40}):/;

/** The device's own stamp before the mnemonic: `*Mar  1 00:00:01.123`, `Mar 6 2023 08:04:45.866`, NX-OS `2023 Jan 11 19:27:57`. */
const DEVICE_STAMP_RE =
  /(?:^|[\s*.])(?:(\d{4}) )?([A-Z][a-z]{2}) +(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/;

/** Facilities whose messages are logins, sessions and AAA, counted as `authentication`. */
const AUTH_FACILITIES = new Set([
  'SEC_LOGIN',
  'SSH',
  'AAA',
  'AAAA',
  'DMI',
  'MAB',
  'AUTHMGR',
  'DOT1X',
  'RADIUS',
  'TACACS',
  'AUTHPRIV',
]);
/** Facilities whose messages are configuration changes and commands, counted as `configuration`. */
const CONFIG_FACILITIES = new Set(['PARSER', 'VSHD', 'HA_EM', 'ARCHIVE_DIFF']);
/** Facilities of interfaces, switching, routing protocols and the platform, counted as `system event`. */
const SYSTEM_FACILITIES = new Set([
  'LINK',
  'LINEPROTO',
  'ETHPORT',
  'ETH_PORT_CHANNEL',
  'EC',
  'SPANTREE',
  'PM',
  'PLATFORM',
  'SW_MATM',
  'PORT_SECURITY',
  'DHCP_SNOOPING',
  'ARP',
  'IP',
  'OSPF',
  'BGP',
  'PIM',
  'CDP',
  'LLDP',
  'NTP',
  'ENVMON',
  'STACKMGR',
  'ILPOWER',
  'DAEMON',
  'USER',
  'NDBMAN',
  'CCH323',
  'HSRP',
  'STANDBY',
]);

/** Non-traffic kind of a message by facility and mnemonic, or `not understood: FAC-S-MNEMONIC`. */
function nonTrafficKind(facility: string, severity: string, mnemonic: string): string {
  const base = facility.split('-')[0]!;
  if (AUTH_FACILITIES.has(base)) return 'authentication';
  if (base === 'SYS') {
    if (mnemonic.startsWith('CONFIG')) return 'configuration';
    if (mnemonic.startsWith('PRIV_AUTH') || mnemonic === 'LOGOUT' || mnemonic === 'TTY_EXPIRE_TIMER')
      return 'authentication';
    return 'system event';
  }
  if (CONFIG_FACILITIES.has(base)) return 'configuration';
  if (SYSTEM_FACILITIES.has(base)) return 'system event';
  return `not understood: ${facility}-${severity}-${mnemonic}`;
}

/** `0050.56ab.cdef` (IOS) or `00-00-5E-00-53-23` to `00:50:56:ab:cd:ef`; undefined for anything else. */
function macAddress(text: string): string | undefined {
  // Length first: a word of 57,000 dots cost 1.1 ms in the replace below.
  if (text.length < 12 || text.length > 17) return undefined;
  const hex = text.replace(/[.:-]/g, '');
  if (!/^[0-9A-Fa-f]{12}$/.test(hex) || !/^[0-9A-Fa-f.:-]{12,17}$/.test(text)) return undefined;
  return hex.toLowerCase().replace(/(..)(?!$)/g, '$1:');
}

/** `192.0.2.1(443)` / `2001:db8::1(53),` / `192.0.2.1`: address and port of an ACL log endpoint. */
function aclEndpoint(token: string): { ip: string; port?: string } {
  const t = token.endsWith(',') ? token.slice(0, -1) : token;
  const open = t.indexOf('(');
  if (open < 0 || !t.endsWith(')')) return { ip: t };
  return { ip: t.slice(0, open), port: t.slice(open + 1, -1) };
}

/** True for a token that is an address, with or without a `(port)`. */
function isAddressToken(token: string): boolean {
  return canonicalIp(aclEndpoint(token).ip) !== null;
}

/** Protocol words of ACL logs that mean "any IP protocol" (no transport to name). */
const ANY_PROTOCOL = new Set(['ip', 'ipv6']);

/**
 * An ACL log record, from its `list` keyword on:
 * `list ACL {permitted|denied} PROTO SRC[(p)] [(ifc mac)] -> DST[(p)] [(type/code)], N packet[s]`;
 * standard lists (`...LOGS`) write `list ACL {permitted|denied} SRC [(ifc mac)] N packet[s]`.
 */
function readAccessLog(text: string, standard: boolean): FwEvent | ParseError {
  const words = splitFields(text.trim(), ' ').filter((w) => w !== '');
  if (words[0] !== 'list' || words.length < 4) return damaged('parse.ios.noList');
  const acl = words[1]!;
  const verdict = words[2]!;
  if (verdict !== 'permitted' && verdict !== 'denied')
    return damaged('parse.ios.verdict', { value: verdict });
  const action: EventAction = verdict === 'permitted' ? 'allow' : 'deny';
  let protocol: string | undefined;
  let i = 3;
  if (!standard) {
    protocol = words[i++]!.toLowerCase();
    if (ANY_PROTOCOL.has(protocol)) protocol = undefined;
  }
  // Before the arrow: the source, perhaps a MAC and an interface (log-input) in either order.
  let source: { ip: string; port?: string } | undefined;
  let inInterface: string | undefined;
  let sourceMac: string | undefined;
  for (; i < words.length; i++) {
    let w = words[i]!;
    if (w === '->' || w.endsWith('->')) break;
    if (standard && /^\d+$/.test(w) && source !== undefined) break;
    if (w.startsWith('(')) w = w.slice(1);
    if (w.endsWith(')') && !w.includes('(')) w = w.slice(0, -1);
    if (source === undefined && isAddressToken(w)) source = aclEndpoint(w);
    else {
      const mac = macAddress(w);
      if (mac !== undefined) sourceMac = mac;
      else if (w !== '') inInterface = w;
    }
  }
  const arrow = words[i] ?? '';
  if (!standard && arrow.length > 2) inInterface = arrow.slice(0, -2);
  if (source === undefined) return damaged('parse.ios.noSource');
  let destination: { ip: string; port?: string } | undefined;
  let icmpType: number | undefined;
  let icmpCode: number | undefined;
  if (!standard) {
    if (i >= words.length) return damaged('parse.ios.noArrow');
    const dst = words[i + 1];
    if (dst === undefined) return damaged('parse.ios.noDestination');
    destination = aclEndpoint(dst);
    // `(3/4),` after the destination: ICMP type and code (IGMP writes only its type).
    const typeCode = /^\((\d{1,3})(?:\/(\d{1,3}))?\),?$/.exec(words[i + 2] ?? '');
    if (typeCode && protocol !== undefined && /icmp|igmp/.test(protocol)) {
      icmpType = Number(typeCode[1]);
      if (typeCode[2] !== undefined) icmpCode = Number(typeCode[2]);
    }
  }
  const ev = flowEvent(FORMAT_ID, action, 'unknown', {
    sourceIp: source.ip,
    sourcePort: source.port,
    destinationIp: destination?.ip,
    destinationPort: destination?.port,
    protocol,
  });
  if ('error' in ev) return ev;
  if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    if (icmpType !== undefined) ev.icmpType = icmpType;
    if (icmpCode !== undefined) ev.icmpCode = icmpCode;
  }
  ev.ruleName = acl;
  if (inInterface) ev.inInterface = inInterface;
  if (sourceMac) ev.sourceMac = sourceMac;
  return ev;
}

/** NX-OS ACLLOG flows: `Src IP: A, Dst IP: B, Src Port: p, Dst Port: p, Src Intf: X, Protocol: "TCP"(6), ...`. */
function readAclLogFlow(text: string): FwEvent | ParseError {
  const f = new Map<string, string>();
  for (const part of splitFields(text, ', ')) {
    const sep = part.search(/: | = /);
    if (sep > 0) f.set(part.slice(0, sep).trim(), part.slice(sep + (part[sep] === ':' ? 2 : 3)).trim());
  }
  const proto = /^"?[^"(]*"?\((\d{1,3})\)$/.exec(f.get('Protocol') ?? '')?.[1];
  const verdict = (f.get('ACE Action') ?? '').toLowerCase();
  const ev = flowEvent(
    FORMAT_ID,
    verdict === 'deny' ? 'deny' : verdict === 'permit' ? 'allow' : 'log',
    'unknown',
    {
      sourceIp: f.get('Src IP') ?? f.get('Src IPv6'),
      destinationIp: f.get('Dst IP') ?? f.get('Dst IPv6'),
      sourcePort: f.get('Src Port'),
      destinationPort: f.get('Dst Port'),
      protocol: proto,
    },
  );
  if ('error' in ev) return ev;
  if (ev.sourceIp === undefined && ev.destinationIp === undefined)
    return damaged('parse.ios.acllogNoAddress');
  if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    delete ev.sourcePort;
    delete ev.destinationPort;
  }
  const ifc = f.get('Src Intf');
  if (ifc) ev.inInterface = ifc;
  const acl = f.get('ACL Name');
  if (acl) ev.ruleName = acl;
  return ev;
}

/** `192.0.2.1:80` or `[2001:db8::1]:80` / `2001:db8::1:80` (the port after the last colon). */
function hostPort(text: string): { ip: string; port?: string } {
  const t = text.replace(/[[\]]/g, '');
  const colon = t.lastIndexOf(':');
  return colon < 0 ? { ip: t } : { ip: t.slice(0, colon), port: t.slice(colon + 1) };
}

/**
 * Zone-based firewall: `%FW-6-DROP_PKT: Dropping tcp session A:p B:p on zone-pair ... with ip ident N` and the
 * audit trail `Start|Stop tcp session: initiator (A:p) -- responder (B:p)`.
 */
function readZoneFirewall(mnemonic: string, text: string): FwEvent | ParseError | null {
  let m: RegExpExecArray | null;
  let action: EventAction;
  if (mnemonic === 'DROP_PKT') {
    m = /^Dropping (\S+) (?:session|pkt|packet) (?:from \S+ )?(\S+) (\S+) /.exec(text);
    action = 'deny';
  } else if (mnemonic.startsWith('SESS_AUDIT_TRAIL')) {
    m = /(?:Start|Stop) (\S+) session: initiator \((\S+)\) (?:sent \d+ bytes )?-- responder \((\S+)\)/.exec(
      text,
    );
    action = 'allow';
  } else return null;
  if (!m) return damaged('parse.ios.zoneLayout', { mnemonic });
  const src = hostPort(m[2]!);
  const dst = hostPort(m[3]!);
  // The audit trail names the inspected application (`http`, `dns`), not always a transport.
  const protocol = /^(?:tcp|udp|icmp)$/i.test(m[1]!) ? m[1] : undefined;
  return flowEvent(FORMAT_ID, action, 'unknown', {
    sourceIp: src.ip,
    sourcePort: src.port,
    destinationIp: dst.ip,
    destinationPort: dst.port,
    protocol,
  });
}

/** Epoch ms of the device's stamp in the text before the mnemonic, when it has one. */
function deviceStamp(header: string, ctx: ParseContext): number | undefined {
  const m = DEVICE_STAMP_RE.exec(header);
  if (!m) return undefined;
  const month = monthIndex(m[2]!);
  if (month < 0) return undefined;
  const day = Number(m[3]);
  const [h, mi, s] = [Number(m[5]), Number(m[6]), Number(m[7])];
  if (day < 1 || day > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = m[8] === undefined ? 0 : Math.floor(Number(`0.${m[8]}`) * 1000);
  const year = m[1] ?? m[4];
  return year === undefined
    ? inferYearTime(ctx, month, day, h, mi, s, ms)
    : localTime(ctx, Number(year), month, day, h, mi, s, ms);
}

/** A host name the device put before its stamp (`HOSTNAME: Oct 14 10:45:43.767 UTC: %SEC-...`). */
function headerHost(header: string): string | undefined {
  const first = /^<\d{1,3}>/.test(header) ? header.replace(/^<\d{1,3}>/, '') : header;
  const m = /^([A-Za-z][\w.-]{0,62}): /.exec(first);
  return m && monthIndex(m[1]!) < 0 ? m[1] : undefined;
}

function parse(env: Envelope, ctx: ParseContext): ParseResult {
  const message = env.message;
  if (!message.includes('%')) return null;
  const m = IOS_MNEMONIC_RE.exec(message);
  if (!m) return null;
  const [facility, severity, mnemonic] = [m[1]!, m[2]!, m[3]!];
  const start = m.index + (m[0].length - m[0].trimStart().length);
  const header = message.slice(0, start);
  const body = message.slice(m.index + m[0].length).trimStart();
  const base = facility.split('-')[0]!;
  let result: FwEvent | ParseError | null = null;
  if (mnemonic.endsWith('ACCESSLOGRL')) return { skip: 'ACL log rate-limit notice' };
  if (mnemonic.startsWith('ACLLOG_MAXFLOW')) return { skip: 'ACL log rate-limit notice' };
  if (/^(?:IP)?ACCESSLOG[A-Z]{0,3}$/.test(mnemonic)) {
    // IOS-XE's forwarding manager writes `R0/0: fman_fp_image: ` (or `F0: ...`) before `list`.
    const list = body.startsWith('list ') ? 0 : body.indexOf(' list ');
    if (list < 0) return damaged('parse.ios.noListAcl', { id: `${facility}-${severity}-${mnemonic}` });
    result = readAccessLog(body.slice(list), mnemonic.endsWith('LOGS'));
  } else if (base === 'ACLLOG' && mnemonic.startsWith('ACLLOG_')) {
    result = readAclLogFlow(body);
  } else if (base === 'FW') {
    result = readZoneFirewall(mnemonic, body);
  }
  if (result === null) return { skip: nonTrafficKind(facility, severity, mnemonic) };
  if ('error' in result) return result;
  const t = deviceStamp(header, ctx) ?? env.timestamp;
  if (t !== undefined) result.timestamp = t;
  const host = env.host ?? headerHost(header);
  if (host) result.observerHost = host;
  result.observerProduct = base === 'ACLLOG' ? 'cisco-nxos' : 'cisco-ios';
  return result;
}

/** Cisco IOS, IOS-XE and NX-OS ACL logging and zone-based firewall messages. */
export const ciscoIos: LogFormat = {
  id: FORMAT_ID,
  label: 'Cisco IOS / IOS-XE / NX-OS',
  description:
    'Syslog of Cisco routers and switches (%FACILITY-SEVERITY-MNEMONIC): ACL logging (%SEC-6-IPACCESSLOGP/DP/NP/RP/SP/S, %IPV6_ACL-6-ACCESSLOGP/DP/NP/SP, IOS-XE %FMANFP-6-IPACCESSLOGP), NX-OS %ACLLOG-6-ACLLOG flows and zone-based firewall drops; rate-limit notices and other messages are counted as non-traffic by facility or as not understood with their mnemonic.',
  example: '%SEC-6-IPACCESSLOGP: list OUTSIDE_IN denied tcp 203.0.113.7(51515) -> 192.0.2.10(22), 1 packet',
  fields: [
    ...UNDIRECTED_TRAFFIC_FIELDS,
    'sourceMac',
    'icmpType',
    'icmpCode',
    ...INTERFACE_RULE_FIELDS,
    ...OBSERVER_FIELDS,
  ],
  detect(message: string): number {
    if (!message.includes('%')) return 0;
    const m = IOS_MNEMONIC_RE.exec(message);
    if (!m) return 0;
    return /ACCESSLOG|ACLLOG/.test(m[3]!) || m[1] === 'FW' ? 0.9 : 0.5;
  },
  createParser: statelessParser(parse),
};
