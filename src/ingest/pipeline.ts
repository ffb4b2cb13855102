// The ingest pipeline: inputs -> lines -> envelopes -> format parsers -> events, with honest line accounting.
import type { DistinctCounterPlain } from '../analyze/distinct.js';
import type { FwEvent } from '../event.js';
import { reasonText } from '../formats/damaged.js';
import { followClock, makeContext } from '../formats/envelope/time.js';
import { FORMATS, formatById } from '../formats/index.js';
import { loadMappedFormat, MappingError } from '../formats/mapped/index.js';
import { FormatRouter } from '../formats/router.js';
import type { LogFormat, ParseContext, RecordResult } from '../formats/types.js';
import { type Message, tBoth } from '../i18n.js';
import { MAX_JSON_DOCUMENT_CHARS } from './json-document.js';
import { DEFAULT_MAX_LINE_BYTES, type LineFlaw, LONG_LINE_PREFIX_BYTES, lineText } from './line-splitter.js';
import {
  InputError,
  type InputSource,
  inputContent,
  looksBinary,
  openInput,
  readStoppedError,
  textLines,
} from './lines.js';
import { NonTrafficTally } from './non-traffic.js';
import { RecordAssembler, type TextRecord } from './records.js';

/** A line that could not be used, kept for the report. */
export interface LineProblem {
  file: string;
  line: number;
  /** Why, in English (a parser's own words). */
  reason: string;
  /** The reason in English and Chinese: the reader's (too long, NUL bytes) and those a format words through the catalog. */
  reasonText?: Message;
  text: string;
}

/** Per-input accounting: every line ends up in exactly one bucket. */
export interface InputStats {
  path: string;
  /** Format ids that produced events, with counts. */
  formats: Record<string, number>;
  lines: number;
  events: number;
  /** Lines a format recognised but could not parse (damaged, truncated, absurd values). */
  malformed: number;
  /** Records of a known format that carry no traffic (logins, configuration changes), by kind. */
  nonTraffic: Record<string, number>;
  /**
   * The same records by the format that recognised them, then by kind (`netscreen` → `system event` → 3):
   * an unknown message id of a known vendor shows under that vendor (`not understood: <id>`).
   */
  nonTrafficByFormat?: Record<string, Record<string, number>>;
  /**
   * Distinct kinds beyond the first MAX_NON_TRAFFIC_KINDS, counted together under `other kinds` (the kinds are
   * text from the log, so a hostile log could name one per line); absent when none was folded.
   */
  nonTrafficOtherKinds?: number;
  /**
   * The folded kinds themselves (hashes of their names, a sketch past 1,024), so that the parts of an input
   * read at different times add up to the number of distinct kinds, not to the sum of each part's number.
   */
  nonTrafficFolded?: DistinctCounterPlain;
  /** Lines no format recognised (other programs' messages, unknown formats). */
  unrecognized: number;
  /** Blank lines and lines that only continue a multi-line record (lines = events - multiEventExtra + malformed + non-traffic + unrecognized + blank). */
  blank: number;
  /** Events beyond the first of records holding several flows (an Azure flow log document): such a record is one line but many events. */
  multiEventExtra: number;
  /**
   * Stamps that fell in the hour repeated when daylight saving time ended (`--tz` with a zone name): they
   * were read in log order, and the report says how many.
   */
  ambiguousTimes?: number;
  /**
   * True when the input's header says its stamps are the writing machine's local time (Windows Firewall's
   * `#Time Format: Local`) and no `--tz` was given, so they were read as UTC: its report says so once.
   */
  localTimeAsUtc?: boolean;
  /**
   * Id of the format that claimed the input's last record read: the store keeps it with the input, so its next
   * read of the input (the next part, the next run) tries that format first, as one whole read would.
   */
  lastFormat?: string;
  /** Set when the input could not be read (fully or partly). */
  error?: string;
  /** The same sentence in English and Chinese, when the reader gave both. */
  errorText?: Message;
}

/** Totals over all inputs. */
export interface IngestStats {
  inputs: InputStats[];
  lines: number;
  events: number;
  /** Events beyond the first of multi-flow records, summed over inputs. */
  multiEventExtra: number;
  malformed: number;
  /** Records of known formats that carry no traffic. */
  nonTraffic: number;
  unrecognized: number;
  /** First few malformed lines (with line numbers). */
  malformedSamples: LineProblem[];
  /** First few unrecognized lines. */
  unrecognizedSamples: LineProblem[];
  /** With `IngestOptions.part`: where the read of the (one) text input stopped. */
  partEnd?: PartEnd;
}

