// A count map for small groups: most groups see one source, one target and a handful of ports.
import { exactIpKey, exactIpText } from '../net/ip.js';

/** Distinct keys kept in plain arrays (a linear scan beats hashing at this size); more move into a Map. */
export const SMALL_COUNTER_KEYS = 8;

/**
 * Keys taken into large counters' Maps (and into spec state that counts itself here), all counters of this
 * thread together, ever: the spec runner reads it around each group update to learn how much the group grew,
 * without a field per counter. A small counter's arrays hold at most SMALL_COUNTER_KEYS keys, so what a group
 * holds beyond a fixed size is what was counted here.
 */
export const heldKeys = { added: 0 };

/**
 * Counts per key, in insertion order. The first key is stored inline, up to SMALL_COUNTER_KEYS keys in
 * two arrays, and only larger counters allocate a Map: cheaper to update and far smaller than a Map per
 * counter for the one-shot and few-port groups that make up most of a log.
 */
export class Counter<K> {
  private firstKey: K | undefined;
  private firstCount = 0;
  private smallKeys: K[] | undefined;
  private smallCounts: number[] | undefined;
  /** Large counters: each key's slot in `mapCounts` (one hash look-up per hit instead of a get and a set). */
  private map: Map<K, number> | undefined;
  private mapCounts: number[] | undefined;

  get size(): number {
    if (this.map) return this.map.size;
    if (this.smallKeys) return this.smallKeys.length;
    return this.firstCount > 0 ? 1 : 0;
  }

  /** Add one hit; a new key beyond `cap` distinct keys is not stored and false is returned. */
  add(key: K, cap: number): boolean {
    const keys = this.smallKeys;
    if (keys) {
      for (let i = 0; i < keys.length; i++)
        if (keys[i] === key) {
          this.smallCounts![i]!++;
          return true;
        }
      if (keys.length >= cap) return false;
      if (keys.length < SMALL_COUNTER_KEYS) {
        keys.push(key);
        this.smallCounts!.push(1);
        return true;
      }
      // Outgrew the arrays: move to a Map of slots, keeping insertion order.
      const map = new Map<K, number>();
      for (let i = 0; i < keys.length; i++) map.set(keys[i]!, i);
      heldKeys.added += keys.length;
      this.map = map;
      this.mapCounts = this.smallCounts;
      this.smallKeys = undefined;
      this.smallCounts = undefined;
    }
    if (this.map) {
      const slot = this.map.get(key);
      if (slot !== undefined) this.mapCounts![slot]!++;
      else if (this.map.size < cap) {
        this.map.set(key, this.mapCounts!.length);
        this.mapCounts!.push(1);
        heldKeys.added++;
      } else return false;
      return true;
    }
    if (this.firstCount === 0) {
      this.firstKey = key;
      this.firstCount = 1;
    } else if (this.firstKey === key) this.firstCount++;
    else {
      this.smallKeys = [this.firstKey as K, key];
      this.smallCounts = [this.firstCount, 1];
    }
    return true;
  }

  get(key: K): number | undefined {
    if (this.map) {
      const slot = this.map.get(key);
      return slot === undefined ? undefined : this.mapCounts![slot];
    }
    const keys = this.smallKeys;
    if (keys) {
      for (let i = 0; i < keys.length; i++) if (keys[i] === key) return this.smallCounts![i];
      return undefined;
    }
    return this.firstCount > 0 && this.firstKey === key ? this.firstCount : undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  entries(): IterableIterator<[K, number]> {
    if (this.map) {
      const counts = this.mapCounts!;
      return [...this.map.keys()].map((k, i): [K, number] => [k, counts[i]!]).values();
    }
    const keys = this.smallKeys;
    if (keys) return keys.map((k, i): [K, number] => [k, this.smallCounts![i]!]).values();
    return (this.firstCount > 0 ? [[this.firstKey as K, this.firstCount] as [K, number]] : []).values();
  }

  keys(): IterableIterator<K> {
    if (this.map) return this.map.keys();
    if (this.smallKeys) return [...this.smallKeys].values();
    return (this.firstCount > 0 ? [this.firstKey as K] : []).values();
  }

  values(): IterableIterator<number> {
    if (this.map) return [...this.mapCounts!].values();
    if (this.smallCounts) return [...this.smallCounts].values();
    return (this.firstCount > 0 ? [this.firstCount] : []).values();
  }
}

/** What a detector reads of a group's count map. */
export interface Counts<K> {
  readonly size: number;
  get(key: K): number | undefined;
  has(key: K): boolean;
  keys(): IterableIterator<K>;
  values(): IterableIterator<number>;
  entries(): IterableIterator<[K, number]>;
}

/**
 * A group's sources or targets: counted by the packet's address key (`Packet.srcKey`/`dstKey`: a canonical
 * IPv4 address as an integer, hashed and compared without a string), read back as address texts, in the
 * order they were first counted.
 */
export interface AddressCounts extends Counts<string> {
  /** Count one hit of an address key; false (not counted) for a new key beyond `cap`. */
  add(key: number | string, cap: number): boolean;
}

function* textsOf(keys: IterableIterator<number | string>): IterableIterator<string> {
  for (const k of keys) yield exactIpText(k);
}

function* textEntriesOf(
  entries: IterableIterator<[number | string, number]>,
): IterableIterator<[string, number]> {
  for (const [k, n] of entries) yield [exactIpText(k), n];
}

/** Counts per address key (see `AddressCounts`). */
export class AddressCounter implements AddressCounts {
  private readonly counts = new Counter<number | string>();

  get size(): number {
    return this.counts.size;
  }

  add(key: number | string, cap: number): boolean {
    return this.counts.add(key, cap);
  }

  get(ip: string): number | undefined {
    return this.counts.get(exactIpKey(ip));
  }

  has(ip: string): boolean {
    return this.get(ip) !== undefined;
  }

  keys(): IterableIterator<string> {
    return textsOf(this.counts.keys());
  }

  values(): IterableIterator<number> {
    return this.counts.values();
  }

  entries(): IterableIterator<[string, number]> {
    return textEntriesOf(this.counts.entries());
  }
}

/**
 * The address every packet of a group shares because the group key fixes it (the source of a by-source
 * group, the source and target of a by-pair group): one address, counted as often as the group has
 * packets, without an update per packet (see `DetectorSpec.keyFixes`).
 */
export class FixedAddressCounter implements AddressCounts {
  /**
   * @param key the address's key (`exactIpKey`), `text` the address
   */
  constructor(
    private readonly key: number | string,
    private readonly text: string,
    private readonly group: { readonly events: number },
  ) {}

  get size(): number {
    return this.group.events > 0 ? 1 : 0;
  }

  /** Only the fixed address can be counted (the group's packets all carry it); it counts through the group. */
  add(key: number | string, _cap: number): boolean {
    if (key !== this.key) throw new Error('a fixed counter counts only the value its group key fixes');
    return true;
  }

  get(ip: string): number | undefined {
    return this.group.events > 0 && ip === this.text ? this.group.events : undefined;
  }

  has(ip: string): boolean {
    return this.get(ip) !== undefined;
  }

  keys(): IterableIterator<string> {
    return (this.group.events > 0 ? [this.text] : []).values();
  }

  values(): IterableIterator<number> {
    return (this.group.events > 0 ? [this.group.events] : []).values();
  }

  entries(): IterableIterator<[string, number]> {
    return (this.group.events > 0 ? [[this.text, this.group.events] as [string, number]] : []).values();
  }
}
