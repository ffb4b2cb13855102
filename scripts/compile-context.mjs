// Build step: compile the IP -> ASN CSV of @ip-location-db/asn into dist/context/asn.bin, the compact range
// table fwlens searches (see src/context/asn-table.ts). `--from <folder>` compiles newer CSV files instead.
// Then the bundled country database into dist/context/country.bin (src/context/country-table.ts).
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ASN_TABLE_PATH, asnPackageDir, compileFromDir } from '../dist/context/asn-data.js';
import { COUNTRY_TABLE_PATH, compileCountryTable } from '../dist/context/country-table.js';
import { bundledCountryDb, openMmdbReader } from '../dist/context/geo.js';

const at = process.argv.indexOf('--from');
const dir = at >= 0 ? process.argv[at + 1] : asnPackageDir();
if (!dir) {
  // Not fatal: fwlens runs without organisations and says so.
  console.error('compile-context: @ip-location-db/asn is not installed; skipping the ASN table');
} else {
  const t0 = performance.now();
  const { bytes, skipped } = compileFromDir(dir);
  mkdirSync(dirname(ASN_TABLE_PATH), { recursive: true });
  writeFileSync(ASN_TABLE_PATH, bytes);
  const ms = Math.round(performance.now() - t0);
  const note = skipped ? `, ${skipped} malformed rows skipped` : '';
  console.error(
    `compile-context: ${ASN_TABLE_PATH} (${(bytes.length / 1e6).toFixed(1)} MB, ${ms} ms${note})`,
  );
}

const db = bundledCountryDb();
const opened = db ? openMmdbReader(db, true) : {};
const v4 = opened.reader?.ipv4Networks();
const v6 = opened.reader?.ipv6Networks();
if (!db || !opened.reader || !v4 || !v6) {
  // Not fatal: the bundled database is then read itself at each start.
  console.error('compile-context: the bundled country database cannot be compiled; skipping its table');
} else {
  const t0 = performance.now();
  const { size, mtimeMs } = statSync(db);
  const bytes = compileCountryTable(v4, v6, {
    source: { size, mtimeMs },
    identity: opened.reader.identity,
    built: opened.reader.built,
  });
  mkdirSync(dirname(COUNTRY_TABLE_PATH), { recursive: true });
  writeFileSync(COUNTRY_TABLE_PATH, bytes);
  const ms = Math.round(performance.now() - t0);
  console.error(`compile-context: ${COUNTRY_TABLE_PATH} (${(bytes.length / 1e6).toFixed(1)} MB, ${ms} ms)`);
}
