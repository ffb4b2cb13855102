// FreeBSD ipfw packet log lines (`ipfw: 100 Deny TCP a:p b:p in via em0`), from syslog or from wipfw's own
// text log (`0000000060 2006.12.07 08:49:58.002  ipfw: ...`, a counter and a local dotted date first).
import type { EventAction, FwEvent } from '../event.js';
import { ownValue } from '../util/own.js';
import { INTERFACE_RULE_FIELDS, TRAFFIC_FIELDS } from './common-fields.js';
import { damaged } from './damaged.js';
import { parseIsoStamp } from './envelope/time.js';
import { flowEvent } from './flow-record.js';
import { observedFromEnvelope } from './parser-helpers.js';
import type { Envelope, LogFormat, ParseContext, ParseError, ParseResult } from './types.js';

/** wipfw's own line head: a 10-digit counter, `yyyy.mm.dd hh:mm:ss.mmm`, then the kernel text. */
const WIPFW_HEAD_RE = /^\d{10} (\d{4})\.(\d{2})\.(\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?) +(ipfw: .*)$/;

/**
 * `ipfw: <rule> <action> <protocol part> <in|out> via <if>` or `[no if info]`, then an optional fragment note.
 * The action may hold spaces (`Unreach 3`, `Forward to 192.0.2.1:8080`): it runs up to the protocol word.
 * An action is a few words (bounded at 256 characters, so a blank run is not tried to its end).
 * The fragment note holds no `(`, so each try of the action ends its scan at the next `(`, not at the line end.
 */
const RECORD_RE =
  /^ipfw: (-?\d+) (.{1,256}?) (TCP|UDP|UDPLITE|SCTP|ICMP(?::\d+\.\d+)?|ICMPv6(?::\d+\.\d+)?|P:\d+) (\S+) (\S+) (?:(in|out) via (\S+)|\[no if info\])( \(frag [^()]*\))?$/;

const FRAG_RE = /^ \(frag ([0-9a-f]+):(\d+)@(\d+)(\+?)\)$/;

/** Final verdicts; every other action (Count, Divert, Pipe, SkipTo, Nat ...) hands the packet on: `log`. */
const VERDICTS: Record<string, EventAction> = {
  Accept: 'allow',
  Deny: 'deny',
  Reset: 'reject',
  Reject: 'reject',
  Unreach: 'reject',
  Unreach6: 'reject',
};

/** Address and port of `192.0.2.1:80`, `192.0.2.1`, `[2001:db8::1]:80` or `[2001:db8::1]`. */
function endpoint(text: string): [string, string | undefined] {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (v6) return [v6[1]!, v6[2]];
  const colon = text.lastIndexOf(':');
  return colon > 0 ? [text.slice(0, colon), text.slice(colon + 1)] : [text, undefined];
}

/** Transport name and, for ICMP, type and code from the protocol word (`TCP`, `ICMP:8.0`, `P:47`). */
function protocolWord(word: string): { protocol: string; icmp?: [number, number] } {
  if (word.startsWith('P:')) return { protocol: word.slice(2) };
  const colon = word.indexOf(':');
  if (colon < 0) return { protocol: word === 'ICMPv6' ? 'ipv6-icmp' : word };
  const [type, code] = word
    .slice(colon + 1)
    .split('.')
    .map(Number) as [number, number];
  return { protocol: word.startsWith('ICMPv6') ? 'ipv6-icmp' : 'icmp', icmp: [type, code] };
}

