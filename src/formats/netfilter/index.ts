// netfilter LOG-target text (iptables, ip6tables, nftables `log`, ufw, firewalld, Shorewall, Proxmox, EdgeOS):
// `<prefix>IN=eth0 OUT= MAC=... SRC=... DST=... LEN=... PROTO=TCP SPT=... DPT=... SYN ...`.
import type { Direction, FwEvent, InnerPacket, TcpFlag } from '../../event.js';
import type { MessageKey, MessageVars } from '../../i18n.js';
import { canonicalIp } from '../../net/ip.js';
import { ownValue } from '../../util/own.js';
import { damaged } from '../damaged.js';
import type { Envelope, LogFormat, ParseResult } from '../types.js';
import { interpretPrefix } from './prefix.js';

const TCP_FLAG_WORDS = new Set<string>(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']);

/** Protocol names the kernel prints after PROTO=, with their IANA numbers. */
export const PROTOCOLS: Record<string, [string, number]> = {
  TCP: ['tcp', 6],
  UDP: ['udp', 17],
  UDPLITE: ['udplite', 136],
  ICMP: ['icmp', 1],
  ICMPv6: ['ipv6-icmp', 58],
  SCTP: ['sctp', 132],
  DCCP: ['dccp', 33],
  ESP: ['esp', 50],
  AH: ['ah', 51],
  GRE: ['gre', 47],
  IGMP: ['igmp', 2],
};
/** Transport names of protocol numbers the kernel prints as digits (PROTO=47). */
export const NUMBERED: Record<number, string> = {
  1: 'icmp',
  2: 'igmp',
  4: 'ipip',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
};

/** True when the character code may stand right before a netfilter key: start, space, ':', ']' or '"'. */
function isKeyBoundary(c: number): boolean {
  return c === 32 || c === 58 || c === 93 || c === 34;
}

function findKey(message: string, key: string): number {
  let i = message.indexOf(key);
  while (i >= 0) {
    if (i === 0 || isKeyBoundary(message.charCodeAt(i - 1))) return i;
    i = message.indexOf(key, i + key.length);
  }
  return -1;
}

/**
 * Where the netfilter body starts: the first `IN=` (or `OUT=` when IN is absent, as in
 * Proxmox output-chain lines) at the start or after a space, ':', ']' or '"'. -1 if none.
 */
export function findBodyStart(message: string): number {
  const inAt = findKey(message, 'IN=');
  if (inAt >= 0) return inAt;
  const outAt = findKey(message, 'OUT=');
  return outAt >= 0 && message.indexOf('SRC=', outAt) > 0 ? outAt : -1;
}

/** A line that has the packet fields of a netfilter line but no IN=/OUT= header: damaged. */
function looksLikeDamagedNetfilter(message: string): boolean {
  return message.includes(' SRC=') && message.includes(' DST=') && message.includes(' PROTO=');
}

function intOrError(v: string, key: string, max: number): number {
  if (v.length === 0 || v.length > 10) throw new FieldError('parse.netfilter.notNumber', { key, value: v });
  let n = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i) - 48;
    if (c < 0 || c > 9) throw new FieldError('parse.netfilter.notNumber', { key, value: v });
    n = n * 10 + c;
  }
  if (n > max) throw new FieldError('parse.netfilter.outOfRange', { key, value: v, max });
  return n;
}

function hex(v: string, key: string): number {
  const n = Number.parseInt(v.startsWith('0x') || v.startsWith('0X') ? v.slice(2) : v, 16);
  if (Number.isNaN(n)) throw new FieldError('parse.netfilter.notHex', { key, value: v });
  return n;
}

/** A bad field, thrown out of the scanner: its reason as a catalog key and values (see `damaged`). */
class FieldError {
  constructor(
    readonly key: MessageKey,
    readonly vars?: MessageVars,
  ) {}
}

