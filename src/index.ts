// fwlens as a library: read logs into events, explain an event or a port, run detection, build and render
// the report. docs/api.md documents this surface; every example there runs as a test.

import { AddressLists } from './context/lists.js';
import type { DetectionConfig } from './detect/index.js';
import { explainEvent } from './explain/index.js';
import type { InputSource } from './ingest/lines.js';
import { knowledgeBase } from './knowledge/index.js';
import { buildReport, type Report } from './report/model.js';
import { mergeOutputs } from './run/parallel.js';
import { runShards, SHARDS } from './run/shards.js';

export {
  type AddressContext,
  applyContextToExplanation,
  applyContextToFindings,
  ContextEnricher,
  type ContextOptions,
} from './context/enrich.js';
export { AddressLists } from './context/lists.js';
export { resolveNames } from './context/rdns.js';
export { buildReportContext, type ReportContext } from './context/report-context.js';
export {
  createDetectionEngine,
  DETECTOR_IDS,
  type DetectionConfig,
  type DetectionEngine,
  type DetectorId,
  defaultDetectionConfig,
  type Finding,
  loadDetectionConfig,
  parseDetectionConfig,
} from './detect/index.js';
export type { Direction, EventAction, FwEvent, InnerPacket, TcpFlag } from './event.js';
export { ECS_FIELDS, ECS_VERSION, toEcs } from './event.js';
export type { Explanation } from './explain/index.js';
export { explainEvent, explainPort, renderExplanation, severityOf } from './explain/index.js';
export { FORMATS, formatById } from './formats/index.js';
export type { LogFormat } from './formats/types.js';
export type { Lang } from './i18n.js';
export type { InputSource } from './ingest/lines.js';
export { parseOneLine as parseLine } from './ingest/parse-line.js';
export { type IngestOptions, type IngestStats, type InputStats, ingest } from './ingest/pipeline.js';
export { type KnowledgeBase, knowledgeBase } from './knowledge/index.js';
export { renderHtml } from './report/html/index.js';
export { buildReport, type Report } from './report/model.js';
export { renderText } from './report/text.js';

import {
  applyContextToExplanation,
  applyContextToFindings,
  ContextEnricher,
  type ContextOptions,
  eventSeverity,
} from './context/enrich.js';
import { remoteAddress } from './context/remote.js';
import { buildReportContext } from './context/report-context.js';

/** Options of `analyze`: what `fwlens analyze` takes, as values. */
export interface AnalyzeLibraryOptions {
  /** Format id, or 'auto' (default) to detect per file and per line. */
  format?: string;
  /** Year the log ends in, for stamps without a year (default: from the file's date). */
  year?: number;
  /** Zone of stamps that carry none: minutes east of UTC, or an IANA name such as 'Europe/Berlin'. */
  tz?: number | string;
  /** Detection settings (defaultDetectionConfig() when absent). */
  config?: DetectionConfig;
  /** Rows per top table (default 10). */
  top?: number;
  /**
   * Who is behind the addresses (owner, country, research scanners, allow/deny lists; docs/context.md):
   * `true` or options to add `report.context` as `fwlens analyze` does; absent or false to leave it out.
   */
  context?: boolean | ContextOptions;
}

/**
 * Analyze log files (paths, or `{ path, stream }` inputs) as `fwlens analyze --json` does, in this thread:
 * the report model with its findings, ready for `renderText`, `renderHtml` or `JSON.stringify`.
 */
/** The allow and deny lists a detection config holds (named `config allowList[i]` where they hit). */
function configLists(config: DetectionConfig | undefined): AddressLists {
  const lists = new AddressLists();
  lists.addConfig(config, 'config');
  return lists;
}

export async function analyze(
  inputs: (string | InputSource)[],
  opts: AnalyzeLibraryOptions = {},
): Promise<Report> {
  const kb = knowledgeBase();
  const sources = inputs.map((i) => (typeof i === 'string' ? { path: i } : i));
  const given = typeof opts.context === 'object' ? opts.context : {};
  const enricher = opts.context
    ? new ContextEnricher(kb, {
        researchScanners: opts.config?.researchScanners,
        // The config's lists, as `fwlens analyze --config` counts them, unless lists are given.
        lists: given.lists ?? configLists(opts.config),
        ...given,
      })
    : undefined;
  const out = await runShards(
    {
      paths: sources.map((s) => s.path),
      ingest: {
        format: opts.format,
        year: opts.year,
        ...(typeof opts.tz === 'string' ? { timeZone: opts.tz } : { utcOffsetMinutes: opts.tz }),
      },
      filters: {},
      now: Date.now(),
      config: opts.config,
      shards: [...Array(SHARDS).keys()],
    },
    kb,
    { inputs: sources, enricher },
  );
  const merged = mergeOutputs([out], eventSeverity(kb, enricher), opts.config);
  if (enricher && merged.findings) applyContextToFindings(merged.findings, enricher);
  const report = buildReport(
    merged.stats,
    merged.summary.result(opts.top ?? 10),
    enricher
      ? (ev) => applyContextToExplanation(explainEvent(ev, kb), remoteAddress(ev), enricher)
      : (ev) => explainEvent(ev, kb),
    kb,
    merged.findings,
  );
  if (merged.omitted.length > 0) report.findingsOmitted = merged.omitted;
  if (merged.closedEarly.length > 0) report.detectionClosedEarly = merged.closedEarly;
  if (enricher) report.context = buildReportContext(report, merged.summary.sourceCounts(), enricher);
  return report;
}
