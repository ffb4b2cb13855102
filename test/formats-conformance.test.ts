// Catalog conformance: each fixture folder's SOURCES.md names every fixture's source and licence and the
// message ids / record types it holds; every listed id occurs in that file on a record that parses (an event
// or a recognised non-traffic record, never damaged nor "not understood"), and such fixtures hold no damage.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFixtureSources, rowNames } from '../scripts/fixture-sources.js';
import { coveredMessagesOf, renderFormatsDoc } from '../scripts/gen-formats-doc.js';
import { FORMATS } from '../src/formats/index.js';
import { ROOT } from './helpers.js';
import { type FixtureResult, parseFixture } from './support/fixture-parse.js';

const FIXTURES = join(ROOT, 'test', 'fixtures');

/** Fixture inputs of a folder: everything but expected output, reject.log and Markdown. */
function inputsOf(dir: string): string[] {
  return readdirSync(dir).filter(
    (f) => !f.endsWith('.expected.json') && !f.startsWith('reject') && !f.endsWith('.md'),
  );
}

/** True for a result that is an event or a recognised non-traffic record the format understood. */
function understood(r: FixtureResult): boolean {
  if (r.error !== undefined) return false;
  return r.skip === undefined || !r.skip.startsWith('not understood');
}

/**
 * For each line (1-based) the result of the record it belongs to: a record starts at its result's line and
 * runs until the next record starts (multi-line records), lines before the first record belong to none.
 */
function resultByLine(results: FixtureResult[], lineCount: number): (FixtureResult | undefined)[] {
  const byLine: (FixtureResult | undefined)[] = new Array(lineCount + 1).fill(undefined);
  const sorted = [...results].sort((a, b) => a.line - b.line);
  for (let i = 0; i < sorted.length; i++) {
    const r = sorted[i]!;
    const end = i + 1 < sorted.length ? Math.max(sorted[i + 1]!.line, r.line + 1) : r.line + 1;
    for (let line = r.line; line < end && line <= lineCount; line++)
      if (byLine[line] === undefined || !understood(byLine[line]!)) byLine[line] = r;
  }
  return byLine;
}

describe('fixture conformance (SOURCES.md Messages column)', () => {
  for (const format of FORMATS) {
    const dir = join(FIXTURES, format.id);
    if (!existsSync(dir)) continue;
    const rows = readFixtureSources(dir);

    it(`${format.id}: SOURCES.md has a table naming every fixture with its origin and licence`, () => {
      expect(rows, `${dir}/SOURCES.md has no | File | Origin | Licence | table`).toBeDefined();
      for (const input of [...inputsOf(dir), 'reject.log'])
        expect(
          rows!.some((r) => rowNames(r, input)),
          `${format.id}/SOURCES.md does not name ${input}`,
        ).toBe(true);
      for (const r of rows!) {
        expect(
          r.cellCountMismatch,
          `${format.id}: a row of ${r.files.join(', ')} has an unescaped | in a cell`,
        ).toBeUndefined();
        for (const name of r.files)
          expect(
            readdirSync(dir).some((f) => rowNames({ ...r, files: [name] }, f)),
            `${format.id}/SOURCES.md names a missing ${name}`,
          ).toBe(true);
        expect(r.origin.length, `${format.id}: ${r.files.join(', ')} has no origin`).toBeGreaterThan(3);
        expect(r.licence.length, `${format.id}: ${r.files.join(', ')} has no licence`).toBeGreaterThan(1);
      }
    });

    for (const row of rows ?? []) {
      const files = existsSync(dir) ? inputsOf(dir).filter((f) => rowNames(row, f)) : [];
      if (!row.messages || files.length === 0 || format.readBinary) continue;
      it(`${format.id}/${row.files.join(', ')}: parse, and every listed message id occurs on a record understood`, () => {
        const understoodLines: string[] = [];
        const seen: string[] = [];
        for (const file of files) {
          const text = readFileSync(join(dir, file), 'utf8');
          const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
          const results = parseFixture(format, text);
          // Our own catalog lines are all readable; a verbatim third-party sample may hold lines its authors
          // damaged themselves (a host name where an address belongs): those stay damaged, with their reason.
          const damaged = results.filter((r) => r.error !== undefined);
          if (/this project/i.test(row.licence)) expect(damaged, `${file} holds damaged records`).toEqual([]);
          const byLine = resultByLine(results, lines.length);
          lines.forEach((l, i) => {
            seen.push(l);
            const r = byLine[i + 1];
            if (r !== undefined && understood(r)) understoodLines.push(l);
          });
        }
        const missing: string[] = [];
        for (const id of row.messages!) {
          if (!seen.some((l) => l.includes(id))) missing.push(`${id} (not in ${files.join(', ')})`);
          else if (!understoodLines.some((l) => l.includes(id))) missing.push(`${id} (not understood)`);
        }
        expect(missing).toEqual([]);
      });
    }
  }

  it('the generator reads the Messages column and shows "—" where there is none', () => {
    const doc = renderFormatsDoc();
    const withIds = FORMATS.filter((f) => coveredMessagesOf(f.id).length > 0);
    expect(withIds.length).toBeGreaterThan(5);
    for (const f of withIds) {
      const start = doc.indexOf(`\n## ${f.id}\n`);
      const section = doc.slice(start, doc.indexOf('\n## ', start + 1) >>> 0);
      // In a table cell a `|` is written `\|`.
      for (const id of coveredMessagesOf(f.id))
        expect(section, `${f.id}: ${id}`).toContain(id.replace(/\|/g, '\\|'));
    }
    // A table without a Messages column (or a row with an empty cell) is shown with a dash, not dropped.
    const bare = FORMATS.find((f) => {
      const rows = readFixtureSources(join(FIXTURES, f.id));
      return rows?.some((r) => r.messages === undefined);
    });
    if (bare) {
      const row = readFixtureSources(join(FIXTURES, bare.id))!.find((r) => r.messages === undefined)!;
      expect(doc).toContain(`| ${row.files.map((f) => `\`${f}\``).join(', ')} | — |`);
    }
  });
});
