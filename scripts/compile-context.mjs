// Build step: compile the IP -> ASN CSV of @ip-location-db/asn into dist/context/asn.bin, the compact range
// table fwlens searches (see src/context/asn-table.ts). `--from <folder>` compiles newer CSV files instead.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { ASN_TABLE_PATH, asnPackageDir, compileFromDir } from '../dist/context/asn-data.js';

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
