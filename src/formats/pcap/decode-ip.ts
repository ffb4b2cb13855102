// Decodes an IPv4 or IPv6 packet's headers (and TCP/UDP/ICMP/ICMPv6 after them) into event fields,
// including the packet an ICMP error quotes. Only what the bytes hold is set; cut-short headers set less.
import type { FwEvent, InnerPacket } from '../../event.js';
import { formatIpv6, intToIpv4 } from '../../net/ip.js';
import { protocolName, tcpFlagsFromBits } from '../../net/wire.js';
import { damaged } from '../damaged.js';
import type { ParseError } from '../types.js';

/** IPv6 extension headers walked to reach the transport header. */
const IPV6_EXTENSIONS = new Set([0, 43, 44, 51, 60]);
/** ICMP types that quote the offending packet after their 8-byte header. */
const ICMP4_ERRORS = new Set([3, 4, 5, 11, 12]);
const ICMP6_ERRORS = new Set([1, 2, 3, 4]);
/** ICMP types carrying an identifier and sequence number (echo, timestamp, information). */
const ICMP4_ID_SEQ = new Set([0, 8, 13, 14, 15, 16]);
const ICMP6_ID_SEQ = new Set([128, 129]);

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function ipv6At(b: Uint8Array, at: number): string {
  const d = dv(b);
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(d.getUint16(at + i * 2));
  return formatIpv6(groups);
}

/**
 * Decode the IP packet in `b` into `ev`. Returns a parse error when the bytes are not an IP packet
 * (wrong version, header shorter than its minimum); a transport header cut short just leaves its fields unset.
 * `quoted` marks the packet inside an ICMP error: no deeper quoting, length taken from the header.
 */
export function decodeIp(b: Uint8Array, ev: FwEvent, quoted = false): ParseError | undefined {
  if (b.length < 1) return damaged('parse.pcap.empty');
  const version = b[0]! >> 4;
  if (version === 4) return decodeIpv4(b, ev, quoted);
  if (version === 6) return decodeIpv6(b, ev, quoted);
  return damaged('parse.pcap.ipVersion', { version });
}

function decodeIpv4(b: Uint8Array, ev: FwEvent, quoted: boolean): ParseError | undefined {
  if (b.length < 20)
    return damaged('parse.pcap.headerCutShort', { header: 'IPv4', length: b.length, size: 20 });
  const d = dv(b);
  const ihl = (b[0]! & 15) * 4;
  if (ihl < 20) return damaged('parse.pcap.ipv4HeaderLength', { length: ihl });
  const totalLength = d.getUint16(2);
  ev.ipVersion = 4;
  ev.tos = b[1]!;
  ev.length = totalLength;
  ev.ipId = d.getUint16(4);
  const frag = d.getUint16(6);
  if (frag & 0x4000) ev.dontFragment = true;
  if (frag & 0x2000) ev.moreFragments = true;
  const offset = frag & 0x1fff;
  if (offset) ev.fragmentOffset = offset;
  ev.ttl = b[8]!;
  const proto = b[9]!;
  ev.ianaNumber = proto;
  ev.transport = protocolName(proto);
  ev.sourceIp = intToIpv4(d.getUint32(12));
  ev.destinationIp = intToIpv4(d.getUint32(16));
  // A later fragment holds no transport header; a quoted packet's length field describes the original.
  if (offset === 0 && b.length > ihl) {
    const end = quoted ? b.length : Math.min(b.length, Math.max(totalLength, ihl));
    decodeTransport(proto, b.subarray(ihl, end), ev, quoted, 4);
  }
  return undefined;
}

