// `fwlens ingest`: read logs into the store, only what was appended since the last run, then apply retention.
import { FilterError, parseTimeBound } from '../analyze/filters.js';
import { DEFAULT_MAX_FINDINGS_PER_DETECTOR } from '../detect/index.js';
import { type Lang, type MessageKey, t } from '../i18n.js';
import { InputError } from '../ingest/lines.js';
import type { InputStats } from '../ingest/pipeline.js';
import { oldestFirst } from '../ingest/rotation-order.js';
import { knowledgeBase } from '../knowledge/index.js';
import { type IngestOutcome, ingestIntoStore } from '../store/ingest.js';
import { openStore } from '../store/open.js';
import { storePath } from '../store/path.js';
import { StoreError } from '../store/types.js';
import { INGEST_LOCK_WAIT_MS } from '../store/writer-intent.js';
import { inputSizes, progressAcrossInputs } from './analyze-output.js';
import { configOption } from './config-option.js';
import { type CliIo, EXIT } from './main.js';
import { createProgress } from './progress.js';
import { say as sayTo } from './say.js';

/** Flags of `fwlens ingest`. */
export interface IngestCliOptions {
  store?: string;
  /** Retention age (`90d`): older events and findings are dropped after the ingest. */
  keep?: string;
  /** Seconds to wait while another process (a console, another ingest) has the DuckDB store open. */
  wait?: number;
  /** Size bound (`2GB`): the oldest days are dropped after the ingest until the data fits. */
  maxSize?: string;
  /** false with --no-detect. */
  detect?: boolean;
  format?: string;
  mapping?: string;
  year?: number;
  tz?: number | string;
  maxLineBytes?: number;
  config?: string;
  lang: Lang;
}

/** Exit code of a store fault: bad flags or SQL are usage errors, the rest (locked, damaged, full) input errors. */
export function storeExitCode(e: StoreError): number {
  return e.kind === 'usage' ? EXIT.usage : EXIT.inputError;
}

const OUTCOME_KEYS: Record<IngestOutcome['kind'], MessageKey | undefined> = {
  new: 'store.ingest.new',
  appended: 'store.ingest.appended',
  unchanged: 'store.ingest.unchanged',
  renamed: 'store.ingest.renamed',
  copied: 'store.ingest.copied',
  truncated: 'store.ingest.truncated',
  replaced: 'store.ingest.replaced',
  stdin: 'store.ingest.stdin',
  failed: undefined,
};

/** The age `--keep` gives (90d, 12w, 36h) in ms, or undefined when it is not one. */
export function parseKeepAge(text: string, now = Date.now()): number | undefined {
  if (!/^\s*\d+(\.\d+)?\s*[smhdw]\s*$/i.test(text)) return undefined;
  try {
    return now - parseTimeBound('--keep', text, now);
  } catch (e) {
    if (e instanceof FilterError) return undefined;
    throw e;
  }
}

/**
 * The retention flags `ingest` and `watch --store` share: `--keep` as an age in ms and `--max-size` in bytes, or
 * false once a sentence said which one is not a value.
 */
export function retentionFlags(
  flags: { keep?: string; maxSize?: string },
  lang: Lang,
  say: (s: string) => void,
  now = Date.now(),
): { keepMs?: number; maxBytes?: number } | false {
  const out: { keepMs?: number; maxBytes?: number } = {};
  if (flags.keep !== undefined) {
    const age = parseKeepAge(flags.keep, now);
    if (age === undefined) {
      say(t('cli.usage.time', lang, { name: '--keep', value: flags.keep }));
      return false;
    }
    out.keepMs = age;
  }
  if (flags.maxSize !== undefined) {
    const max = parseByteSize(flags.maxSize);
    if (max === undefined) {
      say(t('cli.usage.size', lang, { name: '--max-size', value: flags.maxSize }));
      return false;
    }
    out.maxBytes = max;
  }
  return out;
}