/** The keys the scanner acts on; looked up by a hash of the key text so no per-field string is made. */
const KEYS = [
  'IN',
  'OUT',
  'MAC',
  'MACSRC',
  'MACDST',
  'SRC',
  'DST',
  'LEN',
  'TOS',
  'TC',
  'FLOWLBL',
  'TTL',
  'HOPLIMIT',
  'ID',
  'PROTO',
  'SPT',
  'DPT',
  'SEQ',
  'ACK',
  'WINDOW',
  'TYPE',
  'CODE',
  'MTU',
  'PARAMETER',
  'GATEWAY',
  'UID',
  'GID',
  'MARK',
] as const;
type Key = (typeof KEYS)[number];

function hashRange(s: string, from: number, to: number): number {
  let h = 0;
  for (let j = from; j < to; j++) h = (Math.imul(h, 31) + s.charCodeAt(j)) | 0;
  return h;
}

const KEY_BY_HASH = new Map<number, Key>();
for (const k of KEYS) {
  const h = hashRange(k, 0, k.length);
  if (KEY_BY_HASH.has(h)) throw new Error(`netfilter key hash collision: ${k}`);
  KEY_BY_HASH.set(h, k);
}

/** The known key spelled at body[from, to), without allocating; undefined for keys we ignore. */
function keyAt(body: string, from: number, to: number): Key | undefined {
  const k = KEY_BY_HASH.get(hashRange(body, from, to));
  return k !== undefined && k.length === to - from && body.startsWith(k, from) ? k : undefined;
}

/** Decimal integer at body[from, to) without slicing; throws a FieldError naming the key when bad. */
function intAt(body: string, from: number, to: number, key: string, max: number): number {
  const len = to - from;
  if (len === 0 || len > 10)
    throw new FieldError('parse.netfilter.notNumber', { key, value: body.slice(from, to) });
  let n = 0;
  for (let j = from; j < to; j++) {
    const c = body.charCodeAt(j) - 48;
    if (c < 0 || c > 9)
      throw new FieldError('parse.netfilter.notNumber', { key, value: body.slice(from, to) });
    n = n * 10 + c;
  }
  if (n > max) throw new FieldError('parse.netfilter.outOfRange', { key, value: body.slice(from, to), max });
  return n;
}

function ip(v: string, key: string): string {
  const out = canonicalIp(v);
  if (out === null) throw new FieldError('parse.netfilter.notIp', { key, value: v });
  return out;
}

/** Fields of one `KEY=VALUE ... FLAG ...` run, shared by the outer packet and the quoted inner one. */
interface Scan {
  proto?: string;
  protoSeen: boolean;
}

/**
 * Parse the tokens of a netfilter body into `ev` (or into an inner packet when `inner` is true).
 * Returns the index after the last consumed character.
 */
