// Microsoft ISA Server records to events: the ISA 2004/2006 Firewall log, the Web Proxy and Firewall
// service logs (ISA 2000 and 2004 names, W3C or ISA native format) and the ISA 2000 packet filter log.

import type { Direction, EventAction, FwEvent, TcpFlag } from '../../event.js';
import { ownValue } from '../../util/own.js';
import { damaged } from '../damaged.js';
import { localTime } from '../envelope/time.js';
import { flowEvent, isUnset } from '../flow-record.js';
import type { ParseContext, ParseError, ParseResult } from '../types.js';

/** One record: column text keyed by its W3C field name. */
export type IsaRecord = Record<string, string>;

/**
 * Time of a record. W3C files write `yyyy-mm-dd` and `hh:mm:ss` in UTC (Microsoft's field reference); the
 * ISA native format writes `m/d/yyyy` and `h:mm:ss` in the server's local time (the context's offset).
 */
export function recordTime(
  date: string | undefined,
  time: string | undefined,
  ctx: ParseContext,
): number | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date ?? '');
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date ?? '');
  const hms = /^(\d{1,2}):(\d{2}):(\d{2})(?:\.\d+)?$/.exec(time ?? '');
  if ((!iso && !us) || !hms) return null;
  const [y, mo, d] = iso ? [iso[1], iso[2], iso[3]].map(Number) : [us![3], us![1], us![2]].map(Number);
  const [h, mi, s] = [hms[1], hms[2], hms[3]].map(Number);
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return null;
  // ISO dates are written in UTC; the US form in the server's local time (--tz).
  return iso ? Date.UTC(y!, mo! - 1, d!, h!, mi!, s!) : localTime(ctx, y!, mo! - 1, d!, h!, mi!, s!);
}

/**
 * Direction from ISA 2004 network names: to or from the firewall itself (`Local Host`), from or to the
 * Internet (`External`), otherwise between two protected networks.
 */
function networkDirection(source: string | undefined, destination: string | undefined): Direction {
  if (destination === 'Local Host') return 'inbound';
  if (source === 'Local Host') return 'outbound';
  if (source === 'External') return 'inbound';
  if (destination === 'External') return 'outbound';
  return !isUnset(source) && !isUnset(destination) ? 'forward' : 'unknown';
}

/** `192.0.2.1:80` (for ICMP the number after the colon is the type or the code). */
function endpoint(text: string | undefined): [string | undefined, string | undefined] {
  if (isUnset(text)) return [undefined, undefined];
  const colon = text!.lastIndexOf(':');
  return colon > 0 ? [text!.slice(0, colon), text!.slice(colon + 1)] : [text, undefined];
}

/** Firewall log actions (FpcAction as written in text logs); `null` marks records without traffic. */
const FIREWALL_ACTIONS: Record<string, EventAction | null> = {
  allowed: 'allow',
  'initiated connection': 'allow',
  establish: 'allow',
  'successful connection': 'allow',
  denied: 'deny',
  'denied connection': 'deny',
  'closed connection': 'log',
  terminate: 'log',
  disconnection: 'log',
  failed: 'log',
  'failed connection attempt': 'log',
  'unsuccessful connection': 'log',
  intermediate: 'log',
  bind: null,
  listen: null,
  ghbn: null,
  ghba: null,
  'redirect bind': null,
  'not logged': null,
};

/** A number 0-255 from ICMP type/code text, or undefined. */
function byte(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,3}$/.test(text) && Number(text) <= 255 ? Number(text) : undefined;
}

/** Put ICMP type and code where a format writes them in the port places. */
function icmpFromPorts(ev: FwEvent, type: string | undefined, code: string | undefined): ParseError | null {
  if (type === undefined && code === undefined) return null;
  const t = byte(type);
  const c = byte(code);
  if ((type !== undefined && t === undefined) || (code !== undefined && c === undefined))
    return damaged('parse.icmpOutOfRange', { value: `"${type}/${code}"` });
  if (t !== undefined) ev.icmpType = t;
  if (c !== undefined) ev.icmpCode = c;
  return null;
}

