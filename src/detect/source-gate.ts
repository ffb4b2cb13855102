// The source gate: most sources send one packet and are never seen again, so a source's first packet is
// held (not fed to the source-keyed detectors) until a second one shows it is worth a group.
import { BoundedCache } from '../util/bounded-cache.js';
import type { Packet } from './types.js';

/**
 * The source gate holds a first packet (about 1 KB with its event and line) for up to two generations of
 * this many sources, as a multiple of the per-detector group bound (10,000 -> 5,000), shared by the
 * shards: a source whose second packet comes after 5,000-10,000 other new sources starts afresh.
 */
export const GATE_HELD_FACTOR = 0.5;
/** Sources seen twice are remembered (a number each) for two generations of this multiple of the bound. */
export const GATE_LIVE_FACTOR = 3;

/** What the gate says of a packet: whether its source is live, and the held first packet to replay. */
export interface GateVerdict {
  live: boolean;
  replay: Packet | undefined;
}

/** The two verdicts without a replay, shared (one per packet would be garbage for every packet). */
const LIVE: GateVerdict = Object.freeze({ live: true, replay: undefined });
const HELD: GateVerdict = Object.freeze({ live: false, replay: undefined });

/** One shard's gate. A source goes live on its second packet within `gateMs`, its first one replayed. */
export class SourceGate {
  /** First packet of sources seen once (null once replayed). */
  private readonly firstOf: BoundedCache<string | number, Packet | null>;
  /** Last packet time of sources seen twice or more. */
  private readonly confirmed: BoundedCache<string | number, number>;

  /**
   * @param maxGroups the per-detector group bound, shared by `shardCount` shards
   * @param gateMs how long a held first packet waits for a second (the longest source-keyed window)
   */
  constructor(
    maxGroups: number,
    shardCount: number,
    private readonly gateMs: number,
  ) {
    this.firstOf = new BoundedCache(Math.ceil((maxGroups * GATE_HELD_FACTOR) / shardCount));
    this.confirmed = new BoundedCache(Math.ceil((maxGroups * GATE_LIVE_FACTOR) / shardCount));
  }

  /** Pass one packet through the gate. */
  admit(p: Packet): GateVerdict {
    const src = p.srcKey;
    const confirmedAt = this.confirmed.get(src);
    if (confirmedAt !== undefined && p.time - confirmedAt <= this.gateMs) {
      this.confirmed.set(src, p.time);
      return LIVE;
    }
    const held = this.firstOf.get(src);
    if (held !== undefined && held !== null && p.time - held.time <= this.gateMs) {
      this.firstOf.set(src, null);
      this.confirmed.set(src, p.time);
      return { live: true, replay: held };
    }
    this.firstOf.set(src, p);
    return HELD;
  }

  /** Held first packets and live sources (for memory profiles). */
  get sizes(): { held: number; live: number } {
    return { held: this.firstOf.size, live: this.confirmed.size };
  }
}
