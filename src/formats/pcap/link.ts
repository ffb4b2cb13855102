// Link-layer headers of captured packets (Ethernet, raw IP, Linux cooked v1/v2, BSD loopback, NFLOG):
// what they tell (MACs, direction, NFLOG prefix and devices) and where the IP packet starts.
import type { FwEvent } from '../../event.js';
import { damaged } from '../damaged.js';
import { interpretPrefix } from '../netfilter/prefix.js';
import type { ParseError } from '../types.js';

/** LINKTYPE_* numbers this module reads. */
export const LINK_TYPES: Record<number, string> = {
  0: 'BSD loopback',
  1: 'Ethernet',
  12: 'raw IP',
  14: 'raw IP',
  101: 'raw IP',
  108: 'OpenBSD loopback',
  113: 'Linux cooked v1',
  228: 'raw IPv4',
  229: 'raw IPv6',
  239: 'NFLOG',
  276: 'Linux cooked v2',
};

/** Where a frame's IP packet is, or why there is none (`skip`: not IP; `error`: damaged header). */
export type LinkResult = { ip: Uint8Array } | { skip: string } | ParseError;

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_NAMES = new Map<number, string>([
  [0x0806, 'ARP'],
  [0x8035, 'RARP'],
  [0x88cc, 'LLDP'],
]);

function mac(b: Uint8Array, at: number, len = 6): string {
  const parts: string[] = [];
  for (let i = 0; i < len; i++) parts.push(b[at + i]!.toString(16).padStart(2, '0'));
  return parts.join(':');
}

