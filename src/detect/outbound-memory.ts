// What our own side sent out, remembered for an hour of event time: the backscatter and return-traffic
// detectors ask whether an inbound packet answers something we started.
import { BoundedCache } from '../util/bounded-cache.js';
import type { Packet } from './types.js';

/** Bound on remembered outbound flows (for backscatter and return traffic). */
export const MAX_OUTBOUND_FLOWS = 50_000;
/** How long an outbound flow is remembered, in ms of event time. */
export const OUTBOUND_MEMORY_MS = 3600_000;

/** Outbound flows by pair, pair and port, and destination and port; bounded, on event time. */
export class OutboundMemory {
  // Two-generation caches, not FIFO Maps: `map.delete(map.keys().next().value)` turns quadratic in V8.
  private readonly flows = new BoundedCache<string, number>(MAX_OUTBOUND_FLOWS / 2);
  private sawAny = false;

  /** Remember an outbound packet at `time`. */
  record(p: Packet, time: number): void {
    this.sawAny = true;
    this.flows.set(`${p.src}|${p.dst}`, time);
    if (p.dport !== undefined) {
      this.flows.set(`${p.src}|${p.dst}|${p.dport}`, time);
      this.flows.set(`*|${p.dst}|${p.dport}`, time);
    }
  }

  /** When `from` last sent to `to` (on `port`), if within the memory as of `now`. */
  seen(from: string, to: string, port: number | undefined, now: number): number | undefined {
    return this.fresh(port === undefined ? `${from}|${to}` : `${from}|${to}|${port}`, now);
  }

  /** When anyone of ours last sent to `to` on `port`, if within the memory as of `now`. */
  toSeen(to: string, port: number, now: number): number | undefined {
    return this.fresh(`*|${to}|${port}`, now);
  }

  /** True once any outbound packet was seen. */
  any(): boolean {
    return this.sawAny;
  }

  /** Entries held (for memory checks). */
  get size(): number {
    return this.flows.size;
  }

  private fresh(key: string, now: number): number | undefined {
    const t = this.flows.get(key);
    return t !== undefined && now - t <= OUTBOUND_MEMORY_MS ? t : undefined;
  }
}
