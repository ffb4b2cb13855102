// Live lines to events for `fwlens watch`: the envelope reader and format router of `analyze`, per source, with counts.
import type { FwEvent } from '../event.js';
import { followClock, makeContext } from '../formats/envelope/time.js';
import { FORMATS, formatById } from '../formats/index.js';
import { FormatRouter } from '../formats/router.js';
import type { LogFormat, ParseContext } from '../formats/types.js';
import { DEFAULT_MAX_LINE_BYTES, type LineFlaw } from '../ingest/line-splitter.js';
import { flawSample } from '../ingest/pipeline.js';
import { RecordAssembler, type TextRecord } from '../ingest/records.js';
import { detach } from '../util/strings.js';

/** Unparsed lines kept (the latest) with their file and line number, for the status and the log. */
export const UNPARSED_KEPT = 20;
/** Characters kept of an unparsed line's text. */
export const UNPARSED_TEXT_CHARS = 300;

/** A line that could not be used. */
export interface UnparsedLine {
  /** Running number over all unparsed lines (1, 2, ...), so a reader can tell which it has not shown yet. */
  seq?: number;
  file: string;
  line: number;
  reason: string;
  text: string;
}

/** Counts over every source, every line in exactly one bucket. */
export interface RecordCounts {
  lines: number;
  events: number;
  malformed: number;
  unrecognized: number;
  nonTraffic: number;
  blank: number;
}

/** Settings shared with `analyze`. */
export interface RecordOptions {
  /** Format id or `auto`. */
  format?: string;
  year?: number;
  utcOffsetMinutes?: number;
  timeZone?: string;
  /** The line-length cap in force (named in the reason of a line over it). */
  maxLineBytes?: number;
}

interface SourceReader {
  /** Lines to whole records (journald export records, JSON documents), as `analyze` reads them. */
  records: RecordAssembler;
  router: FormatRouter;
  /** The source's parse context (its year and reference time follow the clock, see `read`). */
  ctx: ParseContext;
}

/**
 * Turns lines of named sources into events: one envelope reader and router per source, so a source's
 * multi-line journald export records and its current format stay its own.
 */
export class RecordReader {
  readonly counts: RecordCounts = {
    lines: 0,
    events: 0,
    malformed: 0,
    unrecognized: 0,
    nonTraffic: 0,
    blank: 0,
  };
  /** The latest lines that could not be used. */
  readonly unparsed: UnparsedLine[] = [];
  /** Told of every unparsed line with its whole text (`watch --store` keeps them in the store). */
  onUnparsed?: (u: UnparsedLine, kind: 'malformed' | 'unrecognized') => void;
  private readonly sources = new Map<string, SourceReader>();
  private readonly candidates: readonly LogFormat[];

  /** Throws an Error with a sentence when the format id is unknown. */
  constructor(
    private readonly opts: RecordOptions,
    private readonly now: () => number = Date.now,
  ) {
    if (opts.format && opts.format !== 'auto') {
      const f = formatById(opts.format);
      if (!f) throw new Error(`unknown format "${opts.format}"`);
      this.candidates = [f];
    } else this.candidates = FORMATS;
  }

  private source(path: string): SourceReader {
    let s = this.sources.get(path);
    if (!s) {
      // Year-less stamps of a live log are read against now (the end of the log is now).
      const ctx = makeContext(this.now(), {
        year: this.opts.year,
        utcOffsetMinutes: this.opts.utcOffsetMinutes,
        timeZone: this.opts.timeZone,
      });
      s = { records: new RecordAssembler(ctx), router: new FormatRouter(ctx, this.candidates), ctx };
      this.sources.set(path, s);
    } else if (this.opts.year === undefined) {
      // A watch runs for months: a year-less stamp is read against now, not against when the source was
      // opened (a watcher started in December read January's lines into the year before until a restart).
      followClock(s.ctx, this.now());
    }
    return s;
  }

  /** Forget a source's reader (its file rotated away and ended). */
  drop(path: string): void {
    this.sources.delete(path);
  }

