// MikroTik RouterOS firewall log lines (`firewall,info <prefix> input: in:ether1 out:(unknown 0), src-mac ...,
// proto TCP (SYN), 203.0.113.5:44444->192.0.2.1:22, len 60`, NAT variants), other RouterOS topics as non-traffic.
import type { Direction, EventAction, FwEvent, TcpFlag } from '../event.js';
import { DECISION_FIELDS, INTERFACE_RULE_FIELDS, SOURCE_MAC_ENDPOINT_FIELDS } from './common-fields.js';
import { flowEvent } from './flow-record.js';
import { observedFromEnvelope } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseResult } from './types.js';

/** RouterOS topic list at the start of a message (`firewall,info`, `system,error,critical`). */
const TOPICS_RE = /^([a-z0-9-]+(?:,[a-z0-9-]+)*) /;
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

/** Parse one RouterOS message (topics first); null when it is not RouterOS. */
export function parseRouterOs(message: string, env: Envelope): ParseResult {
  const topics = TOPICS_RE.exec(message);
  if (!topics || !SEVERITY_RE.test(topics[1]!)) return null;
  if (!topics[1]!.split(',').includes('firewall')) return { skip: 'system event' };
  const body = message.slice(topics[0].length);
  const m = firewallParts(body);
  if (!m) return { error: 'RouterOS firewall line without the chain, proto, address and len parts' };
  const [prefix = '', chain, inIf, outIf, extras, proto, detail, src, dst, , len] = m;
  const [srcIp, srcPort] = endpoint(src!);
  const [dstIp, dstPort] = endpoint(dst!);
  const ev: FwEvent | { error: string } = flowEvent(
    'mikrotik',
    actionFromPrefix(prefix),
    DIRECTIONS[chain!] ?? 'unknown',
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
  return observedFromEnvelope(ev, env, 'routeros');
}

/** MikroTik RouterOS firewall logging (`log=yes` rules, remote syslog or the router's own log). */
export const mikrotik: LogFormat = {
  id: 'mikrotik',
  label: 'MikroTik RouterOS firewall',
  description:
    'RouterOS firewall rules with logging on: topics, log prefix, chain, interfaces, protocol and address pair per packet.',
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
  detect(message: string): number {
    const topics = TOPICS_RE.exec(message);
    if (!topics || !SEVERITY_RE.test(topics[1]!)) return 0;
    return topics[1]!.includes('firewall') ? 1 : 0.5;
  },
  createParser() {
    return (env) => parseRouterOs(env.message, env);
  },
};
