// Bounded counters behind the report's charts: events over time, source x port pairs, source networks.
import { formatIpv6, intToIpv4, ipv4Value, ipv6Groups } from '../net/ip.js';
import { CountTable } from './count-table.js';

/** Most buckets the timeline holds, whatever the span of the log; widths grow to stay under it. */
export const MAX_TIME_BUCKETS = 500;

/**
 * Bucket widths tried in order, each a whole multiple of the one before so buckets merge exactly
 * when the span grows. Past the last entry the width doubles.
 */
export const BUCKET_WIDTHS_MS: readonly number[] = [
  1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21_600, 43_200, 86_400, 604_800, 2_419_200,
].map((s) => s * 1000);

/** Slots per network prefix length. */
export const NETWORK_SLOTS = 20_000;

/** Events per time bucket, one dense series per action, on event time (UTC-aligned buckets). */
export interface Timeline {
  /** Width of one bucket in ms. */
  bucketMs: number;
  /** Start of the first bucket, epoch ms; absent when no event carried a time. */
  start?: number;
  /** Action -> count per bucket, all arrays the same length (at most MAX_TIME_BUCKETS). */
  series: Record<string, number[]>;
}

/** Events for each (source, destination port) pair among the top sources and top ports. */
export interface SourcePortHeatMap {
  sources: string[];
  /** Port keys as in PortStat.key (`tcp/22`, `icmp/8` ...). */
  ports: string[];
  /** [source index, port index, events] for every non-empty cell. */
  cells: [number, number, number][];
  /** Per source: its events to ports outside the shown columns. */
  otherPorts: number[];
  /** False when the tracked sources overflowed and counts are bounded estimates. */
  exact: boolean;
}

/** A source network (prefix) and how many events came from it. */
export interface NetworkStat {
  network: string;
  events: number;
}

/** Counts events per action in adaptive time buckets; memory stays under MAX_TIME_BUCKETS buckets. */
export class TimelineCounter {
  private widthStep = 0;
  private width = BUCKET_WIDTHS_MS[0]!;
  private buckets = new Map<number, Record<string, number>>();
  private minIdx = Number.POSITIVE_INFINITY;
  private maxIdx = Number.NEGATIVE_INFINITY;

  /** Count one event at epoch ms `t`. */
  add(t: number, action: string): void {
    const idx = Math.floor(t / this.width);
    if (idx < this.minIdx) this.minIdx = idx;
    if (idx > this.maxIdx) this.maxIdx = idx;
    let b = this.buckets.get(idx);
    if (!b) {
      b = {};
      this.buckets.set(idx, b);
    }
    b[action] = (b[action] ?? 0) + 1;
    if (this.maxIdx - this.minIdx + 1 > MAX_TIME_BUCKETS) this.coarsen();
  }

  /** Add another timeline's counts, both brought to the coarser of the two bucket widths. */
  absorb(other: TimelineCounter): void {
    while (this.widthStep < other.widthStep) this.coarsenOnce();
    const factor = this.width / other.width;
    for (const [idx, counts] of other.buckets) {
      const k = Math.floor(idx / factor);
      if (k < this.minIdx) this.minIdx = k;
      if (k > this.maxIdx) this.maxIdx = k;
      let into = this.buckets.get(k);
      if (!into) {
        into = {};
        this.buckets.set(k, into);
      }
      for (const a in counts) into[a] = (into[a] ?? 0) + counts[a]!;
    }
    this.coarsen();
  }

  /** Give a structured-clone copy (from a worker thread) its class back. */
  static revive(plain: TimelineCounter): TimelineCounter {
    return Object.setPrototypeOf(plain, TimelineCounter.prototype) as TimelineCounter;
  }

  private coarsen(): void {
    while (this.maxIdx - this.minIdx + 1 > MAX_TIME_BUCKETS) this.coarsenOnce();
  }

