// Numbers as they travel on the wire and in flow records: IANA protocol numbers and TCP flag bits.
import type { TcpFlag } from '../event.js';
import { wordTable } from '../util/word-table.js';

/** Lower-case transport names of the IANA protocol numbers fwlens names (others become `proto-N`). */
const PROTOCOL_NAMES: Record<number, string> = {
  0: 'hopopt',
  1: 'icmp',
  2: 'igmp',
  4: 'ipip',
  6: 'tcp',
  17: 'udp',
  33: 'dccp',
  41: 'ipv6',
  43: 'ipv6-route',
  44: 'ipv6-frag',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6-icmp',
  59: 'ipv6-nonxt',
  60: 'ipv6-opts',
  89: 'ospf',
  103: 'pim',
  112: 'vrrp',
  132: 'sctp',
  136: 'udplite',
};

const PROTOCOL_NUMBERS: Record<string, number> = wordTable({
  ...Object.fromEntries(Object.entries(PROTOCOL_NAMES).map(([n, name]) => [name, Number(n)])),
  // Spellings flow records use for the same protocols.
  icmpv6: 58,
  icmp6: 58,
  ipv6icmp: 58,
  'ipv6-icmpv6': 58,
});

/** Transport name of an IANA protocol number (`6` -> `tcp`, `250` -> `proto-250`). */
export function protocolName(n: number): string {
  return PROTOCOL_NAMES[n] ?? `proto-${n}`;
}

/**
 * Transport name and IANA number for a protocol written as a number or a name (`6`, `TCP`, `IPv6-ICMP`).
 * Returns null for text that is neither a number 0-255 nor a known name.
 */
export function parseProtocol(value: unknown): { transport: string; ianaNumber?: number } | null {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255) return null;
    return { transport: protocolName(value), ianaNumber: value };
  }
  if (typeof value !== 'string' || value === '') return null;
  if (/^\d{1,3}$/.test(value)) return parseProtocol(Number(value));
  const name = value.toLowerCase();
  const n = PROTOCOL_NUMBERS[name];
  if (n !== undefined) return { transport: protocolName(n), ianaNumber: n };
  const unknown = /^proto-(\d{1,3})$/.exec(name);
  if (unknown) return parseProtocol(Number(unknown[1]));
  return /^[a-z][a-z0-9-]{0,15}$/.test(name) ? { transport: name } : null;
}

/** Transports whose packets carry port numbers. */
const PORT_TRANSPORTS: ReadonlySet<string> = new Set(['tcp', 'udp', 'sctp', 'dccp', 'udplite']);

/** True when a transport's packets carry port numbers (TCP, UDP, SCTP, DCCP, UDP-Lite). */
export function carriesPorts(transport: string): boolean {
  return PORT_TRANSPORTS.has(transport);
}

/**
 * True for a protocol fwlens names whose packets carry no port numbers (IGMP, GRE, ESP, AH, OSPF, PIM, VRRP,
 * IP in IP, IPv6 extension headers): numbers a log writes in its port columns beside one (0, or ports a
 * sample made up) are no ports. ICMP is not among them: formats read its type, code or id from those columns.
 */
export function portlessTransport(transport: string): boolean {
  return (
    PROTOCOL_NUMBERS[transport] !== undefined &&
    !PORT_TRANSPORTS.has(transport) &&
    transport !== 'icmp' &&
    transport !== 'ipv6-icmp'
  );
}

/** TCP flag bits, in the order the Linux kernel prints them. */
const TCP_FLAG_BITS: [TcpFlag, number][] = [
  ['CWR', 0x80],
  ['ECE', 0x40],
  ['URG', 0x20],
  ['ACK', 0x10],
  ['PSH', 0x08],
  ['RST', 0x04],
  ['SYN', 0x02],
  ['FIN', 0x01],
];

/** Flag words of a TCP flag byte (`0x12` -> `['ACK', 'SYN']`). */
export function tcpFlagsFromBits(bits: number): TcpFlag[] {
  const out: TcpFlag[] = [];
  for (const [name, bit] of TCP_FLAG_BITS) if (bits & bit) out.push(name);
  return out;
}

/** True for an integer port number 0-65535. */
export function isPort(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 65535;
}
