// Golden reports: today's JSON report of every lab capture, the bundled sample, a generated busy log and the
// shared corpus must come out unchanged (the columnar core of issue 13 is checked against them). After an
// intended change, `npm run golden -- --update` rewrites them and the commit explains the difference.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  busyLog,
  CORPUS_DIGESTS,
  type CorpusDigest,
  corpusDigest,
  corpusFiles,
  GOLDEN_DIR,
  goldenReport,
  repoCases,
} from './support/golden.js';

describe('golden reports', () => {
  for (const c of repoCases())
    it(c.name, async () => {
      const want = readFileSync(join(GOLDEN_DIR, `${c.name}.json`), 'utf8');
      expect(await goldenReport(c.path)).toBe(want);
    });

  it('busy generated log', async () => {
    const want = readFileSync(join(GOLDEN_DIR, 'busy.json'), 'utf8');
    expect(await goldenReport(await busyLog(), 'busy.log')).toBe(want);
  }, 60_000);

  const files = corpusFiles();
  describe.skipIf(files.length === 0)('shared corpus (digests)', () => {
    const digests = JSON.parse(readFileSync(CORPUS_DIGESTS, 'utf8')) as Record<string, CorpusDigest>;
    it('has a digest for every corpus file', () => {
      expect(Object.keys(digests).sort()).toEqual(files);
    });
    for (const rel of files)
      it(rel, async () => {
        expect(await corpusDigest(rel)).toEqual(digests[rel]);
      });
  });
});
