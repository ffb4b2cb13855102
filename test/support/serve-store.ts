// A real store for the console tests: the bundled sample and a hostile log ingested by `fwlens ingest`.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers.js';

/** The README's sample log (three days of an edge firewall). */
export const SAMPLE = join(ROOT, 'examples', 'sample.log');

/**
 * Two lines an attacker wrote: a netfilter event whose log prefix (its rule) holds markup, an ANSI escape
 * and a right-to-left override, and an unparsable line with the same.
 */
export const HOSTILE = join(ROOT, 'test', 'fixtures', 'serve', 'hostile.log');

/** The hostile rule name exactly as the store keeps it. */
export const HOSTILE_RULE = '<script>alert(1)</script><img src=x onerror=alert(2)>\u001b[31mRED\u202eevil';

/** The same rule as the console shows it (control and bidi characters made visible). */
export const HOSTILE_RULE_SHOWN = '<script>alert(1)</script><img src=x onerror=alert(2)>␛[31mRED<U+202E>evil';

/** Ingest the sample and the hostile log into a new store file; returns its path. */
export async function consoleStore(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'fwlens-serve-')), 'fwlens.duckdb');
  const r = await runCli(['ingest', '--store', path, SAMPLE, HOSTILE]);
  if (r.code !== 0 || !existsSync(path)) throw new Error(`ingest failed: ${r.err}`);
  return path;
}

/** The sample's busiest inbound sources that are neither scanners nor special: one to allow, one to deny. */
export const PARTNER = '198.51.100.13';
export const BAD_ACTOR = '203.0.113.88';

/**
 * An allow list naming PARTNER on its line 2 (after a comment) and a deny list naming BAD_ACTOR on its line 1
 * (with a comment after it), in a new folder: what the context tests of `serve` and `query` pass as flags.
 */
export function sampleLists(prefix: string): { dir: string; allowFile: string; denyFile: string } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const allowFile = join(dir, 'partners.txt');
  const denyFile = join(dir, 'bad.txt');
  writeFileSync(allowFile, `# our backup provider\n${PARTNER}\n`);
  writeFileSync(denyFile, `${BAD_ACTOR} # seen in abuse reports\n`);
  return { dir, allowFile, denyFile };
}
