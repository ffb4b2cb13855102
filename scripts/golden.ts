// Writes the golden reports that test/golden.test.ts compares against: `npm run golden -- --update`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  busyLog,
  CORPUS_DIGESTS,
  type CorpusDigest,
  corpusDigest,
  corpusFiles,
  GOLDEN_DIR,
  goldenReport,
  repoCases,
} from '../test/support/golden.js';

if (!process.argv.includes('--update')) {
  process.stderr.write('golden: this rewrites test/golden/; run it as `npm run golden -- --update`\n');
  process.exit(2);
}
mkdirSync(GOLDEN_DIR, { recursive: true });
for (const c of repoCases()) writeFileSync(join(GOLDEN_DIR, `${c.name}.json`), await goldenReport(c.path));
writeFileSync(join(GOLDEN_DIR, 'busy.json'), await goldenReport(await busyLog(), 'busy.log'));
const files = corpusFiles();
if (files.length === 0)
  process.stderr.write('golden: ../shared/corpus is absent; corpus digests kept as they were\n');
else {
  const digests: Record<string, CorpusDigest> = {};
  for (const rel of files) digests[rel] = await corpusDigest(rel);
  writeFileSync(CORPUS_DIGESTS, `${JSON.stringify(digests, null, 1)}\n`);
}
process.stdout.write(`golden: wrote ${repoCases().length + 1} reports and ${files.length} corpus digests\n`);
