// Ingest into a store: recognise each file by identity, read only what was appended, one transaction per part.
import type { Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import type { Worker } from 'node:worker_threads';
import { columnBuffers, Dictionary, EventBatch } from '../core/batch.js';
import {
  createDetectionEngine,
  type DetectionConfig,
  type Finding,
  finishShards,
  omittedCount,
} from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { type Message, tBoth } from '../i18n.js';
import { gunzipMembers } from '../ingest/gunzip.js';
import { opensJsonDocument } from '../ingest/json-document.js';
import { DEFAULT_MAX_LINE_BYTES } from '../ingest/line-splitter.js';
import { describeFsError, type InputSource, NOT_REGULAR, sniffMagic, textLines } from '../ingest/lines.js';
import { addNonTraffic } from '../ingest/non-traffic.js';
import { type IngestOptions, type InputStats, newInputStats, type PartBounds } from '../ingest/pipeline.js';
import { type KnowledgeBase, knowledgeBase } from '../knowledge/index.js';
import { WORKER_YOUNG_SPACE_MB, WorkerFailure, workerOldSpaceMb } from '../run/parallel.js';
import { SHARDS } from '../run/shards.js';
import { startThread } from '../run/thread.js';
import { fileRange } from '../util/file-range.js';
import { FINGERPRINT_BYTES, fingerprintOf } from './identity.js';
import type {
  IngestThreadInbox,
  IngestThreadJob,
  IngestThreadMessage,
  ReturnedColumns,
} from './ingest-thread.js';
import { type PartRead, type PartReadOptions, readingOptions, readPartLines } from './part-reader.js';
import type { FileIdentity, Store, StoredFinding, StoredInput, StoreWriter } from './types.js';

export { FINGERPRINT_BYTES };

/**
 * Size of a part of a file read in one transaction: a bigger append is split into parts of about this size,
 * each ending at the first record end after it (never inside a multi-line record) and committed on its own,
 * so a stop loses at most one part's work (read again next run).
 */
export const PART_BYTES = 256 * 1024 * 1024;
/**
 * Characters of distinct texts (log prefixes, rule names, hosts, interfaces, IPv6 addresses, as the part's
 * batches' dictionaries hold them) after which a part ends at the next record end, whatever its bytes: each
 * new text of a part sits in DuckDB's memory for the part's transaction (and in its look-ups) until the part
 * commits, so a log whose every line carries a long text of its own would otherwise hold 256 MB of lines' worth
 * of texts at once (400,000 lines of distinct 900-character prefixes: 1.8-2.0 -> 1.3 GB peak RSS, docs/store.md).
 * An ordinary log's parts stay far below it: the 1.79 M-line generated log (452 MB) holds 1.5 M characters of
 * texts in all.
 */
export const PART_TEXT_CHARS = 32 * 1024 * 1024;
/** Smallest part read in an ingest thread: starting one costs ~50 ms, worth it from a few MB on. */
export const THREAD_MIN_BYTES = 8 * 1024 * 1024;
/** Every shard: an ingest thread's detection runs them all. */
const ALL_SHARDS = Array.from({ length: SHARDS }, (_, i) => i);

/**
 * A last line without its line end is held back while the file is being written; once the file has not
 * changed for this long (ms), it is taken as the file's real last line and read.
 */
export const PARTIAL_LINE_QUIET_MS = 60_000;

/** What happened to one input. */
export type IngestOutcomeKind =
  | 'new'
  | 'appended'
  | 'unchanged'
  | 'renamed'
  | 'copied'
  | 'truncated'
  | 'replaced'
  | 'stdin'
  | 'failed';

/** The result for one input, for the summary line. */
export interface IngestOutcome {
  path: string;
  kind: IngestOutcomeKind;
  inputId?: number;
  /** Path the store knew the file under, when it was renamed or rotated. */
  previousPath?: string;
  lines: number;
  events: number;
  unparsed: number;
  findings: number;
  /** Detection groups closed before their time at a memory bound (`maxGroupsPerDetector`, `maxValuesPerDetector`). */
  closedEarly?: number;
  /** Findings not stored because a detector made more than `maxFindingsPerDetector` in one part (the weakest). */
  omittedFindings?: number;
  /** Bytes held back because the last line has no line end yet (it is read once it is complete). */
  pendingBytes?: number;
  /** The bytes held back start with a record still open (a journald export record, a JSON document) while the file is written. */
  pendingRecord?: boolean;
  /** Of `events`, those the netfilter byte fast path read (the others came through the readable path). */
  fastEvents?: number;
  /** The input's line accounting after this run's last committed part (all its runs together). */
  stats?: InputStats;
  error?: string;
  /** `error` as a sentence in both languages, when there is one. */
  errorText?: Message;
}

/** Options of a store ingest. */
export interface StoreIngestOptions
  extends Pick<
    IngestOptions,
    'format' | 'mapping' | 'year' | 'utcOffsetMinutes' | 'timeZone' | 'maxLineBytes'
  > {
  kb: KnowledgeBase;
  config?: DetectionConfig;
  /** Run the detection engine over what is read and store its findings (default true). */
  detect?: boolean;
  /** Standard input, for the path `-`. */
  stdin?: NodeJS.ReadableStream;
  /** How long a file must be unchanged before its unterminated last line is read (PARTIAL_LINE_QUIET_MS). */
  partialLineQuietMs?: number;
  /** Bytes per transaction (PART_BYTES); tests make it small. */
  partBytes?: number;
  /** Characters of distinct texts per transaction (PART_TEXT_CHARS); tests make it small. */
  partTextChars?: number;
  /**
   * Read netfilter lines straight from their bytes into the column batches (src/core/netfilter-bytes.ts),
   * the others through the readable path (default true; off only to hold one against the other in tests).
   */
  fastPath?: boolean;
  /**
   * Read each large part of a file (and run detection over it) in a thread of its own while this one appends
   * the batches (default true; off to hold one against the other in tests).
   */
  thread?: boolean;
  /** Smallest part read in a thread (default THREAD_MIN_BYTES; tests lower it). */
  threadMinBytes?: number;
  /** Batches an ingest thread may hand over ahead of the appends (default BATCHES_IN_FLIGHT; tests lower it). */
  threadBatches?: number;
  /**
   * Called as batches are appended: the input's lines read by this run so far and the position read in its
   * file (the byte offset of a plain file or of a .gz itself; of standard input the bytes read when its stream
   * counts them, else undefined), for a progress bar.
   */
  onProgress?: (lines: number, bytes: number | undefined, path: string) => void;
}

async function hashHead(fh: FileHandle, bytes: number): Promise<string> {
  const buf = Buffer.alloc(bytes);
  const { bytesRead } = await fh.read(buf, 0, bytes, 0);
  return fingerprintOf(buf.subarray(0, bytesRead));
}

/** Identity of a file: dev/inode and the hash of its first FINGERPRINT_BYTES bytes (fewer when it is shorter). */
export async function fileIdentity(fh: FileHandle, st: Stats, size: number): Promise<FileIdentity> {
  const fingerprintBytes = Math.min(size, FINGERPRINT_BYTES);
  return { dev: st.dev, ino: st.ino, fingerprint: await hashHead(fh, fingerprintBytes), fingerprintBytes };
}

/** Offset just after the last line end in [from, to), or `from` when there is none. */
async function lastLineEnd(fh: FileHandle, from: number, to: number): Promise<number> {
  const step = 64 * 1024;
  for (let end = to; end > from; end -= step) {
    const start = Math.max(from, end - step);
    const buf = Buffer.alloc(end - start);
    await fh.read(buf, 0, buf.length, start);
    const at = buf.lastIndexOf(10);
    if (at >= 0) return start + at + 1;
  }
  return from;
}

const earlier = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.min(a, b);
const later = (a: number | undefined, b: number | undefined) =>
  a === undefined ? b : b === undefined ? a : Math.max(a, b);

/** Add one part's accounting to an input's running total. */
function addStats(into: InputStats, part: InputStats): void {
  for (const [k, v] of Object.entries(part.formats)) into.formats[k] = (into.formats[k] ?? 0) + v;
  addNonTraffic(into, part);
  into.lines += part.lines;
  into.events += part.events;
  into.malformed += part.malformed;
  into.unrecognized += part.unrecognized;
  into.blank += part.blank;
  into.multiEventExtra += part.multiEventExtra;
  if (part.ambiguousTimes) into.ambiguousTimes = (into.ambiguousTimes ?? 0) + part.ambiguousTimes;
  if (part.localTimeAsUtc) into.localTimeAsUtc = true;
  if (part.error) into.error = part.error;
}

/** The first `bytes` bytes of a .gz file's content, or undefined when it cannot be read. */
async function gunzipHead(fd: number, bytes: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let got = 0;
  const stream = fileRange(fd);
  try {
    for await (const chunk of gunzipMembers(stream)) {
      parts.push(chunk);
      got += chunk.length;
      if (got >= bytes) break;
    }
  } catch {
    return undefined;
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, bytes);
}

/** The stored plain input whose first bytes this .gz holds (the same log, compressed after rotation). */
async function compressedRotation(fd: number, known: StoredInput[]): Promise<StoredInput | undefined> {
  const plain = known.filter((k) => k.fingerprintBytes > 0).reverse();
  if (plain.length === 0) return undefined;
  const head = await gunzipHead(fd, FINGERPRINT_BYTES);
  if (!head) return undefined;
  const hash = (n: number) => fingerprintOf(head.subarray(0, n));
  return plain.find((k) => k.fingerprintBytes <= head.length && hash(k.fingerprintBytes) === k.fingerprint);
}

/** The bytes of a stream after its first `n`. */
async function* skipBytes(source: AsyncIterable<Buffer>, n: number): AsyncIterable<Buffer> {
  let left = n;
  for await (const chunk of source) {
    if (left >= chunk.length) {
      left -= chunk.length;
      continue;
    }
    yield left > 0 ? chunk.subarray(left) : chunk;
    left = 0;
  }
}

/**
 * Whether a stored input's file is still at its path as it was read: the same inode, at least as long as what
 * was read, with the same first bytes (a copytruncate empties the file in place: same inode, other content).
 */
async function stillThere(input: StoredInput): Promise<boolean> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(input.path, 'r');
    const st = await fh.stat();
    if (st.dev !== input.dev || st.ino !== input.ino || st.size < input.offset) return false;
    return (await hashHead(fh, input.fingerprintBytes)) === input.fingerprint;
  } catch {
    return false;
  } finally {
    await fh?.close().catch(() => {});
  }
}

