// Derive, once per event, what every detector needs: direction, scan technique, reply-likeness, LAN noise.
import type { FwEvent } from '../event.js';
import { classifyAddress, isPublicLike, leavesInsideByAddress } from '../net/address-class.js';
import { exactIpKey } from '../net/ip.js';
import { protoPortText } from '../util/port-text.js';
import { detach } from '../util/strings.js';
import { wordTable } from '../util/word-table.js';
import { isBroadcastOrMulticast } from './addresses.js';
import type { Packet, PacketEvent } from './types.js';

const FLAG_ORDER = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;

/** Flag words in a fixed order joined by spaces ('' = no flags). */
export function flagText(flags: readonly string[] | undefined): string {
  if (!flags) return '';
  return FLAG_ORDER.filter((f) => flags.includes(f)).join(' ');
}

/** Scan technique named by a TCP flag set (ECN bits ignored), as nmap names its scan types. */
export function tcpTechnique(flags: string): string {
  const core = flags
    .split(' ')
    .filter((f) => f !== 'ECE' && f !== 'CWR' && f !== '')
    .join(' ');
  switch (core) {
    case 'SYN':
      return 'syn';
    case '':
      return 'null';
    case 'FIN':
      return 'fin';
    case 'URG PSH FIN':
      return 'xmas';
    case 'ACK':
      return 'ack';
    case 'ACK FIN':
      return 'maimon';
    case 'SYN FIN':
      return 'syn-fin';
    default:
      return 'tcp-other';
  }
}

const FLAG_BIT: Record<string, number> = wordTable({
  CWR: 128,
  ECE: 64,
  URG: 32,
  ACK: 16,
  PSH: 8,
  RST: 4,
  SYN: 2,
  FIN: 1,
});
const ACK = 16;
const RST = 4;
const SYN = 2;

/** Bit mask of a flag list (bits as in the TCP header). */
function flagMask(flags: readonly string[]): number {
  let m = 0;
  for (const f of flags) m |= FLAG_BIT[f] ?? 0;
  return m;
}

/** Flag text and scan technique of every mask, built once (so no string work per packet). */
const MASK_TEXT: string[] = [];
const MASK_TECHNIQUE: string[] = [];
for (let m = 0; m < 256; m++) {
  const text = FLAG_ORDER.filter((f) => (m & FLAG_BIT[f]!) !== 0).join(' ');
  MASK_TEXT.push(text);
  MASK_TECHNIQUE.push(tcpTechnique(text));
}

/** UDP source ports whose packets to a high port are answers to a client of ours. */
const UDP_REPLY_PORTS = new Set([53, 123, 443, 500, 4500, 1194, 3478, 5353]);

/** True for packets that look like the answer half of a conversation a local client started. */
function looksLikeReply(ev: FwEvent, mask: number | undefined): boolean {
  const sport = ev.sourcePort;
  const dport = ev.destinationPort;
  if (ev.transport === 'tcp' && mask !== undefined) {
    if ((mask & SYN) !== 0 && (mask & ACK) !== 0) return true;
    if ((mask & RST) !== 0) return true;
    // ACK-bearing segments from a service port to an ephemeral one: a late answer, not a probe.
    if ((mask & ACK) !== 0 && sport !== undefined && dport !== undefined && sport < 1024 && dport >= 1024)
      return true;
    return false;
  }
  if (ev.transport === 'udp' && sport !== undefined && dport !== undefined)
    return UDP_REPLY_PORTS.has(sport) && dport >= 1024;
  if (ev.transport === 'icmp') return ev.icmpType === 0 || ev.icmpType === 3 || ev.icmpType === 11;
  if (ev.transport === 'ipv6-icmp') return ev.icmpType === 129 || (ev.icmpType ?? 999) < 128;
  return false;
}

const NOISE_UDP_PORTS: Record<number, string> = {
  137: 'netbios',
  138: 'netbios',
  67: 'dhcp',
  68: 'dhcp',
  546: 'dhcpv6',
  547: 'dhcpv6',
  1900: 'ssdp',
  5353: 'mdns',
  5355: 'llmnr',
  41508: 'inoculan',
  3702: 'ws-discovery',
  17500: 'dropbox-lan-sync',
  10001: 'ubiquiti-discovery',
  57621: 'spotify-discovery',
};