/** Number of problem lines kept as samples for the report. */
export const PROBLEM_SAMPLES = 10;

/** Reads the lines of one input that it can from their bytes, making their events itself. */
export interface FastLineReader {
  /**
   * Read line `lineNo`, buf[start, end) without its line end: true when it took the line (its event is
   * made and delivered by the reader, not through `onEvent`), false to leave it to the readable path.
   */
  read(buf: Buffer, start: number, end: number, lineNo: number): boolean;
}

/**
 * A byte fast path for one format (the netfilter one in src/core/netfilter-bytes.ts). It is tried on a
 * plain line only where the readable path would hand the line to that format's parser first (the router
 * settled on it, no multi-line record open), so every line it takes is one that format's parser claims;
 * it must take a line only when it makes exactly the event the readable path would.
 */
export interface FastPath {
  /** Id of the format whose lines it reads. */
  format: string;
  /** A reader for one input (its file path as the events name it, its time context). */
  open(ctx: ParseContext, file: string): FastLineReader;
}

/** Options of an ingest run. */
export interface IngestOptions {
  /** Format id, or 'auto' (default) to detect per file and per line. */
  format?: string;
  /** Mapping file (YAML) for `format: 'mapped'`: which CSV column / JSON key holds each field. */
  mapping?: string;
  /** Year the log ends in, for year-less stamps. */
  year?: number;
  /** Offset east of UTC (minutes) for stamps without a zone; default 0 (UTC). */
  utcOffsetMinutes?: number;
  /** IANA zone for stamps without a zone (`Europe/Berlin`), daylight saving included; wins over the offset. */
  timeZone?: string;
  /** Longest line read, in bytes (default DEFAULT_MAX_LINE_BYTES); a longer one is a damaged line. */
  maxLineBytes?: number;
  /** Called for each event with the raw line text. */
  onEvent: (ev: FwEvent, raw: string) => void;
  /** Called for every line that gave no event (malformed or unrecognized), not only the first few kept as samples. */
  onProblem?: (kind: 'malformed' | 'unrecognized', problem: LineProblem) => void;
  /** Called after each batch with the lines (and, for files, bytes) read so far of one input (progress display). */
  onProgress?: (linesSoFar: number, bytesSoFar: number | undefined, path: string) => void | Promise<void>;
  /**
   * A byte fast path for text inputs: lines it takes are counted here (lines, events, formats) but their
   * events go through it, not `onEvent`. Not used with a zone name (`timeZone`): its clock keeps state.
   */
  fastPath?: FastPath;
  /** Read one text input as a part of a longer read (the store's transactions): where to stop. */
  part?: PartBounds;
  /**
   * With `part`: whether the part holds enough already for another reason than its bytes (the store's texts,
   * `PartBounds.stopAfterTextChars`); asked at a record end every PART_FULL_STEP_BYTES, and the part ends there
   * when it does.
   */
  partFull?: () => boolean;
}

/** Bytes of a part read between two questions to `IngestOptions.partFull` (it ends at most this late). */
const PART_FULL_STEP_BYTES = 16 * 1024;

/** Where a read of one part of a text input may stop (`IngestOptions.part`). */
export interface PartBounds {
  /** Stop at the first record end at or after this many bytes of the input. */
  stopAfterBytes: number;
  /**
   * Stop at the first record end once the part's rows hold this many characters of distinct texts (log
   * prefixes, rule names, hosts ...; see IngestOptions.partFull), whatever its bytes.
   */
  stopAfterTextChars?: number;
  /**
   * At the end of the input, leave a record still open (a journald export record without its blank line,
   * an unclosed JSON document) unread, because the file is still being written, instead of taking it as it is.
   */
  holdOpenRecord: boolean;
  /** Whether the input holds pretty-printed JSON documents, as decided on its first non-blank line (a part after the first starts elsewhere). */
  documents?: boolean;
  /** Id of the format that claimed the last record before the part (`PartEnd.format` of the part before): tried first. */
  format?: string;
}

/** Where a part read stopped (`IngestStats.partEnd`). */
export interface PartEnd {
  /**
   * Bytes of the input taken, up to the end of the last whole record, when the read stopped before the end
   * of the input (the next part starts there); undefined when it took the input to its end.
   */
  bytes?: number;
  /** True when the read reached the end of the input and left an open record there (it starts at `bytes`). */
  held: boolean;
  /** Id of the format that claimed the last record taken (or the one before the part), if any did. */
  format?: string;
}

