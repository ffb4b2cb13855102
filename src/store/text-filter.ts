// A Bloom filter over the texts of the store's string table, for a writer that runs for long (`watch --store`): a
// text the filter has never seen is not in the table, so it needs no look-up. Without it every write looked its
// new texts up by a join against the whole table (every IPv6 address the store ever held): 27 ms per write at
// 1.1 M texts, growing with the table, which set the pace of a watcher fed new IPv6 sources.

/** Bits per text the filter is sized for: with FILTER_HASHES probes, ~7 false positives in 100,000 texts. */
export const FILTER_BITS_PER_TEXT = 20;
/** Probes per text (the optimum for FILTER_BITS_PER_TEXT is 20 ln 2 ≈ 14). */
export const FILTER_HASHES = 14;
/** Smallest filter: 2^20 bits (128 KiB). */
export const FILTER_MIN_BITS = 2 ** 20;
/** Largest filter: 2^29 bits (64 MiB); past ~27 M texts its false positives grow (more look-ups, never a wrong id). */
export const FILTER_MAX_BITS = 2 ** 29;

/** Bits for a filter of `texts` texts: a power of two, between FILTER_MIN_BITS and FILTER_MAX_BITS. */
export function filterBitsFor(texts: number): number {
  let bits = FILTER_MIN_BITS;
  while (bits < texts * FILTER_BITS_PER_TEXT && bits < FILTER_MAX_BITS) bits *= 2;
  return bits;
}

/** Two independent 32-bit hashes of a text's UTF-16 code units (FNV-1a, and a multiply-rotate hash), mixed. */
function hashes(text: string, out: Uint32Array): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  // Final mixing (murmur3's) so that texts differing in their last character spread over the whole range.
  a ^= a >>> 16;
  a = Math.imul(a, 0x85ebca6b);
  a ^= a >>> 13;
  a = Math.imul(a, 0xc2b2ae35);
  a ^= a >>> 16;
  b ^= text.length;
  b ^= b >>> 16;
  b = Math.imul(b, 0x85ebca6b);
  b ^= b >>> 13;
  b = Math.imul(b, 0xc2b2ae35);
  b ^= b >>> 16;
  out[0] = a;
  out[1] = b | 1; // odd: the probes (a + i·b mod 2^k) then visit distinct bits
}

/** A Bloom filter of texts: `mayHave` is false only for a text never added. */
export class TextFilter {
  private readonly words: Uint32Array;
  private readonly mask: number;
  private readonly h = new Uint32Array(2);
  /** Texts added. */
  count = 0;

  /** @param bits a power of two (see filterBitsFor) */
  constructor(readonly bits: number) {
    if (bits < 32 || (bits & (bits - 1)) !== 0)
      throw new Error(`filter bits must be a power of two: ${bits}`);
    this.words = new Uint32Array(bits / 32);
    this.mask = bits - 1;
  }

  /** Bytes the filter holds. */
  get bytes(): number {
    return this.words.byteLength;
  }

  add(text: string): void {
    hashes(text, this.h);
    let x = this.h[0]!;
    const step = this.h[1]!;
    for (let i = 0; i < FILTER_HASHES; i++) {
      const bit = x & this.mask;
      this.words[bit >>> 5]! |= 1 << (bit & 31);
      x = (x + step) >>> 0;
    }
    this.count++;
  }

  /** False when the text was never added; true when it was, or (rarely) when it only looks so. */
  mayHave(text: string): boolean {
    hashes(text, this.h);
    let x = this.h[0]!;
    const step = this.h[1]!;
    for (let i = 0; i < FILTER_HASHES; i++) {
      const bit = x & this.mask;
      if ((this.words[bit >>> 5]! & (1 << (bit & 31))) === 0) return false;
      x = (x + step) >>> 0;
    }
    return true;
  }
}