/** A source on the LAN side: private or otherwise not public, and not loopback. */
function fromLan(src: string): boolean {
  return !isPublicLike(src) && classifyAddress(src) !== 'loopback';
}

/** Category of broadcast/multicast/LAN chatter, or undefined for ordinary traffic. */
export function lanNoiseCategory(ev: FwEvent): string | undefined {
  const dst = ev.destinationIp ?? '';
  const src = ev.sourceIp ?? '';
  if (ev.transport === 'ipv6-icmp' && ev.icmpType !== undefined && ev.icmpType >= 130 && ev.icmpType <= 143)
    return 'ipv6-neighbor';
  if (ev.transport === 'igmp') return 'igmp';
  const toGroup = isBroadcastOrMulticast(dst);
  if (ev.transport === 'udp' && ev.destinationPort !== undefined) {
    const cat = NOISE_UDP_PORTS[ev.destinationPort] ?? NOISE_UDP_PORTS[ev.sourcePort ?? -1];
    // A private source talking to a public unicast address is not chatter on the LAN (spoofing or a leak).
    // The source's class is looked up only for the few packets on a chatter port.
    if (cat && (toGroup || (fromLan(src) && !isPublicLike(dst)))) return cat;
  }
  if (toGroup) return classifyAddress(dst) === 'multicast' ? 'multicast' : 'broadcast';
  return undefined;
}

/** The fields of an event the detectors read, every one set in one order (one hidden class). */
export function packetEvent(ev: FwEvent): PacketEvent {
  return {
    action: ev.action,
    connectionPhase: ev.connectionPhase,
    direction: ev.direction,
    ipVersion: ev.ipVersion,
    length: ev.length,
    ttl: ev.ttl,
    ipId: ev.ipId,
    dontFragment: ev.dontFragment,
    tcpWindow: ev.tcpWindow,
    tcpSeq: ev.tcpSeq,
    icmpType: ev.icmpType,
    icmpCode: ev.icmpCode,
    icmpSeq: ev.icmpSeq,
    inInterface: ev.inInterface,
    inner: ev.inner,
    prefix: ev.prefix,
    alarmName: ev.alarmName,
    file: ev.file,
    line: ev.line,
  };
}

/** A packet's event with its texts copied (see `detach`), so none of them keeps its log line alive. */
function detachedEvent(e: PacketEvent): PacketEvent {
  const text = (s: string | undefined) => (s === undefined ? undefined : detach(s));
  return {
    ...e,
    inInterface: text(e.inInterface),
    prefix: text(e.prefix),
    alarmName: text(e.alarmName),
    inner: e.inner && {
      ...e.inner,
      sourceIp: text(e.inner.sourceIp),
      destinationIp: text(e.inner.destinationIp),
      transport: text(e.inner.transport),
    },
  };
}

/**
 * True for a packet that leaves the inside (`Packet.outbound`): from one of ours to an address not ours when
 * `isOwn` is configured; else by the event's direction, and without one by the addresses (`leavesInsideByAddress`).
 */
export function leavesInside(
  ev: Pick<FwEvent, 'direction'>,
  src: string,
  dst: string,
  isOwn: ((ip: string) => boolean) | undefined,
): boolean {
  if (isOwn) return isOwn(src) && !isOwn(dst);
  return leavesInsideByAddress(ev.direction, src, dst);
}

