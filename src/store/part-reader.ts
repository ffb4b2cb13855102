// Reading one part of an input into column batches: netfilter lines through the byte fast path, the others
// through the readable path; used by the store ingest in its own thread or in an ingest thread.
import { appendEvent, type EventBatch, eventAt } from '../core/batch.js';
import { NetfilterBytes } from '../core/netfilter-bytes.js';
import type { FwEvent } from '../event.js';
import type { InputSource } from '../ingest/lines.js';
import {
  type FastPath,
  type IngestOptions,
  type InputStats,
  ingest,
  type PartBounds,
  type PartEnd,
} from '../ingest/pipeline.js';
import type { StoredProblem } from './types.js';

/** The reading options a part passes on to the pipeline as they are. */
export type ReadingOptions = Pick<
  IngestOptions,
  'format' | 'mapping' | 'year' | 'utcOffsetMinutes' | 'timeZone' | 'maxLineBytes'
>;

/** The reading options of `opts`, and nothing else of it. */
export function readingOptions(opts: ReadingOptions): ReadingOptions {
  const { format, mapping, year, utcOffsetMinutes, timeZone, maxLineBytes } = opts;
  return { format, mapping, year, utcOffsetMinutes, timeZone, maxLineBytes };
}

/** How to read a part. */
export interface PartReadOptions extends ReadingOptions {
  inputId: number;
  /** Lines of the input before this part: line numbers continue from here. */
  lineBase: number;
  /** Read netfilter lines from their bytes (false: every line through the readable path). */
  fastPath: boolean;
  /** Where a part of a plain file may end (only at a record's end); undefined: read the source whole. */
  bounds?: PartBounds;
}

/** Where a part's rows go. */
export interface PartSink {
  /** An empty batch (of the one dictionary of the part). */
  newBatch(): EventBatch;
  /** Full batches in order; called at each progress step and at the end (with the last, partly filled one). */
  take(batches: EventBatch[]): Promise<void>;
  /** Every event as the readable path makes it, with its line (for detection; only when given). */
  event?(ev: FwEvent, raw: string): void;
}

/** What reading a part gave besides its rows. */
export interface PartRead {
  stats: InputStats;
  problems: StoredProblem[];
  /** Earliest and latest event time of the part. */
  first?: number;
  last?: number;
  /** Events the byte fast path read. */
  fastEvents: number;
  /** With `bounds`: where the read stopped. */
  end?: PartEnd;
  /** Bytes the source stream handed over, when it counts them (a file range does). */
  delivered?: number;
}

/** Read `source` (one part of input `opts.inputId`) into batches handed to `sink`. */
export async function readPartLines(
  source: InputSource,
  opts: PartReadOptions,
  sink: PartSink,
): Promise<PartRead> {
  const { lineBase } = opts;
  const full: EventBatch[] = [];
  let batch = sink.newBatch();
  const problems: StoredProblem[] = [];
  let first: number | undefined;
  let last: number | undefined;
  let reader: NetfilterBytes | undefined;
  let fastEvents = 0;
  // Characters of the texts the part's batches hold in their dictionaries before the current one's (a part
  // ends early once they pass `bounds.stopAfterTextChars`).
  let textChars = 0;
  const flush = async () => {
    const ready = full.splice(0);
    if (ready.length > 0) await sink.take(ready);
  };
  /** After a row was added: the time span, and a fresh batch when this one is full. */
  const added = (time: number | undefined) => {
    if (batch.full) {
      full.push(batch);
      const dict = batch.dict;
      batch = sink.newBatch();
      if (batch.dict !== dict) textChars += dict.chars;
      reader?.use(batch);
    }
    if (time !== undefined) {
      if (first === undefined || time < first) first = time;
      if (last === undefined || time > last) last = time;
    }
  };
  const fastPath: FastPath = {
    format: 'netfilter',
    open: (ctx, file) => {
      const bytes = new NetfilterBytes(batch, ctx);
      reader = bytes;
      return {
        read: (buf, start, end, lineNo) => {
          if (!bytes.readLine(buf, start, end, 0, lineBase + lineNo)) return false;
          const r = batch.length - 1;
          const time = batch.time[r]!;
          // Detection reads events: the row's, which is the one the readable path would have made.
          sink.event?.(eventAt(batch, r, file), buf.toString('utf8', start, end));
          added(Number.isNaN(time) ? undefined : time);
          fastEvents++;
          return true;
        },
      };
    },
  };
  const stats = await ingest([source], {
    ...readingOptions(opts),
    onEvent: (ev: FwEvent, raw: string) => {
      const line = lineBase + (ev.line ?? 0);
      ev.line = line;
      appendEvent(batch, ev, 0, line);
      added(ev.timestamp);
      sink.event?.(ev, raw);
    },
    ...(opts.fastPath ? { fastPath } : {}),
    ...(opts.bounds ? { part: opts.bounds } : {}),
    ...(opts.bounds?.stopAfterTextChars === undefined
      ? {}
      : {
          partFull: () => textChars + batch.dict.chars >= opts.bounds!.stopAfterTextChars!,
        }),
    onProblem: (kind, p) => {
      problems.push({ inputId: opts.inputId, line: lineBase + p.line, kind, reason: p.reason, text: p.text });
    },
    onProgress: flush,
  });
  full.push(batch);
  await flush();
  const delivered = (source.stream as { bytesRead?: unknown } | undefined)?.bytesRead;
  return {
    stats: stats.inputs[0]!,
    problems,
    ...(first === undefined ? {} : { first }),
    ...(last === undefined ? {} : { last }),
    fastEvents,
    ...(stats.partEnd ? { end: stats.partEnd } : {}),
    ...(typeof delivered === 'number' ? { delivered } : {}),
  };
}
