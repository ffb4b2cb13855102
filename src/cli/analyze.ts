// `fwlens analyze`: stream the inputs through parsing, scoring and detection, then print the report.

import { availableParallelism } from 'node:os';
import {
  type EventFilter,
  FilterError,
  type FilterFlags,
  isEmptyFilter,
  parseFilters,
  parseSeverity,
} from '../analyze/filters.js';
import {
  applyContextToExplanation,
  applyContextToFindings,
  type ContextEnricher,
  eventSeverity,
} from '../context/enrich.js';
import { remoteAddress } from '../context/remote.js';
import { buildReportContext, reportAddresses } from '../context/report-context.js';
import type { DetectionConfig } from '../detect/index.js';
import { explainEvent } from '../explain/index.js';
import { type Lang, t } from '../i18n.js';
import { InputError, type InputSource } from '../ingest/lines.js';
import { oldestFirst } from '../ingest/rotation-order.js';
import { knowledgeBase } from '../knowledge/index.js';
import { buildReport, type Report } from '../report/model.js';
import { runNotices } from '../report/notices.js';
import { colorEnabled, renderText } from '../report/text.js';
import { mergeOutputs, runThreads, WorkerFailure } from '../run/parallel.js';
import { MAX_THREADS, runShards, SHARDS, type ShardJob } from '../run/shards.js';
import { jsonText } from '../util/visible.js';
import {
  failOnCount,
  inputSizes,
  NdjsonSink,
  outputPathProblem,
  progressAcrossInputs,
  writeFindingsCsv,
  writeProblem,
} from './analyze-output.js';
import { configOption } from './config-option.js';
import { contextEnricher } from './context-enricher.js';
import type { ContextFlags } from './context-options.js';
import { type CliIo, EXIT } from './main.js';
import { createProgress } from './progress.js';
import { say as sayTo } from './say.js';

/** Options of an analyze run (CLI flags after defaults); the event filters are FilterFlags. */
export interface AnalyzeOptions extends FilterFlags, ContextFlags {
  format: string;
  /** Mapping file for `--format mapped`. */
  mapping?: string;
  json?: boolean;
  /** Also write the HTML report to this path. */
  html?: string;
  lang: Lang;
  top: number;
  year?: number;
  /** Zone of stamps that carry none: minutes east of UTC, or an IANA zone name. */
  tz?: number | string;
  /** Longest line read, in bytes; longer lines are counted as damaged ("line too long"). */
  maxLineBytes?: number;
  /** Detection config file (YAML): trusted networks, own addresses, ignored ports, thresholds. */
  config?: string;
  /** Print one ECS line per event and per finding instead of the report. */
  ndjson?: boolean;
  /** Also write the findings as CSV to this path. */
  csv?: string;
  /** Exit with EXIT.failOn when a finding reaches this severity (1-5 or a name). */
  failOn?: string;
  /** Threads that analyse in parallel (1-4), or auto; the report is the same for any number. */
  workers?: number | 'auto';
  /** Resolve reverse DNS names of the addresses the report shows. */
  rdns?: boolean;
  /** Cache file of reverse DNS answers (with `rdns`). */
  rdnsCache?: string;
  /** Resolver for `rdns` (tests point it at a local DNS server). */
  rdnsResolver?: import('../context/rdns.js').PtrResolver;
  /** Report from the store instead of files: its path, or true for the default store. */
  store?: string | boolean;
}

