// MikroTik RouterOS firewall log lines (`firewall,info <prefix> input: in:ether1 out:(unknown 0), src-mac ...,
// proto TCP (SYN), 203.0.113.5:44444->192.0.2.1:22, len 60`, NAT variants), other RouterOS topics as non-traffic.
import type { Direction, EventAction, FwEvent, TcpFlag } from '../event.js';
import { ownValue } from '../util/own.js';
import { DECISION_FIELDS, INTERFACE_RULE_FIELDS, SOURCE_MAC_ENDPOINT_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { inferYearTime, localTime, monthIndex } from './envelope/time.js';
import { flowEvent } from './flow-record.js';
import { observedFromEnvelope } from './parser-helpers.js';
import { NON_TRAFFIC } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

/** RouterOS topic list at the start of a message (`firewall,info`, `system,error,critical`; some relays add a `:`). */
const TOPICS_RE = /^([a-z0-9-]+(?:,[a-z0-9-]+)*):? /;
const SEVERITY_RE = /(^|,)(info|warning|error|critical|debug)(,|$)/;

// [prefix ]chain: in:IF out:IF, [connection-state:S ][src-mac M, ]proto P[ (detail)], SRC->DST[, NAT ...], len N
// The parts up to `proto ` are cut at the first occurrence of their separators (one regular expression with five
// lazy groups retried every combination on long lines); what follows `proto ` is matched anchored. Unlike the old
// pattern, a second `proto ` in the text before the protocol, or a `>` inside the source address, is not read
// past: RouterOS writes neither.
const CHAIN_RE = /^[\w-]+$/;
const FIREWALL_TAIL_RE = /^([\w-]+)(?: \(([^)]*)\))?, ([^\s>]+)->(\S+?)(?:, NAT (.*?))?, len (\d+)$/;
const LINE_END_RE = /[\n\r\u2028\u2029]/;

/** The parts of a firewall line body: [prefix, chain, in, out, extras, proto, detail, src, dst, nat, len]. */
type FirewallParts = [string | undefined, string, string, string, string, ...(string | undefined)[]];

/** The parts from `in:` on, cut at the first occurrence of each separator, or null. */
function partsAfterChain(body: string, inAt: number): string[] | null {
  const outAt = body.indexOf(' out:', inAt + 5);
  const commaAt = outAt < 0 ? -1 : body.indexOf(', ', outAt + 5);
  const protoAt = commaAt < 0 ? -1 : body.indexOf('proto ', commaAt + 2);
  const tail = protoAt < 0 ? null : FIREWALL_TAIL_RE.exec(body.slice(protoAt + 6));
  if (!tail) return null;
  return [
    body.slice(inAt + 5, outAt),
    body.slice(outAt + 5, commaAt),
    body.slice(commaAt + 2, protoAt),
    ...(tail.slice(1) as string[]),
  ];
}

/**
 * Split a firewall line body into its parts, or null when it lacks one. As the pattern did, a line with a log
 * prefix is read at the first `<chain>: in:` that follows a blank; a line without one starts with its chain.
 * Where the parts after `in:` do not fit from one `: in:`, they fit from no later one either (the text between
 * is free), so one try each is enough.
 */
export function firewallParts(body: string): FirewallParts | null {
  if (LINE_END_RE.test(body)) return null;
  for (let at = body.indexOf(': in:'); at >= 0; at = body.indexOf(': in:', at + 1)) {
    const space = body.lastIndexOf(' ', at - 1);
    if (space < 0) continue;
    const chain = body.slice(space + 1, at);
    if (!CHAIN_RE.test(chain)) continue;
    const rest = partsAfterChain(body, at);
    if (rest) return [body.slice(0, space), chain, ...rest] as FirewallParts;
    break;
  }
  const first = body.indexOf(': in:');
  const chain = first < 0 ? '' : body.slice(0, first);
  if (!CHAIN_RE.test(chain)) return null;
  const rest = partsAfterChain(body, first);
  return rest ? ([undefined, chain, ...rest] as FirewallParts) : null;
}

const DIRECTIONS: Record<string, Direction> = { input: 'inbound', output: 'outbound', forward: 'forward' };

/** Flag words RouterOS writes in `proto TCP (SYN,ACK)`. */
const FLAG_WORDS = new Set<TcpFlag>(['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG', 'ECE', 'CWR']);
const FLAG_ORDER: TcpFlag[] = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];

/** `203.0.113.5:44444`, `[2001:db8::1]:40384`, or an address alone (ICMP) -> [address, port?]. */
function endpoint(text: string): [string, string | undefined] {
  const v6 = /^\[(.+)\]:(\d+)$/.exec(text);
  if (v6) return [v6[1]!, v6[2]];
  const colon = text.lastIndexOf(':');
  // One colon: IPv4 with a port; more: a bare IPv6 address.
  if (colon > 0 && text.indexOf(':') === colon) return [text.slice(0, colon), text.slice(colon + 1)];
  return [text, undefined];
}

