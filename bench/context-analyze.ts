// Cost of context in `analyze`, in this process: the same pipeline the CLI runs (one thread) without context
// and with each event scored with its far end's context (as the CLI does), then the context steps (table and
// database load, look-ups per distinct address, findings and notable events, the context block) timed on their
// own, as a share of the whole run. Also the built CLI with and without --no-context,
// runs alternated (noisy on a shared machine). Usage: npm run bench:context-analyze -- [200k] [cli runs]
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { applyContextToExplanation, applyContextToFindings, ContextEnricher } from '../src/context/enrich.js';
import { remoteAddress } from '../src/context/remote.js';
import { buildReportContext } from '../src/context/report-context.js';
import { explainEvent, severityOf } from '../src/explain/index.js';
import { knowledgeBase } from '../src/knowledge/index.js';
import { buildReport } from '../src/report/model.js';
import { mergeOutputs } from '../src/run/parallel.js';
import { runShards, SHARDS } from '../src/run/shards.js';
import { ensureLog } from './logs.js';
import { parseSize } from './options.js';

const lines = parseSize(process.argv[2] ?? '200k');
const cliRuns = Number(process.argv[3] ?? 0);
const log = await ensureLog(lines);
if (typeof log === 'string') throw new Error(`cannot generate ${lines} lines: ${log}`);
const kb = knowledgeBase();
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

const pass = (scorer?: ContextEnricher) =>
  runShards(
    { paths: [log.path], ingest: {}, filters: {}, now: Date.now(), shards: [...Array(SHARDS).keys()] },
    kb,
    { inputs: [{ path: log.path }], enricher: scorer },
  );
// Both passes twice, alternated; the faster of each (the first pass also pays for compiling the code).
const scored: number[] = [];
const plain: number[] = [];
let out: Awaited<ReturnType<typeof pass>> | undefined;
let t0 = process.hrtime.bigint();
for (let round = 0; round < 2; round++) {
  t0 = process.hrtime.bigint();
  out = await pass();
  plain.push(ms(t0));
  t0 = process.hrtime.bigint();
  await pass(new ContextEnricher(kb, { countries: false }));
  scored.push(ms(t0));
}
const scoredMs = Math.min(...scored);
const passMs = Math.min(...plain);
t0 = process.hrtime.bigint();
const merged = mergeOutputs([out!], (ev) => severityOf(ev, kb), undefined);
const report = buildReport(
  merged.stats,
  merged.summary.result(10),
  (ev) => explainEvent(ev, kb),
  kb,
  merged.findings,
);
const pipelineMs = passMs + ms(t0);

t0 = process.hrtime.bigint();
const enricher = new ContextEnricher(kb);
const loadMs = ms(t0);
const notable = merged.summary.result(10).notable;
t0 = process.hrtime.bigint();
if (merged.findings) applyContextToFindings(merged.findings, enricher);
const findingsMs = ms(t0);
t0 = process.hrtime.bigint();
for (const n of notable)
  applyContextToExplanation(explainEvent(n.event, kb), remoteAddress(n.event), enricher);
const sources = merged.summary.sourceCounts();
const context = buildReportContext(report, sources, enricher);
const stepMs = ms(t0) + findingsMs;
console.log(
  `log: ${lines.toLocaleString('en-US')} lines (${(log.bytes / 1e6).toFixed(0)} MB), one thread, in process`,
);
console.log(`analyze without context        ${(pipelineMs / 1000).toFixed(2)} s`);
const scoringMs = scoredMs - passMs;
console.log(
  `the pass ${(passMs / 1000).toFixed(2)} s (${plain.map((x) => (x / 1000).toFixed(2)).join(', ')}), with each event scored with context ${(scoredMs / 1000).toFixed(2)} s (${scored.map((x) => (x / 1000).toFixed(2)).join(', ')}): ${scoringMs.toFixed(0)} ms more`,
);
console.log(`context: load ASN table + country db  ${loadMs.toFixed(0)} ms`);
console.log(
  `context: look-ups and report block     ${stepMs.toFixed(0)} ms (${sources.length.toLocaleString('en-US')} sources counted, ${Object.keys(context.addresses).length} addresses in the table, ${context.topOrganizations.length} organisations shown)`,
);
console.log(`  of which findings (${merged.findings?.length ?? 0}): ${findingsMs.toFixed(0)} ms`);
console.log(
  `context adds ${(((loadMs + stepMs + scoringMs) / pipelineMs) * 100).toFixed(1)} % to this run (${(((loadMs + stepMs) / pipelineMs) * 100).toFixed(1)} % without the scoring)`,
);

if (cliRuns > 0) {
  const cli = join(import.meta.dirname, '..', 'bin', 'fwlens.js');
  const time = (extra: string[]) => {
    const s = process.hrtime.bigint();
    execFileSync(process.execPath, [cli, 'analyze', '--json', '--workers', '1', ...extra, log.path], {
      maxBuffer: 1 << 28,
    });
    return ms(s) / 1000;
  };
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < cliRuns; i++) {
    a.push(time(['--no-context']));
    b.push(time([]));
  }
  const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  console.log(
    `CLI --no-context ${a.map((x) => x.toFixed(2)).join(', ')} s; with context ${b.map((x) => x.toFixed(2)).join(', ')} s`,
  );
  console.log(`CLI medians: ${((median(b) / median(a) - 1) * 100).toFixed(1)} %`);
}