  /** Widen the buckets one step, merging the counts of the buckets that fall together. */
  private coarsenOnce(): void {
    this.widthStep++;
    const next = BUCKET_WIDTHS_MS[this.widthStep] ?? this.width * 2;
    const factor = next / this.width;
    const merged = new Map<number, Record<string, number>>();
    for (const [idx, counts] of this.buckets) {
      const k = Math.floor(idx / factor);
      const into = merged.get(k);
      if (!into) merged.set(k, counts);
      else for (const a in counts) into[a] = (into[a] ?? 0) + counts[a]!;
    }
    this.buckets = merged;
    this.width = next;
    this.minIdx = Math.floor(this.minIdx / factor);
    this.maxIdx = Math.floor(this.maxIdx / factor);
  }

  /** Dense series from the first to the last non-empty bucket. */
  result(): Timeline {
    if (this.buckets.size === 0) return { bucketMs: this.width, series: {} };
    const length = this.maxIdx - this.minIdx + 1;
    const series: Record<string, number[]> = {};
    for (const [idx, counts] of this.buckets)
      for (const a in counts) {
        if (!series[a]) series[a] = new Array<number>(length).fill(0);
        series[a][idx - this.minIdx] = counts[a]!;
      }
    return { bucketMs: this.width, start: this.minIdx * this.width, series };
  }
}

/** The narrow and wide network of an address: IPv4 /24 and /16, IPv6 /48 and /32. */
export function sourceNetworks(ip: string): [string, string] | undefined {
  if (ip.includes(':')) {
    const groups = ipv6Groups(ip);
    if (!groups) return undefined;
    const prefix = (n: number) => `${formatIpv6(groups.map((g, i) => (i < n ? g : 0)))}/${n * 16}`;
    return [prefix(3), prefix(2)];
  }
  const n = ipv4Value(ip);
  if (n < 0) return undefined;
  return [`${intToIpv4(n & 0xffffff00)}/24`, `${intToIpv4(n & 0xffff0000)}/16`];
}

/** A network key's text for ranking ties: an IPv4 network as its unsigned value, as it was always ranked. */
function networkText(item: { key: number | string }): string {
  return typeof item.key === 'number' ? String(item.key >>> 0) : item.key;
}

/**
 * Counts events per source network at two prefix lengths. IPv4 networks are counted under
 * numeric keys (the /24 and /16 base addresses) so no string is made per event.
 */

export class NetworkCounter {
  private readonly narrow: CountTable;
  private readonly wide: CountTable;

  /** @param slots networks tracked per prefix length (a shard of the sources takes its share). */
  constructor(slots = NETWORK_SLOTS) {
    this.narrow = new CountTable(slots);
    this.wide = new CountTable(slots);
  }

  /**
   * Count one event from `ip`. `v4` is its IPv4 value when the caller has read it already (`ipv4Value`,
   * -1 for anything else). IPv4 networks are kept as signed 32-bit keys: small integers a Map hashes
   * without allocating a number per look-up.
   */
  add(ip: string, v4 = ipv4Value(ip)): void {
    if (v4 >= 0) {
      this.narrow.addInt(v4 & 0xffffff00);
      this.wide.addInt(v4 & 0xffff0000);
      return;
    }
    const nets = sourceNetworks(ip);
    if (!nets) return;
    this.narrow.addText(nets[0]);
    this.wide.addText(nets[1]);
  }

  /** Add another counter's networks (counts of the same network are added). */
  absorb(other: NetworkCounter): void {
    this.narrow.absorb(other.narrow);
    this.wide.absorb(other.wide);
  }

  /** Give a structured-clone copy (from a worker thread) its classes back. */
  static revive(plain: NetworkCounter): NetworkCounter {
    const n = Object.setPrototypeOf(plain, NetworkCounter.prototype) as NetworkCounter;
    CountTable.revive(n.narrow);
    CountTable.revive(n.wide);
    return n;
  }

  /** The `n` busiest networks at each prefix length. */
  result(n: number): { narrow: NetworkStat[]; wide: NetworkStat[]; exact: boolean } {
    const label = (k: number | string, bits: number) =>
      typeof k === 'number' ? `${intToIpv4(k >>> 0)}/${bits}` : k;
    const rows = (t: CountTable, bits: number) =>
      t.top(n, networkText).map((i) => ({ network: label(i.key, bits), events: i.count }));
    return {
      narrow: rows(this.narrow, 24),
      wide: rows(this.wide, 16),
      exact: this.narrow.exact && this.wide.exact,
    };
  }
}
