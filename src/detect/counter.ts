// A count map that stores its first key inline: most groups see one source, one target, one port.
/** Counts per key; allocates a Map only when a second distinct key arrives (keeps one-shot groups cheap). */
export class Counter<K> {
  private firstKey: K | undefined;
  private firstCount = 0;
  private map: Map<K, number> | undefined;

  get size(): number {
    return this.map ? this.map.size : this.firstCount > 0 ? 1 : 0;
  }

  /** Add one hit; a new key beyond `cap` distinct keys is not stored and false is returned. */
  add(key: K, cap: number): boolean {
    if (this.map) {
      const n = this.map.get(key);
      if (n !== undefined) this.map.set(key, n + 1);
      else if (this.map.size < cap) this.map.set(key, 1);
      else return false;
      return true;
    }
    if (this.firstCount === 0) {
      this.firstKey = key;
      this.firstCount = 1;
    } else if (this.firstKey === key) this.firstCount++;
    else {
      this.map = new Map([
        [this.firstKey as K, this.firstCount],
        [key, 1],
      ]);
    }
    return true;
  }

  get(key: K): number | undefined {
    if (this.map) return this.map.get(key);
    return this.firstCount > 0 && this.firstKey === key ? this.firstCount : undefined;
  }

  has(key: K): boolean {
    return this.get(key) !== undefined;
  }

  entries(): IterableIterator<[K, number]> {
    if (this.map) return this.map.entries();
    return (this.firstCount > 0 ? [[this.firstKey as K, this.firstCount] as [K, number]] : []).values();
  }

  keys(): IterableIterator<K> {
    if (this.map) return this.map.keys();
    return (this.firstCount > 0 ? [this.firstKey as K] : []).values();
  }

  values(): IterableIterator<number> {
    if (this.map) return this.map.values();
    return (this.firstCount > 0 ? [this.firstCount] : []).values();
  }
}
