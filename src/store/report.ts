// The report from stored events: the same pass, summary, detection and report model as from files.
import type { FilterFlags } from '../analyze/filters.js';
import {
  applyContextToExplanation,
  applyContextToFindings,
  type ContextEnricher,
  eventSeverity,
} from '../context/enrich.js';
import { remoteAddress } from '../context/remote.js';
import type { DetectionConfig } from '../detect/index.js';
import { explainEvent } from '../explain/index.js';
import { reasonText } from '../formats/damaged.js';
import { type Message, tBoth } from '../i18n.js';
import { inputContent, openInput, textLines } from '../ingest/lines.js';
import { parseOneLine } from '../ingest/parse-line.js';
import { addInputStats, type IngestStats, type LineProblem, PROBLEM_SAMPLES } from '../ingest/pipeline.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { buildReport, type Report } from '../report/model.js';
import { mergeOutputs } from '../run/parallel.js';
import { createShardPass, SHARDS } from '../run/shards.js';
import type { Store, TimeWindow } from './types.js';

/** Options of a report from the store. */
export interface StoreReportOptions {
  kb: KnowledgeBase;
  config?: DetectionConfig;
  /** Rows per top table. */
  top: number;
  /** Event filters as `analyze` takes them (`--since` also narrows what is read from the store). */
  filters: FilterFlags;
  now: number;
  /** Time window read from the store (from `--since`/`--until`). */
  window?: TimeWindow;
  /** Owner, country and list context for findings and explanations (as `analyze` of files adds it). */
  enricher?: ContextEnricher;
}

/**
 * A stored damaged line's reason in English and Chinese, as the file's report words it: the store keeps the
 * English reason and the line, so the line is read again and its reason taken when it is the same one
 * (a reason that depended on the lines around it, or a line cut for its length, keeps its English only).
 */
function wordedAgain(reason: string, text: string): Message | undefined {
  const nul = tBoth('ingest.nulBytes');
  if (reason === nul.en) return nul;
  const parsed = parseOneLine(text);
  return parsed && 'error' in parsed && parsed.error === reason ? reasonText(parsed) : undefined;
}

/**
 * Build the report of the stored events: read back in input order (input id, line) into the same shard
 * pass `analyze` runs on files. Raw line texts (notable events, finding evidence) are not stored per
 * event: they are read back from the input files by line number, when the files are still there.
 */
export async function reportFromStore(
  store: Store,
  opts: StoreReportOptions,
): Promise<{
  report: Report;
  stats: IngestStats;
  excluded: number;
  /** Events per tracked source (for the report's context block). */
  sourceCounts: { ip: string; events: number }[];
}> {
  const inputs = await store.inputs();
  const pass = createShardPass(
    { filters: opts.filters, now: opts.now, config: opts.config, shards: [...Array(SHARDS).keys()] },
    opts.kb,
    undefined,
    opts.enricher,
  );
  let outside = 0;
  let read = 0;
  for await (const ev of store.events(opts.window)) {
    read++;
    pass.push(ev, '');
  }
  if (opts.window) outside = (await store.eventCount()) - read;
  const paths = new Map(inputs.map((i) => [i.id, i.path]));
  const sample = async (kind: 'malformed' | 'unrecognized'): Promise<LineProblem[]> =>
    (await store.problems(PROBLEM_SAMPLES, kind)).map((p) => {
      const worded = kind === 'malformed' ? wordedAgain(p.reason, p.text) : undefined;
      return {
        file: paths.get(p.inputId) ?? '?',
        line: p.line,
        reason: p.reason,
        ...(worded ? { reasonText: worded } : {}),
        text: p.text,
      };
    });
  const stats: IngestStats = {
    // The routing hint the store keeps for its next read is no accounting: the report does not show it.
    inputs: inputs.map(({ stats: { lastFormat: _, ...stats }, path }) => ({ ...stats, path })),
    lines: 0,
    events: 0,
    multiEventExtra: 0,
    malformed: 0,
    nonTraffic: 0,
    unrecognized: 0,
    malformedSamples: await sample('malformed'),
    unrecognizedSamples: await sample('unrecognized'),
  };
  for (const s of stats.inputs) addInputStats(stats, s);
  const severity = eventSeverity(opts.kb, opts.enricher);
  const out = pass.finish(stats);
  const merged = mergeOutputs([out], severity, opts.config);
  const { enricher } = opts;
  if (enricher && merged.findings) applyContextToFindings(merged.findings, enricher);
  const report = buildReport(
    merged.stats,
    merged.summary.result(opts.top),
    enricher
      ? (ev) => applyContextToExplanation(explainEvent(ev, opts.kb), remoteAddress(ev), enricher)
      : (ev) => explainEvent(ev, opts.kb),
    opts.kb,
    merged.findings,
  );
  if (merged.omitted.length > 0) report.findingsOmitted = merged.omitted;
  if (merged.closedEarly.length > 0) report.detectionClosedEarly = merged.closedEarly;
  await fillRawLines(report);
  return { report, stats, excluded: merged.excluded + outside, sourceCounts: merged.summary.sourceCounts() };
}

/** Put the text of each reported line (notable events, finding evidence) back from its file, by line number. */
async function fillRawLines(report: Report): Promise<void> {
  const wanted = new Map<string, Set<number>>();
  const want = (file: string | undefined, line: number | undefined) => {
    if (file === undefined || line === undefined || file === '-') return;
    let set = wanted.get(file);
    if (!set) {
      set = new Set();
      wanted.set(file, set);
    }
    set.add(line);
  };
  for (const n of report.notable ?? []) want(n.file, n.line);
  for (const f of report.findings ?? []) for (const e of f.evidence) if (!e.text) want(e.file, e.line);
  const texts = new Map<string, Map<number, string>>();
  for (const [file, lines] of wanted) texts.set(file, await readLinesAt(file, lines));
  const text = (file: string | undefined, line: number | undefined) =>
    file === undefined || line === undefined ? undefined : texts.get(file)?.get(line);
  for (const n of report.notable ?? []) n.raw = text(n.file, n.line) ?? n.raw;
  for (const f of report.findings ?? [])
    for (const e of f.evidence) if (!e.text) e.text = text(e.file, e.line) ?? '';
}

/** The texts of the given 1-based line numbers of a file (.gz too); lines that cannot be read are left out. */
async function readLinesAt(path: string, lines: Set<number>): Promise<Map<number, string>> {
  const found = new Map<number, string>();
  const last = Math.max(...lines);
  try {
    const opened = await openInput({ path });
    const content = await inputContent(opened);
    let n = 0;
    for await (const { lines: batch } of textLines(content.stream, path)) {
      for (const l of batch) {
        n++;
        if (lines.has(n)) found.set(n, l);
      }
      if (n >= last) break;
    }
  } catch {
    // A file moved away or unreadable: its lines stay without text.
  }
  return found;
}