/** Run `fwlens ingest`; returns the exit code. */
export async function runIngest(paths: string[], opts: IngestCliOptions, io: CliIo): Promise<number> {
  // Rotated files oldest first, whatever order the shell lists them in (the store reads inputs in time order too).
  paths = oldestFirst(paths);
  const lang = opts.lang;
  const say = (s: string) => sayTo(io.stderr, s);
  const now = Date.now();
  const bounds = retentionFlags(opts, lang, say, now);
  if (bounds === false) return EXIT.usage;
  const keepBefore = bounds.keepMs === undefined ? undefined : now - bounds.keepMs;
  const { maxBytes } = bounds;
  const config = configOption(opts.config, lang, say);
  if (config === false) return EXIT.usage;
  const path = storePath(opts.store, io.env ?? process.env);
  let code: number = EXIT.ok;
  try {
    const store = await openStore(path, { waitMs: (opts.wait ?? INGEST_LOCK_WAIT_MS / 1000) * 1000 });
    // A bar on a terminal for a long ingest (bytes read of all files, lines/s, time left), gone before the outcomes.
    const sizes = inputSizes(paths);
    const progress = createProgress({
      stream: io.stderr,
      env: io.env ?? process.env,
      lang,
      totalBytes: sizes ? [...sizes.values()].reduce((a, b) => a + b, 0) : undefined,
    });
    try {
      const outcomes = await ingestIntoStore(store, paths, {
        kb: knowledgeBase(),
        config,
        detect: opts.detect !== false,
        format: opts.format,
        mapping: opts.mapping,
        year: opts.year,
        ...(typeof opts.tz === 'string' ? { timeZone: opts.tz } : { utcOffsetMinutes: opts.tz }),
        maxLineBytes: opts.maxLineBytes,
        stdin: io.stdin,
        onProgress: progressAcrossInputs(progress, sizes),
      });
      progress.stop();
      for (const o of outcomes) {
        const key = OUTCOME_KEYS[o.kind];
        if (o.error || !key) {
          say(o.errorText?.[lang] ?? o.error ?? o.path);
          code = EXIT.inputError;
          continue;
        }
        say(t(key, lang, { path: o.path, previous: o.previousPath ?? '', ...countsOf(o) }));
        // What analyze says of a file no format recognised a line of, and its exit code.
        if (o.lines > 0 && o.stats && notFirewallLog(o.stats)) {
          say(t('cli.analyze.notFirewall', lang, { path: o.path, lines: o.stats.lines }));
          code = EXIT.inputError;
        } else if (o.lines > 0 && o.stats && allDamaged(o.stats)) {
          // As analyze: a firewall log every line of which was damaged is a failed run, not a quiet success.
          say(t('store.ingest.allDamaged', lang, { path: o.path, n: o.stats.malformed }));
          code = EXIT.inputError;
        }
        if (o.omittedFindings)
          say(
            t('store.ingest.omitted', lang, {
              path: o.path,
              n: o.omittedFindings,
              limit: config?.maxFindingsPerDetector ?? DEFAULT_MAX_FINDINGS_PER_DETECTOR,
            }),
          );
        if (o.closedEarly) say(t('store.ingest.closedEarly', lang, { path: o.path, n: o.closedEarly }));
        if (o.pendingBytes)
          say(
            t(o.pendingRecord ? 'store.ingest.pendingRecord' : 'store.ingest.pending', lang, {
              path: o.path,
              bytes: o.pendingBytes,
            }),
          );
      }
      if (keepBefore !== undefined) {
        const pruned = await store.prune(keepBefore);
        say(
          t('store.ingest.pruned', lang, {
            events: pruned.events,
            findings: pruned.findings,
            unparsed: pruned.unparsed,
            before: new Date(pruned.before).toISOString(),
          }),
        );
      }
      if (maxBytes !== undefined) {
        const r = await store.pruneToSize(maxBytes);
        const sizes = { after: byteSizeText(r.bytesAfter), max: byteSizeText(maxBytes) };
        if (r.before !== undefined)
          say(
            t('store.ingest.prunedSize', lang, {
              events: r.events,
              findings: r.findings,
              unparsed: r.unparsed,
              before: new Date(r.before).toISOString(),
              ...sizes,
            }),
          );
        else
          say(t(r.bytesAfter > maxBytes ? 'store.ingest.overSize' : 'store.ingest.withinSize', lang, sizes));
      }
    } finally {
      progress.stop();
      await store.close();
    }
  } catch (e) {
    if (e instanceof StoreError) {
      say(e.text[lang]);
      return storeExitCode(e);
    }
    if (e instanceof InputError) {
      say(t('cli.analyze.seeFormats', lang, { error: e.text?.[lang] ?? e.message }));
      return EXIT.usage;
    }
    throw e;
  }
  return code;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes of a size as written on the command line (`500MB`, `2GB`, `1.5TiB`), or undefined. */
export function parseByteSize(text: string): number | undefined {
  // Trimmed first: a pattern with blanks on both sides of an optional unit backtracks (recheck).
  const m = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  const unit = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || unit === undefined) return undefined;
  const bytes = Math.round(Number(m[1]) * unit);
  return bytes > 0 && Number.isFinite(bytes) ? bytes : undefined;
}

/** A byte count for people: `1.2 GB`, `340 MB` (powers of 1000, as --max-size reads them). */
export function byteSizeText(bytes: number): string {
  for (const [unit, size] of [
    ['TB', 1e12],
    ['GB', 1e9],
    ['MB', 1e6],
    ['kB', 1e3],
  ] as const)
    if (bytes >= size) return `${(bytes / size).toFixed(bytes >= 10 * size ? 0 : 1)} ${unit}`;
  return `${bytes} B`;
}

/** An input of lines none of which a format recognised (no events, no other records, none damaged). */
function notFirewallLog(s: InputStats): boolean {
  return (
    s.events === 0 &&
    s.malformed === 0 &&
    s.unrecognized > 0 &&
    Object.values(s.nonTraffic).every((n) => n === 0)
  );
}

/** An input whose lines were all damaged firewall records (no events, no other records). */
function allDamaged(s: InputStats): boolean {
  return s.events === 0 && s.malformed > 0 && Object.values(s.nonTraffic).every((n) => n === 0);
}

function countsOf(o: IngestOutcome) {
  return { lines: o.lines, events: o.events, unparsed: o.unparsed, findings: o.findings };
}
