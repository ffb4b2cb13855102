// Every regular expression in src/ must match in linear time: each is found in the source and checked by recheck.
//
// How patterns are found (so none is missed silently): the TypeScript parser lists every `/literal/` and every
// `RegExp(...)` / `new RegExp(...)` call of every non-test file under src/. A call whose pattern folds into a
// constant (string literals, templates and `+` of this file's `const`s, as watchguard builds its patterns) is
// checked like a literal. A call that does not fold fails this test unless its file is in DYNAMIC_SOURCES below,
// which must then hand over the patterns that file can build (checked the same way).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check, type Diagnostics, type Parameters } from 'recheck';
import { describe, expect, it } from 'vitest';
import { timePatternSource } from '../src/formats/mapped/time-pattern.js';
import { ROOT } from './helpers.js';
import {
  type FoundRegex,
  findRegexes,
  hasUnboundedRepetition,
  sourceFiles,
} from './support/regex-inventory.js';

/**
 * Files allowed to build patterns at run time, with the patterns they can build. time-pattern.ts turns a
 * mapping file's time format into a pattern of bounded tokens and escaped characters; every token is sampled.
 */
const DYNAMIC_SOURCES: Record<string, () => string[]> = {
  'src/formats/mapped/time-pattern.ts': () =>
    ['YYYY-MM-DD HH:mm:ss.SSS', 'DD/MMM/YYYY:HH:mm:ss', 'D MMM YYYY HH:mm', '[YYYY] (MM) *+?.|^$'].map(
      (f) => timePatternSource(f).source,
    ),
};

/**
 * Patterns that cannot be made linear, each with the name of the hard length cap that guards it in the code
 * (the test checks the name is declared in the pattern's file). Empty: every pattern in src/ is linear.
 */
const CAPPED: Record<string, { cap: string }> = {};

/**
 * recheck settings that give the same answer on every run: no wall-clock limits (a loaded machine would turn
 * slow matching into a false "vulnerable", or a check into "timeout"), a fixed fuzzing seed, step limits only.
 */
const PARAMS: Parameters = {
  randomSeed: 1,
  timeout: null,
  attackTimeout: null,
  incubationTimeout: null,
  seedingTimeout: null,
  recallTimeout: -1,
};
/** Checks in flight at once (recheck's agent works on them in parallel; the test machines have two cores). */
const CONCURRENCY = 2;