function scanFields(body: string, start: number, end: number, ev: FwEvent, isInner: boolean): Scan {
  const scan: Scan = { protoSeen: false };
  let i = start;
  let afterProto = false;
  let seenIn = false;
  let seenSrc = false;
  let tcpFlags: TcpFlag[] | undefined;
  const inner: InnerPacket | undefined = isInner ? (ev as unknown as InnerPacket) : undefined;
  let nextEq = body.indexOf('=', i);
  while (i < end) {
    if (body.charCodeAt(i) === 32) {
      i++;
      continue;
    }
    // The packet quoted inside an ICMP error: "[SRC=... DST=... ]"
    if (body.charCodeAt(i) === 91 /* [ */) {
      let depth = 0;
      let j = i;
      for (; j < end; j++) {
        const c = body.charCodeAt(j);
        if (c === 91) depth++;
        else if (c === 93 && --depth === 0) break;
      }
      const text = body.slice(i + 1, j);
      if (!isInner && text.startsWith('SRC=')) {
        const innerEv = {} as FwEvent;
        scanFields(text, 0, text.length, innerEv, true);
        ev.inner = innerEv as unknown as InnerPacket;
      } else if (text.endsWith(' bytes')) {
        // "INCOMPLETE [65535 bytes]"
        ev.incompleteBytes = Number.parseInt(text, 10);
      }
      i = j + 1;
      continue;
    }
    let sp = body.indexOf(' ', i);
    if (sp < 0 || sp > end) sp = end;
    // The next '=' is searched once and reused while it lies ahead: a fresh search per bare word would
    // scan the rest of the line each time (quadratic on a long run of words without '=').
    if (nextEq !== -1 && nextEq < i) nextEq = body.indexOf('=', i);
    const eq = nextEq;
    if (eq < 0 || eq > sp) {
      const word = body.slice(i, sp);
      if (TCP_FLAG_WORDS.has(word)) {
        if (tcpFlags === undefined) tcpFlags = [];
        tcpFlags.push(word as TcpFlag);
      } else if (word === 'DF' && !inner) ev.dontFragment = true;
      else if (word === 'MF' && !inner) ev.moreFragments = true;
      else if (word.startsWith('FRAG:') && !inner)
        ev.fragmentOffset = intOrError(word.slice(5), 'FRAG', 8191);
      else if (word === 'OPT' || word === 'INCOMPLETE' || word === 'CE') {
        // "OPT (0204...)" carries IP/TCP options; the value token is skipped by the next round.
      }
      i = sp + 1;
      continue;
    }
    const key = keyAt(body, i, eq);
    const vs = eq + 1;
    i = sp + 1;
    if (key === undefined) continue; // PHYSIN, PHYSOUT, MACPROTO, PREC, RES, URGP, SPI and unknown keys
    switch (key) {
      case 'IN':
        // A second IN= (or SRC=) outside a quoted packet: two records glued where a line break was lost.
        if (seenIn) throw new FieldError('parse.netfilter.glued');
        seenIn = true;
        if (sp > vs) ev.inInterface = body.slice(vs, sp);
        break;
      case 'OUT':
        if (sp > vs) ev.outInterface = body.slice(vs, sp);
        break;
      case 'MAC':
        if (sp - vs >= 35) {
          ev.destinationMac = body.slice(vs, vs + 17);
          ev.sourceMac = body.slice(vs + 18, vs + 35);
        }
        break;
      case 'MACSRC':
        ev.sourceMac = body.slice(vs, sp);
        break;
      case 'MACDST':
        ev.destinationMac = body.slice(vs, sp);
        break;
      case 'SRC':
        if (seenSrc) throw new FieldError('parse.netfilter.glued');
        seenSrc = true;
        if (inner) inner.sourceIp = ip(body.slice(vs, sp), key);
        else ev.sourceIp = ip(body.slice(vs, sp), key);
        break;
      case 'DST':
        if (inner) inner.destinationIp = ip(body.slice(vs, sp), key);
        else ev.destinationIp = ip(body.slice(vs, sp), key);
        break;
      case 'LEN':
        // The second LEN (UDP length) must not overwrite the IP length.
        if (!afterProto && !inner) ev.length = intAt(body, vs, sp, key, 65535);
        break;
      case 'TOS':
        if (!inner) ev.tos = hex(body.slice(vs, sp), key);
        break;
      case 'TC':
        if (!inner) ev.trafficClass = intAt(body, vs, sp, key, 255);
        break;
      case 'FLOWLBL':
        if (!inner) ev.flowLabel = intAt(body, vs, sp, key, 0xfffff);
        break;
      case 'TTL':
      case 'HOPLIMIT':
        if (inner) inner.ttl = intAt(body, vs, sp, key, 255);
        else ev.ttl = intAt(body, vs, sp, key, 255);
        break;
      case 'ID':
        if (!afterProto) {
          if (inner) inner.ipId = intAt(body, vs, sp, key, 0xffffffff);
          else ev.ipId = intAt(body, vs, sp, key, 0xffffffff);
        } else if (!inner) ev.icmpId = intAt(body, vs, sp, key, 0xffffffff);
        break;
      case 'PROTO': {
        const v = body.slice(vs, sp);
        afterProto = true;
        scan.protoSeen = true;
        const known = ownValue(PROTOCOLS, v);
        let transport: string;
        let number: number | undefined;
        if (known) [transport, number] = known;
        else if (/^\d{1,3}$/.test(v)) {
          number = Number(v);
          if (number > 255)
            throw new FieldError('parse.netfilter.outOfRange', { key: 'PROTO', value: v, max: 255 });
          transport = NUMBERED[number] ?? `proto-${number}`;
        } else transport = v.toLowerCase();
        scan.proto = transport;
        if (inner) inner.transport = transport;
        else {
          ev.transport = transport;
          if (number !== undefined) ev.ianaNumber = number;
        }
        break;
      }
      case 'SPT':
        if (inner) inner.sourcePort = intAt(body, vs, sp, key, 65535);
        else ev.sourcePort = intAt(body, vs, sp, key, 65535);
        break;
      case 'DPT':
        if (inner) inner.destinationPort = intAt(body, vs, sp, key, 65535);
        else ev.destinationPort = intAt(body, vs, sp, key, 65535);
        break;
      case 'SEQ':
        if (sp === vs) break;
        if (inner) break;
        if (scan.proto === 'icmp' || scan.proto === 'ipv6-icmp') ev.icmpSeq = intAt(body, vs, sp, key, 65535);
        else ev.tcpSeq = intAt(body, vs, sp, key, 0xffffffff);
        break;
      case 'ACK':
        if (!inner && sp > vs) ev.tcpAck = intAt(body, vs, sp, key, 0xffffffff);
        break;
      case 'WINDOW':
        if (!inner) ev.tcpWindow = intAt(body, vs, sp, key, 65535);
        break;
      case 'TYPE':
        if (inner) inner.icmpType = intAt(body, vs, sp, key, 255);
        else ev.icmpType = intAt(body, vs, sp, key, 255);
        break;
      case 'CODE':
        if (inner) inner.icmpCode = intAt(body, vs, sp, key, 255);
        else ev.icmpCode = intAt(body, vs, sp, key, 255);
        break;
      case 'MTU':
        if (!inner) ev.icmpMtu = intAt(body, vs, sp, key, 65535);
        break;
      case 'PARAMETER':
        if (!inner) ev.icmpParameter = intAt(body, vs, sp, key, 0xffffffff);
        break;
      case 'GATEWAY':
        if (!inner) ev.icmpGateway = ip(body.slice(vs, sp), key);
        break;
      case 'UID':
        if (!inner) ev.uid = intAt(body, vs, sp, key, 0xffffffff);
        break;
      case 'GID':
        if (!inner) ev.gid = intAt(body, vs, sp, key, 0xffffffff);
        break;
      case 'MARK':
        if (!inner) ev.mark = hex(body.slice(vs, sp), key);
        break;
    }
  }
  if (tcpFlags && !inner) ev.tcpFlags = tcpFlags;
  return scan;
}

