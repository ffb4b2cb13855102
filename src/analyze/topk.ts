// Bounded top-K counting (a batched Space-Saving variant): exact while distinct keys fit, bounded after.

/** One counted key; `error` is the most the count may overstate it (0 while exact). */
export interface TopKItem<K, D = undefined> {
  key: K;
  count: number;
  error: number;
  /** Per-key state kept alongside the count and dropped with it on eviction. */
  data: D | undefined;
}

/**
 * Counts keys in at most `capacity` slots. While no more than `capacity` distinct keys were seen,
 * every count is exact. When the table fills, the smaller half is dropped in one pass and the
 * largest dropped count becomes the floor: a key seen later starts at floor + n with error = floor
 * (as in Space-Saving, Metwally et al. 2005), so heavy hitters survive, counts never understate,
 * and memory stays flat. Amortized cost per add is O(log capacity).
 */
export class TopK<K, D = undefined> {
  private readonly counts = new Map<K, TopKItem<K, D>>();
  private floor = 0;
  /** Total of all increments. */
  total = 0;

  /**
   * @param capacity slots
   * @param keep applied to a key when it gets a slot (e.g. `detach`, so a stored key holds no log line)
   */
  constructor(
    readonly capacity: number,
    public keep?: (key: K) => K,
  ) {}

  /** Add `n` to key's count; returns the key's item. */
  add(key: K, n = 1): TopKItem<K, D> {
    this.total += n;
    let item = this.counts.get(key);
    if (item) {
      item.count += n;
      return item;
    }
    if (this.counts.size >= this.capacity) this.evictHalf();
    const kept = this.keep ? this.keep(key) : key;
    item = { key: kept, count: this.floor + n, error: this.floor, data: undefined };
    this.counts.set(kept, item);
    return item;
  }

  /**
   * Add another table's counts into this one (the other table's items are taken over). Keys in both
   * have their counts and errors added, and `mergeData` combines their states (default: keep this one's).
   */
  absorb(other: TopK<K, D>, mergeData?: (mine: D | undefined, theirs: D | undefined) => D | undefined): void {
    this.total += other.total;
    if (other.floor > this.floor) this.floor = other.floor;
    for (const item of other.counts.values()) {
      const mine = this.counts.get(item.key);
      if (mine) {
        mine.count += item.count;
        mine.error += item.error;
        if (mergeData) mine.data = mergeData(mine.data, item.data);
        continue;
      }
      if (this.counts.size >= this.capacity) this.evictHalf();
      this.counts.set(item.key, item);
    }
  }

  /** Give a structured-clone copy (from a worker thread) its class back. */
  static revive<K, D>(plain: TopK<K, D>): TopK<K, D> {
    return Object.setPrototypeOf(plain, TopK.prototype) as TopK<K, D>;
  }

  /**
   * Drop the smaller half: the `drop` smallest counts, equal counts in the order their keys came (what a
   * stable sort by count and a cut would drop), found from a numeric sort of the counts alone instead of a
   * sort of the items.
   */
  private evictHalf(): void {
    const n = this.counts.size;
    // At least one: a table of one slot would otherwise keep growing by one key at a time.
    const drop = Math.max(1, Math.floor(n / 2));
    const counts = new Float64Array(n);
    let i = 0;
    for (const it of this.counts.values()) counts[i++] = it.count;
    counts.sort();
    // The largest dropped count: every smaller one goes, and of the equal ones the oldest until `drop` went.
    const cut = counts[drop - 1]!;
    let below = 0;
    while (below < n && counts[below]! < cut) below++;
    let equalToDrop = drop - below;
    for (const it of this.counts.values()) {
      if (it.count < cut) this.counts.delete(it.key);
      else if (it.count === cut && equalToDrop > 0) {
        equalToDrop--;
        this.counts.delete(it.key);
      }
    }
    if (cut > this.floor) this.floor = cut;
  }

  /** True while every count is exact (the table never overflowed). */
  get exact(): boolean {
    return this.floor === 0;
  }

  /** The item for a key, if it is being tracked. */
  get(key: K): TopKItem<K, D> | undefined {
    return this.counts.get(key);
  }

  /** Number of tracked keys. */
  get size(): number {
    return this.counts.size;
  }

  /** All tracked items (unordered). */
  items(): IterableIterator<TopKItem<K, D>> {
    return this.counts.values();
  }

  /**
   * The `n` largest items, ties broken by key text (`text`, default `String(key)`, compared as
   * `localeCompare` does) so output is deterministic. Only the items that can make the cut are sorted: those
   * counted at least as often as the `n`-th largest count.
   */
  top(n: number, text: (item: TopKItem<K, D>) => string = keyText): TopKItem<K, D>[] {
    let items = [...this.counts.values()];
    if (n <= 0) return [];
    if (items.length > n) {
      const counts = new Float64Array(items.length);
      for (let i = 0; i < items.length; i++) counts[i] = items[i]!.count;
      counts.sort();
      const cut = counts[counts.length - n]!;
      items = items.filter((it) => it.count >= cut);
    }
    const texts = new Map<TopKItem<K, D>, string>();
    for (const it of items) texts.set(it, text(it));
    return items
      .sort((a, b) => b.count - a.count || COLLATOR.compare(texts.get(a)!, texts.get(b)!))
      .slice(0, n);
  }
}

/** `String.prototype.localeCompare` without arguments compares as a default `Intl.Collator` does (ECMA-402). */
const COLLATOR = new Intl.Collator();

function keyText<K, D>(item: TopKItem<K, D>): string {
  return String(item.key);
}