  /**
   * Read lines of one source; `onEvent` gets each event with its raw line and the index of the line it
   * came from (file and line number already set on the event).
   */
  read(
    path: string,
    lines: readonly string[],
    flaws: readonly LineFlaw[] | undefined,
    firstLine: number,
    onEvent: (ev: FwEvent, raw: string, index: number) => void,
    replay = false,
  ): void {
    // Lines re-read after a restart (to rebuild detection state) were counted and told before it: their events
    // go to the detector, but they are neither counted again nor told again as unparsed.
    const before = replay ? { ...this.counts } : undefined;
    this.replaying = replay;
    try {
      this.readLines(path, lines, flaws, firstLine, onEvent);
    } finally {
      this.replaying = false;
      if (before) Object.assign(this.counts, before);
    }
  }

  /** True while re-read lines are read (see `read`). */
  private replaying = false;

  private readLines(
    path: string,
    lines: readonly string[],
    flaws: readonly LineFlaw[] | undefined,
    firstLine: number,
    onEvent: (ev: FwEvent, raw: string, index: number) => void,
  ): void {
    const src = this.source(path);
    let nextFlaw = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i]!;
      const lineNo = firstLine + i;
      this.counts.lines++;
      if (flaws && flaws[nextFlaw]?.index === i) {
        const flaw = flaws[nextFlaw++]!;
        this.counts.malformed++;
        // The same reason and shown text as analyze gives a damaged line.
        const { reason, text } = flawSample(flaw, line, this.opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
        this.keep({ file: path, line: lineNo, reason, text }, 'malformed');
        continue;
      }
      for (const r of src.records.push(line, lineNo)) this.take(src, path, r, i, onEvent);
    }
  }

  /** Count one whole record (its first line by what it held, the lines it continued over as blank). */
  private take(
    src: SourceReader,
    path: string,
    r: TextRecord,
    index: number,
    onEvent: (ev: FwEvent, raw: string, index: number) => void,
  ): void {
    this.counts.blank += r.lines - 1;
    if (r.kind === 'blank') {
      this.counts.blank++;
      return;
    }
    if (r.kind === 'too-large') {
      this.counts.malformed++;
      this.keep(
        { file: path, line: r.firstLine, reason: 'JSON document too large', text: '{…' },
        'malformed',
      );
      return;
    }
    const routed = r.env === null ? null : src.router.route(r.env);
    if (routed === null || routed.result === null) {
      this.counts.unrecognized++;
      this.keep(
        { file: path, line: r.firstLine, reason: 'no known firewall log format', text: r.raw },
        'unrecognized',
      );
      return;
    }
    const result = routed.result;
    const emit = (ev: FwEvent) => {
      ev.file = path;
      ev.line = r.firstLine;
      this.counts.events++;
      onEvent(ev, r.raw, index);
    };
    if (Array.isArray(result)) {
      // One record, several flows: every flow is an event.
      if (result.length === 0) this.counts.nonTraffic++;
      for (const ev of result) emit(ev);
    } else if ('flowCount' in result) {
      for (const ev of result.events()) emit(ev);
    } else if ('skip' in result) this.counts.nonTraffic++;
    else if ('error' in result) {
      this.counts.malformed++;
      this.keep({ file: path, line: r.firstLine, reason: result.error, text: r.raw }, 'malformed');
    } else emit(result);
  }

  private seq = 0;

  private keep(u: UnparsedLine, kind: 'malformed' | 'unrecognized'): void {
    if (this.replaying) return;
    u.seq = ++this.seq;
    this.onUnparsed?.({ ...u }, kind);
    // A flat copy of at most 300 characters: a kept sample never keeps its whole (up to 64 KiB) line alive.
    u.text =
      u.text.length > UNPARSED_TEXT_CHARS
        ? `${detach(u.text.slice(0, UNPARSED_TEXT_CHARS))}…`
        : detach(u.text);
    this.unparsed.push(u);
    if (this.unparsed.length > UNPARSED_KEPT) this.unparsed.shift();
  }
}