function direction(ev: FwEvent): Direction {
  if (ev.inInterface && ev.outInterface) return 'forward';
  if (ev.inInterface) return 'inbound';
  if (ev.outInterface) return 'outbound';
  return 'unknown';
}

/** Parse one netfilter LOG message (envelope already stripped). */
export function parseNetfilter(env: Envelope): ParseResult {
  const message = env.message;
  const start = findBodyStart(message);
  if (start < 0) {
    return looksLikeDamagedNetfilter(message) ? damaged('parse.netfilter.noInOut') : null;
  }
  let prefix = message.slice(0, start);
  // "Jan  8 03:37:09 DENY: IN=..." : the envelope took "DENY" for a syslog tag.
  if (prefix.trim() === '' && env.program && env.program !== 'kernel') prefix = `${env.program}:`;
  const info = interpretPrefix(prefix);
  const trimmed = prefix.trim();
  // Every field this parser can set, in one order: all netfilter events share one hidden class, so the
  // summary, severity and detection code that reads them runs monomorphic (absent fields stay undefined,
  // which every reader and writer of events treats as absent).
  const ev: FwEvent = {
    format: 'netfilter',
    timestamp: env.timestamp,
    action: info.action,
    direction: 'unknown',
    transport: undefined,
    ianaNumber: undefined,
    ipVersion: undefined,
    sourceIp: undefined,
    sourcePort: undefined,
    sourceMac: undefined,
    destinationIp: undefined,
    destinationPort: undefined,
    destinationMac: undefined,
    inInterface: undefined,
    outInterface: undefined,
    ruleName: info.ruleName,
    prefix: trimmed === '' ? undefined : trimmed,
    observerHost: env.host,
    observerProduct: info.product,
    length: undefined,
    ttl: undefined,
    ipId: undefined,
    tos: undefined,
    trafficClass: undefined,
    flowLabel: undefined,
    dontFragment: undefined,
    moreFragments: undefined,
    fragmentOffset: undefined,
    tcpFlags: undefined,
    tcpSeq: undefined,
    tcpAck: undefined,
    tcpWindow: undefined,
    icmpType: undefined,
    icmpCode: undefined,
    icmpId: undefined,
    icmpSeq: undefined,
    icmpMtu: undefined,
    icmpGateway: undefined,
    icmpParameter: undefined,
    inner: undefined,
    uid: undefined,
    gid: undefined,
    mark: undefined,
    incompleteBytes: undefined,
    file: undefined,
    line: undefined,
  };
  let scan: Scan;
  try {
    scan = scanFields(message, start, message.length, ev, false);
  } catch (e) {
    if (e instanceof FieldError) return damaged(e.key, e.vars);
    throw e;
  }
  if (ev.sourceIp === undefined || ev.destinationIp === undefined)
    return damaged('parse.netfilter.noAddress');
  if (!scan.protoSeen) return damaged('parse.netfilter.noProto');
  ev.ipVersion = ev.sourceIp.includes(':') ? 6 : 4;
  if (ev.ipVersion === 6 && ev.transport === 'icmp') ev.transport = 'ipv6-icmp';
  if (ev.ianaNumber === undefined && ev.transport === 'ipv6-icmp') ev.ianaNumber = 58;
  const ported = ev.transport === 'tcp' || ev.transport === 'udp' || ev.transport === 'udplite';
  if (
    ported &&
    (ev.sourcePort === undefined || ev.destinationPort === undefined) &&
    ev.incompleteBytes === undefined &&
    !ev.fragmentOffset
  )
    return damaged('parse.netfilter.noPorts', { proto: String(ev.transport?.toUpperCase()) });
  // A TCP header was logged but no flag word: a NULL packet (nmap -sN), not "flags unknown".
  if (ev.transport === 'tcp' && ev.tcpFlags === undefined && ev.tcpWindow !== undefined) ev.tcpFlags = [];
  ev.direction = direction(ev);
  return ev;
}