/** The stored input this file continues, and how it was recognised. */
function recognise(
  known: StoredInput[],
  id: FileIdentity,
  heads: Map<number, string>,
  size: number,
  path: string,
): { input?: StoredInput; kind: IngestOutcomeKind } {
  const sameStart = (k: StoredInput) => heads.get(k.fingerprintBytes) === k.fingerprint;
  // A name stored before paths were kept absolute is the name resolved (here, in this directory).
  const samePath = (k: StoredInput) => k.path === path || resolve(k.path) === path;
  // Latest first: a path read, truncated and read again has several stored inputs; the newest is current.
  const newest = [...known].reverse();
  const sameInode = newest.find((k) => k.dev === id.dev && k.ino === id.ino && k.fingerprintBytes > 0);
  if (sameInode) {
    // Shorter than what was read: truncated in place (copytruncate rotation, or emptied by hand).
    if (size < sameInode.offset) return { input: sameInode, kind: 'truncated' };
    if (!sameStart(sameInode)) return { kind: 'replaced' };
    return { input: sameInode, kind: samePath(sameInode) ? 'appended' : 'renamed' };
  }
  // Copied or moved to another file system: the same first bytes and at least as long.
  const sameContent = newest.find((k) => k.fingerprintBytes > 0 && sameStart(k) && size >= k.offset);
  if (sameContent) return { input: sameContent, kind: samePath(sameContent) ? 'appended' : 'renamed' };
  return { kind: 'new' };
}