/** The decision a rule's log prefix names, when it names one (RouterOS does not write the action). */
function actionFromPrefix(prefix: string): EventAction {
  if (/reject/i.test(prefix)) return 'reject';
  if (/drop|deny|block/i.test(prefix)) return 'deny';
  if (/accept|allow|pass/i.test(prefix)) return 'allow';
  return 'log';
}

function iface(v: string): string | undefined {
  return v === '' || v.startsWith('(unknown') ? undefined : v;
}

/**
 * The stamp RouterOS itself writes in front of a line (`/log print`, a log file or the memory log):
 * `mar/09/2026 14:23:01`, `mar/09 14:23:01` (this year), `2026-03-09 14:23:01` (7.x) or `14:23:01` (today: no date).
 */
const PRINT_STAMP_RE =
  /^(?:([a-z]{3})\/(\d{2})(?:\/(\d{4}))? |(\d{4})-(\d{2})-(\d{2}) )?(\d{2}):(\d{2}):(\d{2}) /;

/** The line after a RouterOS print stamp and the stamp's time (undefined for a time of day alone). */
function cutPrintStamp(message: string, ctx: ParseContext): { rest: string; time?: number } | null {
  const m = PRINT_STAMP_RE.exec(message);
  if (!m) return null;
  const rest = message.slice(m[0].length);
  const [h, mi, sec] = [Number(m[7]), Number(m[8]), Number(m[9])];
  if (m[1] !== undefined) {
    const month = monthIndex(m[1][0]!.toUpperCase() + m[1].slice(1));
    if (month < 0) return null;
    const day = Number(m[2]);
    const time =
      m[3] !== undefined
        ? localTime(ctx, Number(m[3]), month, day, h, mi, sec)
        : inferYearTime(ctx, month, day, h, mi, sec);
    return { rest, time };
  }
  if (m[4] !== undefined)
    return { rest, time: localTime(ctx, Number(m[4]), Number(m[5]) - 1, Number(m[6]), h, mi, sec) };
  return { rest };
}

/** Non-traffic topics by kind (RouterOS writes the facility first: `system,info,account`, `ipsec,error`). */
const TOPIC_KINDS: [string, string][] = [
  ['account', NON_TRAFFIC.authentication],
  ['ipsec', NON_TRAFFIC.vpn],
  ['l2tp', NON_TRAFFIC.vpn],
  ['pptp', NON_TRAFFIC.vpn],
  ['ovpn', NON_TRAFFIC.vpn],
  ['sstp', NON_TRAFFIC.vpn],
  ['wireguard', NON_TRAFFIC.vpn],
  ['vrrp', NON_TRAFFIC.highAvailability],
];

/** The kind of a RouterOS record without traffic: by its topics, a login failure as authentication. */
function nonTrafficKind(topics: string[], text: string): string {
  for (const [topic, kind] of TOPIC_KINDS) if (topics.includes(topic)) return kind;
  if (/\blog(?:ged)? ?(?:in|out)\b|login failure/.test(text)) return NON_TRAFFIC.authentication;
  return NON_TRAFFIC.system;
}

/**
 * Parse one RouterOS message; null when it is not RouterOS. The topics come first (`firewall,info`); a print
 * stamp may stand before them; a line whose topics went into the syslog header alone is read when it is a whole
 * firewall line (`input: in:ether1 out:(unknown 0), ... proto TCP (SYN), A->B, len 60`).
 */
export function parseRouterOs(message: string, env: Envelope, ctx?: ParseContext): ParseResult {
  const line = restoreChain(message, env);
  if (line === null) return null;
  const stamped = ctx ? cutPrintStamp(line.text, ctx) : null;
  const text = stamped ? stamped.rest : line.text;
  const time = stamped?.time ?? env.timestamp;
  const topics = TOPICS_RE.exec(text);
  if (!topics || !SEVERITY_RE.test(topics[1]!)) {
    const bare = firewallParts(text);
    return bare ? firewallEvent(bare, line.env, time) : null;
  }
  const topicList = topics[1]!.split(',');
  const body = text.slice(topics[0].length);
  if (!topicList.includes('firewall')) return { skip: nonTrafficKind(topicList, body) };
  const m = firewallParts(body);
  if (!m) return damaged('parse.mikrotik.noParts');
  return firewallEvent(m, line.env, time);
}

/** Topics a syslog header took for its host name (`2026-03-09 14:23:01 firewall,info input: ...`). */
const HOST_TOPICS_RE = /^[a-z0-9-]+(?:,[a-z0-9-]+)+$/;

/**
 * The line as RouterOS wrote it where a syslog header read its chain as the program (`MikroTik input: in:...`
 * gives program `input`, message `in:...`) and its topics as the host: the chain is put back, the topics too,
 * and the host dropped. Null for a line starting `in:` without such a program.
 */