/** Run `fwlens analyze`; returns the exit code. */
export async function runAnalyze(paths: string[], opts: AnalyzeOptions, io: CliIo): Promise<number> {
  // Rotated files oldest first, whatever order the shell lists them in (detection runs on event time).
  paths = oldestFirst(paths);
  const lang = opts.lang;
  const say = (sentence: string) => sayTo(io.stderr, sentence);
  let filter: EventFilter;
  let failOn: number | undefined;
  const now = Date.now();
  try {
    filter = parseFilters(opts, now);
    if (opts.failOn !== undefined) failOn = parseSeverity('--fail-on', opts.failOn);
  } catch (e) {
    if (!(e instanceof FilterError)) throw e;
    say(t(e.key, lang, e.vars));
    return EXIT.usage;
  }
  if (opts.json && opts.ndjson) {
    say(t('cli.analyze.jsonAndNdjson', lang));
    return EXIT.usage;
  }
  // A report file that cannot be written is said before the run, not after a long analysis.
  for (const [path, what] of [
    [opts.html, t('cli.analyze.htmlReport', lang)],
    [opts.csv, t('cli.analyze.csvFindings', lang)],
  ] as const) {
    const problem = path === undefined ? undefined : outputPathProblem(path, what, lang);
    if (problem) {
      say(problem);
      return EXIT.outputError;
    }
  }
  const kb = knowledgeBase();
  const config = configOption(opts.config, lang, say);
  if (config === false) return EXIT.usage;
  if (opts.store !== undefined) {
    if (paths.length > 0) {
      say(t('store.analyze.inputsAndStore', lang));
      return EXIT.usage;
    }
    const enricher = contextEnricher(kb, opts, config, now);
    return analyzeStore(opts, io, { now, filter, failOn, config, enricher });
  }
  if (paths.length === 0) {
    say(t('store.analyze.noInputs', lang));
    return EXIT.usage;
  }
  // Made before the run: NDJSON event lines carry each far end's owner and country as they stream, and each
  // event's severity counts its far end's context as the report's explanations do.
  const enricher = contextEnricher(kb, opts, config, now);
  const severity = eventSeverity(kb, enricher);
  const ndjson = opts.ndjson
    ? new NdjsonSink(io.stdout, Date.now(), enricher ? (ip) => enricher.of(ip) : undefined)
    : undefined;
  const env = io.env ?? process.env;
  const sizes = inputSizes(paths);
  const progress = createProgress({
    stream: io.stderr,
    env,
    lang,
    totalBytes: sizes ? [...sizes.values()].reduce((a, b) => a + b, 0) : undefined,
  });
  const onProgress = progressAcrossInputs(progress, sizes);
  const inputs: InputSource[] = paths.map((p) =>
    p === '-' && io.stdin ? { path: '-', stream: io.stdin } : { path: p },
  );
  const job: Omit<ShardJob, 'shards'> = {
    paths,
    ingest: {
      format: opts.format,
      mapping: opts.mapping,
      year: opts.year,
      ...(typeof opts.tz === 'string' ? { timeZone: opts.tz } : { utcOffsetMinutes: opts.tz }),
      maxLineBytes: opts.maxLineBytes,
    },
    filters: {
      since: opts.since,
      until: opts.until,
      src: opts.src,
      dst: opts.dst,
      port: opts.port,
      action: opts.action,
      minSeverity: opts.minSeverity,
    },
    now,
    config,
    ...(enricher ? { context: enricher.scoringJob() } : {}),
  };
  const threads = threadCount(opts, paths, sizes);
  const crowded = threadsOverCores(threads, availableParallelism());
  if (crowded) say(t('cli.analyze.threadsOverCores', lang, crowded));
  // Large files run on worker threads even when one thread does all the work: a worker's heap is capped.
  const onWorkers =
    canThread(opts, paths, sizes) && (threads > 1 || totalBytes(sizes) >= AUTO_THREADS_MIN_BYTES);
  let merged: ReturnType<typeof mergeOutputs>;
  try {
    const outputs = onWorkers
      ? await runThreads(job, threads, severity, onProgress)
      : [
          await runShards({ ...job, shards: [...Array(SHARDS).keys()] }, kb, {
            inputs,
            enricher,
            onEvent: ndjson ? (ev, raw) => ndjson.event(ev, raw) : undefined,
            onProgress: async (lines, bytes, path) => {
              onProgress(lines, bytes, path);
              await ndjson?.drain();
            },
          }),
        ];
    merged = mergeOutputs(outputs, severity, config);
  } catch (e) {
    if (e instanceof InputError) {
      say(t('cli.analyze.seeFormats', lang, { error: e.text ?? e.message }));
      return EXIT.usage;
    }
    if (e instanceof WorkerFailure) {
      say(t('cli.analyze.workerFailed', lang, { error: e.message }));
      return EXIT.inputError;
    }
    throw e;
  } finally {
    progress.stop();
  }
  const { stats, excluded, summary, findings, omitted, closedEarly } = merged;
  if (enricher) {
    // Missing data and bad list lines are said at once; the stale-data notice is part of the report itself.
    for (const p of enricher.problems) say(p[lang]);
    if (findings) applyContextToFindings(findings, enricher);
  }
  // NDJSON carries no list of unparsed lines: the sentence itself names the first damaged one.
  const notices = runNotices(stats, !opts.ndjson);
  for (const n of notices) say(n.text[lang]);
  // Nothing read at all: for the text report the sentence is the whole answer; machine output (JSON, NDJSON)
  // and asked-for files (--html, --csv: a scheduled job expects them) are always written, and the exit code
  // says the run failed.
  if (stats.lines === 0 && !opts.json && !opts.ndjson && !opts.html && !opts.csv) return EXIT.inputError;
  const report: Report = buildReport(
    stats,
    summary.result(opts.top),
    enricher
      ? (ev) => applyContextToExplanation(explainEvent(ev, kb), remoteAddress(ev), enricher)
      : (ev) => explainEvent(ev, kb),
    kb,
    findings,
  );
  if (enricher) {
    await addNames(report, enricher, opts, now, io);
    report.context = buildReportContext(report, summary.sourceCounts(), enricher);
  }
  if (!isEmptyFilter(filter)) report.filters = { applied: filter.described, excluded };
  if (omitted.length > 0) report.findingsOmitted = omitted;
  if (closedEarly.length > 0) report.detectionClosedEarly = closedEarly;
  if (notices.length > 0) report.notices = notices;
  const code = await writeReport(report, opts, io, failOn, ndjson);
  if (code !== EXIT.ok) return code;
  // A firewall log holding only non-traffic records (logins, configuration, system) is a success with 0 events.
  return notices.some((n) => n.failed) ? EXIT.inputError : EXIT.ok;
}

