// Lookup tables keyed by text read from a log. A plain object answers the names every object has through its
// prototype (`constructor`, `toString`, `__proto__` ...): a netfilter line with `PROTO=constructor` found a
// function in the protocol table and `analyze` died with "function is not iterable". A table made here has
// no prototype, so such a word finds nothing, as any other unknown word does (test/object-words.test.ts).

/**
 * The entries as a frozen table without a prototype: only its own keys are found. A copy whose prototype is
 * set to null keeps V8's fast properties (`%HasFastProperties`), where `Object.create(null)` makes a dictionary
 * (in one valgrind run of the ingest pass, 41,370 instructions per line with dictionaries against 41,103 with
 * the plain objects before them: small, but for nothing).
 */
export function wordTable<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.setPrototypeOf({ ...entries }, null) as Record<string, T>);
}
