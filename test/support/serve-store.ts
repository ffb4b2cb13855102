// A real store for the console tests: the bundled sample and a hostile log ingested by `fwlens ingest`.
import { existsSync, mkdtempSync } from 'node:fs';
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
