// Lookup tables keyed by text read from a log. A plain object answers the names every object has through its
// prototype (`constructor`, `toString`, `__proto__` ...): a netfilter line with `PROTO=constructor` found a
// function in the protocol table and `analyze` died with "function is not iterable". A table made here has
// no prototype, so such a word finds nothing, as any other unknown word does (test/object-words.test.ts).

/** The entries as a frozen table without a prototype: only its own keys are found. */
export function wordTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}
