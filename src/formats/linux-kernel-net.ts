// The Linux kernel's own network messages that say what happened to packets, beside netfilter's LOG lines.
// Packets: the reports of IPv4 packets it dropped before any firewall rule saw them, with
// net.ipv4.conf.*.log_martians set: `martian source D from S, on dev X` (the source cannot be right on that
// interface: forged, leaked from a private network, or routed asymmetrically; note the destination comes first),
// `martian destination D from S, dev X`, and the link-layer header dump that follows (`ll header: 45:48:00:...`,
// or `ll header: 00000000: 45 48 00 ...` from newer kernels), counted as non-traffic. The UDP stack's
// `UDP: short packet: From A:p 37860/38 to B:p` (a datagram shorter than its header says) is a dropped UDP packet too.
// Warnings without a packet, counted as non-traffic under what they say: `TCP: Possible SYN flooding on port 443.
// Sending cookies.` (the listen queue of a port overflowed; newer kernels write `request_sock_TCP:` and
// `port [::]:443`), and `nf_conntrack: table full, dropping packet` (the firewall's connection table overflowed).
// Message shapes as the kernel prints them (net/ipv4/route.c, udp.c, tcp_input.c, net/netfilter/nf_conntrack_core.c);
// they arrive in kern.log, the journal or dmesg beside netfilter's LOG lines.
import type { FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { OBSERVER_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { flowEvent } from './flow-record.js';
import { observedFromEnvelope } from './parser-helpers.js';
import { markAlarm } from './skip-kinds.js';
import type { Envelope, LogFormat, ParseError, ParseResult, RecordParser } from './types.js';

const FORMAT_ID = 'linux-kernel-net';

/** `martian source D from S, on dev X` and `martian destination D from S, dev X`. */
const MARTIAN_RE = /^martian (source|destination) (\S{1,64}) from (\S{1,64}), (?:on )?dev (\S{1,32})$/;

/** `UDP: short packet: From A:p ulen/len to B:p` (UDPLite too). */
const SHORT_RE =
  /^UDP(Lite)?: short packet: From (\S{1,64}):(\d{1,5}) \d{1,10}\/\d{1,10} to (\S{1,64}):(\d{1,5})$/;

/** `TCP: Possible SYN flooding on port 443. Sending cookies.` / `TCPv6: request_sock_TCPv6: ... port [::]:443. Dropping request.` */
const SYN_FLOOD_RE =
  /^TCP(?:v6)?: (?:request_sock_TCP(?:v6)?: )?Possible SYN flooding on port (?:\S{1,64}:)?(\d{1,5})\. (Sending cookies|Dropping request)\./;

/**
 * The non-traffic kinds of the kernel's overload warnings. This module owns their wording; the report's notices
 * (src/report/notices.ts) find them by these names to say them in a sentence.
 */
export const SYN_FLOOD_KIND = 'possible SYN flood on port ';
export const CONNTRACK_FULL_KIND = 'connection-tracking table full: packets dropped';

/** `possible SYN flood on port 443: SYN cookies sent` (or `: connection requests dropped`). */
function synFloodKind(port: string, cookies: boolean): string {
  return `${SYN_FLOOD_KIND}${port}: ${cookies ? 'SYN cookies sent' : 'connection requests dropped'}`;
}

/** The port of a SYN-flood kind, or undefined for any other kind. */
export function synFloodPort(kind: string): string | undefined {
  return kind.startsWith(SYN_FLOOD_KIND) ? kind.slice(SYN_FLOOD_KIND.length).split(':')[0] : undefined;
}

/** What the kernel drops a martian packet as, in a finding's words. */
const ALARM_NAMES = { source: 'martian source', destination: 'martian destination' } as const;

function readMessage(text: string): FwEvent | ParseError | { skip: string } | null {
  if (text.startsWith('ll header: ')) return { skip: 'link-layer header of a martian packet' };
  const flood = SYN_FLOOD_RE.exec(text);
  if (flood) return { skip: synFloodKind(flood[1]!, flood[2] === 'Sending cookies') };
  if (/^(?:nf_conntrack: )+table full, dropping packet/.test(text)) return { skip: CONNTRACK_FULL_KIND };
  if (text.startsWith('martian ')) {
    const m = MARTIAN_RE.exec(text);
    if (!m) return damaged('parse.kernel.martian');
    const kind = m[1] as 'source' | 'destination';
    const ev = flowEvent(FORMAT_ID, 'deny', 'inbound', { sourceIp: m[3], destinationIp: m[2] });
    if ('error' in ev) return ev;
    ev.inInterface = m[4];
    // The kernel's own judgement about the packet, as a firewall's screen alarm is (alarm findings read it).
    return markAlarm(ev, 'screen', `martian-${kind}`, ownValue(ALARM_NAMES, kind));
  }
  if (text.startsWith('UDP: short packet: ') || text.startsWith('UDPLite: short packet: ')) {
    const m = SHORT_RE.exec(text);
    if (!m) return damaged('parse.kernel.shortPacket');
    const ev = flowEvent(FORMAT_ID, 'deny', 'inbound', {
      sourceIp: m[2],
      sourcePort: m[3],
      destinationIp: m[4],
      destinationPort: m[5],
      protocol: m[1] ? 'udplite' : 'udp',
    });
    if ('error' in ev) return ev;
    return markAlarm(ev, 'screen', 'udp-short-packet', 'UDP short packet');
  }
  return null;
}

/** The message after a `kernel: ` tag the envelope left in place (a line without a syslog stamp). */
function bodyOf(env: Envelope): string | undefined {
  if (env.program !== undefined) return env.program === 'kernel' ? env.message : undefined;
  return env.message.startsWith('kernel: ') ? env.message.slice(8) : env.message;
}

function parse(env: Envelope): ParseResult {
  // The kernel writes them; a line without a program (dmesg, a bare `kernel:`) is read by its message alone.
  const body = bodyOf(env);
  if (body === undefined) return null;
  const result = readMessage(body);
  if (result === null || 'skip' in result || 'error' in result) return result;
  return observedFromEnvelope(result, env, 'linux kernel');
}

/** Linux kernel network messages: martian and short packets, SYN-flood and conntrack-full warnings. */
export const linuxKernelNet: LogFormat = {
  id: FORMAT_ID,
  label: 'Linux kernel network messages',
  description:
    "The Linux kernel's own network messages beside netfilter's LOG lines. Its reports of IPv4 packets it dropped before any rule saw them, when log_martians is set: `martian source D from S, on dev X` (a source that cannot be right on that interface: forged, leaked or routed asymmetrically) and `martian destination`, read as dropped inbound packets the kernel itself flagged; the `ll header:` dump after them is counted as non-traffic. `UDP: short packet` notices are read as dropped UDP packets. Warnings without a packet are counted as non-traffic under what they say: `Possible SYN flooding on port N` (with whether SYN cookies were sent) and `nf_conntrack: table full, dropping packet`.",
  example: 'kernel: martian source 198.51.100.20 from 192.168.0.2, on dev ppp0',
  fields: [...TRAFFIC_FIELDS, 'inInterface', 'alarmName', 'prefix', ...OBSERVER_FIELDS],
  detect(_message: string, env: Envelope): number {
    const message = bodyOf(env);
    if (message === undefined) return 0;
    if (message.startsWith('martian source ') || message.startsWith('martian destination ')) return 0.9;
    if (message.startsWith('ll header: ')) return 0.6;
    if (SYN_FLOOD_RE.test(message) || /^(?:nf_conntrack: )+table full, dropping packet/.test(message))
      return 0.9;
    return /^UDP(?:Lite)?: short packet: From /.test(message) ? 0.9 : 0;
  },
  createParser(): RecordParser {
    return parse;
  },
};
