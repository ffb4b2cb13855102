// Fuzzing in the suite (issue 14): mutated fixture lines of every format through ingest() raise nothing and
// lose no line, and a line's work per byte does not grow with its length. The long run is `npm run fuzz`.
// Duration (measured with `npx vitest run test/fuzz.test.ts` on the 2-core machine, load average 3.5-4 from
// other runs): 18-42 s wall, 17-32 s CPU; the growth checks are most of it, a good part of that the
// quadratic parsers of the expected failures below, which the ReDoS fixes take away.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createEnvelopeReader, PENDING } from '../src/formats/envelope/index.js';
import { makeContext } from '../src/formats/envelope/time.js';
import { formatById } from '../src/formats/index.js';
import { LineSplitter } from '../src/ingest/line-splitter.js';
import { ingestText } from './helpers.js';
import {
  captureArbitrary,
  FIXTURES_DIR,
  type FuzzMode,
  type FuzzTarget,
  fuzzTargets,
  GROWTH_LIMIT,
  growthCheck,
  lineArbitrary,
  type MutatedLine,
  perByteGrowth,
  readerLines,
  renderCapture,
  runBatch,
  textBatch,
} from './support/fuzz.js';

/** Fixed seed so a failure reproduces; fast-check prints it with the shrunk counterexample. */
const FUZZ_SEED = 14_122_026;
/** Batches per format in the suite (each up to 24 mutated lines after the clean fixture head). */
const RUNS_PER_FORMAT = 20;
/** Overlong values stay short in the suite; the long run goes up to 60 KB. */
const SUITE_MAX_OVERLONG = 2048;
/** Every third hostile variant per format in the suite (the long run takes all). */
const SUITE_VARIANT_STRIDE = 3;

/**
 * Formats whose growth check is known to fail (super-linear parsing), run as expected failures so a fix
 * shows up. Empty since every regular expression became linear (test/redos.test.ts); keep it that way.
 */
const KNOWN_SUPERLINEAR = new Set<string>([]);

const targets = fuzzTargets();

/** The mutated lines of a failing batch, escaped, so the failure shows what was fed. */
function shown(lines: readonly MutatedLine[], target: FuzzTarget): string {
  const bytes = textBatch(target, lines, false)[0]!;
  return readerLines(bytes)
    .map((l) => JSON.stringify(l.length > 300 ? `${l.slice(0, 300)}…(${l.length} chars)` : l))
    .join('\n');
}

describe('fuzz: no exception, no line lost', () => {
  for (const target of targets) {
    if (target.captures.length > 0) {
      it(`${target.id}: damaged captures raise nothing and every packet is counted once`, async () => {
        await fc.assert(
          fc.asyncProperty(captureArbitrary(target.captures.length), async (cap) => {
            const report = await runBatch(target, [renderCapture(cap, target.captures)], 'auto', true);
            if (report.violations.length > 0) throw new Error(report.violations.join('; '));
          }),
          { seed: FUZZ_SEED, numRuns: RUNS_PER_FORMAT },
        );
      });
      continue;
    }
    it(`${target.id}: mutated fixture lines raise nothing and every line lands in one bucket`, async () => {
      expect(target.seeds.length).toBeGreaterThan(0);
      const modes: FuzzMode[] = target.format ? ['auto', 'forced'] : ['auto'];
      await fc.assert(
        fc.asyncProperty(
          fc.array(lineArbitrary(target.seeds.length, { maxOverlong: SUITE_MAX_OVERLONG }), {
            minLength: 1,
            maxLength: 24,
          }),
          fc.constantFrom(...modes),
          // Now and then no clean head: the mutated lines open the input (binary sniff, JSON documents).
          fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
          async (lines, mode, withHead) => {
            const report = await runBatch(target, textBatch(target, lines, withHead), mode);
            if (report.violations.length > 0)
              throw new Error(`${report.violations.join('; ')}\nlines fed:\n${shown(lines, target)}`);
          },
        ),
        { seed: FUZZ_SEED, numRuns: RUNS_PER_FORMAT },
      );
    });
  }

  it('counts lines as the reader splits them: LF, CRLF and a lone CR each end one', () => {
    const bytes = Buffer.from('a\r\nb\rc\n\n\r\nd\r', 'latin1');
    expect(readerLines(bytes)).toEqual(['a', 'b', 'c', '', '', 'd']);
    // The same split as the reader's own splitter.
    const splitter = new LineSplitter();
    expect([...splitter.push(bytes).lines, ...splitter.end().lines]).toEqual(readerLines(bytes));
  });
});

describe('fuzz: work per byte does not grow with the line', () => {
  for (const target of targets) {
    if (target.captures.length > 0) continue;
    const known = KNOWN_SUPERLINEAR.has(target.id);
    (known ? it.fails : it)(
      `${target.id}: a token grown from 4 KB to 60 KB costs at most ${GROWTH_LIMIT}x the work per byte${known ? ' (expected failure: ReDoS fixed on branch redos)' : ''}`,
      () => {
        const failure = growthCheck(target, { variantStride: SUITE_VARIANT_STRIDE });
        expect(
          failure,
          failure
            ? `${failure.work}: ${failure.variant}, ${failure.size} bytes: ${failure.ratio.toFixed(1)}x per byte; seed ${failure.seed}`
            : '',
        ).toBeNull();
      },
    );
  }

  it(`the check itself: work that grows with the square of the line fails it (the limit, ${GROWTH_LIMIT}x, is below quadratic's 15x from 4 to 60 KB)`, () => {
    let seen = 0;
    // From every 16th character back to the start: quadratic, ~10^8 bytes scanned at 60 KB.
    const quadratic = (line: string) => {
      for (let i = 0; i < line.length; i += 16) seen += line.slice(0, i).indexOf('\u0001');
    };
    const failure = perByteGrowth(quadratic, (size) => 'a'.repeat(size));
    expect(failure, `seen ${seen}`).not.toBeNull();
    expect(failure!.ratio).toBeGreaterThan(GROWTH_LIMIT);
  });

  it('netfilter: a long run of bare words before the next key is read in linear time (was quadratic)', () => {
    const netfilter = formatById('netfilter')!;
    const ctx = makeContext(0, { year: 2026 });
    const parse = netfilter.createParser(ctx);
    const seed = readFileSync(join(FIXTURES_DIR, 'netfilter', 'lab-ufw-rsyslog.log'), 'utf8').split('\n')[0]!;
    const at = seed.indexOf(' URGP=');
    expect(at).toBeGreaterThan(0);
    const run = (line: string) => {
      const env = createEnvelopeReader(ctx).push(line);
      if (env !== null && env !== PENDING) parse(env);
    };
    // Each bare word used to search the rest of the line for '=': 20,000 words, 20,000 scans.
    const grown = (size: number) =>
      `${seed.slice(0, at)} ${'00 '.repeat(Math.ceil(size / 3))}${seed.slice(at)}`;
    expect(perByteGrowth(run, grown)).toBeNull();
  });
});

describe('fuzz findings (regressions)', () => {
  it('panos: a quote opened before the log type column and never closed is a damaged record, not a crash', async () => {
    const { events, stats } = await ingestText(
      '1,2026/11/25 16:46:39,013201001234,TRAFFIC,end,2561\n1,2026/11/25 16:46:39,"0132,TRAFFIC,end,2561\n',
      { format: 'panos' },
    );
    expect(events).toEqual([]);
    expect(stats.inputs[0]).toMatchObject({ lines: 2, malformed: 2 });
    expect(stats.malformedSamples[1]!.reason).toBe('record has 3 columns; the log type is column 4');
  });
});