/** The reason of a record whose date and time fields do not make a stamp. */
function notIsaTime(rec: IsaRecord): ParseError {
  return damaged('parse.notProductDateTime', {
    value: `"${rec.date} ${rec.time}"`,
    product: { en: 'an ISA', zh: 'ISA' },
  });
}

/** ISA 2004/2006 Firewall log record (`computer date time IP protocol source destination ... action`). */
export function firewallRecord(rec: IsaRecord, ctx: ParseContext): ParseResult {
  const actionWord = rec.action ?? '';
  const action = ownValue(FIREWALL_ACTIONS, actionWord.toLowerCase());
  if (action === undefined) return damaged('parse.isa.action', { value: actionWord });
  if (action === null) return { skip: 'socket operation' };
  const time = recordTime(rec.date, rec.time, ctx);
  if (time === null) return notIsaTime(rec);
  const protocol = rec['IP protocol'];
  const isIcmp = /^icmp$/i.test(protocol ?? '');
  const [srcIp, srcPort] = endpoint(rec.source);
  const [dstIp, dstPort] = endpoint(rec.destination);
  const ev = flowEvent(
    'ms-isa',
    action,
    networkDirection(rec['source network'], rec['destination network']),
    {
      sourceIp: srcIp,
      destinationIp: dstIp,
      sourcePort: isIcmp ? undefined : srcPort,
      destinationPort: isIcmp ? undefined : dstPort,
      protocol,
    },
  );
  if ('error' in ev) return ev;
  if (isIcmp) {
    const bad = icmpFromPorts(ev, srcPort, dstPort);
    if (bad) return bad;
  }
  ev.timestamp = time;
  if (!isUnset(rec.rule)) ev.ruleName = rec.rule;
  if (!isUnset(rec.computer)) ev.observerHost = rec.computer;
  ev.observerProduct = 'ms-isa';
  return ev;
}

/** Web Proxy statuses that are ISA's own refusals: 407 asks for credentials, 12202/12209 deny by rule. */
const PROXY_REFUSALS = new Set(['407', '12202', '12209']);

/** Web Proxy (`w3proxy`, `w3reverseproxy`) request: client to remote server through the proxy. */
function proxyRecord(rec: IsaRecord, ev: FwEvent): FwEvent {
  // ISA 2004 writes the decision; ISA 2000 does not: an object that came from somewhere was served,
  // ISA's own refusal codes were denials, anything else stays `log`.
  const word = rec.action?.toLowerCase();
  if (word !== undefined) ev.action = word === 'allowed' ? 'allow' : word === 'denied' ? 'deny' : 'log';
  else if (!isUnset(rec['s-object-source'])) ev.action = 'allow';
  else if (PROXY_REFUSALS.has(rec['sc-status'] ?? '')) ev.action = 'deny';
  if (rec['cs-Network'] !== undefined || rec['sc-Network'] !== undefined)
    ev.direction = networkDirection(rec['cs-Network'], rec['sc-Network']);
  else ev.direction = rec['s-svcname'] === 'w3reverseproxy' ? 'inbound' : 'outbound';
  return ev;
}

/** Firewall service operations without traffic of their own. */
const SOCKET_OPERATIONS = new Set(['Bind', 'Listen', 'GHBN', 'GHBA', 'Redirect Bind']);

/**
 * Web Proxy or Firewall service record (ISA 2000 names: `c-ip ... r-ip r-port ... s-operation ... sc-status`).
 * Firewall service `Connect` and `UdpMap` go from the client out to r-ip:r-port; `Accept` brings r-ip:r-port
 * in to the client (a published server).
 */
