// Bounded top-K counting (a batched Space-Saving variant): exact while the distinct keys fit; when the table
// is full its smaller half is dropped in one pass and the largest dropped count becomes the floor, so a key
// seen later starts at floor + n with error = floor (as in Space-Saving, Metwally et al. 2005): heavy hitters
// survive, counts never understate, memory stays flat. The summary's source, network and port tables.
//
// Items live in slots 0..size-1 in the order their keys came (a full table drops its smaller half and
// moves the rest down, order kept), so a slot's position is its age. An integer key is found through an
// open-addressing index of slot numbers (linear probing in an Int32Array); a text key (an IPv6 address,
// a port key, an address written unusually) through a Map. Counts and errors are typed columns, the per-key state a
// plain array beside them. Next to a Map of item objects this keeps a look-up in a few small typed
// arrays instead of a hash table, its entry and the item object it points to (the Map of items it replaced
// is the reference model in its tests).

/** `String.prototype.localeCompare` without arguments compares as a default `Intl.Collator` does (ECMA-402). */
const COLLATOR = new Intl.Collator();

/** An item of the table as `top` hands it out. */
export interface CountItem<D> {
  /** The integer key, or the text key. */
  key: number | string;
  count: number;
  /** The most the count may overstate the key's true count (0 while exact). */
  error: number;
  data: D | undefined;
}

export class CountTable<D = undefined> {
  /** Items in use (slots 0..size-1, oldest first). */
  size = 0;
  /** Total of all increments. */
  total = 0;
  private floor = 0;
  private readonly counts: Float64Array;
  private readonly errors: Float64Array;
  /** The integer key of a slot (unused for a text key). */
  private readonly intKeys: Int32Array;
  /** The text key of a slot, or undefined for an integer key. */
  private readonly textKeys: (string | undefined)[];
  /** Per-key state, dropped with the key. */
  readonly data: (D | undefined)[];
  /** Open-addressing index of the integer keys only: slot + 1 at the key's probe position, 0 for empty. */
  private readonly index: Int32Array;
  private readonly mask: number;
  private readonly textIndex = new Map<string, number>();

  /**
   * @param capacity slots
   * @param keep applied to a text key when it gets a slot (e.g. `detach`, so a stored key holds no log line)
   */
  constructor(
    readonly capacity: number,
    public keep?: (key: string) => string,
  ) {
    let cells = 8;
    while (cells < capacity * 2) cells *= 2;
    this.mask = cells - 1;
    this.index = new Int32Array(cells);
    this.counts = new Float64Array(capacity);
    this.errors = new Float64Array(capacity);
    this.intKeys = new Int32Array(capacity);
    this.textKeys = new Array<string | undefined>(capacity).fill(undefined);
    this.data = new Array<D | undefined>(capacity).fill(undefined);
  }

  /** Add `n` to an integer key's count (a signed 32-bit value); returns its slot, valid until the next add. */
  addInt(key: number, n = 1): number {
    this.total += n;
    const index = this.index;
    const mask = this.mask;
    let at = hashInt(key) & mask;
    for (;;) {
      const s = index[at]!;
      if (s === 0) break;
      if (this.intKeys[s - 1] === key) {
        this.counts[s - 1]! += n;
        return s - 1;
      }
      at = (at + 1) & mask;
    }
    if (this.size >= this.capacity) {
      this.evictHalf();
      return this.insertInt(key, this.floor + n, this.floor);
    }
    const slot = this.size++;
    this.counts[slot] = this.floor + n;
    this.errors[slot] = this.floor;
    this.intKeys[slot] = key;
    this.textKeys[slot] = undefined;
    this.data[slot] = undefined;
    index[at] = slot + 1;
    return slot;
  }

  /** Add `n` to a text key's count; returns its slot, valid until the next add. */
  addText(key: string, n = 1): number {
    this.total += n;
    const hit = this.textIndex.get(key);
    if (hit !== undefined) {
      this.counts[hit]! += n;
      return hit;
    }
    if (this.size >= this.capacity) this.evictHalf();
    return this.insertText(this.keep ? this.keep(key) : key, this.floor + n, this.floor);
  }

  /** The key of a slot: its integer or its text. */
  keyAt(slot: number): number | string {
    return this.textKeys[slot] ?? this.intKeys[slot]!;
  }

  countAt(slot: number): number {
    return this.counts[slot]!;
  }

  /** True while every count is exact (the table never overflowed). */
  get exact(): boolean {
    return this.floor === 0;
  }

  /** Every item, oldest first. */
  items(): CountItem<D>[] {
    const out: CountItem<D>[] = [];
    for (let s = 0; s < this.size; s++) out.push(this.itemAt(s));
    return out;
  }

