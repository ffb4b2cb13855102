// Where the ASN table comes from: compiled by the build (dist/context/asn.bin) or, on first use, from the
// @ip-location-db/asn package; its date, its freshness notice and the attribution its licence asks for.
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { tBoth } from '../i18n.js';
import type { Localized } from '../knowledge/schema.js';
import { packageRoot } from '../util/package-root.js';
import { AsnTable, compileAsnTable, MAGIC } from './asn-table.js';

/** The npm package holding the IP -> ASN CSV files. */
export const ASN_PACKAGE = '@ip-location-db/asn';

/** The compiled table written by `npm run build` (scripts/compile-context.mjs) or on first use. */
export const ASN_TABLE_PATH = join(packageRoot(), 'dist', 'context', 'asn.bin');

/** A data set older than this many days gets a one-line notice saying how to update it. */
export const STALE_AFTER_DAYS = 90;

/**
 * CC BY 4.0 attribution of the ASN data (RouteViews, DB-IP's IP to ASN Lite, NRO), shown in the report
 * footer, the JSON metadata and the README, as the licence asks.
 */
/** What the attribution names: the data set, its sources and its licence. */
const ASN_ATTRIBUTION_PARTS = {
  source: '@ip-location-db/asn (RouteViews, DB-IP IP to ASN Lite https://db-ip.com, NRO), CC BY 4.0',
} as const;

/** The ASN attribution in both languages (the source and licence names stay as written). */
export const ASN_ATTRIBUTION_TEXT: Localized = tBoth('context.attribution.asn', ASN_ATTRIBUTION_PARTS);

/** The attribution in English, as the JSON metadata carries it. */
export const ASN_ATTRIBUTION = ASN_ATTRIBUTION_TEXT.en;

/** Folder of the installed data package, or undefined when it is not installed. */
export function asnPackageDir(): string | undefined {
  try {
    return dirname(createRequire(join(packageRoot(), 'package.json')).resolve(`${ASN_PACKAGE}/package.json`));
  } catch {
    return undefined;
  }
}

/** The day a data package was made, from its version (`2.3.2026061719` -> 2026-06-17), else undefined. */
export function dateFromVersion(version: string): string | undefined {
  const m = /(20\d\d)(\d\d)(\d\d)\d\d$/.exec(version);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

/**
 * Compile the table from a folder holding asn-ipv4-num.csv and asn-ipv6-num.csv (the data package, or newer
 * files a user downloaded). The date comes from the folder's package.json version, else the files' date.
 */
export function compileFromDir(dir: string): { bytes: Buffer; skipped: number } {
  const v4 = readFileSync(join(dir, 'asn-ipv4-num.csv'), 'utf8');
  const v6 = readFileSync(join(dir, 'asn-ipv6-num.csv'), 'utf8');
  let version = 'unknown';
  try {
    version = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    // newer files downloaded by hand carry no package.json: the files' date stands in
  }
  const dataDate =
    dateFromVersion(version) ?? statSync(join(dir, 'asn-ipv4-num.csv')).mtime.toISOString().slice(0, 10);
  return compileAsnTable(v4, v6, { dataset: ASN_PACKAGE, version, dataDate });
}

/** The table, or the sentence saying why there is none (the run goes on without organisations). */
export type AsnLoad = { table: AsnTable; problem?: undefined } | { table?: undefined; problem: Localized };

let cached: AsnLoad | undefined;
/** Tables at other paths opened so far (each open keeps a descriptor: one per path for the process). */
const opened = new Map<string, AsnTable>();

/**
 * Load the compiled table (once per process). When it is missing, compile it from the installed data
 * package and try to keep it for the next run; a corrupt or missing data set gives a problem sentence.
 */
export function loadAsnTable(path = ASN_TABLE_PATH, dataDir?: string | null): AsnLoad {
  const usual = path === ASN_TABLE_PATH && dataDir === undefined;
  if (usual && cached) return cached;
  const known = usual ? undefined : opened.get(path);
  if (known) return { table: known };
  const result = readTable(path, dataDir === undefined ? asnPackageDir() : (dataDir ?? undefined));
  if (usual) cached = result;
  else if (result.table) opened.set(path, result.table);
  return result;
}

/**
 * Open the table at `path` (read a page at a time as look-ups need it), compiling it first from `dir` (the data
 * package) when it is missing or of an earlier layout.
 */
function readTable(path: string, dir: string | undefined): AsnLoad {
  let first: Buffer | undefined;
  try {
    first = readFirstBytes(path, MAGIC.length);
  } catch {
    first = undefined;
  }
  // A table of an older layout (left by an earlier build) is compiled again like a missing one.
  if (first !== undefined && !olderLayout(first)) {
    try {
      return { table: AsnTable.openFile(path) };
    } catch (e) {
      return { problem: tBoth('context.asn.corrupt', { path, error: (e as Error).message }) };
    }
  }
  if (!dir) return { problem: tBoth('context.asn.missing', { package: ASN_PACKAGE }) };
  let bytes: Buffer;
  try {
    bytes = compileFromDir(dir).bytes;
  } catch (e) {
    return { problem: tBoth('context.asn.corrupt', { path: dir, error: (e as Error).message }) };
  }
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
  } catch {
    // a read-only install still works: the table is compiled again next time
  }
  try {
    return { table: AsnTable.fromBytes(bytes) };
  } catch (e) {
    return { problem: tBoth('context.asn.corrupt', { path, error: (e as Error).message }) };
  }
}

/** The first `n` bytes of a file (fewer when it is shorter); throws when it cannot be read. */
function readFirstBytes(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const out = Buffer.alloc(n);
    return out.subarray(0, readSync(fd, out, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** The table's first bytes name an earlier layout version of this table. */
function olderLayout(bytes: Buffer): boolean {
  const n = MAGIC.length - 1;
  return (
    bytes.length >= MAGIC.length && bytes.subarray(0, n).equals(MAGIC.subarray(0, n)) && bytes[n]! < MAGIC[n]!
  );
}

/** Whole days between a YYYY-MM-DD date and `now`. */
export function ageInDays(date: string, now: number): number {
  return Math.floor((now - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
}

/** The one-line notice for a data set older than STALE_AFTER_DAYS, else undefined. */
export function staleNotice(date: string, now: number): Localized | undefined {
  const days = ageInDays(date, now);
  if (!(days > STALE_AFTER_DAYS)) return undefined;
  return tBoth('context.stale', { date, limit: STALE_AFTER_DAYS });
}