function restoreChain(message: string, env: Envelope): { text: string; env: Envelope } | null {
  if (!message.startsWith('in:')) return { text: message, env };
  if (env.program === undefined || !CHAIN_RE.test(env.program)) return null;
  const hostTopics = env.host !== undefined && HOST_TOPICS_RE.test(env.host) && SEVERITY_RE.test(env.host);
  const text = `${hostTopics ? `${env.host} ` : ''}${env.program}: ${message}`;
  return { text, env: hostTopics ? { ...env, host: undefined } : env };
}

/** The event of a firewall line's parts. */
function firewallEvent(m: FirewallParts, env: Envelope, time: number | undefined): ParseResult {
  const [prefix = '', chain, inIf, outIf, extras, proto, detail, src, dst, , len] = m;
  const [srcIp, srcPort] = endpoint(src!);
  const [dstIp, dstPort] = endpoint(dst!);
  const ev: FwEvent | ParseError = flowEvent(
    'mikrotik',
    actionFromPrefix(prefix),
    ownValue(DIRECTIONS, chain!) ?? 'unknown',
    {
      sourceIp: srcIp,
      destinationIp: dstIp,
      sourcePort: srcPort,
      destinationPort: dstPort,
      protocol: proto,
    },
  );
  if ('error' in ev) return ev;
  const inName = iface(inIf!);
  const outName = iface(outIf!);
  if (inName) ev.inInterface = inName;
  if (outName) ev.outInterface = outName;
  ev.ruleName = prefix ? `${prefix} (${chain})` : chain!;
  if (prefix) ev.prefix = prefix;
  ev.length = Number(len);
  const mac = /src-mac ([0-9a-f]{2}(?::[0-9a-f]{2}){5})/i.exec(extras!);
  if (mac) ev.sourceMac = mac[1]!.toLowerCase();
  // RouterOS names ICMPv6 `ICMP` too; the address family tells which one it was.
  if (ev.transport === 'icmp' && ev.ipVersion === 6) {
    ev.transport = 'ipv6-icmp';
    ev.ianaNumber = 58;
  }
  if (ev.transport === 'tcp' && detail !== undefined) {
    const words = detail.split(',').map((w) => w.trim().toUpperCase());
    if (words.every((w) => FLAG_WORDS.has(w as TcpFlag)))
      ev.tcpFlags = FLAG_ORDER.filter((f) => words.includes(f));
  } else if (detail !== undefined && (ev.transport === 'icmp' || ev.transport === 'ipv6-icmp')) {
    const icmp = /^type (\d+), code (\d+)$/.exec(detail);
    if (icmp) {
      ev.icmpType = Number(icmp[1]);
      ev.icmpCode = Number(icmp[2]);
    }
  }
  return observedFromEnvelope(ev, env, 'routeros', time);
}

/** MikroTik RouterOS firewall logging (`log=yes` rules, remote syslog or the router's own log). */
export const mikrotik: LogFormat = {
  id: 'mikrotik',
  label: 'MikroTik RouterOS firewall',
  description:
    "RouterOS firewall rules with logging on: topics, log prefix, chain, interfaces, src-mac, protocol with TCP flags or ICMP type/code, address pair and NAT parts per packet, IPv4 and IPv6; read after a syslog header (also when it took the chain for its program), or after RouterOS's own `/log print` stamps; other topics counted as non-traffic by kind (account and login failures, IPsec/L2TP/PPTP/OpenVPN/SSTP/WireGuard, VRRP, system).",
  example:
    'firewall,info drop-in input: in:ether1 out:(unknown 0), connection-state:new src-mac 00:00:5e:00:53:01, proto TCP (SYN), 203.0.113.5:44444->192.0.2.1:22, len 60',
  fields: [
    'timestamp',
    ...DECISION_FIELDS,
    ...SOURCE_MAC_ENDPOINT_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'prefix',
    'length',
    'tcpFlags',
    'icmpType',
    'icmpCode',
  ],
  detect(message: string, env: Envelope): number {
    if (message.startsWith('in:')) {
      const line = restoreChain(message, env);
      if (line === null) return 0;
      const topics = TOPICS_RE.exec(line.text);
      const isTopics = topics !== null && SEVERITY_RE.test(topics[1]!);
      return firewallParts(isTopics ? line.text.slice(topics[0].length) : line.text) ? 0.8 : 0;
    }
    // A print stamp's form alone (`hh:mm:ss `) is cut here: the topics or the firewall line decide.
    const stamp = PRINT_STAMP_RE.exec(message);
    const text = stamp ? message.slice(stamp[0].length) : message;
    const topics = TOPICS_RE.exec(text);
    if (!topics || !SEVERITY_RE.test(topics[1]!)) return firewallParts(text) ? 0.8 : 0;
    return topics[1]!.includes('firewall') ? 1 : 0.5;
  },
  createParser(ctx: ParseContext) {
    return (env) => parseRouterOs(env.message, env, ctx);
  },
};
