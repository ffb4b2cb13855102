// Why detection tables are keyed by an address's integer (`exactIpKey`) and not its text: the cost of one
// look-up of a known key in a Map of 10,000 addresses, by the kind of key the look-up carries.
//
//   node --import tsx bench/map-keys.ts
//
// "fresh text" is what a parser hands over: each packet's address is a new string sliced from its line, so
// finding a stored key compares the two texts character by character (and reads the stored one from memory).
const N = 10_000;
const L = 2_000_000;
let seed = 20261205;
const random = () => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed / 2 ** 32;
};
const ips = Array.from({ length: N }, () => Math.floor(random() * 2 ** 32) >>> 0);
const text = (v: number) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
const picks = Array.from({ length: L }, () => Math.floor(random() * N));
const lines = picks.map((i) => ` SRC=${text(ips[i]!)} `);

function bench(
  name: string,
  stored: (i: number) => string | number,
  asked: (i: number, j: number) => string | number,
) {
  const m = new Map<string | number, { n: number }>();
  for (let i = 0; i < N; i++) m.set(stored(i), { n: 0 });
  const keys = picks.map((i, j) => asked(i, j));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    for (let j = 0; j < L; j++) m.get(keys[j]!)!.n++;
    best = Math.min(best, performance.now() - t);
  }
  process.stdout.write(`${name.padEnd(34)} ${((best / L) * 1e6).toFixed(1)} ns per look-up\n`);
}

bench(
  'fresh text (sliced from each line)',
  (i) => text(ips[i]!),
  (_i, j) => lines[j]!.slice(5, -1),
);
bench(
  'the same text objects',
  (i) => text(ips[i]!),
  (i) => text(ips[i]!),
);
bench(
  'signed 32-bit integer (exactIpKey)',
  (i) => ips[i]! | 0,
  (i) => ips[i]! | 0,
);
bench(
  'unsigned 32-bit number',
  (i) => ips[i]!,
  (i) => ips[i]!,
);
