// pfSense / OPNsense `filterlog`: the pf log turned into one CSV line per packet (rule, interface, action,
// direction, IPv4 or IPv6 header columns, then protocol columns), sent with syslog program `filterlog`.
import type { EventAction, FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { splitFields } from '../util/text-scan.js';
import {
  DECISION_FIELDS,
  ENDPOINT_FIELDS,
  INTERFACE_RULE_FIELDS,
  TCP_HEADER_FIELDS,
} from './common-fields.js';
import { damaged } from './damaged.js';
import { countValue, flowEvent } from './flow-record.js';
import { observedFromEnvelope } from './parser-helpers.js';
import { type AlarmKind, markAlarm } from './skip-kinds.js';
import { tcpFlagsFromLetters } from './tcp-flag-letters.js';
import type { Envelope, LogFormat, ParseResult } from './types.js';

/** Columns before the IP header: rule, sub rule, anchor, tracker, interface, reason, action, direction, IP version. */
const HEADER_COLUMNS = 9;

const ACTIONS: Record<string, EventAction> = { pass: 'allow', block: 'deny', reject: 'reject' };

/** ICMP type words filterlog writes, with the type (and code, when the word fixes it). */
const ICMP_WORDS: Record<string, [number, number?]> = {
  reply: [0],
  unreach: [3],
  unreachproto: [3, 2],
  unreachport: [3, 3],
  needfrag: [3, 4],
  redirect: [5],
  request: [8],
  routeradvert: [9],
  routersol: [10],
  timexceed: [11],
  paramprob: [12],
  tstamp: [13],
  tstampreply: [14],
  inforeq: [15],
  inforeply: [16],
  maskreq: [17],
  maskreply: [18],
};

/** Protocol words filterlog writes where the standard name is another one. */
const PROTOCOL_ALIASES = new Set(['icmpv6', 'options']);

/**
 * pf's own reasons for a drop other than a rule (`match`) that flag a packet as hostile: malformed packets its
 * normalization refused (bad fragment offset, fragments, short or unnormalizable headers, IP options, bad
 * checksums) and sources over a `max-src-*` limit. `state-mismatch` and the memory and state-table limits are
 * not alarms (out-of-state packets are common, a full table says nothing of a source).
 */
const REASON_ALARMS: Record<string, AlarmKind> = {
  'bad-offset': 'screen',
  fragment: 'screen',
  short: 'screen',
  normalize: 'screen',
  'ip-option': 'screen',
  'proto-cksum': 'screen',
  'src-limit': 'dos',
};

// rule,subrule,anchor,tracker,interface,reason,action,direction,ipversion
const HEADER_RE = /^\d+,\d*,[^,]*,[^,]*,[^,]+,[a-z-]+,[a-z]+,(in|out),[46],/;

/** A hex (`0x..`) or decimal number column, undefined when empty or unreadable. */
function numberColumn(v: string | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (/^0x[0-9a-f]+$/i.test(v)) return Number.parseInt(v.slice(2), 16);
  return countValue(v);
}

/** Fill TCP columns: sport, dport, data length, flags, seq[:end], ack, window, urg, options. */
function fillTcp(ev: FwEvent, cols: string[]): void {
  const flags = cols[3] ? tcpFlagsFromLetters(cols[3]) : undefined;
  if (flags !== undefined) ev.tcpFlags = flags;
  const seq = numberColumn((cols[4] ?? '').split(':')[0]);
  if (seq !== undefined) ev.tcpSeq = seq;
  const ack = numberColumn(cols[5]);
  if (ack !== undefined) ev.tcpAck = ack;
  const win = numberColumn(cols[6]);
  if (win !== undefined) ev.tcpWindow = win;
}

/** Fill ICMP columns: the type word, then the fields that type carries. */
function fillIcmp(ev: FwEvent, cols: string[]): ParseResult | undefined {
  const word = cols[0] ?? '';
  const known = ownValue(ICMP_WORDS, word);
  if (known === undefined) return undefined; // `datalength=N` and words pf has no column layout for
  ev.icmpType = known[0];
  if (known[1] !== undefined) ev.icmpCode = known[1];
  if (word === 'request' || word === 'reply' || word === 'tstamp' || word === 'tstampreply') {
    const id = numberColumn(cols[1]);
    const seq = numberColumn(cols[2]);
    if (id !== undefined) ev.icmpId = id;
    if (seq !== undefined) ev.icmpSeq = seq;
  } else if (word === 'needfrag') {
    const mtu = numberColumn(cols[2]);
    if (mtu !== undefined) ev.icmpMtu = mtu;
  }
  return undefined;
}

/** Parse one filterlog CSV payload; null when the line is not filterlog. */
export function parseFilterlog(message: string, env: Envelope): ParseResult {
  if (!HEADER_RE.test(message)) return null;
  const c = splitFields(message, ',');
  const action = ownValue(ACTIONS, c[6]!);
  if (action === undefined) return damaged('parse.filterlog.action', { value: String(c[6]) });
  const v6 = c[8] === '6';
  // IPv4: tos, ecn, ttl, id, offset, flags, proto id, proto text, length, src, dst.
  // IPv6: class, flow label, hop limit, proto text, proto id, length, src, dst.
  const ipCols = v6 ? 8 : 11;
  const ip = c.slice(HEADER_COLUMNS, HEADER_COLUMNS + ipCols);
  if (ip.length < ipCols) return damaged('parse.filterlog.shortIp', { version: String(c[8]) });
  const [protoId, protoText, len, src, dst] = v6
    ? [ip[4], ip[3], ip[5], ip[6], ip[7]]
    : [ip[6], ip[7], ip[8], ip[9], ip[10]];
  const data = c.slice(HEADER_COLUMNS + ipCols);
  const protocol = protoId !== '' && /^\d+$/.test(protoId ?? '') ? protoId : protoText;
  const transportName = (protoText ?? '').toLowerCase();
  const hasPorts = transportName === 'tcp' || transportName === 'udp';
  const ev = flowEvent('pf-filterlog', action, c[7] === 'in' ? 'inbound' : 'outbound', {
    sourceIp: src,
    destinationIp: dst,
    sourcePort: hasPorts ? data[0] : undefined,
    destinationPort: hasPorts ? data[1] : undefined,
    protocol,
  });
  if ('error' in ev) return ev;
  if ((ev.ipVersion === 6) !== v6) return damaged('parse.filterlog.wrongVersion', { version: String(c[8]) });
  // Keep the protocol name the firewall wrote (BSD calls 112 `carp` as well as `vrrp`), except where it names by
  // another word what has a standard name: `ICMPv6` (58) and `Options` (an IPv6 hop-by-hop header, 0).
  if (/^[a-z][a-z0-9-]*$/.test(transportName) && !PROTOCOL_ALIASES.has(transportName))
    ev.transport = transportName;
  if (c[4]) ev[c[7] === 'in' ? 'inInterface' : 'outInterface'] = c[4];
  ev.ruleName = c[3] || c[0];
  if (c[2]) ev.ruleName = `${c[2]}/${ev.ruleName}`;
  const length = numberColumn(len);
  if (length !== undefined) ev.length = length;
  if (v6) {
    const tclass = numberColumn(ip[0]);
    const flow = numberColumn(ip[1]);
    const hop = numberColumn(ip[2]);
    if (tclass !== undefined) ev.trafficClass = tclass;
    if (flow !== undefined) ev.flowLabel = flow;
    if (hop !== undefined) ev.ttl = hop;
  } else {
    const tos = numberColumn(ip[0]);
    const ttl = numberColumn(ip[2]);
    const id = numberColumn(ip[3]);
    const offset = numberColumn(ip[4]);
    if (tos !== undefined) ev.tos = tos;
    if (ttl !== undefined) ev.ttl = ttl;
    if (id !== undefined) ev.ipId = id;
    if (offset !== undefined) ev.fragmentOffset = offset;
    const flags = ip[5] ?? '';
    if (flags !== '') {
      ev.dontFragment = flags.includes('DF');
      ev.moreFragments = flags.includes('MF');
    }
  }
  if (ev.transport === 'tcp') fillTcp(ev, data);
  else if (ev.transport === 'icmp') fillIcmp(ev, data);
  const reason = c[5]!;
  const alarm = ownValue(REASON_ALARMS, reason);
  if (alarm && action !== 'allow') markAlarm(ev, alarm, `reason ${reason}`, `pf ${reason}`);
  return observedFromEnvelope(ev, env, 'pf');
}

/** pfSense / OPNsense filterlog CSV (BSD or RFC 5424 syslog, or the bare payload). */
export const pfFilterlog: LogFormat = {
  id: 'pf-filterlog',
  label: 'pfSense / OPNsense filterlog',
  description:
    "pf packet log as pfSense and OPNsense write it: one comma-separated line per packet, syslog program filterlog, every column layout of the pfSense filter log format (IPv4 and IPv6 headers; TCP, UDP, ICMP with its per-type columns, CARP, other protocols with datalength); drops pf made itself for malformed packets (bad-offset, fragment, short, normalize, ip-option, proto-cksum) or over a source limit (src-limit) are marked as the firewall's alarms.",
  example:
    'Sep 28 10:38:24 pfSense filterlog: 53,,,1000102631,em0,match,block,in,4,0x0,,64,600,0,none,6,tcp,44,198.51.100.2,192.0.2.15,53792,22,0,S,31552001,,65535,,mss',
  fields: [
    'timestamp',
    ...DECISION_FIELDS,
    'ianaNumber',
    ...ENDPOINT_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'length',
    'ttl',
    'ipId',
    'tos',
    ...TCP_HEADER_FIELDS,
    'icmpType',
    'icmpCode',
    'icmpId',
    'icmpSeq',
    'prefix',
    'alarmName',
  ],
  detect(message: string, env: Envelope): number {
    if (!HEADER_RE.test(message)) return 0;
    return env.program === 'filterlog' ? 1 : 0.9;
  },
  createParser() {
    return (env) => parseFilterlog(env.message, env);
  },
};
