// A small bounded count by text key, for the summary's "by" tables whose keys a log line can choose (a CEF or
// LEEF vendor and product, an odd PROTO= name): the first `limit` keys are counted by name (cut to
// TALLY_KEY_CHARS), every later key under OTHER_KEYS, with how many distinct keys were folded into it (exact
// up to 1,024, then a HyperLogLog estimate). Without the bound a log naming a new product on every line ran
// a worker out of heap.
import { hash32 } from '../util/hash.js';
import { cutText } from '../util/strings.js';
import { DistinctCounter } from './distinct.js';

/** Distinct keys a tally names: room for every IP protocol number (a protocol scan names many). */
export const TALLY_KEYS = 256;
/** Longest key kept (ellipsis included); also the longest observer product a CEF/LEEF-style event carries. */
export const TALLY_KEY_CHARS = 80;
/** The key the folded keys are counted under in `record()`. */
export const OTHER_KEYS = '(other)';

export class KeyTally {
  private counts = new Map<string, number>();
  /** Count of the records whose key was folded. */
  private other = 0;
  private folded: DistinctCounter | undefined;

  constructor(readonly limit = TALLY_KEYS) {}

  /** Count `n` records of `key`. */
  add(key: string, n = 1): void {
    const c = this.counts.get(key);
    if (c !== undefined) this.counts.set(key, c + n);
    else this.addNew(key.length > TALLY_KEY_CHARS ? cutText(key, TALLY_KEY_CHARS) : key, n);
  }

  private addNew(key: string, n: number): void {
    const c = this.counts.get(key);
    if (c !== undefined) this.counts.set(key, c + n);
    else if (this.counts.size < this.limit) this.counts.set(cutText(key, TALLY_KEY_CHARS), n);
    else {
      this.folded ??= new DistinctCounter(1024);
      this.folded.add(hash32(key));
      this.other += n;
    }
  }

  /** Add another tally's counts (a shard built elsewhere); the same tallies in the same order give the same result. */
  absorb(other: KeyTally): void {
    for (const [k, v] of other.counts) this.add(k, v);
    this.other += other.other;
    if (other.folded) {
      this.folded ??= new DistinctCounter(1024);
      this.folded.absorb(other.folded);
    }
  }

  /** Distinct keys counted under OTHER_KEYS (0 when none was folded). */
  get foldedKeys(): number {
    return this.folded ? Math.round(this.folded.size) : 0;
  }

  /** The counts as a plain object, the folded ones under OTHER_KEYS. */
  record(): Record<string, number> {
    const out: Record<string, number> = {};
    // defineProperty: a key a log chose may be `__proto__`.
    const put = (k: string, v: number) =>
      Object.defineProperty(out, k, {
        value: (Object.hasOwn(out, k) ? out[k]! : 0) + v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    for (const [k, v] of this.counts) put(k, v);
    if (this.other > 0) put(OTHER_KEYS, this.other);
    return out;
  }

  /** Give a structured-clone copy (from a worker thread) its classes back. */
  static revive(plain: KeyTally): KeyTally {
    const t = Object.setPrototypeOf(plain, KeyTally.prototype) as KeyTally;
    if (t.folded) DistinctCounter.revive(t.folded);
    return t;
  }
}