/** Turn the `ipfw: ...` text into an event; `stamp` is the record's own time when the line carried one. */
function recordToEvent(text: string, stamp: number | undefined, env: Envelope): ParseResult {
  const m = RECORD_RE.exec(text);
  if (!m) return damaged('parse.ipfw.noRecord');
  const [, rule, actionText, protoWord, src, dst, dir, iface, frag] = m;
  const { protocol, icmp } = protocolWord(protoWord!);
  const [srcIp, srcPort] = endpoint(src!);
  const [dstIp, dstPort] = endpoint(dst!);
  if (icmp && (srcPort !== undefined || dstPort !== undefined)) return damaged('parse.ipfw.icmpPorts');
  const action = ownValue(VERDICTS, actionText!.split(' ')[0]!) ?? 'log';
  const direction = dir === 'in' ? 'inbound' : dir === 'out' ? 'outbound' : 'unknown';
  const ev: FwEvent | ParseError = flowEvent('ipfw', action, direction, {
    sourceIp: srcIp,
    destinationIp: dstIp,
    sourcePort: srcPort,
    destinationPort: dstPort,
    protocol,
  });
  if ('error' in ev) return ev;
  if (icmp) {
    if (icmp[0] > 255 || icmp[1] > 255) return damaged('parse.icmpOutOfRange', { value: String(protoWord) });
    ev.icmpType = icmp[0];
    ev.icmpCode = icmp[1];
  }
  if (iface !== undefined) ev[dir === 'in' ? 'inInterface' : 'outInterface'] = iface;
  // Rule -1 means the packet matched no rule (logged by the default policy path): no rule to name.
  if (rule !== '-1') ev.ruleName = `rule ${rule}`;
  // Non-verdict actions (Count, Divert 8668, Pipe 1 ...) say what happened to the packet: keep them.
  if (ownValue(VERDICTS, actionText!.split(' ')[0]!) === undefined) ev.prefix = actionText;
  if (frag) {
    const f = FRAG_RE.exec(frag);
    if (!f) return damaged('parse.ipfw.fragNote', { note: frag.trim() });
    // IPv4 writes the IP id in decimal; IPv6 writes the fragment header's 32-bit id in hex (no IP id field).
    if (ev.ipVersion === 4) {
      const id = Number(f[1]);
      if (!/^\d+$/.test(f[1]!) || id > 65535)
        return damaged('parse.ipfw.ipIdOutOfRange', { value: String(f[1]) });
      ev.ipId = id;
    }
    // ipfw prints the offset in bytes; events carry it in 8-byte units like the IP header.
    const offset = Number(f[2]) >> 3;
    if (offset > 8191) return damaged('parse.ipfw.fragOffsetOutOfRange', { value: String(f[2]) });
    if (offset > 0) ev.fragmentOffset = offset;
    ev.moreFragments = f[4] === '+';
  }
  return observedFromEnvelope(ev, env, 'ipfw', stamp);
}

/** FreeBSD ipfw and wipfw packet log. */
export const ipfw: LogFormat = {
  id: 'ipfw',
  label: 'FreeBSD ipfw / wipfw',
  description:
    'FreeBSD ipfw rules with the log option (kernel syslog lines) and wipfw, its Windows port, in its own text log.',
  example: 'ipfw: 100 Deny TCP 198.51.100.5:4711 192.0.2.10:22 in via em0',
  fields: [
    ...TRAFFIC_FIELDS,
    ...INTERFACE_RULE_FIELDS,
    'prefix',
    'icmpType',
    'icmpCode',
    'ipId',
    'fragmentOffset',
    'moreFragments',
    'observerHost',
  ],
  detect(message: string): number {
    if (message.startsWith('ipfw: ')) return /^ipfw: -?\d+ /.test(message) ? 0.95 : 0.5;
    return WIPFW_HEAD_RE.test(message) ? 0.95 : 0;
  },
  createParser(ctx: ParseContext) {
    return (env) => {
      const message = env.message;
      let text = message;
      let stamp: number | undefined;
      if (!message.startsWith('ipfw: ')) {
        const w = WIPFW_HEAD_RE.exec(message);
        if (!w) return null;
        const parsed = parseIsoStamp(`${w[1]}-${w[2]}-${w[3]}T${w[4]}`, ctx);
        if (parsed === null)
          return damaged('parse.notProductDateTime', {
            value: `"${w[1]}.${w[2]}.${w[3]} ${w[4]}"`,
            product: { en: 'a wipfw', zh: 'wipfw' },
          });
        stamp = parsed[0];
        text = w[5]!;
      }
      // Kernel notices on the same tag (`ipfw: limit 100 reached on entry 500`) carry no packet.
      if (!/^ipfw: -?\d+ /.test(text)) return { skip: 'system message' };
      // Layer-2 rules log Ethernet frames as `MAC`: no IP packet to describe.
      if (/^ipfw: -?\d+ .+ MAC (?:in|out) via \S+$/.test(text)) return { skip: 'non-IP frame' };
      return recordToEvent(text, stamp, env);
    };
  },
};