/** Turn an event into the shared packet view; `isOwn` decides inside vs outside when configured. */
export function toPacket(
  ev: FwEvent,
  raw: string,
  time: number,
  timeless: boolean,
  isOwn: ((ip: string) => boolean) | undefined,
  allowPartial = false,
  /** The line was cut: copy the event's texts too, which may be cut from the whole line and keep it alive. */
  detachTexts = false,
): Packet | undefined {
  const partial = ev.sourceIp === undefined || ev.destinationIp === undefined;
  if (partial && (!allowPartial || (ev.sourceIp === undefined && ev.destinationIp === undefined)))
    return undefined;
  // Addresses become table keys and evidence lists: detached, so they do not each pin their log line.
  const src = ev.sourceIp === undefined ? '' : detach(ev.sourceIp);
  const dst = ev.destinationIp === undefined ? '' : detach(ev.destinationIp);
  const outbound = leavesInside(ev, src, dst, isOwn);
  const inbound = isOwn ? !isOwn(src) : !outbound;
  const proto = ev.transport ?? (ev.ianaNumber !== undefined ? `proto-${ev.ianaNumber}` : 'unknown');
  // TCP flags as the log gave them; a log that records none (session logs: FortiGate, ASA, SRX, cloud flow
  // logs, or a netfilter line without its TCP header) leaves them unknown, which is not a NULL packet.
  const mask = proto === 'tcp' && ev.tcpFlags ? flagMask(ev.tcpFlags) : undefined;
  const flags = mask === undefined ? undefined : MASK_TEXT[mask];
  let technique: string | undefined;
  if (mask !== undefined) technique = MASK_TECHNIQUE[mask];
  else if (proto === 'tcp') technique = 'tcp';
  else if (proto === 'udp' || proto === 'udplite') technique = 'udp';
  else if (proto === 'sctp') technique = 'sctp';
  else if (proto === 'icmp' || proto === 'ipv6-icmp')
    technique = ev.icmpType === 8 || ev.icmpType === 128 ? 'icmp-echo' : 'icmp';
  else technique = 'ip-protocol';
  const dport = ev.destinationPort;
  // Every property is set, in one order, so all packets share one hidden class (monomorphic spec code).
  return {
    ev: detachTexts ? detachedEvent(packetEvent(ev)) : packetEvent(ev),
    raw,
    time,
    timeless,
    src,
    dst,
    srcKey: exactIpKey(src),
    dstKey: exactIpKey(dst),
    pair: undefined,
    proto,
    sport: ev.sourcePort,
    dport,
    inbound,
    outbound,
    technique,
    replyLike: looksLikeReply(ev, mask),
    lanNoise: lanNoiseCategory(ev),
    reply: undefined,
    flags,
    portKey:
      dport !== undefined
        ? protoPortText(proto, dport)
        : technique === 'ip-protocol'
          ? `proto/${ev.ianaNumber ?? proto}`
          : proto,
    targetKey: undefined,
    partial,
  };
}

/** `src>dst`: the key of per-pair groups, built once per packet when a spec first asks. */
export function pairKey(p: Packet): string {
  if (p.pair === undefined) p.pair = `${p.src}>${p.dst}`;
  return p.pair;
}

/** `dst|portKey`: one target:port probe, built once per packet for the specs that count them. */
export function targetKey(p: Packet): string {
  if (p.targetKey === undefined) p.targetKey = `${p.dst}|${p.portKey}`;
  return p.targetKey;
}

/**
 * What a record counts as in a finding's text (src/detect/finding.ts RecordTally): a packet, a session log's
 * connection the firewall let through (FwEvent.connectionPhase set, action allow), or a connection nobody says was
 * opened: one the firewall refused (deny or reject: tried, never opened) or one a sensor only saw (log: Zeek, a flow
 * log without a decision, which tell traffic, not a verdict; a Zeek S0 record is an attempt nobody answered).
 */
export function recordSort(ev: PacketEvent): 'packet' | 'connection' | 'unopened' {
  if (ev.connectionPhase === undefined) return 'packet';
  return ev.action === 'allow' ? 'connection' : 'unopened';
}

/** A TCP record without flags that the firewall blocked: a session log's denied connection attempt. */
export function blockedSession(p: Packet): boolean {
  return p.technique === 'tcp' && (p.ev.action === 'deny' || p.ev.action === 'reject');
}

/** An inbound, non-reply, non-noise packet: the raw material of every scan detector. */
export function isProbe(p: Packet): boolean {
  return p.inbound && !p.replyLike && p.lanNoise === undefined;
}

/** Port key used as the distinct value of port-counting detectors (`tcp/80`, `proto/47`). */
export function portKey(p: Packet): string {
  return p.portKey;
}