/** Bytes a file stream has read from disk (compressed bytes for .gz); undefined for stdin and test streams. */
function bytesRead(stream: NodeJS.ReadableStream): number | undefined {
  const n = (stream as { bytesRead?: unknown }).bytesRead;
  return typeof n === 'number' ? n : undefined;
}

/** The stats of an input before any line is read. */
export function newInputStats(path: string): InputStats {
  return {
    path,
    formats: {},
    lines: 0,
    events: 0,
    malformed: 0,
    nonTraffic: {},
    unrecognized: 0,
    blank: 0,
    multiEventExtra: 0,
  };
}

/**
 * Read every input in order and hand each event to `opts.onEvent`.
 * Inputs that cannot be read are recorded in their stats (`error`) and the run goes on.
 */
export async function ingest(inputs: InputSource[], opts: IngestOptions): Promise<IngestStats> {
  const total: IngestStats = {
    inputs: [],
    lines: 0,
    events: 0,
    multiEventExtra: 0,
    malformed: 0,
    nonTraffic: 0,
    unrecognized: 0,
    malformedSamples: [],
    unrecognizedSamples: [],
  };
  let candidates: readonly LogFormat[] = FORMATS;
  if (opts.format === 'mapped' || (opts.mapping && (!opts.format || opts.format === 'auto'))) {
    if (!opts.mapping) throw new InputError(tBoth('cli.input.mappingNeeded'), '');
    try {
      candidates = [await loadMappedFormat(opts.mapping)];
    } catch (e) {
      if (e instanceof MappingError)
        throw new InputError(
          tBoth('cli.input.mappingError', { path: opts.mapping, error: e.message }),
          opts.mapping,
        );
      throw e;
    }
  } else if (opts.format && opts.format !== 'auto') {
    const f = formatById(opts.format);
    if (!f) throw new InputError(tBoth('cli.input.unknownFormat', { format: opts.format }), '');
    candidates = [f];
  }
  for (const input of inputs) {
    const stats = newInputStats(input.path);
    total.inputs.push(stats);
    const tally = new NonTrafficTally(stats);
    try {
      await ingestOne(input, stats, total, candidates, opts, tally);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      stats.error = e.message;
      if (e.text) stats.errorText = e.text;
    } finally {
      tally.finish();
    }
    addInputStats(total, stats);
  }
  return total;
}

/** Add one input's counts to the totals of a run. */
export function addInputStats(total: IngestStats, stats: InputStats): void {
  total.lines += stats.lines;
  total.events += stats.events;
  total.multiEventExtra += stats.multiEventExtra;
  total.malformed += stats.malformed;
  for (const n of Object.values(stats.nonTraffic)) total.nonTraffic += n;
  total.unrecognized += stats.unrecognized;
}

