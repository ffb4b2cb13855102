// OpenBSD / FreeBSD pflog as tcpdump prints it (`tcpdump -n -e -ttt -i pflog0`, or relayed to syslog):
// `Mar 30 15:53:25.793256 rule 2/0(match): block in on em0: 198.51.100.5.4711 > 192.0.2.10.22: S ...`.
import type { EventAction, FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { INTERFACE_RULE_FIELDS, TCP_HEADER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseBsdStamp } from './envelope/time.js';
import { countValue, flowEvent } from './flow-record.js';
import { statelessParser } from './parser-helpers.js';
import { tcpFlagsFromLetters } from './tcp-flag-letters.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

// [stamp ]rule N[.anchor.M]/[sub](reason)[:] action [return|...] in|out on IF: rest
const PFLOG_RE =
  /^(?:([A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?) )?(?:\d[\d:.]* )?rule (\S+?)\(([\w-]+)\):? (pass|block|match|scrub|nat|rdr|binat)(?: [\w-]+)? (in|out) on ([^\s:]+): (.*)$/;
// The blanks before the rest all belong to ` +` (`(?! )`), so a failing match does not retry each split of them.
const ADDRESSES_RE = /^(\S+) > (\S+):(?: +(?! )(.*))?$/;

const ACTIONS: Record<string, EventAction> = { pass: 'allow', block: 'deny' };

/** ICMP text tcpdump prints, with the type and code it stands for. */
const ICMP_TEXTS: [RegExp, number, number?][] = [
  [/^echo request/, 8],
  [/^echo reply/, 0],
  [/ port \d+ unreachable/, 3, 3],
  [/ protocol \d+ unreachable/, 3, 2],
  [/^host \S+ unreachable/, 3, 1],
  [/^net \S+ unreachable/, 3, 0],
  [/unreachable - need to frag/, 3, 4],
  [/admin prohibited/, 3, 13],
  [/^time exceeded in-transit/, 11, 0],
  [/^time exceeded/, 11],
  [/^router advertisement/, 9],
  [/^router solicitation/, 10],
  [/^redirect/, 5],
];

/** `192.0.2.10.22` -> [address, port]; `192.0.2.10` -> [address]; IPv6 `2001:db8::1.22` -> [address, port]. */
function endpoint(text: string): [string, string | undefined] {
  const dot = text.lastIndexOf('.');
  if (text.includes(':')) return dot > 0 ? [text.slice(0, dot), text.slice(dot + 1)] : [text, undefined];
  return text.split('.').length === 5 ? [text.slice(0, dot), text.slice(dot + 1)] : [text, undefined];
}

/** Fill transport details from tcpdump's protocol text after the addresses. */
function fillProtocol(ev: FwEvent, rest: string, hasPorts: boolean): void {
  const icmp = /^icmp(6)?: (.*)$/.exec(rest);
  if (icmp) {
    ev.transport = icmp[1] ? 'ipv6-icmp' : 'icmp';
    ev.ianaNumber = icmp[1] ? 58 : 1;
    for (const [re, type, code] of ICMP_TEXTS)
      if (re.test(icmp[2]!)) {
        if (icmp[1] && (type === 8 || type === 0)) ev.icmpType = type === 8 ? 128 : 129;
        else if (!icmp[1]) {
          ev.icmpType = type;
          if (code !== undefined) ev.icmpCode = code;
        }
        break;
      }
    return;
  }
  if (!hasPorts) return;
  const tcp = /^(?:Flags \[([^\]]+)\]|([SFRPUEW.]+))[ ,]/.exec(`${rest} `);
  if (tcp) {
    const flags = tcpFlagsFromLetters(tcp[1] ?? tcp[2]!);
    if (flags !== undefined) {
      ev.transport = 'tcp';
      ev.ianaNumber = 6;
      ev.tcpFlags = flags;
      const seq = countValue(
        /(?:^|[ ,])(?:seq )?(\d+):\d+\(\d+\)/.exec(rest)?.[1] ?? /seq (\d+)/.exec(rest)?.[1],
      );
      const ack = countValue(/ ack (\d+)/.exec(rest)?.[1]);
      const win = countValue(/ win (\d+)/.exec(rest)?.[1]);
      if (seq !== undefined) ev.tcpSeq = seq;
      if (ack !== undefined) ev.tcpAck = ack;
      if (win !== undefined) ev.tcpWindow = win;
      return;
    }
  }
  if (/(^| )udp( |$)|UDP/.test(rest)) {
    ev.transport = 'udp';
    ev.ianaNumber = 17;
  }
}

/** The pflog text of a record: `Mar 30 ... rule ...` may lose its stamp and `rule` word to the syslog envelope. */
function pflogLine(env: Envelope): string {
  if (env.envelope === 'rfc3164' && env.host === 'rule')
    return env.program === undefined ? `rule ${env.message}` : `rule ${env.program}: ${env.message}`;
  return env.message;
}

/** Parse one pflog record; null when the line is not pflog. */
export function parsePflog(env: Envelope, ctx: ParseContext): ParseResult {
  const line = pflogLine(env);
  const m = PFLOG_RE.exec(line);
  if (!m) return null;
  const [, stamp, rule, , actionWord, dir, iface, rest] = m as unknown as string[];
  const a = ADDRESSES_RE.exec(rest!);
  if (!a) return damaged('parse.pflog.noAddresses');
  const [srcIp, srcPort] = endpoint(a[1]!);
  const [dstIp, dstPort] = endpoint(a[2]!);
  const action = ownValue(ACTIONS, actionWord!) ?? 'log';
  const ev: FwEvent | ParseError = flowEvent('pf-tcpdump', action, dir === 'in' ? 'inbound' : 'outbound', {
    sourceIp: srcIp,
    destinationIp: dstIp,
    sourcePort: srcPort,
    destinationPort: dstPort,
  });
  if ('error' in ev) return ev;
  fillProtocol(ev, a[3] ?? '', srcPort !== undefined);
  ev[dir === 'in' ? 'inInterface' : 'outInterface'] = iface!;
  ev.ruleName = `rule ${rule!.replace(/\/$/, '')}`;
  if (/\(DF\)/.test(rest!)) ev.dontFragment = true;
  const tos = /\[tos 0x([0-9a-f]+)\]/.exec(rest!);
  if (tos) ev.tos = Number.parseInt(tos[1]!, 16);
  // tcpdump's own stamp is the packet's time; a syslog relay's stamp is only when it was forwarded.
  const own = stamp ? parseBsdStamp(stamp, ctx) : null;
  if (own) ev.timestamp = own[0];
  else if (env.timestamp !== undefined) ev.timestamp = env.timestamp;
  if (env.host !== undefined && env.host !== 'rule') ev.observerHost = env.host;
  ev.observerProduct = 'pf';
  return ev;
}

/** pf packet log read with tcpdump (pflog0 or a pflog file), bare or relayed through syslog. */
export const pfTcpdump: LogFormat = {
  id: 'pf-tcpdump',
  label: 'OpenBSD / FreeBSD pflog (tcpdump)',
  description:
    'pf packets logged to pflog0 and printed by tcpdump -n -e: rule, action, direction, interface and the decoded packet.',
  example:
    'Mar 30 15:53:25.793256 rule 2/0(match): block in on em0: 198.51.100.5.4711 > 192.0.2.10.22: S 1234:1234(0) win 16384 <mss 1460> (DF)',
  fields: [...TRAFFIC_FIELDS, ...INTERFACE_RULE_FIELDS, 'tos', ...TCP_HEADER_FIELDS, 'icmpType', 'icmpCode'],
  detect(message: string, env: Envelope): number {
    return PFLOG_RE.test(pflogLine({ ...env, message })) ? 1 : 0;
  },
  createParser: statelessParser(parsePflog),
};