/** With `--rdns`: reverse names of the addresses the report shows, into the enricher. */
async function addNames(
  report: Report,
  enricher: ContextEnricher,
  opts: AnalyzeOptions,
  now: number,
  io: CliIo,
): Promise<void> {
  if (!opts.rdns) return;
  const { resolveNames } = await import('../context/rdns.js');
  const rdns = await resolveNames(reportAddresses(report), {
    cachePath: opts.rdnsCache,
    resolver: opts.rdnsResolver,
    now,
  });
  for (const p of rdns.problems) sayTo(io.stderr, p[opts.lang]);
  enricher.setNames(rdns.names);
}

/** Analyze the stored events (`--store`): the same report, read back from the store in input order. */
async function analyzeStore(
  opts: AnalyzeOptions,
  io: CliIo,
  run: {
    now: number;
    filter: EventFilter;
    failOn: number | undefined;
    config: DetectionConfig | undefined;
    enricher: ContextEnricher | undefined;
  },
): Promise<number> {
  const lang = opts.lang;
  const [{ openStore }, { reportFromStore }, { storePath }, { StoreError }, { storeExitCode }] =
    await Promise.all([
      import('../store/open.js'),
      import('../store/report.js'),
      import('../store/path.js'),
      import('../store/types.js'),
      import('./ingest.js'),
    ]);
  if (opts.ndjson) {
    sayTo(io.stderr, t('cli.analyze.jsonAndNdjson', lang));
    return EXIT.usage;
  }
  try {
    const store = await openStore(storePath(opts.store, io.env ?? process.env), { readOnly: true });
    try {
      const { report, sourceCounts } = await reportFromStore(store, {
        kb: knowledgeBase(),
        enricher: run.enricher,
        config: run.config,
        top: opts.top,
        filters: {
          until: opts.until,
          src: opts.src,
          dst: opts.dst,
          port: opts.port,
          action: opts.action,
          minSeverity: opts.minSeverity,
        },
        now: run.now,
        window:
          run.filter.since === undefined && run.filter.until === undefined
            ? undefined
            : { since: run.filter.since, until: run.filter.until },
      }).then(async (r) => {
        if (!isEmptyFilter(run.filter))
          r.report.filters = { applied: run.filter.described, excluded: r.excluded };
        return r;
      });
      const { enricher } = run;
      if (enricher) {
        for (const p of enricher.problems) sayTo(io.stderr, p[lang]);
        await addNames(report, enricher, opts, run.now, io);
        report.context = buildReportContext(report, sourceCounts, enricher);
      }
      return await writeReport(report, opts, io, run.failOn, undefined);
    } finally {
      await store.close();
    }
  } catch (e) {
    if (e instanceof StoreError) {
      sayTo(io.stderr, e.text[lang]);
      return storeExitCode(e);
    }
    throw e;
  }
}