function dv(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** The IP packet after an ethertype, or a skip naming the non-IP protocol. */
function byEthertype(type: number, rest: Uint8Array): LinkResult {
  if (type === ETHERTYPE_IPV4 || type === ETHERTYPE_IPV6) return { ip: rest };
  const name = ETHERTYPE_NAMES.get(type);
  return {
    skip: name ? `${name} frame` : `non-IP frame (ethertype 0x${type.toString(16).padStart(4, '0')})`,
  };
}

function ethernet(b: Uint8Array, ev: FwEvent): LinkResult {
  if (b.length < 14)
    return damaged('parse.pcap.headerCutShort', { header: 'Ethernet', length: b.length, size: 14 });
  ev.destinationMac = mac(b, 0);
  ev.sourceMac = mac(b, 6);
  const d = dv(b);
  let at = 12;
  let type = d.getUint16(at);
  // 802.1Q / 802.1ad VLAN tags sit between the addresses and the real ethertype.
  while ((type === 0x8100 || type === 0x88a8) && at + 6 <= b.length) {
    at += 4;
    type = d.getUint16(at);
  }
  return byEthertype(type, b.subarray(at + 2));
}

/** Linux cooked capture packet types: 0 = to us, 4 = sent by us. */
function cookedDirection(packetType: number): FwEvent['direction'] {
  return packetType === 0 ? 'inbound' : packetType === 4 ? 'outbound' : 'unknown';
}

function linuxCooked(b: Uint8Array, ev: FwEvent): LinkResult {
  if (b.length < 16)
    return damaged('parse.pcap.headerCutShort', { header: 'Linux cooked', length: b.length, size: 16 });
  const d = dv(b);
  ev.direction = cookedDirection(d.getUint16(0));
  const addrLen = d.getUint16(4);
  if (d.getUint16(2) === 1 && addrLen === 6) ev.sourceMac = mac(b, 6);
  return byEthertype(d.getUint16(14), b.subarray(16));
}

function linuxCookedV2(b: Uint8Array, ev: FwEvent): LinkResult {
  if (b.length < 20)
    return damaged('parse.pcap.headerCutShort', { header: 'Linux cooked v2', length: b.length, size: 20 });
  const d = dv(b);
  ev.direction = cookedDirection(b[10]!);
  const ifIndex = d.getUint32(4);
  if (ev.direction === 'inbound') ev.inInterface = `ifindex:${ifIndex}`;
  else if (ev.direction === 'outbound') ev.outInterface = `ifindex:${ifIndex}`;
  if (d.getUint16(8) === 1 && b[11] === 6) ev.sourceMac = mac(b, 12);
  return byEthertype(d.getUint16(0), b.subarray(20));
}

/** BSD loopback: a 4-byte address family (host order for DLT_NULL, network order for DLT_LOOP). */
function loopback(b: Uint8Array, bigEndian: boolean): LinkResult {
  if (b.length < 4) return damaged('parse.pcap.loopbackCutShort');
  const d = dv(b);
  const family = bigEndian
    ? d.getUint32(0)
    : d.getUint32(0, true) > 0xffff
      ? d.getUint32(0)
      : d.getUint32(0, true);
  // AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30 depending on the BSD.
  if (family === 2 || family === 24 || family === 28 || family === 30) return { ip: b.subarray(4) };
  return { skip: `non-IP loopback frame (family ${family})` };
}

/** NFLOG TLV types (NFULA_*). */
const NFULA = {
  PACKET_HDR: 1,
  MARK: 2,
  IFINDEX_INDEV: 4,
  IFINDEX_OUTDEV: 5,
  HWADDR: 8,
  PAYLOAD: 9,
  PREFIX: 10,
  UID: 11,
  GID: 14,
  HWHEADER: 16,
} as const;

/**
 * NFLOG (LINKTYPE 239): family(1) version(1) group(2, big-endian), then TLVs whose length and type are in
 * the capturing host's byte order and whose values are in network order, each padded to 4 bytes.
 */
function nflog(b: Uint8Array, ev: FwEvent): LinkResult {
  if (b.length < 4) return damaged('parse.pcap.nflogCutShort');
  const d = dv(b);
  // Guess the TLV byte order from the first TLV: its length must be at least 4 and fit the frame.
  const firstLe = b.length >= 8 ? d.getUint16(4, true) : 0;
  const little = firstLe >= 4 && 4 + firstLe <= b.length;
  let payload: Uint8Array | undefined;
  let at = 4;
  while (at + 4 <= b.length) {
    const len = d.getUint16(at, little);
    const type = d.getUint16(at + 2, little) & 0x7fff;
    if (len < 4 || at + len > b.length) return damaged('parse.pcap.nflogOverrun', { at });
    const value = b.subarray(at + 4, at + len);
    const vd = dv(value);
    switch (type) {
      case NFULA.PAYLOAD:
        payload = value;
        break;
      case NFULA.PREFIX: {
        const nul = value.indexOf(0);
        const prefix = new TextDecoder().decode(nul >= 0 ? value.subarray(0, nul) : value);
        const info = interpretPrefix(prefix);
        ev.action = info.action;
        ev.observerProduct = info.product;
        if (info.ruleName !== undefined) ev.ruleName = info.ruleName;
        if (prefix.trim()) ev.prefix = prefix.trim();
        break;
      }
      case NFULA.IFINDEX_INDEV:
        if (value.length >= 4) ev.inInterface = `ifindex:${vd.getUint32(0)}`;
        break;
      case NFULA.IFINDEX_OUTDEV:
        if (value.length >= 4) ev.outInterface = `ifindex:${vd.getUint32(0)}`;
        break;
      case NFULA.MARK:
        if (value.length >= 4) ev.mark = vd.getUint32(0);
        break;
      case NFULA.UID:
        if (value.length >= 4) ev.uid = vd.getUint32(0);
        break;
      case NFULA.GID:
        if (value.length >= 4) ev.gid = vd.getUint32(0);
        break;
      case NFULA.HWHEADER:
        if (value.length >= 12) {
          ev.destinationMac = mac(value, 0);
          ev.sourceMac = mac(value, 6);
        }
        break;
      case NFULA.HWADDR:
        // struct nfulnl_msg_packet_hw: addrlen(2) pad(2) addr(8); the sender's address.
        if (ev.sourceMac === undefined && value.length >= 10 && vd.getUint16(0) === 6)
          ev.sourceMac = mac(value, 4);
        break;
    }
    at += (len + 3) & ~3;
  }
  ev.observerProduct ??= 'netfilter';
  // The same reading of IN/OUT devices as netfilter's text log.
  ev.direction =
    ev.inInterface && ev.outInterface
      ? 'forward'
      : ev.inInterface
        ? 'inbound'
        : ev.outInterface
          ? 'outbound'
          : 'unknown';
  if (!payload) return { skip: 'NFLOG message without a packet' };
  return { ip: payload };
}

/** Read the link-layer header of one frame into `ev` and return where the IP packet starts. */
export function decodeLink(linkType: number, frame: Uint8Array, ev: FwEvent): LinkResult {
  switch (linkType) {
    case 1:
      return ethernet(frame, ev);
    case 12:
    case 14:
    case 101:
    case 228:
    case 229:
      return { ip: frame };
    case 113:
      return linuxCooked(frame, ev);
    case 276:
      return linuxCookedV2(frame, ev);
    case 239:
      return nflog(frame, ev);
    case 0:
      return loopback(frame, false);
    case 108:
      return loopback(frame, true);
    default:
      return damaged('parse.pcap.linkType', { linkType });
  }
}
