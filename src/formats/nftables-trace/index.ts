// `nft monitor trace` output: one packet's path through the ruleset spread over several `trace id <hex> ...`
// lines (packet, rules, verdicts). The parser keeps each trace's packet and emits one event at its verdict.
import type { EventAction, FwEvent, TcpFlag } from '../../event.js';
import { tcpFlagsFromBits } from '../../net/wire.js';
import { ownValue } from '../../util/own.js';
import { splitFields } from '../../util/text-scan.js';
import { DECISION_FIELDS, INTERFACE_RULE_FIELDS, SOURCE_MAC_ENDPOINT_FIELDS } from '../common-fields.js';
import { damaged } from '../damaged.js';
import { countValue, flowEvent } from '../flow-record.js';
import { observedFromEnvelope } from '../parser-helpers.js';
import type { Envelope, LogFormat, ParseError, ParseResult } from '../types.js';
import { ICMP_CODES, ICMP_TYPES, ICMPV6_CODES, ICMPV6_TYPES, TCP_FLAG_NAMES } from './names.js';

/** Open traces remembered per stream; the oldest is forgotten past this many (a trace spans a few lines). */
export const MAX_OPEN_TRACES = 4096;

// trace id <hex> <family> <table> <chain> <what>; `what` ends on a non-blank, so the blanks after it have one
// owner (a lazy `(.*?)\s*$` retries every split of a long blank run).
const TRACE_RE = /^trace id ([0-9a-f]+) (ip|ip6|inet|arp|bridge|netdev) (\S+) (\S+) ((?:.*\S)?)\s*$/;
const VERDICT_RE = /^(?:verdict ([a-z]+)|policy ([a-z]+))$/;
const VERDICT_MARK = ' (verdict ';
const LINE_END_RE = /[\n\r\u2028\u2029]/;
const FLAG_ORDER: TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];
const FINAL_VERDICTS: Record<string, EventAction> = { accept: 'allow', drop: 'deny' };

/** What a trace keeps between its lines. */
interface Trace {
  packet: string;
  /** Packet identity (addresses, ports, IP id ...): a reused trace id shows a different one. */
  identity: string;
  /** Verdict already reported for this trace, if any. */
  reported?: EventAction;
}

/** Longest packet description read (an IPv6 TCP packet with every header field is about 600 characters); the rest is ignored. */
const MAX_PACKET_CHARS = 4096;

function pick(text: string, re: RegExp): string | undefined {
  return re.exec(text)?.[1];
}

/**
 * `rule <rule text> (verdict <word>[ <detail>])` -> rule text and verdict word, read as
 * `/^rule (.*) \(verdict ([a-z]+)[^)]*\)$/` does (the last ` (verdict ` that fits) without retrying every one.
 */
export function ruleVerdict(what: string): { rule: string; verdict: string } | undefined {
  if (!what.startsWith('rule ') || !what.endsWith(')')) return undefined;
  // After the marker only the final `)` may follow, and the rule text holds no line break.
  const lastInnerClose = what.lastIndexOf(')', what.length - 2);
  const lineEnd = what.slice(5).search(LINE_END_RE);
  const maxAt = lineEnd < 0 ? what.length : lineEnd + 5;
  const isLower = (i: number) => what.charCodeAt(i) >= 97 && what.charCodeAt(i) <= 122;
  for (let at = what.lastIndexOf(VERDICT_MARK); at >= 5 && at > lastInnerClose; ) {
    const start = at + VERDICT_MARK.length;
    if (at <= maxAt && isLower(start)) {
      let end = start;
      while (isLower(end)) end++;
      return { rule: what.slice(5, at), verdict: what.slice(start, end) };
    }
    at = what.lastIndexOf(VERDICT_MARK, at - 1);
  }
  return undefined;
}

/** ICMP fields of a packet description, by protocol keyword (`icmp` or `icmpv6`). */
const ICMP_FIELD_RES = {
  icmp: {
    type: / icmp type (\S+)/,
    code: / icmp code (\S+)/,
    id: / icmp id (\d+)/,
    seq: / icmp sequence (\d+)/,
  },
  icmpv6: {
    type: / icmpv6 type (\S+)/,
    code: / icmpv6 code (\S+)/,
    id: / icmpv6 id (\d+)/,
    seq: / icmpv6 sequence (\d+)/,
  },
};

