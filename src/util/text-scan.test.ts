// The hand scanners give what the backtracking patterns they replace gave, on every short text of their alphabet.
import { describe, expect, it } from 'vitest';
import {
  backslashQuotedValues,
  isSpaceChar,
  jsonDepthWithin,
  lastSpaceIndex,
  MAX_JSON_DEPTH,
  MAX_QUOTED_VALUE_CHARS,
  matchesInOrder,
  stripAngleSpans,
  stripTrailingParenGroups,
  trimEndWhere,
  unescapeQuoted,
} from './text-scan.js';

/** Every string of up to `max` characters from `alphabet`. */
function* allTexts(alphabet: string[], max: number): Generator<string> {
  let level = [''];
  yield '';
  for (let n = 1; n <= max; n++) {
    const next: string[] = [];
    for (const prefix of level) for (const c of alphabet) next.push(prefix + c);
    yield* next;
    level = next;
  }
}

describe('text scanners agree with the patterns they replace', () => {
  it('backslashQuotedValues = matchAll(/"((?:[^"\\\\]|\\\\.)*)"/g)', () => {
    for (const t of allTexts(['"', '\\', 'a', '\n'], 7))
      expect(backslashQuotedValues(t), JSON.stringify(t)).toEqual(
        [...t.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]),
      );
  });

  it('stripAngleSpans = replace(/<[^>]*>/g, "")', () => {
    for (const t of allTexts(['<', '>', 'a'], 8)) expect(stripAngleSpans(t)).toBe(t.replace(/<[^>]*>/g, ''));
  });

  it('stripTrailingParenGroups = replace(/(?:\\s*\\([^()]*\\))+$/, "")', () => {
    for (const t of allTexts(['(', ')', ' ', 'a', '\t'], 7))
      expect(stripTrailingParenGroups(t), JSON.stringify(t)).toBe(t.replace(/(?:\s*\([^()]*\))+$/, ''));
  });

  it('trimEndWhere(dot or blank) = replace(/[.\\s]+$/, "")', () => {
    const strip = (c: string) => c === '.' || isSpaceChar(c);
    for (const t of allTexts(['.', ' ', 'a', '\n', '\u00a0'], 6))
      expect(trimEndWhere(t, strip)).toBe(t.replace(/[.\s]+$/, ''));
  });

  it('lastSpaceIndex = position of the last \\s', () => {
    for (const t of allTexts([' ', 'a', '\u2028', '\t'], 5)) {
      const all = [...t.matchAll(/\s/g)];
      expect(lastSpaceIndex(t)).toBe(all.length ? all[all.length - 1]!.index : -1);
    }
  });

  it('matchesInOrder = one /A.*B.*C/ test on one-line text', () => {
    const parts = [/(?:^|\s)a=\S+\s/, /\bb=[0-9]+\s+c="[^"]*"\s/, /\bd=\d+\b/];
    const joined = /(?:^|\s)a=\S+\s.*?\bb=[0-9]+\s+c="[^"]*"\s.*?\bd=\d+\b/;
    const words = ['a=x', 'a=', 'b=1', 'c="t"', 'c="', 'd=2', 'd=', 'x', 'b=1 c="t"'];
    for (const t of allTexts([...'012345678'], 4)) {
      const line = `${[...t].map((i) => words[Number(i)]).join(' ')} `;
      expect(matchesInOrder(line, parts), line).toBe(joined.test(line));
    }
  });
});

describe('jsonDepthWithin', () => {
  /** Nesting depth of a parsed value, counted the way the scan counts brackets. */
  const depthOf = (v: unknown): number =>
    v !== null && typeof v === 'object' ? 1 + Math.max(0, ...Object.values(v).map(depthOf)) : 0;
  const padded = (inner: string) => `{"pad":"${'x'.repeat(5000)}","v":${inner}}`;

  it('agrees with the depth JSON.parse sees, around the bound', () => {
    for (const depth of [1, 10, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 1000]) {
      for (const [open, close] of [
        ['[', ']'],
        ['{"k":', '}'],
      ]) {
        const text = padded(open!.repeat(depth - 1) + '1' + close!.repeat(depth - 1));
        expect(jsonDepthWithin(text), `${depth} ${open}`).toBe(depthOf(JSON.parse(text)) <= MAX_JSON_DEPTH);
      }
    }
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    const text = padded(`"${'[{'.repeat(3000)}\\"${'['.repeat(100)}"`);
    expect(depthOf(JSON.parse(text))).toBe(1);
    expect(jsonDepthWithin(text)).toBe(true);
  });

  it('accepts short texts without scanning them', () => {
    expect(jsonDepthWithin('['.repeat(1000))).toBe(true);
    expect(jsonDepthWithin('['.repeat(10_000))).toBe(false);
  });
});

describe('unescapeQuoted', () => {
  it('turns every backslash pair into its second character, as the pattern did', () => {
    for (const s of ['plain', 'a\\"b', 'a\\\\b', '\\\\\\\\', 'x\\', '\\n\\r', 'trailing \\'])
      expect(unescapeQuoted(s), s).toBe(s.replace(/\\(.)/g, '$1'));
  });

  it('cuts a value longer than MAX_QUOTED_VALUE_CHARS before unescaping it', () => {
    const hostile = '\\'.repeat(60_000);
    expect(unescapeQuoted(hostile)).toBe('\\'.repeat(MAX_QUOTED_VALUE_CHARS / 2));
    const long = 'a'.repeat(MAX_QUOTED_VALUE_CHARS + 10);
    expect(unescapeQuoted(long)).toHaveLength(MAX_QUOTED_VALUE_CHARS);
    const fits = 'b'.repeat(MAX_QUOTED_VALUE_CHARS);
    expect(unescapeQuoted(fits)).toBe(fits);
  });
});
