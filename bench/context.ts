// Cost of the offline address context: ASN table load time, look-up time per address (IPv4 and IPv6),
// added RSS, and the country reader. Usage: npm run bench:context
import { readFileSync } from 'node:fs';
import { ASN_TABLE_PATH } from '../src/context/asn-data.js';
import { AsnTable } from '../src/context/asn-table.js';
import { COUNTRY_TABLE_PATH, CountryTable } from '../src/context/country-table.js';
import { bundledCountryDb, openCountryReader, openMmdbReader } from '../src/context/geo.js';
import { intToIpv4 } from '../src/net/ip.js';

const rss0 = process.memoryUsage().rss;
const t0 = performance.now();
const table = AsnTable.fromBytes(readFileSync(ASN_TABLE_PATH));
const loadMs = performance.now() - t0;
const rss1 = process.memoryUsage().rss;

// Pseudo-random addresses (fixed seed): IPv4 as numbers and as text, IPv6 inside 2000::/4.
let seed = 12345;
const rand = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed;
};
const N = 1_000_000;
const v4 = new Uint32Array(N).map(() => rand());
const v4Text = Array.from({ length: 100_000 }, () => intToIpv4(rand()));
const v6Text = Array.from(
  { length: 100_000 },
  () =>
    `2${(rand() & 0xfff).toString(16).padStart(3, '0')}:${(rand() & 0xffff).toString(16)}::${(rand() & 0xffff).toString(16)}`,
);
let hits = 0;
/** Best of five timed passes after a warm-up (other jobs share this machine: the best pass is the cost). */
function time(label: string, n: number, fn: () => void): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 5; pass++) {
    const s = performance.now();
    fn();
    best = Math.min(best, performance.now() - s);
  }
  const ns = (best * 1e6) / n;
  console.log(`${label.padEnd(34)} ${ns.toFixed(0).padStart(6)} ns per address (best of 5 passes)`);
  return ns;
}
time('ASN, IPv4 number', N, () => {
  for (let i = 0; i < N; i++) if (table.lookupV4(v4[i]!)) hits++;
});
time('ASN, IPv4 text', v4Text.length, () => {
  for (const ip of v4Text) if (table.lookup(ip)) hits++;
});
time('ASN, IPv6 text', v6Text.length, () => {
  for (const ip of v6Text) if (table.lookup(ip)) hits++;
});
// The same table searched in its file a page at a time (what every command now opens).
const t1 = performance.now();
const paged = AsnTable.openFile(ASN_TABLE_PATH);
paged.lookup('8.8.8.8');
const firstPagedMs = performance.now() - t1;
const firstPagedPages = paged.pagesRead;
time('ASN from its file, IPv4 number', N, () => {
  for (let i = 0; i < N; i++) if (paged.lookupV4(v4[i]!)) hits++;
});
time('ASN from its file, IPv4 text', v4Text.length, () => {
  for (const ip of v4Text) if (paged.lookup(ip)) hits++;
});
const geo = openCountryReader();
if (geo.reader) {
  const r = geo.reader;
  time('country (bundled), IPv4 text', v4Text.length, () => {
    for (const ip of v4Text) if (r.country(ip)) hits++;
  });
}
const t2 = performance.now();
const countries = CountryTable.open(COUNTRY_TABLE_PATH);
countries?.lookup('8.8.8.8');
const firstCountryMs = performance.now() - t2;
const firstCountryPages = countries?.pagesRead;
const db = bundledCountryDb();
const t3 = performance.now();
const whole = db ? openMmdbReader(db, true).reader : undefined;
whole?.country('8.8.8.8');
const wholeCountryMs = performance.now() - t3;
if (countries)
  time('country (compiled table), IPv6 text', v6Text.length, () => {
    for (const ip of v6Text) if (countries.lookup(ip)?.country) hits++;
  });
console.log(
  `open + first look-up: ASN table from its file ${firstPagedMs.toFixed(2)} ms (${firstPagedPages} pages), country table ${firstCountryMs.toFixed(2)} ms (${firstCountryPages} pages), .mmdb read whole ${wholeCountryMs.toFixed(1)} ms`,
);
const rss2 = process.memoryUsage().rss;
console.log(
  `ASN table load                     ${loadMs.toFixed(1)} ms (${table.meta.counts.v4Ranges} IPv4 + ${table.meta.counts.v6Ranges} IPv6 ranges, ${table.meta.counts.organizations} organisations, data of ${table.meta.dataDate})`,
);
console.log(
  `added RSS: ASN table ${((rss1 - rss0) / 1e6).toFixed(1)} MB; with the country reader and test data ${((rss2 - rss0) / 1e6).toFixed(1)} MB`,
);
console.log(`(${hits} hits)`);
