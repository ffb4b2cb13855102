// Log text that names a property every JavaScript object has (`constructor`, `__proto__`, `toString` ...) is
// data like any other word. A lookup table kept as a plain object answers such a word with a function or with
// Object.prototype: `PROTO=constructor` in a netfilter line made `analyze` die with "unexpected failure:
// function is not iterable" (the protocol table was a plain object). Every word of every format's fixture
// lines and example is replaced in turn by each of these words, and the whole `analyze` (parsing, summary,
// severity, detection, the JSON report) must read the input without failing, auto-detected and forced.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FORMATS } from '../src/formats/index.js';
import { runCli } from './helpers.js';
import { FIXTURES_DIR, OBJECT_WORDS } from './support/fuzz.js';

/** Seed lines per fixture file, and per format over all its fixture files (then its example). */
const SEEDS_PER_FILE = 2;
const SEEDS_PER_FORMAT = 10;

/** Words and the separators between them (a separator is kept as its own token and never replaced). */
function tokens(line: string): string[] {
  return line.split(/(\s+|[=",|;:[\](){}<>/\\]|\.(?=\D))/).filter((t) => t !== '');
}
const SEPARATOR = /^(\s+|[=",|;:[\](){}<>/\\.])$/;

/** The seed lines of a text format: the first lines of each fixture file and its example. */
function seedsOf(id: string, example: string | undefined): string[] {
  const dir = join(FIXTURES_DIR, id);
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.log') && !f.startsWith('reject'))
        .sort()
    : [];
  const lines = files.flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(0, SEEDS_PER_FILE),
  );
  return [...new Set([...(example ? [example.split('\n')[0]!] : []), ...lines])].slice(
    0,
    SEEDS_PER_FORMAT + 1,
  );
}

/** Every line with one word replaced by one of OBJECT_WORDS. */
function variants(seeds: string[]): string[] {
  const out: string[] = [];
  for (const seed of seeds) {
    const toks = tokens(seed);
    toks.forEach((t, i) => {
      if (SEPARATOR.test(t)) return;
      for (const word of OBJECT_WORDS) out.push([...toks.slice(0, i), word, ...toks.slice(i + 1)].join(''));
    });
  }
  return out;
}

describe('words every JavaScript object has are read as data in every format', () => {
  for (const format of FORMATS) {
    if (format.readBinary) continue;
    const lines = variants(
      seedsOf(format.id, typeof format.example === 'string' ? format.example : undefined),
    );
    if (lines.length === 0) continue;
    it(`${format.id} (${lines.length} lines, auto and forced)`, { timeout: 60_000 }, async () => {
      for (const forced of [false, true]) {
        const args = ['analyze', '-', '--json', '--year', '2026', ...(forced ? ['--format', format.id] : [])];
        const r = await runCli(args, { stdin: `${lines.join('\n')}\n` });
        expect(r.err, `${forced ? 'forced' : 'auto'}`).not.toMatch(/unexpected|TypeError|is not/);
        expect(r.code, `${forced ? 'forced' : 'auto'}: ${r.err.slice(0, 400)}`).toBeLessThan(2);
        const report = JSON.parse(r.out) as { inputs: { lines: number }[] };
        expect(report.inputs[0]!.lines).toBe(lines.length);
        // Nothing was written through `__proto__` into every object's prototype (it broke later runs).
        expect(Object.keys(Object.prototype), `${forced ? 'forced' : 'auto'}`).toEqual([]);
      }
    });
  }
});