export function serviceRecord(rec: IsaRecord, ctx: ParseContext): ParseResult {
  const service = rec['s-svcname'] ?? 'w3proxy';
  const operation = rec['s-operation'] ?? '';
  const isFirewallService = service === 'fwsrv';
  if (isFirewallService && SOCKET_OPERATIONS.has(operation)) return { skip: 'socket operation' };
  if (isFirewallService && !['Connect', 'Accept', 'UdpMap'].includes(operation))
    return damaged('parse.isa.operation', { value: operation });
  const time = recordTime(rec.date, rec.time, ctx);
  if (time === null) return notIsaTime(rec);
  const incoming = operation === 'Accept';
  const remote = { ip: rec['r-ip'], port: rec['r-port'] };
  const ev = flowEvent('ms-isa', 'log', incoming ? 'inbound' : 'outbound', {
    sourceIp: incoming ? remote.ip : rec['c-ip'],
    sourcePort: incoming ? remote.port : undefined,
    destinationIp: incoming ? rec['c-ip'] : remote.ip,
    destinationPort: incoming ? undefined : remote.port,
    protocol: rec['cs-transport'],
  });
  if ('error' in ev) return ev;
  ev.timestamp = time;
  if (isFirewallService) {
    // The result code is a Windows error code: 0 is success; ISA's own codes (13301, 20000 ...) stay `log`.
    if (rec['sc-status'] === '0') ev.action = 'allow';
  } else proxyRecord(rec, ev);
  const rules = [rec.rule, rec['rule#1'], rec['rule#2']].filter((r) => r !== undefined && !isUnset(r));
  if (rules.length > 0) ev.ruleName = rules.join(' / ');
  if (!isUnset(rec['s-computername'])) ev.observerHost = rec['s-computername'];
  ev.observerProduct = 'ms-isa';
  return ev;
}

/** Packet filter dispositions: ALLOWED/BLOCKED, INTERNAL (dropped on the internal interface), or 1/0. */
const FILTER_ACTIONS: Record<string, EventAction> = {
  ALLOWED: 'allow',
  BLOCKED: 'deny',
  INTERNAL: 'deny',
  '1': 'allow',
  '0': 'deny',
};

const FLAG_WORDS = new Set<string>(['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG']);

/** ISA 2000 packet filter record (`date time source-ip destination-ip protocol param#1 param#2 tcp-flags ...`). */
export function packetFilterRecord(rec: IsaRecord, ctx: ParseContext): ParseResult {
  const disposition = rec['filter-rule'] ?? '';
  const action = ownValue(FILTER_ACTIONS, disposition.toUpperCase());
  if (action === undefined) return damaged('parse.isa.disposition', { value: disposition });
  const time = recordTime(rec.date, rec.time, ctx);
  if (time === null) return notIsaTime(rec);
  const isIcmp = /^icmp$/i.test(rec.protocol ?? '');
  const src = rec['source-ip'];
  const dst = rec['destination-ip'];
  // The interface column holds the address of the ISA interface that saw the packet.
  const iface = rec.interface;
  const direction: Direction =
    iface !== undefined && iface === dst
      ? 'inbound'
      : iface !== undefined && iface === src
        ? 'outbound'
        : 'unknown';
  const ev = flowEvent('ms-isa', action, direction, {
    sourceIp: src,
    destinationIp: dst,
    sourcePort: isIcmp ? undefined : rec['param#1'],
    destinationPort: isIcmp ? undefined : rec['param#2'],
    protocol: rec.protocol,
  });
  if ('error' in ev) return ev;
  if (isIcmp) {
    const bad = icmpFromPorts(ev, rec['param#1'], rec['param#2']);
    if (bad) return bad;
  }
  const flagsText = (rec['tcp-flags'] ?? '').trim();
  if (ev.transport === 'tcp' && !isUnset(flagsText)) {
    const words = flagsText.split(/\s+/);
    if (!words.every((w) => FLAG_WORDS.has(w))) return damaged('parse.isa.tcpFlags', { value: flagsText });
    const order: TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];
    ev.tcpFlags = order.filter((f) => words.includes(f));
  }
  ev.timestamp = time;
  ev.observerProduct = 'ms-isa';
  return ev;
}