/**
 * Ingest `paths` into `store`: new files whole, known files from where the last run stopped, each part
 * one transaction holding its events, unparsed lines, findings and the input's new offset.
 */
export async function ingestIntoStore(
  store: Store,
  paths: string[],
  opts: StoreIngestOptions,
): Promise<IngestOutcome[]> {
  const out: IngestOutcome[] = [];
  const threads = new IngestThreads();
  try {
    for (const path of paths) out.push(await ingestPath(store, path, opts, threads));
    // The last parts' summaries, when they were written beside the appends.
    await store.settle?.();
  } finally {
    await threads.close();
  }
  return out;
}

/** A stored input that has no file behind it (stdin, a receiver): no identity, nothing read yet. */
export function unnamedInput(id: number, path: string): StoredInput {
  return {
    id,
    path,
    dev: 0,
    ino: 0,
    fingerprint: '',
    fingerprintBytes: 0,
    size: 0,
    offset: 0,
    lines: 0,
    events: 0,
    unparsed: 0,
    stats: newInputStats(path),
  };
}

async function ingestPath(
  store: Store,
  given: string,
  opts: StoreIngestOptions,
  threads: IngestThreads,
): Promise<IngestOutcome> {
  // The store keeps absolute paths: `analyze --store` run from another directory (cron, a shell elsewhere) reads
  // the evidence lines back by them, and a file named once relative and once absolute is one name, not a rename.
  // What is said to the user keeps the name given.
  const path = given === '-' ? given : resolve(given);
  const outcome: IngestOutcome = { path: given, kind: 'new', lines: 0, events: 0, unparsed: 0, findings: 0 };
  if (path === '-') {
    outcome.kind = 'stdin';
    const input = unnamedInput(await store.nextInputId(), '-');
    await readPart(store, input, { path: '-', stream: opts.stdin ?? process.stdin }, opts, outcome);
    return outcome;
  }
  let fh: FileHandle;
  let st: Stats;
  try {
    // Checked before opening: opening a FIFO would wait for a writer.
    const kind = await stat(path);
    if (kind.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!kind.isFile()) throw Object.assign(new Error('not a regular file'), { code: NOT_REGULAR });
    fh = await open(path, 'r');
  } catch (e) {
    outcome.kind = 'failed';
    outcome.errorText = describeFsError(e as NodeJS.ErrnoException, path);
    outcome.error = outcome.errorText.en;
    return outcome;
  }
  try {
    // The identity, size and every byte read come from this one open file (by position, see fileRange), so
    // a file logrotate renames while it is read is read to its end, not continued in the new file at its
    // path (read by path, part 2 of 3 read the new file: 1,062,635 of 2,400,000 lines stored, and the offset
    // set to the old file's end).
    st = await fh.stat();
    await ingestOpenFile(store, path, fh, st, opts, outcome, threads);
  } catch (e) {
    if (!(e instanceof IngestThreadFailure)) throw e;
    outcome.kind = 'failed';
    outcome.error = e.message;
    outcome.errorText = tBoth('store.ingest.threadFailed', { path, error: e.reason, line: e.fromLine });
  } finally {
    await fh.close();
  }
  return outcome;
}