async function ingestOne(
  input: InputSource,
  stats: InputStats,
  total: IngestStats,
  candidates: readonly LogFormat[],
  opts: IngestOptions,
  tally: NonTrafficTally,
): Promise<void> {
  const opened = await openInput(input);
  const shownPath = input.path === '-' ? '(stdin)' : input.path;
  // A .gz is judged by what it holds: text lines, or a packet capture (.pcap.gz).
  const content = await inputContent(opened);
  if (content.magic === 'text' && looksBinary(content.head))
    throw new InputError(
      tBoth(opened.magic === 'gzip' ? 'cli.input.gzBinary' : 'cli.input.binary', { path: shownPath }),
      input.path,
    );
  // The file's mtime anchors year-less stamps; stdin has none, so the stamps are read against the clock as they
  // come (a pipe may run for months: see followClock).
  const live = opened.mtimeMs === undefined && opts.year === undefined;
  const ctx = makeContext(opened.mtimeMs ?? Date.now(), {
    year: opts.year,
    utcOffsetMinutes: opts.utcOffsetMinutes,
    timeZone: opts.timeZone,
  });
  const file = input.path;
  // Every unusable line: kept as a sample while there is room, and handed to onProblem (the store keeps all).
  const malformed = (p: LineProblem) => {
    if (total.malformedSamples.length < PROBLEM_SAMPLES) total.malformedSamples.push(p);
    opts.onProblem?.('malformed', p);
  };
  const unrecognized = (p: LineProblem) => {
    if (total.unrecognizedSamples.length < PROBLEM_SAMPLES) total.unrecognizedSamples.push(p);
    opts.onProblem?.('unrecognized', p);
  };

  const emit = (format: LogFormat, ev: FwEvent, raw: string, lineNo: number) => {
    ev.file = file;
    ev.line = lineNo;
    stats.events++;
    stats.formats[format.id] = (stats.formats[format.id] ?? 0) + 1;
    opts.onEvent(ev, raw);
  };

  /** A record a format recognised as its own that carries no traffic, counted by kind and by format (bounded). */
  const notTraffic = (format: LogFormat, kind: string) => tally.add(format.id, kind);

  const account = (
    routed: { format: LogFormat; result: RecordResult } | null,
    raw: string,
    lineNo: number,
  ) => {
    if (routed === null || routed.result === null) {
      stats.unrecognized++;
      unrecognized({ file, line: lineNo, reason: 'no known firewall log format', text: raw });
      return;
    }
    const r = routed.result;
    if (Array.isArray(r)) {
      // One record, several flows: the line counts once, every flow is an event.
      if (r.length === 0) {
        notTraffic(routed.format, 'record without flows');
        return;
      }
      stats.multiEventExtra += r.length - 1;
      for (const ev of r) emit(routed.format, ev, raw, lineNo);
      return;
    }
    if ('flowCount' in r) {
      // As above, the events made one at a time (a large document's are never all in memory at once).
      stats.multiEventExtra += r.flowCount - 1;
      for (const ev of r.events()) emit(routed.format, ev, raw, lineNo);
      return;
    }
    if ('skip' in r) {
      notTraffic(routed.format, r.skip);
      return;
    }
    if ('error' in r) {
      stats.malformed++;
      const worded = reasonText(r);
      malformed({
        file,
        line: lineNo,
        reason: r.error,
        ...(worded ? { reasonText: worded } : {}),
        text: raw,
      });
      return;
    }
    emit(routed.format, r, raw, lineNo);
  };

  // Packet captures: the format that reads binary input yields one result per packet, counted as a line.
  if (content.magic === 'pcap' || content.magic === 'pcapng') {
    const binary = candidates.find((f) => f.readBinary);
    if (!binary?.readBinary)
      throw new InputError(
        tBoth('cli.input.pcapUnsupported', { path: shownPath, format: opts.format ?? 'auto' }),
        file,
      );
    let packetNo = 0;
    try {
      for await (const result of binary.readBinary(content.stream as AsyncIterable<Uint8Array>, ctx)) {
        packetNo++;
        stats.lines = packetNo;
        account({ format: binary, result }, `${content.magic} packet ${packetNo}`, packetNo);
        if (packetNo % 65536 === 0) await opts.onProgress?.(packetNo, bytesRead(opened.stream), input.path);
      }
    } catch (e) {
      // A truncated or damaged .pcap.gz keeps the packets read so far and says why it stopped.
      if (e instanceof InputError) throw e;
      throw readStoppedError(e as NodeJS.ErrnoException, shownPath);
    }
    await opts.onProgress?.(packetNo, bytesRead(opened.stream), input.path);
    return;
  }
  const part = opts.part;
  const router = new FormatRouter(
    ctx,
    candidates,
    part?.format === undefined ? undefined : candidates.find((f) => f.id === part.format),
  );
  const records = new RecordAssembler(ctx, part?.documents);
  const maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  // A line too long or holding NUL bytes is damaged; it takes no part in multi-line records. Inside an open
  // record it is counted when that record closes (just before it, so the order of problems is the same),
  // so a part that leaves the open record for a later read leaves its damaged lines too.
  let damagedInRecord: { flaw: LineFlaw; text: string; lineNo: number }[] = [];
  const damaged = (flaw: LineFlaw, text: string, lineNo: number) => {
    stats.malformed++;
    malformed({ file, line: lineNo, ...flawSample(flaw, text, maxLineBytes) });
  };
  const countDamagedInRecord = () => {
    if (damagedInRecord.length === 0) return;
    for (const d of damagedInRecord) damaged(d.flaw, d.text, d.lineNo);
    damagedInRecord = [];
  };
  /** Count one record: its first line by what it held, the lines it continued over as blank. */
  const take = (r: TextRecord) => {
    stats.blank += r.lines - 1;
    if (r.kind === 'blank') stats.blank++;
    else if (r.kind === 'too-large') {
      stats.malformed++;
      const reasonText = tBoth('ingest.jsonTooLarge', { limit: MAX_JSON_DOCUMENT_CHARS });
      malformed({ file, line: r.firstLine, reason: reasonText.en, reasonText, text: '{…' });
    } else account(r.env === null ? null : router.route(r.env), r.raw, r.firstLine);
  };

  // The zone clock remembers the last stamp, so a second reader of the same stamps would change its answers.
  const fast = opts.fastPath && ctx.zone === undefined ? opts.fastPath.open(ctx, file) : undefined;
  const fastFormat = opts.fastPath?.format;
  const partFull = part ? opts.partFull : undefined;
  // `partFull` is asked at a record end once per PART_FULL_STEP_BYTES of the part, not at every line: asked per
  // line, a 1 M-line ingest took 0.7-1.2 s longer (three alternated pairs, ~9 s each); asked so, no difference.
  let askFullAt = PART_FULL_STEP_BYTES;
  const askPartFull = (end: number) => {
    askFullAt = end + PART_FULL_STEP_BYTES;
    return partFull!();
  };
  let lineNo = 0;
  // A part read: where the open record began (its first line's offset), and where the read stopped.
  let openStart = 0;
  let stoppedAt: number | undefined;
  let held = false;
  try {
    const batches = textLines(
      content.stream,
      shownPath,
      maxLineBytes,
      fast !== undefined,
      part !== undefined,
    );
    read: for await (const batch of batches) {
      if (live) followClock(ctx, Date.now());
      const { lines, flaws, chunk, spans, offsets } = batch;
      let nextFlaw = 0;
      for (let i = 0; i < lines.length; i++) {
        lineNo++;
        if (flaws && flaws[nextFlaw]?.index === i) {
          const flaw = flaws[nextFlaw++]!;
          if (records.openSince === undefined) damaged(flaw, lines[i]!, lineNo);
          else damagedInRecord.push({ flaw, text: lines[i]!, lineNo });
        } else {
          const start = spans ? spans[2 * i]! : -1;
          if (
            start >= 0 &&
            router.currentFormat === fastFormat &&
            records.idle &&
            fast!.read(chunk!, start, spans![2 * i + 1]!, lineNo)
          ) {
            stats.events++;
            stats.formats[fastFormat!] = (stats.formats[fastFormat!] ?? 0) + 1;
          } else {
            const closed = records.push(spans ? lineText(batch, i) : lines[i]!, lineNo);
            if (closed.length > 0) countDamagedInRecord();
            for (const r of closed) take(r);
          }
        }
        if (part && offsets) {
          const open = records.openSince;
          if (open === lineNo) openStart = offsets[i]!;
          const end = i + 1 < lines.length ? offsets[i + 1] : batch.end;
          if (
            open === undefined &&
            end !== undefined &&
            (end >= part.stopAfterBytes || (end >= askFullAt && partFull !== undefined && askPartFull(end)))
          ) {
            // A record ends here and the part is long enough: the next part starts with the next line.
            stoppedAt = end;
            break read;
          }
        }
      }
      stats.lines = lineNo;
      await opts.onProgress?.(lineNo, bytesRead(opened.stream), input.path);
    }
    const open = records.openSince;
    if (part?.holdOpenRecord && stoppedAt === undefined && open !== undefined) {
      // The file is still being written and its last record may not be whole yet: it is left, with the
      // damaged lines inside it, for the next read, which starts at its first line.
      held = true;
      lineNo = open - 1;
      damagedInRecord = [];
      stoppedAt = openStart;
    }
  } finally {
    stats.lines = lineNo;
    if (!held) {
      const last = records.flush();
      countDamagedInRecord();
      for (const r of last) take(r);
    }
    if (ctx.zone && ctx.zone.ambiguous > 0) stats.ambiguousTimes = ctx.zone.ambiguous;
    if (ctx.writerLocalTime && stats.events > 0 && opts.utcOffsetMinutes === undefined && !opts.timeZone)
      stats.localTimeAsUtc = true;
  }
  if (part) {
    const format = router.currentFormat;
    total.partEnd = {
      held,
      ...(stoppedAt === undefined ? {} : { bytes: stoppedAt }),
      ...(format === undefined ? {} : { format }),
    };
  }
}

/**
 * Reason and shown text of a flawed line: a too-long line by its length, a NUL line by its NULs; the
 * text is cut to LONG_LINE_PREFIX_BYTES characters and each NUL run shows as one ␀.
 */
export function flawSample(
  flaw: LineFlaw,
  text: string,
  maxLineBytes: number,
): { reason: string; reasonText: Message; text: string } {
  const shown = text.replace(/\0+/g, '\u2400');
  const cut = flaw.kind === 'too-long' || shown.length > LONG_LINE_PREFIX_BYTES;
  const reasonText =
    flaw.kind === 'too-long'
      ? tBoth('ingest.lineTooLong', { bytes: flaw.bytes, limit: maxLineBytes })
      : tBoth('ingest.nulBytes');
  return {
    reason: reasonText.en,
    reasonText,
    text: cut ? `${shown.slice(0, LONG_LINE_PREFIX_BYTES)}…` : shown,
  };
}