/** Check patterns with a few in flight at once; results in input order. */
async function checkAll(patterns: { source: string; flags: string }[]): Promise<Diagnostics[]> {
  const out: Diagnostics[] = new Array(patterns.length);
  let next = 0;
  const worker = async () => {
    while (next < patterns.length) {
      const i = next++;
      out[i] = await check(patterns[i]!.source, patterns[i]!.flags, PARAMS);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return out;
}

/** Describe a verdict in one line for a failure message. */
function verdictText(d: Diagnostics): string {
  if (d.status === 'vulnerable') return `${d.complexity.type} (${d.checker}), attack ${d.attack.pattern}`;
  if (d.status === 'unknown') return `unknown: ${d.error.kind}`;
  return d.status;
}

describe('regular expressions in src/', () => {
  const { found, dynamic } = findRegexes(ROOT, sourceFiles(ROOT));

  it('are all found: literals and constant RegExp constructions, and no unknown run-time construction', () => {
    expect(found.length).toBeGreaterThan(300);
    expect(found.some((f) => f.where.startsWith('src/formats/watchguard.ts'))).toBe(true);
    const unknown = dynamic.filter((d) => !(d.where.split(':')[0]! in DYNAMIC_SOURCES));
    expect(unknown.map((d) => `${d.where} RegExp(${d.text})`)).toEqual([]);
    for (const file of Object.keys(DYNAMIC_SOURCES))
      expect(dynamic.some((d) => d.where.startsWith(`${file}:`))).toBe(true);
  });

  it('are linear: recheck finds every pattern with unbounded repetition safe', {
    timeout: 240_000,
  }, async () => {
    const all: FoundRegex[] = [
      ...found,
      ...Object.entries(DYNAMIC_SOURCES).flatMap(([file, samples]) =>
        samples().map((source) => ({ where: `${file} (run time)`, source, flags: '' })),
      ),
    ];
    // Without `*`, `+` or `{n,}` a pattern is linear by construction; the others go to recheck, once each.
    const unique = new Map<string, FoundRegex[]>();
    for (const r of all) {
      if (!hasUnboundedRepetition(r.source)) continue;
      const key = `/${r.source}/${r.flags}`;
      unique.set(key, [...(unique.get(key) ?? []), r]);
    }
    const keys = [...unique.keys()];
    const verdicts = await checkAll(keys.map((k) => unique.get(k)![0]!));
    const failures = keys.flatMap((key, i) => {
      const d = verdicts[i]!;
      if (d.status === 'safe' || key in CAPPED) return [];
      return [
        `${unique
          .get(key)!
          .map((r) => r.where)
          .join(', ')} ${key}: ${verdictText(d)}`,
      ];
    });
    expect(failures).toEqual([]);
  });

  it('keeps each capped pattern next to its declared cap', () => {
    for (const [key, { cap }] of Object.entries(CAPPED)) {
      const at = found.find((f) => `/${f.source}/${f.flags}` === key);
      expect(at, key).toBeDefined();
      const file = at!.where.split(':')[0]!;
      expect(sourceText(file)).toMatch(new RegExp(`\\b(?:const|let) ${cap}\\b`));
    }
  });
});

describe('the ReDoS check itself', () => {
  it('flags backtracking patterns, including the ones this issue replaced', {
    timeout: 120_000,
  }, async () => {
    const [nested, watchguardClassic, asaTrailer] = await checkAll([
      { source: '^(a+)+$', flags: '' },
      {
        source:
          '^(Allow|Deny)\\s+(.+?)\\s+(?:(\\d+)\\s+)?([a-z][a-z0-9-]*|\\d{1,3})\\s+(?:(\\d+)\\s+(\\d+)\\s+)?([0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*)\\s+([0-9A-Fa-f.:]*[.:][0-9A-Fa-f.:]*)(?:\\s+(\\d+)\\s+(\\d+))?(?=\\s|$)',
        flags: '',
      },
      { source: '(?:\\s*\\([^()]*\\))+$', flags: '' },
    ]);
    expect(nested!.status).toBe('vulnerable');
    expect(watchguardClassic!.status).toBe('vulnerable');
    expect(asaTrailer!.status).toBe('vulnerable');
  });

  it('reports a non-constant RegExp construction and folds constant ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fwlens-redos-'));
    writeFileSync(
      join(dir, 'sample.ts'),
      [
        "const IP = '[0-9.]+';",
        `const A = new RegExp(\`^${'$'}{IP} x$\`);`,
        "const B = RegExp('a' + IP, 'i');",
        `const C = (key: string) => new RegExp(\`${'$'}{key}=(\\\\S+)\`);`,
        'const D = /lit(e)ral/g;',
      ].join('\n'),
    );
    const { found: f, dynamic: d } = findRegexes(dir, ['sample.ts']);
    expect(f.map((r) => `/${r.source}/${r.flags}`)).toEqual(['/^[0-9.]+ x$/', '/a[0-9.]+/i', '/lit(e)ral/g']);
    expect(d.map((r) => r.where)).toEqual(['sample.ts:4']);
  });

  it('tells bounded patterns from unbounded ones', () => {
    expect(hasUnboundedRepetition('^\\d{1,3}(?:[.:]x)?$')).toBe(false);
    expect(hasUnboundedRepetition('[*+]\\+\\*\\{2,\\}')).toBe(false);
    expect(hasUnboundedRepetition('a\\d+')).toBe(true);
    expect(hasUnboundedRepetition('(?:ab)*')).toBe(true);
    expect(hasUnboundedRepetition('x{2,}')).toBe(true);
    expect(hasUnboundedRepetition('[\\]*]x{2,5}')).toBe(false);
  });
});

function sourceText(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}