/** Identity of a packet description: the fields no hook changes on the way. */
function identityOf(packet: string): string {
  return [
    / ip6? saddr (\S+)/,
    / ip6? daddr (\S+)/,
    / (?:tcp|udp) sport (\d+)/,
    / (?:tcp|udp) dport (\d+)/,
    / ip id (\d+)/,
    / ip6 flowlabel (\d+)/,
    / icmp(?:v6)? (?:id|sequence) (\d+)/,
    / ip6? (?:length) (\d+)/,
  ]
    .map((re) => pick(packet, re) ?? '')
    .join('|');
}

function tcpFlags(packet: string): TcpFlag[] | undefined {
  const m = /tcp flags == (\([^)]*\)|\S+)/.exec(packet);
  if (!m) return undefined;
  const text = m[1]!.replace(/[()]/g, '');
  if (/^0x[0-9a-f]+$/i.test(text)) return tcpFlagsFromBits(Number.parseInt(text, 16));
  // Words are trimmed below, so the separator alone splits (`/\s*[|,]\s*/` backtracks on blank runs).
  const words = splitFields(text, /[|,]/);
  const flags = words.map((w) => TCP_FLAG_NAMES[w.trim()]);
  if (flags.some((f) => f === undefined)) return undefined;
  return FLAG_ORDER.filter((f) => flags.includes(f));
}

/** A number or an nft symbol from a table. */
function symbol(value: string | undefined, table: Record<string, number>): number | undefined {
  if (value === undefined) return undefined;
  return table[value] ?? countValue(value);
}

/** Build the event of a trace from its packet description and the verdict line. */
function traceEvent(
  description: string,
  action: EventAction,
  ruleName: string,
  rule: string | undefined,
): ParseResult {
  // A packet description is a few hundred characters; each field is looked up by its own pattern, so a
  // hostile one of 60 KB would be scanned some twenty times: what follows the bound is not read.
  const packet = description.length > MAX_PACKET_CHARS ? description.slice(0, MAX_PACKET_CHARS) : description;
  const v6 = packet.includes(' ip6 saddr ');
  const proto = pick(packet, v6 ? / ip6 nexthdr (\S+)/ : / ip protocol (\S+)/);
  const ports = proto === 'tcp' || proto === 'udp';
  const iif = pick(packet, /(?:^| )iif "([^"]*)"/);
  const oif = pick(packet, /(?:^| )oif "([^"]*)"/);
  const ev: FwEvent | ParseError = flowEvent(
    'nftables-trace',
    action,
    iif && oif ? 'forward' : iif ? 'inbound' : oif ? 'outbound' : 'unknown',
    {
      sourceIp: pick(packet, / ip6? saddr (\S+)/),
      destinationIp: pick(packet, / ip6? daddr (\S+)/),
      sourcePort: ports ? pick(packet, / (?:tcp|udp) sport (\S+)/) : undefined,
      destinationPort: ports ? pick(packet, / (?:tcp|udp) dport (\S+)/) : undefined,
      protocol: proto,
    },
  );
  if ('error' in ev) return ev;
  if (ev.sourceIp === undefined && ev.destinationIp === undefined)
    return proto === undefined ? { skip: 'non-IP packet' } : damaged('parse.nftrace.noAddress');
  if (iif) ev.inInterface = iif;
  if (oif) ev.outInterface = oif;
  ev.ruleName = ruleName;
  const prefix = rule && pick(rule, /log prefix "([^"]*)"/);
  if (prefix) ev.prefix = prefix;
  if (action === 'deny' && rule && /(^| )reject( |$)/.test(rule)) ev.action = 'reject';
  const mac = pick(packet, / ether saddr ([0-9a-fA-F:]{17})/);
  const dmac = pick(packet, / ether daddr ([0-9a-fA-F:]{17})/);
  if (mac) ev.sourceMac = mac.toLowerCase();
  if (dmac) ev.destinationMac = dmac.toLowerCase();
  const ttl = countValue(pick(packet, v6 ? / ip6 hoplimit (\d+)/ : / ip ttl (\d+)/));
  const length = countValue(pick(packet, v6 ? / ip6 length (\d+)/ : / ip length (\d+)/));
  if (ttl !== undefined) ev.ttl = ttl;
  // ip6 length is the payload length; only IPv4's is the whole packet.
  if (length !== undefined && !v6) ev.length = length;
  const ipId = countValue(pick(packet, / ip id (\d+)/));
  if (ipId !== undefined) ev.ipId = ipId;
  const flow = countValue(pick(packet, / ip6 flowlabel (\d+)/));
  if (flow !== undefined) ev.flowLabel = flow;
  if (ev.transport === 'tcp') {
    const flags = tcpFlags(packet);
    if (flags) ev.tcpFlags = flags;
    const win = countValue(pick(packet, / tcp window (\d+)/));
    if (win !== undefined) ev.tcpWindow = win;
  } else if (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp') {
    const key = ev.transport === 'icmp' ? 'icmp' : 'icmpv6';
    const [types, codes] = key === 'icmp' ? [ICMP_TYPES, ICMP_CODES] : [ICMPV6_TYPES, ICMPV6_CODES];
    const res = ICMP_FIELD_RES[key];
    const type = symbol(pick(packet, res.type), types);
    const code = symbol(pick(packet, res.code), codes);
    if (type !== undefined) ev.icmpType = type;
    if (code !== undefined) ev.icmpCode = code;
    const id = countValue(pick(packet, res.id));
    const seq = countValue(pick(packet, res.seq));
    if (id !== undefined) ev.icmpId = id;
    if (seq !== undefined) ev.icmpSeq = seq;
  }
  ev.observerProduct = 'nftables';
  return ev;
}

