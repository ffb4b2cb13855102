// Golden reports: the JSON report of every lab capture, the bundled sample, a generated busy log and the shared
// corpus, as today's core writes them. The test compares against them; `npm run golden -- --update` rewrites them.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generateFile } from '../../bench/generate.js';
import { CORPUS, HAVE_CORPUS, ROOT, runCli } from '../helpers.js';

/** Where the golden reports live. */
export const GOLDEN_DIR = join(ROOT, 'test', 'golden');
/** Digests of the corpus reports (the corpus is others' text: only a digest and counts are kept here). */
export const CORPUS_DIGESTS = join(GOLDEN_DIR, 'corpus.json');
/** Lines of the generated busy log (seeded generator: the same file on every machine). */
export const BUSY_LINES = 20_000;
/** Year given to every run, so year-less stamps do not depend on the files' modification times. */
const YEAR = '2026';

/** One input whose report is kept: a name for its golden file and the path to analyze. */
export interface GoldenCase {
  name: string;
  path: string;
}

/** The lab captures and the bundled sample (paths relative to the repository root, as a user types them). */
export function repoCases(): GoldenCase[] {
  const lab = join(ROOT, 'test', 'fixtures', 'lab');
  const cases: GoldenCase[] = [{ name: 'sample', path: 'examples/sample.log' }];
  for (const d of readdirSync(lab).sort())
    if (existsSync(join(lab, d, 'kern.log')))
      cases.push({ name: `lab-${d}`, path: relative(ROOT, join(lab, d, 'kern.log')) });
  return cases;
}

/** The corpus files, as `folder/file` (empty without ../shared/corpus). */
export function corpusFiles(): string[] {
  if (!HAVE_CORPUS) return [];
  return readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(CORPUS, d.name))
        .filter((f) => !f.endsWith('.expected.json'))
        .map((f) => `${d.name}/${f}`),
    )
    .sort();
}

/**
 * The JSON report of one input, pretty-printed so a difference shows as a readable diff (or, when no report
 * is printed, the exit code and the sentence on stderr). `shownAs` replaces the path in the output (a
 * temporary file's name differs on every run).
 */
export async function goldenReport(path: string, shownAs = path): Promise<string> {
  const r = await runCli(['analyze', path, '--json', '--year', YEAR, '--workers', '1']);
  const show = (s: string) => (path === shownAs ? s : s.split(path).join(shownAs));
  if (r.out === '') return `no report, exit ${r.code}: ${show(r.err)}`;
  return `${JSON.stringify(JSON.parse(show(r.out)), null, 1)}\n`;
}

/** Generate the busy log into a temporary folder; returns its path. */
export async function busyLog(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'fwlens-golden-')), 'busy.log');
  await generateFile(BUSY_LINES, path);
  return path;
}

/** What is kept of a corpus file's report: its digest and the counts that help read a mismatch. */
export interface CorpusDigest {
  sha256: string;
  events: number;
  findings: number;
  unparsed: number;
}

/** Digest of a corpus file's report, with the corpus folder shown as `corpus/`. */
export async function corpusDigest(rel: string): Promise<CorpusDigest> {
  const text = await goldenReport(join(CORPUS, rel), `corpus/${rel}`);
  const sha256 = createHash('sha256').update(text).digest('hex');
  if (!text.startsWith('{')) return { sha256, events: 0, findings: 0, unparsed: 0 };
  const report = JSON.parse(text) as {
    totals: { events: number };
    findings: unknown[];
    inputs: { malformed: number; unrecognized: number }[];
  };
  return {
    sha256,
    events: report.totals.events,
    findings: report.findings.length,
    unparsed: report.inputs.reduce((n, i) => n + i.malformed + i.unrecognized, 0),
  };
}
