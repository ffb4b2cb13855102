// Helpers of `fwlens analyze` for machine output and exit codes: NDJSON sink, CSV file, --fail-on, progress totals.
import { accessSync, constants, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { AddressContext } from '../context/enrich.js';
import type { FwEvent } from '../event.js';
import { type Lang, type MessageKey, t } from '../i18n.js';
import {
  closedEarlyDocument,
  eventDocument,
  findingDocument,
  findingsCsv,
  inputsDocument,
  omittedDocument,
  untimedDocument,
} from '../report/machine.js';
import type { Report } from '../report/model.js';
import { jsonText } from '../util/visible.js';
import { writeWhole } from '../util/write-whole.js';
import type { ProgressReporter } from './progress.js';

/** NDJSON lines are written in chunks of about this many characters. */
export const NDJSON_CHUNK_CHARS = 1 << 16;

/**
 * Writes NDJSON lines in chunks; `drain()` waits when the stream's buffer is full so a slow reader
 * (a pipe into a shipper) holds the parser back instead of filling memory.
 */
export class NdjsonSink {
  private buffer: string[] = [];
  private size = 0;
  /** @param readTime when this run read the log (epoch ms): every line's `event.created`. */
  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly readTime = Date.now(),
    /** Context per address (memoized by the enricher: one look-up per distinct address, not per event). */
    private readonly context?: (ip: string) => AddressContext,
  ) {}

  /** Queue one event line. */
  event(ev: FwEvent, raw: string): void {
    this.push(jsonText(eventDocument(ev, raw, this.readTime, this.context)));
  }

  /**
   * Queue one line per finding (`event.kind: "alert"`), then the metric lines (findings left out, events
   * without a time, and always last the run's line accounting with its notices).
   */
  findings(report: Report, lang: Lang): void {
    const at = this.readTime;
    for (const f of report.findings ?? [])
      this.push(jsonText(findingDocument(f, lang, at, report.context?.addresses)));
    for (const o of report.findingsOmitted ?? []) this.push(jsonText(omittedDocument(o, lang, at)));
    for (const c of report.detectionClosedEarly ?? []) this.push(jsonText(closedEarlyDocument(c, lang, at)));
    if (report.span.untimedEvents > 0)
      this.push(jsonText(untimedDocument(report.span.untimedEvents, lang, at)));
    this.push(jsonText(inputsDocument(report, lang, at)));
  }

  private push(line: string): void {
    this.buffer.push(line);
    this.size += line.length + 1;
  }

  /** Write what is queued once it is big enough (or always with `force`), waiting for the reader when needed. */
  async drain(force = false): Promise<void> {
    if (this.size === 0 || (!force && this.size < NDJSON_CHUNK_CHARS)) return;
    const chunk = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await new Promise<void>((resolve) => this.stream.once('drain', resolve));
  }
}

/** Write the findings CSV; returns an error sentence (in `lang`) or undefined. */
/** One sentence for a report file that could not be written (`what`: its name, in `lang`). */
export function writeProblem(err: NodeJS.ErrnoException, path: string, what: string, lang: Lang): string {
  switch (err.code) {
    case 'EISDIR':
      return t('cli.output.directory', lang, { what, path });
    case 'ENOENT':
    case 'ENOTDIR':
      return t('cli.output.noFolder', lang, { what, path, folder: dirname(resolve(path)) });
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return t('cli.output.permission', lang, { what, path });
    case 'ENOSPC':
    case 'EDQUOT':
      return t('cli.output.diskFull', lang, { what, path });
    default:
      return t('cli.analyze.writeFailed', lang, { what, path, error: err.message });
  }
}

/**
 * Why a report file cannot be written at `path`, found before the run (so a long analysis is not thrown away
 * at its end): a directory, a missing folder, no permission. Undefined when it looks writable.
 */
export function outputPathProblem(path: string, what: string, lang: Lang): string | undefined {
  const fail = (code: string) => writeProblem(Object.assign(new Error(code), { code }), path, what, lang);
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (st?.isDirectory()) return fail('EISDIR');
    if (st) {
      accessSync(path, constants.W_OK);
      return undefined;
    }
    const folder = statSync(dirname(resolve(path)), { throwIfNoEntry: false });
    if (!folder?.isDirectory()) return fail('ENOENT');
    accessSync(dirname(resolve(path)), constants.W_OK);
    return undefined;
  } catch (e) {
    return writeProblem(e as NodeJS.ErrnoException, path, what, lang);
  }
}

export async function writeFindingsCsv(
  report: Report,
  path: string,
  lang: Lang,
): Promise<string | undefined> {
  try {
    await writeWhole(path, findingsCsv(report.findings ?? [], lang, report.context?.addresses));
    return undefined;
  } catch (e) {
    return writeProblem(e as NodeJS.ErrnoException, path, t('cli.analyze.csvFindings', lang), lang);
  }
}

/**
 * The --fail-on verdict: how many findings (not marked trusted) reach `threshold`; when the run
 * has no findings list at all, how many events the summary scored at or above it.
 */
export function failOnCount(report: Report, threshold: number): { n: number; key: MessageKey } {
  if (report.findings)
    return {
      n: report.findings.filter((f) => f.severity >= threshold && !f.suppressed).length,
      key: 'cli.analyze.failOnReached',
    };
  let n = 0;
  for (const [sev, count] of Object.entries(report.counts.bySeverity))
    if (Number(sev) >= threshold) n += count;
  return { n, key: 'cli.analyze.failOnNotable' };
}

/**
 * Size of every input in bytes, or undefined when one of them is stdin, not a regular file (a FIFO,
 * `<(...)`, /dev/stdin: read once, as a stream, never by worker threads) or cannot be read.
 */
export function inputSizes(paths: string[]): Map<string, number> | undefined {
  const sizes = new Map<string, number>();
  for (const p of paths) {
    if (p === '-') return undefined;
    try {
      const st = statSync(p);
      if (!st.isFile()) return undefined;
      sizes.set(p, st.size);
    } catch {
      return undefined;
    }
  }
  return sizes;
}

/** Turns the pipeline's per-input progress (lines and bytes of one input) into totals over all inputs. */
export function progressAcrossInputs(
  bar: ProgressReporter,
  sizes: Map<string, number> | undefined,
): (lines: number, bytes: number | undefined, path: string) => void {
  let current: string | undefined;
  let linesBefore = 0;
  let bytesBefore = 0;
  let lastLines = 0;
  return (lines, bytes, path) => {
    if (path !== current) {
      if (current !== undefined) {
        linesBefore += lastLines;
        bytesBefore += sizes?.get(current) ?? 0;
      }
      current = path;
    }
    lastLines = lines;
    bar.update(linesBefore + lines, bytes === undefined ? undefined : bytesBefore + bytes);
  };
}
