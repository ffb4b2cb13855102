// Tunables and small predicates shared by several detector specs.
import type { Bucket, Tunable } from '../types.js';

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
