// Well-mixed 32-bit hashes of strings and numbers (sketches, shards): one definition for every caller.

/** FNV-1a 32-bit hash of a string, then a murmur3 finalizer so the bits HyperLogLog reads are well mixed. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Well-mixed 32-bit hash of a number (murmur3 finalizer over both 32-bit halves). */
export function hashNumber(n: number): number {
  let h = (n | 0) ^ Math.imul(Math.floor(n / 4294967296) | 0, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