/** The ingest of one regular file, open as `fh` (its `fstat` is `st`), into `outcome`. */
async function ingestOpenFile(
  store: Store,
  path: string,
  fh: FileHandle,
  st: Stats,
  opts: StoreIngestOptions,
  outcome: IngestOutcome,
  threads: IngestThreads,
): Promise<IngestOutcome> {
  const size = st.size;
  const mtimeMs = st.mtimeMs;
  const fd = fh.fd;
  const head = Buffer.alloc(Math.min(size, 16));
  await fh.read(head, 0, head.length, 0);
  const id = await fileIdentity(fh, st, size);
  const known = await (store.ownInputs?.() ?? store.inputs());
  const heads = new Map<number, string>([[id.fingerprintBytes, id.fingerprint]]);
  for (const k of known)
    if (!heads.has(k.fingerprintBytes) && k.fingerprintBytes <= size)
      heads.set(k.fingerprintBytes, await hashHead(fh, k.fingerprintBytes));
  let seen = recognise(known, id, heads, size, path);
  // Recognised by its first bytes only (another inode) while the file it would continue is still where it was
  // read, the same inode: a copy (cp, a backup), not that file moved. It becomes an input of its own that
  // starts where the original's reading ended: what both hold is stored once, what only the copy has is read.
  // (Taken for a rename, the copy took over the original's input and the original was read again whole.)
  let copyOf: StoredInput | undefined;
  if (seen.input && seen.kind === 'renamed' && (seen.input.dev !== id.dev || seen.input.ino !== id.ino)) {
    if (await stillThere(seen.input)) {
      copyOf = seen.input;
      seen = { kind: 'copied' };
    }
  }
  outcome.kind = seen.kind;
  // Compressed files and packet captures are read whole: they have no line ends to stop at.
  const gz = sniffMagic(head) !== 'text';
  if (seen.kind === 'new' && sniffMagic(head) === 'gzip') {
    const plain = await compressedRotation(fd, known);
    if (plain) {
      // A rotated file compressed afterwards (kern.log.1 -> kern.log.2.gz): what was read of it is
      // skipped, the rest read; from now on the input is the .gz (its own identity, read whole).
      outcome.kind = 'renamed';
      outcome.previousPath = plain.path;
      const input: StoredInput = { ...plain, ...id, path, stats: { ...plain.stats, path } };
      outcome.inputId = input.id;
      const stream = Readable.from(skipBytes(gunzipMembers(fileRange(fd)), plain.offset));
      await readPart(store, { ...input, size, offset: size }, { path, stream, mtimeMs }, opts, outcome);
      return outcome;
    }
  }
  let input: StoredInput;
  if (seen.input && seen.kind !== 'truncated' && !(gz && size !== seen.input.size)) {
    // A store written before paths were kept absolute holds the name as it was given: the same name, resolved.
    const renamed = seen.input.path !== path && resolve(seen.input.path) !== path;
    if (renamed) outcome.previousPath = seen.input.path;
    input = { ...seen.input, ...id, path, stats: { ...seen.input.stats, path } };
    outcome.inputId = input.id;
    if (size === seen.input.offset) {
      outcome.kind = 'unchanged';
      if (seen.input.path !== path || seen.input.fingerprintBytes !== id.fingerprintBytes) {
        // Remember the new name (and longer fingerprint) without reading anything.
        const w = await store.begin();
        await w.commit({ ...input, size });
        outcome.kind = renamed ? 'renamed' : 'unchanged';
      }
      return outcome;
    }
  } else {
    // A new file, or one truncated/replaced/recompressed: a new input, read from its start.
    if (gz && seen.input) outcome.kind = 'replaced';
    input = {
      id: await store.nextInputId(),
      path,
      ...id,
      size,
      offset: copyOf?.offset ?? 0,
      lines: copyOf?.lines ?? 0,
      events: 0,
      unparsed: 0,
      stats: newInputStats(path),
    };
    if (seen.input) outcome.previousPath = seen.input.path;
    if (copyOf) outcome.previousPath = copyOf.path;
  }
  outcome.inputId = input.id;
  if (gz) {
    // A .gz is read whole, in an ingest thread when it is large enough (decompressing and parsing there
    // while this thread appends).
    const whole = { ...input, size, offset: size };
    const thread =
      sniffMagic(head) === 'gzip' && threadable(opts, size * GZ_TEXT_PER_BYTE)
        ? threads.start(threadJob(opts, whole, { path, from: 0, to: size }, mtimeMs, fd), false)
        : undefined;
    await readPart(store, whole, { path, stream: fileRange(fd), mtimeMs }, opts, outcome, undefined, thread);
    return outcome;
  }
  // Only whole lines: a last line still being written waits for its line end.
  const quiet = Date.now() - mtimeMs >= (opts.partialLineQuietMs ?? PARTIAL_LINE_QUIET_MS);
  const end = quiet ? size : await lastLineEnd(fh, input.offset, size);
  if (end < size) outcome.pendingBytes = size - end;
  const partBytes = Math.max(1, opts.partBytes ?? PART_BYTES);
  let documents: boolean | undefined;
  /** How the part from `at` ends: after partBytes, at the end of the record it is in. */
  const boundsAt = async (at: number, lastFormat: string | undefined): Promise<PartBounds> => {
    // A part after the first needs to know whether the file holds JSON documents (the first finds out).
    if (at > 0) documents ??= await holdsJsonDocuments(path, fd, opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    return {
      stopAfterBytes: partBytes,
      stopAfterTextChars: opts.partTextChars ?? PART_TEXT_CHARS,
      holdOpenRecord: !quiet,
      documents,
      ...(lastFormat === undefined ? {} : { format: lastFormat }),
    };
  };
  /** The next part's thread, started while the part before it commits. */
  const ahead: { next?: { from: number; thread: PartThread } } = {};
  let from = input.offset;
  try {
    while (from < end) {
      const bounds = await boundsAt(from, input.stats.lastFormat);
      const range = { path, from, to: end, bounds };
      const thread =
        ahead.next?.from === from
          ? ahead.next.thread
          : threadable(opts, partSize(range))
            ? threads.start(threadJob(opts, input, range, mtimeMs, fd))
            : undefined;
      ahead.next = undefined;
      const source: InputSource = thread
        ? { path, mtimeMs }
        : {
            path,
            stream: fileRange(fd, from, end),
            mtimeMs,
          };
      const read = await readPart(
        store,
        { ...input, size },
        source,
        opts,
        outcome,
        {
          ...range,
          // Read and not yet committed: the next part's thread starts reading now, beside the commit.
          onRead: async (next) => {
            // No part after this one in a thread: the thread that read it ends now, not after the commit
            // (its heap would stay beside the commit's memory).
            if (next.from >= end || next.held) return threads.close();
            const nextRange = {
              path,
              from: next.from,
              to: end,
              bounds: await boundsAt(next.from, next.lastFormat),
            };
            if (!threadable(opts, partSize(nextRange))) return threads.close();
            const job = threadJob(opts, { ...input, lines: next.lines }, nextRange, mtimeMs, fd);
            ahead.next = { from: next.from, thread: threads.start(job) };
          },
        },
        thread,
      );
      // A failed part is not committed: the next run reads it again from the last committed offset.
      if (!read) break;
      input = read.input;
      from = input.offset;
      if (read.held) {
        outcome.pendingBytes = size - from;
        outcome.pendingRecord = true;
        break;
      }
    }
  } finally {
    // A part that failed or was held leaves the thread started for the next one unused.
    await ahead.next?.thread.stop();
  }
  return outcome;
}

/**
 * Whether a file holds pretty-printed JSON documents, decided as the record assembler decides it for a whole
 * read: on the first line with something on it that is not damaged (too long, NUL bytes). A part that starts
 * inside the file needs the same decision.
 */
async function holdsJsonDocuments(path: string, fd: number, maxLineBytes: number): Promise<boolean> {
  const stream = fileRange(fd, 0, Number.POSITIVE_INFINITY, 64 * 1024);
  try {
    for await (const batch of textLines(stream, path, maxLineBytes)) {
      for (let i = 0; i < batch.lines.length; i++) {
        if (batch.flaws?.some((f) => f.index === i)) continue;
        const line = batch.lines[i]!;
        if (line.trim() !== '') return opensJsonDocument(line);
      }
    }
  } finally {
    stream.destroy();
  }
  return false;
}

/**
 * Read one part (a stream) of an input into the store in one transaction; line numbers continue from
 * `input.lines`. A part of a plain file (`part`) ends at the first record end after `bounds.stopAfterBytes`
 * and commits that offset; other sources are read whole and commit `input.offset`. Undefined when the part
 * failed and was rolled back.
 */
async function readPart(
  store: Store,
  input: StoredInput,
  source: InputSource,
  opts: StoreIngestOptions,
  outcome: IngestOutcome,
  part?: PartRange & {
    /** Called once the part is read, before it commits, with where the next part starts. */
    onRead?: (next: { from: number; lines: number; lastFormat?: string; held: boolean }) => Promise<void>;
  },
  /** The thread reading this part (see `threadable`); without it, `source` is read here. */
  thread?: PartThread,
): Promise<{ input: StoredInput; held: boolean } | undefined> {
  let dict = new Dictionary();
  const spare: EventBatch[] = [];
  const detect = opts.detect !== false;
  const readOpts = partReadOptions(opts, input);

  // The engine's source shards are analyze's (SOURCE_SHARDS), so a part stores what `analyze` finds in it.
  const engine = !detect || thread ? undefined : createDetectionEngine({ kb: opts.kb, config: opts.config });
  const writer = await store.begin(part ? { bytes: partSize(part) } : {});
  try {
    let read: PartRead;
    let findings: Finding[];
    let closedEarly = 0;
    let omitted = 0;
    // Progress: the lines read by this run (the parts it committed, then this one's up to `line`; not the
    // lines stored by earlier runs, which would make an append look millions of lines fast) and the position
    // in the file (a part's reads start at its `from`).
    const at = part?.from ?? 0;
    const progress =
      opts.onProgress &&
      ((line: number, bytes: number | undefined) =>
        opts.onProgress!(outcome.lines + line - input.lines, bytes, input.path));
    if (thread)
      ({ read, findings, closedEarly, omitted } = await readPartInThread(
        thread,
        writer,
        input.id,
        input.lines + 1,
        progress && ((line, bytesRead) => progress(line, at + bytesRead)),
      ));
    else {
      read = await readPartLines(source, part ? { ...readOpts, bounds: part.bounds } : readOpts, {
        newBatch: () => {
          if (dict.full) {
            // A new dictionary for the batches from here (the spare ones belong to the one before).
            dict = new Dictionary();
            spare.length = 0;
          }
          return spare.pop() ?? new EventBatch(dict);
        },
        take: async (batches) => {
          for (const b of batches) {
            await writer.appendEvents(b, input.id);
            if (progress && b.length > 0) {
              const read = (source.stream as { bytesRead?: unknown } | undefined)?.bytesRead;
              const bytes = typeof read === 'number' ? at + read : undefined;
              progress(b.line[b.length - 1]!, bytes);
            }
            b.clear();
            spare.push(b);
          }
        },
        ...(engine ? { event: (ev: FwEvent, raw: string) => engine.push(ev, raw) } : {}),
      });
      if (engine) {
        const finished = finishShards(engine.finishRaw(), opts.config);
        findings = finished.findings;
        omitted = omittedCount(finished.omitted);
        closedEarly = engine.closedEarly();
      } else findings = [];
    }
    await writer.appendProblems(read.problems);
    const stats = read.stats;
    if (stats.error) {
      // An unreadable part stores nothing: the next run reads it again.
      await writer.rollback();
      outcome.kind = 'failed';
      outcome.error = stats.error;
      return undefined;
    }
    if (
      part &&
      read.end?.bytes === undefined &&
      read.delivered !== undefined &&
      read.delivered < part.to - part.from
    ) {
      // The file ended before the part did: it was truncated while it was read (copytruncate). Committing
      // the planned offset would skip the rest in the copy; the part is left for the next run, which
      // continues in the copy (same first bytes) and reads the truncated file as a new input.
      await writer.rollback();
      outcome.kind = 'failed';
      outcome.errorText = tBoth('store.ingest.shrank', { path: source.path, line: input.lines + 1 });
      outcome.error = outcome.errorText.en;
      return undefined;
    }
    if (part?.onRead)
      await part.onRead({
        from: read.end?.bytes === undefined ? part.to : part.from + read.end.bytes,
        lines: input.lines + stats.lines,
        ...((read.end?.format ?? input.stats.lastFormat) === undefined
          ? {}
          : { lastFormat: read.end?.format ?? input.stats.lastFormat }),
        held: read.end?.held === true,
      });
    const first = earlier(input.firstTime, read.first);
    const last = later(input.lastTime, read.last);
    const fastEvents = read.fastEvents;
    const stored: StoredFinding[] = findings.map((f) => ({
      finding: f,
      evidenceInputs: f.evidence.map((e) => (e.file === input.path ? input.id : undefined)),
    }));
    await writer.appendFindings(stored);
    const total = {
      ...input.stats,
      formats: { ...input.stats.formats },
      nonTraffic: { ...input.stats.nonTraffic },
    };
    addStats(total, stats);
    if (read.end?.format !== undefined) total.lastFormat = read.end.format;
    // A plain file's part ends where its last whole record ends (or at the end of what was there to read).
    const offset = part
      ? read.end?.bytes === undefined
        ? part.to
        : part.from + read.end.bytes
      : input.offset;
    const next: StoredInput = {
      ...input,
      offset,
      lines: input.lines + stats.lines,
      events: input.events + stats.events,
      unparsed: input.unparsed + stats.malformed + stats.unrecognized,
      ...(first === undefined ? {} : { firstTime: first }),
      ...(last === undefined ? {} : { lastTime: last }),
      stats: total,
    };
    await writer.commit(next);
    outcome.stats = total;
    outcome.lines += stats.lines;
    outcome.events += stats.events;
    outcome.unparsed += stats.malformed + stats.unrecognized;
    outcome.findings += findings.length;
    if (closedEarly > 0) outcome.closedEarly = (outcome.closedEarly ?? 0) + closedEarly;
    if (omitted > 0) outcome.omittedFindings = (outcome.omittedFindings ?? 0) + omitted;
    if (fastEvents > 0) outcome.fastEvents = (outcome.fastEvents ?? 0) + fastEvents;
    return { input: next, held: read.end?.held === true };
  } catch (e) {
    await writer.rollback();
    throw e;
  }
}

/**
 * An ingest thread that stopped before the end of its part (out of memory under its heap cap, a bug): the
 * part is rolled back, what earlier parts stored stays, and the next run reads on from line `fromLine`.
 */
export class IngestThreadFailure extends WorkerFailure {
  constructor(
    readonly reason: string,
    readonly fromLine: number,
  ) {
    super(
      `the ingest thread stopped before the end of its part (${reason}); the part from line ${fromLine} on was not stored`,
    );
  }
}

/** A byte range of a plain file read as one part. */
interface PartRange {
  path: string;
  from: number;
  to: number;
  bounds: PartBounds;
}

/** How a part of `input` is read (its line numbers continue from `input.lines`). */
function partReadOptions(opts: StoreIngestOptions, input: StoredInput): PartReadOptions {
  return {
    inputId: input.id,
    lineBase: input.lines,
    fastPath: opts.fastPath !== false,
    ...readingOptions(opts),
  };
}

/** Bytes of text a part of a plain file holds at most. */
function partSize(range: PartRange): number {
  return Math.min(range.bounds.stopAfterBytes, range.to - range.from);
}

/**
 * Text bytes per byte of a .gz log, to size it for a thread: the generated 1 M log is 253 MB as text, 28.1 MB
 * compressed (9x); real syslog compresses about as well.
 */
const GZ_TEXT_PER_BYTE = 8;

/**
 * Whether a part of `bytes` bytes of text is read (and detected) in an ingest thread while this one appends:
 * large enough to pay for a thread, of the formats the thread can be told by name (the errors of a mapping
 * file or an unknown format stay this thread's), with the default knowledge base (the thread loads its own).
 */
function threadable(opts: StoreIngestOptions, bytes: number): boolean {
  return (
    opts.thread !== false &&
    bytes >= (opts.threadMinBytes ?? THREAD_MIN_BYTES) &&
    (opts.format === undefined || opts.format === 'auto' || opts.format === 'netfilter') &&
    !opts.mapping &&
    (opts.detect === false || opts.kb === knowledgeBase())
  );
}

/** What an ingest thread is told to read: a part of a plain file, or a whole .gz (no bounds: read to its end). */
function threadJob(
  opts: StoreIngestOptions,
  input: StoredInput,
  range: Omit<PartRange, 'bounds'> & { bounds?: PartBounds },
  mtimeMs: number,
  fd: number,
): IngestThreadJob {
  return {
    path: range.path,
    fd,
    start: range.from,
    end: range.to,
    mtimeMs,
    opts: { ...partReadOptions(opts, input), ...(range.bounds ? { bounds: range.bounds } : {}) },
    ...(opts.threadBatches === undefined ? {} : { batchesInFlight: opts.threadBatches }),
    ...(opts.detect === false ? {} : { detect: opts.config === undefined ? {} : { config: opts.config } }),
  };
}

let threadsStarted = 0;

/** Ingest threads started by this process so far (tests check which reads went to a thread). */
export function ingestThreadsStarted(): number {
  return threadsStarted;
}

/**
 * The ingest threads of one `ingestIntoStore` (src/store/ingest-thread.ts): a part of a plain file read without
 * detection goes to a thread that read an earlier part and is done with it, else to a new one; `close` ends
 * those waiting. 10 M lines in parts of 256 MB read by one thread instead of a new thread per part: see
 * docs/store.md.
 */
export class IngestThreads {
  private readonly idle: Worker[] = [];

  /**
   * A thread reading `job` (with detection, its heap capped as an analyze thread's with every shard is).
   * `more`: other parts may follow (false for a whole .gz), so a thread without detection waits for them.
   */
  start(job: IngestThreadJob, more = true): PartThread {
    // Only threads without detection wait for another part (see PartThread.stop).
    const reusable = more && job.detect === undefined;
    const worker = job.detect === undefined ? this.idle.pop() : undefined;
    if (worker) {
      worker.ref();
      const thread = new PartThread(worker, this, reusable);
      worker.postMessage({ job } satisfies IngestThreadInbox);
      return thread;
    }
    threadsStarted++;
    return new PartThread(
      startThread(import.meta.url, 'ingest-thread', {
        workerData: job,
        ...(job.detect
          ? {
              resourceLimits: {
                maxOldGenerationSizeMb: workerOldSpaceMb(ALL_SHARDS),
                maxYoungGenerationSizeMb: WORKER_YOUNG_SPACE_MB,
              },
            }
          : {}),
      }),
      this,
      reusable,
    );
  }

  /** Keep a thread whose part is done for the next part (it keeps no state of that part). */
  keep(worker: Worker): void {
    worker.removeAllListeners('message');
    worker.removeAllListeners('error');
    worker.removeAllListeners('exit');
    // A thread that fails or ends while it waits is simply not used again (an 'error' with no listener would
    // be thrown in this thread).
    const drop = () => {
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    };
    worker.on('error', drop);
    worker.once('exit', drop);
    // Waiting here does not keep the process alive.
    worker.unref();
    this.idle.push(worker);
  }

  /** End the threads waiting for a part. */
  async close(): Promise<void> {
    const idle = this.idle.splice(0);
    await Promise.all(idle.map((w) => w.terminate()));
  }
}

/**
 * An ingest thread reading one part: its messages wait here until they are taken (at most BATCHES_IN_FLIGHT
 * batches: the thread waits for each to be appended).
 */
class PartThread {
  private readonly messages: IngestThreadMessage[] = [];
  private wake: (() => void) | undefined;
  /** The part's `done` was taken: the thread may read another part. */
  private finished = false;

  constructor(
    private readonly worker: Worker,
    private readonly pool: IngestThreads,
    /** Kept for another part once this one is done (see stop). */
    private readonly reusable: boolean,
  ) {
    this.worker.on('message', (m: IngestThreadMessage) => this.push(m));
    this.worker.on('error', (e) => this.push({ kind: 'failed', message: e.message || String(e) }));
    // After `done` nobody reads this; before it, the part is incomplete.
    this.worker.on('exit', (code) =>
      this.push({ kind: 'failed', message: `it stopped before the end of its part (exit code ${code})` }),
    );
  }

  private push(m: IngestThreadMessage): void {
    this.messages.push(m);
    this.wake?.();
    this.wake = undefined;
  }

  /** The thread's next message, in order. */
  async next(): Promise<IngestThreadMessage> {
    while (this.messages.length === 0) await new Promise<void>((resolve) => (this.wake = resolve));
    const m = this.messages.shift()!;
    if (m.kind === 'done') this.finished = true;
    return m;
  }

  /** Tell the thread a batch is appended (it may send one more), handing its cleared columns back. */
  appended(batch: EventBatch): void {
    batch.clear();
    const columns: ReturnedColumns = batch.columnArrays();
    this.worker.postMessage(columns, columnBuffers(columns));
  }

  /**
   * Done with this part: a thread that finished it without detection, with more parts to come, waits for the
   * next one; any other one is ended. A detecting thread's engine leaves garbage its idle heap would keep (1 M lines with detection: peak
   * RSS 0.74 -> 0.95 GB when it was kept through the commit), and its part's detection takes ~60 times what
   * starting a thread does.
   */
  async stop(): Promise<void> {
    if (this.finished && this.messages.length === 0 && this.reusable) this.pool.keep(this.worker);
    else await this.worker.terminate();
  }
}

/**
 * Append the batches a part's thread reads, in order, into `writer`; returns what the part gave and, with
 * detection, the findings of its events.
 */
async function readPartInThread(
  thread: PartThread,
  writer: StoreWriter,
  inputId: number,
  /** The part's first line, for the failure's sentence. */
  fromLine: number,
  /** Told each appended batch's last line and the position the thread has read to. */
  progress?: (lines: number, bytesRead: number) => void,
): Promise<{ read: PartRead; findings: Finding[]; closedEarly: number; omitted: number }> {
  // The thread's dictionary, text by text in its order, so its ids hold here.
  let dict = new Dictionary();
  try {
    for (;;) {
      const m = await thread.next();
      if (m.kind === 'done')
        return { read: m.read, findings: m.findings, closedEarly: m.closedEarly, omitted: m.omitted };
      if (m.kind === 'failed') throw new IngestThreadFailure(m.message, fromLine);
      if (m.newDictionary) dict = new Dictionary();
      for (const text of m.texts) dict.id(text);
      const batch = EventBatch.fromColumns(dict, m.columns, m.length, m.rare);
      await writer.appendEvents(batch, inputId);
      if (progress && batch.length > 0) progress(batch.line[batch.length - 1]!, m.bytes);
      thread.appended(batch);
    }
  } finally {
    await thread.stop();
  }
}