/** Write the report as asked (HTML, CSV, NDJSON, JSON or text); returns EXIT.ok or the code of what failed or --fail-on. */
async function writeReport(
  report: Report,
  opts: AnalyzeOptions,
  io: CliIo,
  failOn: number | undefined,
  ndjson: NdjsonSink | undefined,
): Promise<number> {
  const lang = opts.lang;
  const env = io.env ?? process.env;
  const say = (sentence: string) => sayTo(io.stderr, sentence);
  // A file that still cannot be written (the disk filled up meanwhile) does not cost the printed report.
  let written = true;
  if (opts.html && !(await writeHtml(report, opts.html, opts.lang, io))) written = false;
  if (opts.csv) {
    const failed = await writeFindingsCsv(report, opts.csv, lang);
    if (failed) {
      say(failed);
      written = false;
    }
  }
  if (ndjson) {
    ndjson.findings(report, lang);
    await ndjson.drain(true);
  } else if (opts.json) io.stdout.write(`${jsonText(report, 2)}\n`);
  else io.stdout.write(renderText(report, lang, { color: colorEnabled(io.stdout, env) }));
  if (failOn !== undefined) {
    const { n, key } = failOnCount(report, failOn);
    if (n > 0) {
      say(t(key, lang, { n, severity: failOn }));
      // An alert outranks a partly unreadable input: a cron job must not miss it.
      return EXIT.failOn;
    }
  }
  return written ? EXIT.ok : EXIT.outputError;
}

/** Write the HTML report; on failure say why in one sentence and return false. */
async function writeHtml(report: Report, path: string, lang: Lang, io: CliIo): Promise<boolean> {
  const [{ renderHtml }, { writeWhole }] = await Promise.all([
    import('../report/html/index.js'),
    import('../util/write-whole.js'),
  ]);
  try {
    await writeWhole(path, renderHtml(report, { lang }));
    return true;
  } catch (e) {
    sayTo(io.stderr, writeProblem(e as NodeJS.ErrnoException, path, t('cli.analyze.htmlReport', lang), lang));
    return false;
  }
}

/**
 * Files at least this large (together) are analysed on several threads when `--workers auto`, and on a
 * worker thread (heap capped, memory flat) even with `--workers 1`.
 */
export const AUTO_THREADS_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Threads for this run: parallel passes need every input to be a file each thread can read itself, and
 * NDJSON output needs every event on the main thread in order; otherwise one. `auto` takes one thread per
 * core (at most MAX_THREADS) for inputs over AUTO_THREADS_MIN_BYTES.
 */
function threadCount(opts: AnalyzeOptions, paths: string[], sizes: Map<string, number> | undefined): number {
  if (!canThread(opts, paths, sizes)) return 1;
  if (opts.workers !== undefined && opts.workers !== 'auto') return Math.min(opts.workers, MAX_THREADS);
  if (totalBytes(sizes) < AUTO_THREADS_MIN_BYTES) return 1;
  return Math.max(1, Math.min(availableParallelism(), MAX_THREADS));
}

/**
 * The thread and core counts to tell the user when a run asks for more threads than the machine has cores:
 * every thread reads and parses every line (it owns only its shards' detection), so on 2 cores 4 threads took
 * 1.6 times as long as 2 (200,000 benchmark lines: 21.2 against 13.4 s). Undefined when the threads fit.
 */
export function threadsOverCores(
  threads: number,
  cores: number,
): { threads: number; cores: number } | undefined {
  return threads > 1 && threads > cores ? { threads, cores } : undefined;
}

/** True when worker threads can run the passes: every input a file, and no NDJSON stream of events. */
function canThread(
  opts: AnalyzeOptions,
  paths: string[],
  sizes: Map<string, number> | undefined,
): sizes is Map<string, number> {
  return !opts.ndjson && sizes !== undefined && !paths.some((p) => p === '-');
}

function totalBytes(sizes: Map<string, number> | undefined): number {
  return sizes ? [...sizes.values()].reduce((a, b) => a + b, 0) : 0;
}