/** The netfilter format module. */
export const netfilter: LogFormat = {
  id: 'netfilter',
  label: 'Linux netfilter LOG (iptables, ip6tables, nftables, ufw, firewalld, Shorewall)',
  description:
    'Kernel log lines written by the iptables/ip6tables LOG target or the nftables log statement, directly or through ufw, firewalld, Shorewall, Proxmox VE and EdgeOS.',
  example:
    '[UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:f3:0b:10:52:54:00:f3:0a:60:08:00 SRC=203.0.113.7 DST=192.0.2.10 LEN=60 TOS=0x00 PREC=0x00 TTL=51 ID=4242 DF PROTO=TCP SPT=40404 DPT=31337 WINDOW=64240 RES=0x00 SYN URGP=0',
  fields: [
    'timestamp',
    'action',
    'direction',
    'transport',
    'sourceIp',
    'sourcePort',
    'destinationIp',
    'destinationPort',
    'sourceMac',
    'destinationMac',
    'inInterface',
    'outInterface',
    'ruleName',
    'ttl',
    'ipId',
    'length',
    'tcpFlags',
    'tcpWindow',
    'tcpSeq',
    'icmpType',
    'icmpCode',
    'inner',
    'uid',
    'gid',
    'mark',
  ],
  detect(message) {
    const start = findBodyStart(message);
    if (start < 0) return looksLikeDamagedNetfilter(message) ? 0.3 : 0;
    return message.includes(' SRC=', start) && message.includes(' PROTO=', start) ? 0.95 : 0.5;
  },
  createParser() {
    return parseNetfilter;
  },
};
