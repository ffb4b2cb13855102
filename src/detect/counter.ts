// A count map for small groups: most groups see one source, one target and a handful of ports.

/** Distinct keys kept in plain arrays (a linear scan beats hashing at this size); more move into a Map. */
export const SMALL_COUNTER_KEYS = 8;

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

/**
 * The counter of a value every packet of a group shares because the group key fixes it (the source of a
 * by-source group, the source and target of a by-pair group): one key, counted as often as the group has
 * packets, without an update per packet (see `DetectorSpec.keyFixes`).
 */
export class FixedCounter<K> extends Counter<K> {
  constructor(
    private readonly key: K,
    private readonly group: { readonly events: number },
  ) {
    super();
  }

  override get size(): number {
    return this.group.events > 0 ? 1 : 0;
  }

  /** Only the fixed key can be counted (the group's packets all carry it); it counts through the group. */
  override add(key: K, _cap: number): boolean {
    if (key !== this.key) throw new Error('a fixed counter counts only the value its group key fixes');
    return true;
  }

  override get(key: K): number | undefined {
    return this.group.events > 0 && key === this.key ? this.group.events : undefined;
  }

  override entries(): IterableIterator<[K, number]> {
    return (this.group.events > 0 ? [[this.key, this.group.events] as [K, number]] : []).values();
  }

  override keys(): IterableIterator<K> {
    return (this.group.events > 0 ? [this.key] : []).values();
  }

  override values(): IterableIterator<number> {
    return (this.group.events > 0 ? [this.group.events] : []).values();
  }
}
