// Well-mixed 32-bit hashes of strings and numbers (sketches, shards): one definition for every caller.

/** murmur3's 32-bit finalizer: spreads every input bit over the output (HyperLogLog reads the top bits). */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a 32-bit hash of a string, then the murmur3 finalizer so the bits HyperLogLog reads are well mixed. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return mix32(h);
}

/** Well-mixed 32-bit hash of a number (murmur3 finalizer over both 32-bit halves). */
export function hashNumber(n: number): number {
  return mix32((n | 0) ^ Math.imul(Math.floor(n / 4294967296) | 0, 0x9e3779b1));
}