function decodeIpv6(b: Uint8Array, ev: FwEvent, quoted: boolean): ParseError | undefined {
  if (b.length < 40)
    return damaged('parse.pcap.headerCutShort', { header: 'IPv6', length: b.length, size: 40 });
  const d = dv(b);
  const first = d.getUint32(0);
  ev.ipVersion = 6;
  ev.trafficClass = (first >>> 20) & 0xff;
  ev.flowLabel = first & 0xfffff;
  const payloadLength = d.getUint16(4);
  ev.length = payloadLength + 40;
  ev.ttl = b[7]!;
  ev.sourceIp = ipv6At(b, 8);
  ev.destinationIp = ipv6At(b, 24);
  let next = b[6]!;
  let at = 40;
  let fragmentOffset = 0;
  while (IPV6_EXTENSIONS.has(next) && at + 8 <= b.length) {
    const hdrNext = b[at]!;
    let len: number;
    if (next === 44) {
      const fo = d.getUint16(at + 2);
      fragmentOffset = fo >> 3;
      if (fragmentOffset) ev.fragmentOffset = fragmentOffset;
      if (fo & 1) ev.moreFragments = true;
      ev.ipId = d.getUint32(at + 4);
      len = 8;
    } else if (next === 51) len = (b[at + 1]! + 2) * 4;
    else len = (b[at + 1]! + 1) * 8;
    next = hdrNext;
    at += len;
  }
  ev.ianaNumber = next;
  ev.transport = protocolName(next);
  if (fragmentOffset === 0 && at < b.length && !IPV6_EXTENSIONS.has(next)) {
    const end = quoted ? b.length : Math.min(b.length, 40 + payloadLength);
    decodeTransport(next, b.subarray(at, end), ev, quoted, 6);
  }
  return undefined;
}

function decodeTransport(proto: number, t: Uint8Array, ev: FwEvent, quoted: boolean, ipVersion: 4 | 6): void {
  const d = dv(t);
  // TCP, UDP, DCCP, SCTP, UDP-Lite all start with the two ports.
  if ((proto === 6 || proto === 17 || proto === 33 || proto === 132 || proto === 136) && t.length >= 4) {
    ev.sourcePort = d.getUint16(0);
    ev.destinationPort = d.getUint16(2);
    if (proto === 6 && t.length >= 14) {
      ev.tcpSeq = d.getUint32(4);
      const flags = t[13]!;
      if (flags & 0x10) ev.tcpAck = d.getUint32(8);
      ev.tcpFlags = tcpFlagsFromBits(flags);
      if (t.length >= 16) ev.tcpWindow = d.getUint16(14);
    }
    return;
  }
  const icmp4 = proto === 1 && ipVersion === 4;
  const icmp6 = proto === 58 && ipVersion === 6;
  if (!(icmp4 || icmp6) || t.length < 2) return;
  const type = t[0]!;
  ev.icmpType = type;
  ev.icmpCode = t[1]!;
  if (t.length < 8) return;
  if ((icmp4 ? ICMP4_ID_SEQ : ICMP6_ID_SEQ).has(type)) {
    ev.icmpId = d.getUint16(4);
    ev.icmpSeq = d.getUint16(6);
  }
  if (icmp4 && type === 3 && ev.icmpCode === 4) ev.icmpMtu = d.getUint16(6);
  if (icmp4 && type === 5) ev.icmpGateway = intToIpv4(d.getUint32(4));
  if (icmp4 && type === 12) ev.icmpParameter = t[4]!;
  if (icmp6 && type === 2) ev.icmpMtu = d.getUint32(4);
  if (icmp6 && type === 4) ev.icmpParameter = d.getUint32(4);
  if (!quoted && (icmp4 ? ICMP4_ERRORS : ICMP6_ERRORS).has(type) && t.length > 8) {
    const inner = { format: '', action: 'log', direction: 'unknown' } as FwEvent;
    if (decodeIp(t.subarray(8), inner, true) === undefined) ev.inner = innerOf(inner);
  }
}

/** The fields of a quoted packet that `InnerPacket` keeps. */
function innerOf(e: FwEvent): InnerPacket {
  const out: InnerPacket = {};
  const keys = [
    'sourceIp',
    'destinationIp',
    'transport',
    'sourcePort',
    'destinationPort',
    'ttl',
    'ipId',
    'icmpType',
    'icmpCode',
  ] as const;
  for (const k of keys) if (e[k] !== undefined) (out as Record<string, unknown>)[k] = e[k];
  return out;
}