/** nftables ruleset tracing (`nft monitor trace`), one event per traced packet. */
export const nftablesTrace: LogFormat = {
  id: 'nftables-trace',
  label: 'nftables trace (nft monitor trace)',
  description:
    'Output of nft monitor trace for packets marked with meta nftrace: packet, rule and verdict lines sharing a trace id.',
  example: [
    'trace id 8d3f5a4e ip filter input packet: iif "eth0" ip saddr 198.51.100.60 ip daddr 192.0.2.10 ip dscp cs0 ip ecn not-ect ip ttl 52 ip id 4242 ip protocol tcp ip length 60 tcp sport 40000 tcp dport 22 tcp flags == syn tcp window 64240',
    'trace id 8d3f5a4e ip filter input rule tcp dport 22 drop (verdict drop)',
  ].join('\n'),
  fields: [
    ...DECISION_FIELDS,
    ...SOURCE_MAC_ENDPOINT_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'prefix',
    'length',
    'ttl',
    'ipId',
    'tcpFlags',
    'tcpWindow',
    'icmpType',
    'icmpCode',
  ],
  detect(message: string): number {
    return message.startsWith('trace id ') && TRACE_RE.test(message) ? 1 : 0;
  },
  createParser() {
    const traces = new Map<string, Trace>();
    return (env: Envelope): ParseResult => {
      const m = TRACE_RE.exec(env.message);
      if (!m) return null;
      const [, id, , table, chain, what] = m as unknown as [string, string, string, string, string, string];
      if (what.startsWith('packet: ')) {
        const packet = ` ${what.slice(8)}`;
        // Damage shows on the packet line: report it there, not at the verdict.
        const check = traceEvent(packet, 'log', '', undefined);
        if (check !== null && !('format' in check)) return check;
        const identity = identityOf(packet);
        const open = traces.get(id);
        // A later hook of the same packet keeps the trace; a reused id with another packet starts afresh.
        if (open === undefined || open.identity !== identity) {
          traces.delete(id);
          traces.set(id, { packet, identity });
          if (traces.size > MAX_OPEN_TRACES) traces.delete(traces.keys().next().value!);
        }
        return { skip: 'trace step' };
      }
      const ruled = ruleVerdict(what);
      const v = ruled ? null : VERDICT_RE.exec(what);
      if (!ruled && !v) return { skip: 'trace step' };
      const rule = ruled?.rule;
      const verdict = ruled?.verdict ?? v![1] ?? v![2]!;
      const action = ownValue(FINAL_VERDICTS, verdict);
      if (action === undefined) return { skip: 'trace step' };
      const trace = traces.get(id);
      if (trace === undefined) return { skip: 'trace without packet' };
      // One event per packet: an accept in an early hook (raw, prerouting) is reported once; a drop in a
      // later hook after it is reported too, since that is where the packet really ended.
      if (trace.reported === 'allow' ? action === 'allow' : trace.reported !== undefined)
        return { skip: 'trace step' };
      trace.reported = action;
      const ruleName =
        rule === undefined
          ? `${table} ${chain} ${v![1] ? 'verdict' : 'policy'}`
          : `${table} ${chain}: ${rule}`;
      const ev = traceEvent(trace.packet, action, ruleName, rule);
      return ev !== null && !('error' in ev) && !('skip' in ev) ? observedFromEnvelope(ev, env) : ev;
    };
  },
};
