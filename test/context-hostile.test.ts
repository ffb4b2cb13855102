// A country database the user brings (`--geoip-db`) is attacker-influenced text like a log: its country names,
// carrying ESC sequences, C1 and bidi controls, NUL, line feeds, markup, a spreadsheet formula or 100 KB, are
// shown visibly by every terminal output (explain, analyze, query tables), as escapes in JSON and as defused
// cells in CSV. (The HTML report and the console: test/context-html.test.ts, src/serve/serve-context.test.ts.)
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileAsnTable } from '../src/context/asn-table.js';
import { MAX_COUNTRY_CHARS } from '../src/context/country-codes.js';
import { analyze } from '../src/index.js';
import { renderHtml } from '../src/report/html/index.js';
import { findingsCsv } from '../src/report/machine.js';
import type { Report } from '../src/report/model.js';
import { renderText } from '../src/report/text.js';
import { ROOT, runCli } from './helpers.js';
import { HOSTILE_COUNTRY, HOSTILE_COUNTRY_SHOWN, hostileCountryDb } from './support/mmdb.js';

const LOG = join(ROOT, 'test/fixtures/context/providers.log');
const dir = mkdtempSync(join(tmpdir(), 'fwlens-context-hostile-'));
/** 162.142.125.0/24 (the scanner of the log's finding) hostile, 8.8.8.0/24 a formula, 184.105.139.0/24 100 KB. */
const DB = hostileCountryDb(join(dir, 'hostile.mmdb'), {
  '162.142.125.0/24': HOSTILE_COUNTRY,
  '8.8.8.0/24': '=HYPERLINK("http://x")',
  '184.105.139.0/24': 'Y'.repeat(100_000),
});
const LONG_CUT = `${'Y'.repeat(MAX_COUNTRY_CHARS - 1)}…`;

/** What a terminal may act on or reorder: C0 but tab and line feed, DEL, C1, bidi controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are what must not be printed
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** The same in CSV, whose records end in CRLF and whose quoted cells keep their line breaks. */
const RAW_CSV =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are what must not be printed
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const cli = async (...args: string[]) => {
  const r = await runCli(args);
  expect(r.code, r.err).toBe(0);
  expect(r.err).toBe('');
  return r.out;
};