  /**
   * The `n` largest items, ties broken by `text` of the item (default `String(key)`, compared as
   * `localeCompare` does). Only the items counted at least as often as the `n`-th largest count are sorted.
   */
  top(n: number, text: (item: CountItem<D>) => string = (i) => String(i.key)): CountItem<D>[] {
    if (n <= 0) return [];
    let cut = Number.NEGATIVE_INFINITY;
    if (this.size > n) {
      const sorted = this.counts.slice(0, this.size).sort();
      cut = sorted[this.size - n]!;
    }
    const items: CountItem<D>[] = [];
    const texts: string[] = [];
    for (let s = 0; s < this.size; s++)
      if (this.counts[s]! >= cut) {
        const item = this.itemAt(s);
        items.push(item);
        texts.push(text(item));
      }
    const order = items.map((_, i) => i);
    order.sort(
      (a, b) => items[b]!.count - items[a]!.count || COLLATOR.compare(texts[a]!, texts[b]!) || a - b,
    );
    return order.slice(0, n).map((i) => items[i]!);
  }

  /**
   * Add another table's counts into this one, its items in their order. Keys in both have their counts and
   * errors added, and `mergeData` combines their states (default: keep this one's).
   */
  absorb(
    other: CountTable<D>,
    mergeData?: (mine: D | undefined, theirs: D | undefined) => D | undefined,
  ): void {
    this.total += other.total;
    if (other.floor > this.floor) this.floor = other.floor;
    for (let s = 0; s < other.size; s++) {
      const text = other.textKeys[s];
      const count = other.counts[s]!;
      const error = other.errors[s]!;
      const mine = text === undefined ? this.findInt(other.intKeys[s]!) : this.textIndex.get(text);
      if (mine !== undefined) {
        this.counts[mine]! += count;
        this.errors[mine]! += error;
        if (mergeData) this.data[mine] = mergeData(this.data[mine], other.data[s]);
        continue;
      }
      if (this.size >= this.capacity) this.evictHalf();
      const slot =
        text === undefined
          ? this.insertInt(other.intKeys[s]!, count, error)
          : this.insertText(text, count, error);
      this.data[slot] = other.data[s];
    }
  }

  /** Give a structured-clone copy (from a worker thread) its class back. */
  static revive<D>(plain: CountTable<D>): CountTable<D> {
    return Object.setPrototypeOf(plain, CountTable.prototype) as CountTable<D>;
  }

  private itemAt(s: number): CountItem<D> {
    return { key: this.keyAt(s), count: this.counts[s]!, error: this.errors[s]!, data: this.data[s] };
  }

  private findInt(key: number): number | undefined {
    let at = hashInt(key) & this.mask;
    for (;;) {
      const s = this.index[at]!;
      if (s === 0) return undefined;
      if (this.intKeys[s - 1] === key) return s - 1;
      at = (at + 1) & this.mask;
    }
  }

  /** A new integer key in the next slot (the caller checked it is absent and there is room). */
  private insertInt(key: number, count: number, error: number): number {
    const slot = this.size++;
    this.counts[slot] = count;
    this.errors[slot] = error;
    this.intKeys[slot] = key;
    this.textKeys[slot] = undefined;
    this.data[slot] = undefined;
    let at = hashInt(key) & this.mask;
    while (this.index[at] !== 0) at = (at + 1) & this.mask;
    this.index[at] = slot + 1;
    return slot;
  }

  private insertText(key: string, count: number, error: number): number {
    const slot = this.size++;
    this.counts[slot] = count;
    this.errors[slot] = error;
    this.intKeys[slot] = 0;
    this.textKeys[slot] = key;
    this.data[slot] = undefined;
    this.textIndex.set(key, slot);
    return slot;
  }

  /**
   * Drop the smaller half: the `drop` smallest counts, equal counts oldest first (what a stable sort by
   * count and a cut drop), then move the survivors down in their order and index them again.
   */
  private evictHalf(): void {
    const n = this.size;
    const drop = Math.max(1, Math.floor(n / 2));
    const sorted = this.counts.slice(0, n).sort();
    const cut = sorted[drop - 1]!;
    let below = 0;
    while (below < n && sorted[below]! < cut) below++;
    let equalToDrop = drop - below;
    const { counts, errors, intKeys, textKeys, data } = this;
    let kept = 0;
    for (let s = 0; s < n; s++) {
      const c = counts[s]!;
      if (c < cut || (c === cut && equalToDrop-- > 0)) {
        const text = textKeys[s];
        if (text !== undefined) this.textIndex.delete(text);
        continue;
      }
      if (kept !== s) {
        counts[kept] = c;
        errors[kept] = errors[s]!;
        intKeys[kept] = intKeys[s]!;
        textKeys[kept] = textKeys[s];
        data[kept] = data[s];
        if (textKeys[kept] !== undefined) this.textIndex.set(textKeys[kept]!, kept);
      }
      kept++;
    }
    for (let s = kept; s < n; s++) {
      textKeys[s] = undefined;
      data[s] = undefined;
    }
    this.size = kept;
    if (cut > this.floor) this.floor = cut;
    this.index.fill(0);
    for (let s = 0; s < kept; s++) {
      if (textKeys[s] !== undefined) continue;
      let at = hashInt(intKeys[s]!) & this.mask;
      while (this.index[at] !== 0) at = (at + 1) & this.mask;
      this.index[at] = s + 1;
    }
  }
}

/** A well-mixed 32-bit hash of a 32-bit key (murmur3's finalizer): addresses share their high bits. */
function hashInt(k: number): number {
  let h = k ^ (k >>> 16);
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
