// Tunables and small predicates shared by several detector specs.
import { tBoth } from '../../i18n.js';
import type { Bucket, Localized, Packet, Tunable } from '../types.js';

/** The two tunables every spec has: the idle gap that closes a group, and the merge cooldown. */
export function windowTunables(windowSeconds: number, cooldownSeconds: number): Record<string, Tunable> {
  return {
    windowSeconds: {
      default: windowSeconds,
      doc: 'A group closes after this many seconds without a matching packet (event time).',
    },
    cooldownSeconds: {
      default: cooldownSeconds,
      doc: 'A new finding for the same group within this many seconds of the last one is merged into it.',
    },
  };
}

/** Seconds per distinct value in a group (how slowly it spread); Infinity for a single value. */
export function secondsPerValue(b: Bucket): number {
  const n = b.distinct.size + b.distinctOverflow;
  if (n <= 1) return Number.POSITIVE_INFINITY;
  return (b.last - b.first) / 1000 / (n - 1);
}

/** Count of distinct values, including those past the memory cap. */
export function distinctCount(b: Bucket): number {
  return b.distinct.size + b.distinctOverflow;
}

/** Share of the events held by the `n` most hit values of a count map. */
export function topShare(map: { values(): IterableIterator<number> }, n: number, total: number): number {
  const counts = [...map.values()].sort((a, b) => b - a).slice(0, n);
  return total === 0 ? 0 : counts.reduce((a, c) => a + c, 0) / total;
}

/** IPv4 TCP/IP header overhead to subtract from LEN to get the TCP header size. */
export function tcpHeaderBytes(len: number | undefined, ipVersion: 4 | 6 | undefined): number | undefined {
  if (len === undefined) return undefined;
  return len - (ipVersion === 6 ? 40 : 20);
}

/** Arrival TTLs a group remembers: a 256-bit set plus the lowest and highest (made on a group's first TTL). */
export function observeTtl(b: Bucket, p: Packet): void {
  const ttl = p.ev.ttl;
  if (ttl === undefined || ttl < 0 || ttl > 255) return;
  let seen = b.ttls;
  if (seen === undefined) {
    seen = { bits: new Uint32Array(8), min: 255, max: 0 };
    b.ttls = seen;
  }
  seen.bits[ttl >> 5]! |= 1 << (ttl & 31);
  if (ttl < seen.min) seen.min = ttl;
  if (ttl > seen.max) seen.max = ttl;
}

/** The arrival TTLs a group saw: how many different values, the lowest and the highest. */
export function ttlSpread(b: Bucket): { values: number; low: number; high: number } {
  const seen = b.ttls;
  if (seen === undefined) return { values: 0, low: 0, high: 0 };
  let values = 0;
  for (let i = 0; i < 8; i++) for (let bits = seen.bits[i]!; bits; bits &= bits - 1) values++;
  return { values, low: seen.min, high: seen.max };
}

/**
 * Different arrival TTLs from one source that mark a raw-packet scanner: nmap gives every raw probe a
 * random TTL (37-63 in the lab captures), while one host's own stack sends one fixed TTL.
 */
export const RAW_PROBE_TTL_VALUES = 4;

/** Lowest minus highest arrival TTL of a raw-packet scanner's probes (a route change moves the TTL by a hop or two). */
export const RAW_PROBE_TTL_SPREAD = 5;

/** True when a group's TTLs are spread over a range as nmap's randomised raw probes are. */
export function ttlsVaryLikeRawProbes(b: Bucket): boolean {
  const { values, low, high } = ttlSpread(b);
  return values >= RAW_PROBE_TTL_VALUES && high - low >= RAW_PROBE_TTL_SPREAD;
}

/**
 * A packet shaped like a scanner's probe rather than an application's connection: a SYN without the
 * options an operating system's stack adds, a crafted flag combination, or a UDP datagram.
 */
export function probeShaped(p: Packet): boolean {
  if (p.proto === 'udp') return true;
  if (p.proto !== 'tcp' || p.flags === undefined) return false;
  if (p.technique !== 'syn') return p.technique !== 'tcp-other';
  const header = tcpHeaderBytes(p.ev.length, p.ev.ipVersion);
  // Stack SYNs carry 12-20 bytes of options (header 32-40); nmap's raw SYN carries MSS only (24).
  return header === undefined || header < 32;
}

/** The sentence a scan finding adds when its probes' TTLs vary as nmap's raw probes do, else undefined. */
export function rawProbeTtlNote(b: Bucket): Localized | undefined {
  if (!ttlsVaryLikeRawProbes(b)) return undefined;
  const { values, low, high } = ttlSpread(b);
  return tBoth('detect.scan.randomTtl', { low, high, values });
}