describe('hostile country names from --geoip-db', () => {
  it('explain (en and zh) shows them visibly', async () => {
    const line = readFileSync(LOG, 'utf8').split('\n')[0]!;
    const en = await cli('explain', '--geoip-db', DB, line);
    const zh = await cli('explain', '--geoip-db', DB, '--lang', 'zh', line);
    for (const out of [en, zh]) expect(out).not.toMatch(RAW);
    expect(en).toContain(`registered in ${HOSTILE_COUNTRY_SHOWN} (approximate)`);
    expect(zh).toContain(`登记国家 ${HOSTILE_COUNTRY_SHOWN}`);
  });

  it('analyze text (en and zh) shows them visibly and cut, --json carries them exactly as escapes', async () => {
    const text = await cli('analyze', LOG, '--geoip-db', DB);
    const zh = await cli('analyze', LOG, '--geoip-db', DB, '--lang', 'zh');
    for (const out of [text, zh]) {
      expect(out).not.toMatch(RAW);
      expect(out).toContain('␛[2J␛]8;;http:x␇');
      expect(out).not.toContain('Y'.repeat(MAX_COUNTRY_CHARS));
    }
    const json = await cli('analyze', LOG, '--geoip-db', DB, '--json');
    expect(json).not.toMatch(RAW);
    const report = JSON.parse(json) as Report;
    expect(report.context!.addresses['162.142.125.10']!.country).toBe(HOSTILE_COUNTRY);
    expect(report.context!.addresses['184.105.139.67']!.country).toBe(LONG_CUT);
  });

  it('analyze --csv defuses a formula and shows the rest visibly', async () => {
    const csv = join(dir, 'findings.csv');
    await cli('analyze', LOG, '--geoip-db', DB, '--csv', csv);
    const text = readFileSync(csv, 'utf8');
    expect(text).not.toMatch(RAW_CSV);
    expect(text).toContain(`,"'=HYPERLINK(""http://x"")",`);
    expect(text).toContain(HOSTILE_COUNTRY_SHOWN.replace('␊', '\n'));
  });

  describe('query on a store', () => {
    const store = join(dir, 'store.duckdb');
    beforeAll(async () => {
      await runCli(['ingest', '--store', store, LOG]);
    }, 60_000);

    it('top --by src and --by country: tables show them visibly and cut, CSV defuses the formula', async () => {
      const q = (...args: string[]) => cli('query', '--store', store, '--geoip-db', DB, ...args);
      const bySrc = await q('top', '--by', 'src');
      const byCountry = await q('top', '--by', 'country');
      for (const out of [bySrc, byCountry]) {
        expect(out).not.toMatch(RAW);
        expect(out).toContain(HOSTILE_COUNTRY_SHOWN);
        expect(out).toContain(LONG_CUT);
        // The table is as wide as its cells: no 100 KB rows.
        expect(Math.max(...out.split('\n').map((l) => l.length))).toBeLessThan(200);
      }
      expect(bySrc).toMatch(/^184\.105\.139\.67 +4 +AS6939 Hurricane Electric LLC, Y+…$/m);
      const csvSrc = await q('--csv', 'top', '--by', 'src');
      const csvCountry = await q('--csv', 'top', '--by', 'country');
      for (const out of [csvSrc, csvCountry]) expect(out).not.toMatch(RAW_CSV);
      expect(csvCountry).toContain(`\r\n"'=HYPERLINK(""http://x"")",1,1\r\n`);
      expect(csvSrc).toContain('\r\n8.8.8.8,1,"AS15169 Google LLC, =HYPERLINK(""http://x"")"\r\n');
    });
  });

  it('organisation names of the ASN data (its CSV compiled): text and HTML reports show them visibly', async () => {
    // AS holders name themselves; a data set compiled from newer files (compile-context.mjs --from) holds what
    // they wrote.
    const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);
    const row = (net: string, asn: number, org: string) =>
      `${ip(`${net}.0`)},${ip(`${net}.255`)},${asn},"${org.replace(/"/g, '""')}"`;
    const csv = [
      row('162.142.125', 64496, HOSTILE_COUNTRY),
      row('8.8.8', 64497, '=HYPERLINK("http://x")'),
    ].join('\n');
    const table = join(dir, 'asn.bin');
    writeFileSync(
      table,
      compileAsnTable(`${csv}\n`, '', { dataset: 'test', version: '1', dataDate: '2026-06-01' }).bytes,
    );
    const report = await analyze([LOG], { context: { asnTablePath: table, asnDataDir: null } });
    const text = renderText(report, 'en');
    expect(text).not.toMatch(RAW);
    expect(text).toMatch(/^AS64496 +20 +1 +␛\[2J␛\]8;;http:x␇<U\+009B>1m<U\+202E>R/m);
    const html = renderHtml(report, { lang: 'en' });
    expect(html).not.toMatch(RAW);
    // The markup only as text: escaped in the page, \u003c in its data.
    expect(html).not.toContain('<img');
    expect(html).toContain('AS64496 ␛[2J␛]8;;http:x␇&lt;U+009B&gt;1m&lt;U+202E&gt;R␀');
    // The finding of 8.8.8.8's organisation cell: the formula defused.
    expect(findingsCsv(report.findings ?? [], 'en', report.context?.addresses)).toContain(
      `,64497,"'=HYPERLINK(""http://x"")",`,
    );
  });

  it('a record whose country is a map with a non-callable toString: no country, no crash', async () => {
    // analyze's text report and query top --by country died with "Cannot convert object to primitive value".
    const odd = hostileCountryDb(join(dir, 'odd.mmdb'), {
      '162.142.125.0/24': { toString: 'x', valueOf: 'y' },
    });
    const text = await cli('analyze', LOG, '--geoip-db', odd);
    expect(text).toMatch(/\(AS398324 Censys, Inc\., research scanner: Censys\)/);
  });
});
