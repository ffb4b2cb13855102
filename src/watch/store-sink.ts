// `watch --store`: what the watcher reads goes into the store's tables too, committed before each checkpoint.
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { appendEvent, Dictionary, EventBatch } from '../core/batch.js';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { type LineFlaw, LineSplitter } from '../ingest/line-splitter.js';
import { unnamedInput } from '../store/ingest.js';
import {
  type PruneResult,
  type SizePruneResult,
  type StoredInput,
  type StoredProblem,
  StoreError,
  type WritingStore,
} from '../store/types.js';
import type { FilePosition } from './follow.js';

/** Commit to the store at least this often (ms) while lines come in (`--store-every`). */
export const DEFAULT_STORE_COMMIT_MS = 5000;

/**
 * Longest a store kept open between commits (`release` a function) is held without a break: after it, the file
 * is let go at the next commit or check even when no process asked. A reader that cannot announce itself (a
 * user who may read the store but not write in its folder) then finds the file free within the 15 s a query
 * waits; a watcher committing every few hundred milliseconds still checkpoints once per hold instead of at
 * every commit. 4 s since session 31 (10 s before): what DuckDB holds grows with each commit while the file is
 * open and is given back at the close, so a shorter hold lowers the peaks (4,000 lines/s for 10 minutes: the
 * memory beside the heap peaked at 211-249 MB per 2 minutes against 259-383 MB, in 276 s of CPU against 331).
 */
export const STORE_HOLD_MS = 4_000;
/** Pause between tries of a store that another process holds at start-up (each try also waits `--store-wait`). */
export const START_RETRY_MS = 2_000;
/** Commit to the store as soon as this many events wait (`--store-batch`). */
export const DEFAULT_STORE_COMMIT_EVENTS = 20_000;
/** First wait (ms) before the store is tried again after a failure; it doubles up to STORE_RETRY_MAX_MS. */
export const STORE_RETRY_FIRST_MS = 1000;
/** Longest wait (ms) between two tries of a failing store. */
export const STORE_RETRY_MAX_MS = 60_000;

/**
 * Bytes of read lines kept in memory for the store at most (`--store-memory`). Beyond it, lines of files
 * are not kept: the sink remembers where in the file they are and reads them again once the store takes
 * writes (standard input is paused instead). The events made of those lines take several times their bytes.
 */
export const DEFAULT_STORE_MEMORY_BYTES = 16 * 2 ** 20;
/** Bytes read again from a file per piece while catching up (each piece is one commit). */
export const REREAD_PIECE_BYTES = 4 * 2 ** 20;

/**
 * Announced findings kept for the store at most while it cannot be written. Findings cannot be read again
 * from the files; beyond this many the newer ones are not stored (counted `findingsNotStored`; they are in
 * the alert stream, and `analyze --store` finds them again from the stored events).
 */
export const MAX_WAITING_FINDINGS = 10_000;

/**
 * Retention (`--keep`, `--max-size`) is applied at most this often (ms): after a commit, and while nothing is
 * committed (a quiet source) on the watcher's timer; and after the first commit of a run in any case.
 */
export const DEFAULT_PRUNE_EVERY_MS = 3_600_000;

/** What the store keeps while the watcher writes it, as `ingest --keep` / `--max-size` do after an ingest. */
export interface SinkRetention {
  /** Drop events and findings older than this age (ms) from now; never the newest day. */
  keepMs?: number;
  /** Drop the oldest days until the store's data takes at most this many bytes; never the newest day. */
  maxBytes?: number;
  /** At most this often (DEFAULT_PRUNE_EVERY_MS). */
  everyMs?: number;
}

/** What one round of retention did. */
export interface SinkPruned {
  age?: PruneResult;
  size?: SizePruneResult;
}

/** Input name of standard input in the store. */
export const STDIN_INPUT = 'stdin';

/** Where a chunk of lines came from. */
export interface SinkSource {
  /** The name the watcher reads the lines under (events' `file`, evidence). */
  readPath: string;
  /** The input's path in the store: the file's name, or a stable name (`stdin`, `syslog:udp:...`). */
  name: string;
  /**
   * The file read (device, inode, fingerprint), absent for standard input. Files are one input per
   * identity; a named source (a syslog or journal spool) is one input per name whatever file holds it.
   */
  file?: { dev: number; ino: number; fp: string; fpLen: number };
  /** One input per name (spools, stdin) rather than per file identity. */
  byName: boolean;
  /**
   * The reader's open descriptor of `file`, valid while `add` runs: lines held back are read again through
   * a descriptor of the same file (`/proc/self/fd/N`), even when it was renamed or deleted meanwhile.
   */
  fd?: number;
}

/** Lines of one file not kept in memory: read again from `from` up to `to` once the store takes writes. */
interface HeldRange {
  source: SinkSource & { file: NonNullable<SinkSource['file']> };
  /** Our own descriptor of the file (identity checked when opened). */
  fd: number;
  /** Next byte to read again, and the line number before it. */
  from: { offset: number; line: number };
  /** Position after the last line held back, and its line number. */
  to: { offset: number; line: number };
  /** Where reading again stands: the byte read next, and the splitter holding an unfinished line. */
  readPos: number;
  splitter?: LineSplitter;
  /** File offset where the splitter's input began (its line offsets count from there). */
  splitBase: number;
}

/** Parses lines read again from a held-back range (the watcher's parser, without detection). */
export type RereadParser = (
  path: string,
  lines: string[],
  flaws: LineFlaw[] | undefined,
  firstLine: number,
) => { events: { ev: FwEvent; index: number }[]; problems: Omit<SinkProblem, 'start'>[] };

/** An unparsed line for the store, with where it starts. */
export interface SinkProblem {
  line: number;
  start: number;
  kind: StoredProblem['kind'];
  reason: string;
  text: string;
}

interface Slot {
  key: string;
  source: SinkSource;
  /** The input as committed (undefined: not in the store yet). */
  stored?: StoredInput;
  /** `rel`: the line's place among the lines added since the last commit (1, 2 ...), for named inputs. */
  events: { ev: FwEvent; start: number; rel: number }[];
  problems: (SinkProblem & { rel: number })[];
  /** Start of every line added since the last commit (named inputs: how many a restart's skip drops). */
  starts: number[];
  /** Position after the last line added (byte offset; the line count for stdin) and its line number. */
  offset: number;
  line: number;
  /** Lines read from the chunks added since the last commit (before any were skipped). */
  since: number;
  /** Bytes of the lines added since the last commit. */
  bytes: number;
  /** Lines after `offset` not kept in memory, in file order; while any, new lines are held back too. */
  held: HeldRange[];
}

/** How a sink reaches its store. */
export interface StoreSinkOptions {
  /** Where the store lives (status, sentences). */
  location: string;
  /**
   * Called once when the store is held by another process at start-up: the watcher waits for it before reading,
   * since where the store's files end decides where their reading goes on (see `start`).
   */
  onWaitingAtStart?(error: StoreError): void;
  /** Pause between tries of a store held by another process at start-up (default START_RETRY_MS). */
  startRetryMs?: number;
  /**
   * Open the store for writing (waiting for a DuckDB file's lock, announcing the writer): a DuckDB file is opened
   * in the thread that owns it (src/store/store-thread-client.ts), so its writes never hold the watcher's thread.
   */
  open(): Promise<WritingStore>;
  /** Called once by `close`, after the store is closed: ends what owns the store (its thread). */
  end?(): Promise<void>;
  /**
   * Close the store after each commit, so `serve` and `query` can open the DuckDB file in between: always
   * (`true`), never (a server-backed store), or only while another process wants the file (a function, asked
   * after each commit and by `letGoIfAsked` between commits).
   */
  release: boolean | (() => boolean);
  /** Longest a kept store is held without a break when no process asks for it (`--store-hold`; STORE_HOLD_MS). */
  holdMs?: number;
  commitMs?: number;
  commitEvents?: number;
  /** Longest line (`--max-line-bytes`), for lines read again as the reader split them. */
  maxLineBytes?: number;
  /** Bytes of lines kept in memory at most (`DEFAULT_STORE_MEMORY_BYTES`). */
  memoryBytes?: number;
  /**
   * Lines start being held back in their files (`true`, with the bytes waiting in memory), or every line
   * held back is in the store again (`false`, with the lines read again).
   */
  onHoldBack?(holding: boolean, detail: { bytes: number; lines: number }): void;
  /** A commit failed (first failure of a streak) or works again (`undefined`). */
  onProblem(error: unknown | undefined): void;
  /** Keep the store bounded while writing it. */
  retention?: SinkRetention;
  /** A round of retention ran (`pruned`), or failed (`error`: the data committed stays; tried again next round). */
  onPrune?(pruned: SinkPruned | undefined, error?: unknown): void;
  now?: () => number;
}

/** The sink's numbers for `watch --status`. */
export interface StoreSinkStatus {
  location: string;
  lastCommitAt?: string;
  /** Milliseconds the last commit took (opening the store included). */
  lastCommitMs?: number;
  commits: number;
  eventsWritten: number;
  unparsedWritten: number;
  findingsWritten: number;
  /** Events and findings read but not committed yet, and how long the oldest has waited (s). */
  waitingEvents: number;
  waitingFindings: number;
  commitLagSeconds: number;
  /** The failure being retried, and when the next try is. */
  failing?: string;
  retryAt?: string;
  /** Lines of a restart's re-read the store already held, skipped. */
  skippedLines: number;
  /** Bytes of the lines waiting in memory, and the most kept (`--store-memory`). */
  waitingBytes: number;
  memoryLimitBytes: number;
  /** Bytes of lines held back in their files (not in memory), to be read again; files holding them. */
  heldBackBytes: number;
  heldBackFiles: number;
  /** Times lines started being held back, and lines read again from files once the store took writes. */
  holdBacks: number;
  rereadLines: number;
  /** Findings announced while `MAX_WAITING_FINDINGS` already waited: in the alert stream, not stored. */
  findingsNotStored: number;
  /**
   * Times the store was opened; times a store kept open was let go because another process wanted it, and
   * because it had been held STORE_HOLD_MS.
   */
  opens: number;
  letGo: number;
  holdEnds: number;
  /**
   * What the embedded store's engine said it held after the last commit (DuckDB's `duckdb_memory()`: its buffer
   * pool and the memory it accounts, not what its allocator keeps), and the most it said so far; absent for a
   * store that does not tell.
   */
  engineMemoryBytes?: number;
  engineMemoryPeakBytes?: number;
  /** With `--keep` / `--max-size`: when retention last ran, what it dropped in all, and its failure if it failed. */
  lastPruneAt?: string;
  prunedEvents?: number;
  prunedFindings?: number;
  prunedUnparsed?: number;
  pruneFailing?: string;
}

/** Identity key of a stored input or a source for one-input-per-file. */
const fileKey = (dev: number, ino: number) => `file:${dev}:${ino}`;

/**
 * Collects events, unparsed lines and findings per input between commits, and commits them (one
 * transaction per input, carrying the input's new offset) when asked. On restart the store's own offsets
 * say which re-read lines it already holds; those are skipped, so a kill at any moment stores no line twice.
 */
export class StoreSink {
  private readonly slots = new Map<string, Slot>();
  private findings: Finding[] = [];
  private known: StoredInput[] | undefined;
  private store: WritingStore | undefined;
  private lastCommit: number;
  private oldestWaiting: number | undefined;
  private failures = 0;
  private retryAt = 0;
  private failing: string | undefined;
  private readonly counts = {
    commits: 0,
    eventsWritten: 0,
    unparsedWritten: 0,
    findingsWritten: 0,
    skippedLines: 0,
    holdBacks: 0,
    rereadLines: 0,
    findingsNotStored: 0,
    opens: 0,
    letGo: 0,
    holdEnds: 0,
  };
  /** Lines read again since the current hold-back began (for the sentence when it ends). */
  private rereadSinceHold = 0;
  private wasHolding = false;
  private readonly memoryBytes: number;
  private lastCommitAt: number | undefined;
  private lastCommitMs: number | undefined;
  private waiting = 0;
  private retired = 0;
  private readonly now: () => number;
  /** When retention last ran (undefined: not yet). */
  private lastPrune: number | undefined;
  /** A commit of this run was followed by retention (the first one always is). */
  private prunedAfterCommit = false;
  private pruned = { events: 0, findings: 0, unparsed: 0 };
  private pruneFailing: string | undefined;

  constructor(private readonly opts: StoreSinkOptions) {
    this.now = opts.now ?? Date.now;
    this.lastCommit = this.now();
    this.memoryBytes = opts.memoryBytes ?? DEFAULT_STORE_MEMORY_BYTES;
  }

  /**
   * Learn what the store holds (its inputs), before any file is read: a file the store holds is read on from where
   * it ends, and without that a file not in the checkpoint would start at `--from` (its end, by default), losing what
   * was appended since it was stored. So a store held by another process (locked) is waited for, tried again every
   * START_RETRY_MS until it opens or `abortStart` is called (a stop signal): false then, and nothing is to be read.
   * A store that cannot be reached for any other reason is tried at each commit, as before.
   */
  async start(): Promise<boolean> {
    let said = false;
    for (;;) {
      try {
        await this.loadKnown();
        return true;
      } catch (e) {
        if (this.startAborted) return false;
        if (!(e instanceof StoreError && e.kind === 'locked')) {
          this.fail(e);
          return true;
        }
        if (!said) this.opts.onWaitingAtStart?.(e);
        said = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.opts.startRetryMs ?? START_RETRY_MS);
          this.wakeStart = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeStart = undefined;
        if (this.startAborted) return false;
      }
    }
  }

  private startAborted = false;
  private wakeStart: (() => void) | undefined;

  /** Stop waiting for a locked store at start-up (the watcher is told to stop). */
  abortStart(): void {
    this.startAborted = true;
    this.wakeStart?.();
  }

  private async loadKnown(): Promise<void> {
    if (this.known) return;
    const store = await this.acquire();
    this.known = await (store.ownInputs?.() ?? store.inputs());
  }

  private async acquire(): Promise<WritingStore> {
    if (!this.store) {
      this.store = await this.opts.open();
      this.counts.opens++;
      this.heldSince = this.now();
    }
    return this.store;
  }
  /** When the store held now was opened. */
  private heldSince = 0;

  /**
   * Let go of the store when StoreSinkOptions.release says so: after every commit (`true`), or, for a store kept
   * open, when another process wants the file or it was held STORE_HOLD_MS.
   */
  private async releaseIfDue(): Promise<void> {
    const r = this.opts.release;
    if (!this.store || r === false) return;
    if (r === true) return this.releaseStore();
    if (r()) this.counts.letGo++;
    else if (this.now() - this.heldSince >= (this.opts.holdMs ?? STORE_HOLD_MS)) this.counts.holdEnds++;
    else return;
    await this.releaseStore();
  }

  private engineMemory: number | undefined;
  private engineMemoryPeak = 0;
  /** Read what the store's engine holds (for the status); a store that cannot tell is left alone. */
  private async noteEngineMemory(store: WritingStore): Promise<void> {
    if (!store.memoryBytes) return;
    try {
      this.engineMemory = await store.memoryBytes();
      this.engineMemoryPeak = Math.max(this.engineMemoryPeak, this.engineMemory);
    } catch {
      // Only a figure for the status: a store that fails here fails its next write, which says why.
    }
  }

  /** Between commits (the watcher's timer, never during a commit): see `releaseIfDue`. */
  async letGoIfAsked(): Promise<void> {
    if (typeof this.opts.release === 'function') await this.releaseIfDue();
  }

  /**
   * Retention while nothing waits to be committed (the watcher's timer, never during a commit): a source that
   * went quiet still has what is older than `--keep` dropped when it is due, not at the next line it sends.
   * The store is opened for it and let go as after a commit.
   */
  async pruneIdle(): Promise<void> {
    if (!this.pruneDue() || !this.empty() || this.now() < this.retryAt) return;
    let store: WritingStore;
    try {
      store = await this.acquire();
    } catch (e) {
      // The store cannot be opened now (another writer holds it past the wait): tried again when due next.
      this.lastPrune = this.now();
      this.pruneFailing = (e as Error).message;
      this.opts.onPrune?.(undefined, e);
      return;
    }
    await this.pruneIfDue(store);
    await this.releaseIfDue();
  }

  /** Retention is configured and its interval has passed (or it never ran). */
  private pruneDue(): boolean {
    const r = this.opts.retention;
    if (!r || (r.keepMs === undefined && r.maxBytes === undefined)) return false;
    return (
      this.lastPrune === undefined || this.now() - this.lastPrune >= (r.everyMs ?? DEFAULT_PRUNE_EVERY_MS)
    );
  }

  private async releaseStore(): Promise<void> {
    const s = this.store;
    this.store = undefined;
    await s?.close().catch(() => undefined);
  }

  /**
   * Where the store's file inputs end, as follow positions: a file the store holds (from `ingest`, or a
   * watch whose checkpoint is gone) is read on from there, with its line numbers, not from `--from`.
   * Named inputs (stdin, receivers, the journal) are left out; the newest input of a file wins.
   */
  filePositions(): FilePosition[] {
    const out = new Map<string, FilePosition>();
    for (const k of this.known ?? []) {
      if (
        k.fingerprintBytes === 0 ||
        k.path === STDIN_INPUT ||
        k.path === 'journal' ||
        k.path.startsWith('syslog:')
      )
        continue;
      out.set(fileKey(k.dev, k.ino), {
        path: k.path,
        dev: k.dev,
        ino: k.ino,
        fp: k.fingerprint,
        fpLen: k.fingerprintBytes,
        offset: k.offset,
        line: k.lines,
        size: k.size,
      });
    }
    return [...out.values()];
  }

  /**
   * Lines of one chunk: the events and unparsed lines they gave, and the position after them. `lines.bytes`
   * is the chunk's size in bytes when its offsets are not bytes (standard input). Lines of a file are held
   * back in the file instead of memory once `memoryBytes` wait (or while earlier lines of it are held back).
   */
  add(
    source: SinkSource,
    events: { ev: FwEvent; start: number }[],
    problems: SinkProblem[],
    end: { offset: number; line: number },
    lines: { first: number; starts: readonly number[]; bytes?: number },
  ): void {
    const key =
      source.byName || !source.file ? `name:${source.name}` : fileKey(source.file.dev, source.file.ino);
    let slot = this.slots.get(key);
    if (
      slot?.source.file &&
      source.file &&
      (slot.since > 0 || slot.held.length > 0) &&
      StoreSink.rewritten(slot.source.file, source.file)
    ) {
      // The same inode holds other content now (truncated, rewritten): what waits of the old content is
      // committed first, as its own input.
      const rest = [...this.slots].filter(([k]) => k !== key);
      this.slots.clear();
      this.slots.set(`${key}#${this.retired++}`, slot);
      for (const [k, v] of rest) this.slots.set(k, v);
      slot = undefined;
    }
    if (!slot) {
      slot = {
        key,
        source,
        events: [],
        problems: [],
        starts: [],
        offset: 0,
        line: 0,
        since: 0,
        bytes: 0,
        held: [],
      };
      this.slots.set(key, slot);
    }
    const bytes = lines.bytes ?? (source.file ? end.offset - (lines.starts[0] ?? end.offset) : 0);
    if (
      source.file &&
      lines.starts.length > 0 &&
      (slot.held.length > 0 || this.waitingBytes() + bytes > this.memoryBytes) &&
      this.holdBack(slot, source, lines.first, lines.starts[0]!, end)
    )
      return;
    this.buffer(slot, source, events, problems, end, lines.first, lines.starts, bytes);
  }

  /** Keep a chunk's lines for the next commit. */
  private buffer(
    slot: Slot,
    source: SinkSource,
    events: { ev: FwEvent; start: number }[],
    problems: SinkProblem[],
    end: { offset: number; line: number },
    first: number,
    starts: readonly number[],
    bytes: number,
  ): void {
    slot.source = source;
    const rel = slot.since + 1 - first;
    for (const e of events) slot.events.push({ ...e, rel: rel + (e.ev.line ?? first) });
    for (const p of problems) slot.problems.push({ ...p, rel: rel + p.line });
    if (source.byName || !source.file) for (const st of starts) slot.starts.push(st);
    slot.offset = end.offset;
    slot.line = end.line;
    slot.since += starts.length;
    slot.bytes += bytes;
    this.waiting += events.length;
    this.oldestWaiting ??= this.now();
  }

  /**
   * Remember a chunk's lines as a range of their file instead of keeping them: the range grows while the
   * same file goes on where it ended; another file (a spool's next segment) opens a range of its own with
   * a descriptor of that file. False when the file cannot be opened again as the same file (then the lines
   * are kept in memory after all: nothing is ever dropped).
   */
  private holdBack(
    slot: Slot,
    source: SinkSource,
    firstLine: number,
    start: number,
    end: { offset: number; line: number },
  ): boolean {
    const file = source.file!;
    const last = slot.held.at(-1);
    if (
      last &&
      last.source.file.dev === file.dev &&
      last.source.file.ino === file.ino &&
      last.to.offset === start
    ) {
      last.to = { offset: end.offset, line: end.line };
      last.source = { ...source, file };
      return true;
    }
    const fd = StoreSink.reopen(source);
    if (fd === undefined) return false;
    if (!this.wasHolding) {
      this.wasHolding = true;
      this.counts.holdBacks++;
      this.rereadSinceHold = 0;
      this.opts.onHoldBack?.(true, { bytes: this.waitingBytes(), lines: 0 });
    }
    slot.held.push({
      source: { ...source, file },
      fd,
      from: { offset: start, line: firstLine - 1 },
      to: { offset: end.offset, line: end.line },
      readPos: start,
      splitBase: start,
    });
    this.oldestWaiting ??= this.now();
    return true;
  }

  /** Our own descriptor of the file the reader has open (the same device and inode), or undefined. */
  private static reopen(source: SinkSource): number | undefined {
    const file = source.file!;
    for (const path of [
      ...(source.fd === undefined ? [] : [`/proc/self/fd/${source.fd}`]),
      source.readPath,
    ]) {
      let fd: number | undefined;
      try {
        fd = openSync(path, 'r');
        const st = fstatSync(fd);
        if (st.dev === file.dev && st.ino === file.ino) return fd;
      } catch {
        // Not there (no /proc, renamed away): the next way, or keep the lines in memory.
      }
      if (fd !== undefined) closeSync(fd);
    }
    return undefined;
  }

  /** True while lines are held back in their files. */
  holding(): boolean {
    for (const s of this.slots.values()) if (s.held.length > 0) return true;
    return false;
  }

  /** Bytes of the lines waiting in memory. */
  private waitingBytes(): number {
    let n = 0;
    for (const s of this.slots.values()) n += s.bytes;
    return n;
  }

  /** True when as many bytes wait in memory as may (a source without a file to come back to pauses). */
  full(): boolean {
    return this.waitingBytes() >= this.memoryBytes;
  }

  /**
   * Read up to `maxBytes` of held-back lines again (the first range of the first slot holding any),
   * parse them with `parse` and keep them for the next commit. True when anything was read.
   */
  reread(parse: RereadParser, maxBytes = Math.min(REREAD_PIECE_BYTES, this.memoryBytes)): boolean {
    for (const slot of this.slots.values()) {
      const r = slot.held[0];
      if (!r) continue;
      r.splitter ??= new LineSplitter(this.opts.maxLineBytes, true);
      const base = r.splitBase;
      const want = Math.max(0, Math.min(Math.max(maxBytes, 65_536), r.to.offset - r.readPos));
      const buf = Buffer.allocUnsafe(want);
      let n = 0;
      try {
        n = want > 0 ? readSync(r.fd, buf, 0, want, r.readPos) : 0;
      } catch {
        n = 0;
      }
      r.readPos += n;
      // The range's end, or the file ends early (cut short meanwhile: what is gone cannot be read).
      const done = r.readPos >= r.to.offset || n === 0;
      const batches = [r.splitter.push(buf.subarray(0, n))];
      const ends = [base + r.splitter.nextLineStart];
      if (done) {
        batches.push(r.splitter.end());
        ends.push(Math.min(r.readPos, r.to.offset));
      }
      for (let b = 0; b < batches.length; b++) {
        const batch = batches[b]!;
        if (batch.lines.length === 0) continue;
        const starts = batch.offsets!.map((o) => base + o);
        const firstLine = r.from.line + 1;
        const parsed = parse(r.source.readPath, batch.lines, batch.flaws, firstLine);
        const end = { offset: ends[b]!, line: r.from.line + batch.lines.length };
        this.buffer(
          slot,
          r.source,
          parsed.events.map((e) => ({ ev: e.ev, start: starts[e.index]! })),
          parsed.problems.map((p) => ({ ...p, start: starts[p.line - firstLine] ?? end.offset })),
          end,
          firstLine,
          starts,
          end.offset - starts[0]!,
        );
        r.from = end;
        this.counts.rereadLines += batch.lines.length;
        this.rereadSinceHold += batch.lines.length;
      }
      if (done) {
        // Lines held back after the file was cut short cannot come back; the range's line numbers still count.
        if (r.from.offset < r.to.offset) {
          slot.offset = r.to.offset;
          slot.line = r.to.line;
        }
        closeSync(r.fd);
        slot.held.shift();
      }
      return true;
    }
    return false;
  }

  /** An announced finding (its first announcement; updates stay in the alert stream). */
  addFinding(f: Finding): void {
    if (this.findings.length >= MAX_WAITING_FINDINGS) {
      this.counts.findingsNotStored++;
      return;
    }
    this.findings.push(f);
    this.oldestWaiting ??= this.now();
  }

  /** True when enough waits (events, or time since the last commit) and the store is not in its backoff. */
  due(): boolean {
    if (this.now() < this.retryAt) return false;
    // Lines held back in their files are read again as soon as the store takes writes.
    if (this.holding()) return true;
    if (this.waiting === 0 && this.findings.length === 0) return false;
    return (
      this.waiting >= (this.opts.commitEvents ?? DEFAULT_STORE_COMMIT_EVENTS) ||
      this.waitingBytes() >= this.memoryBytes / 2 ||
      this.now() - this.lastCommit >= (this.opts.commitMs ?? DEFAULT_STORE_COMMIT_MS)
    );
  }

  /** True when nothing read is waiting for the store. */
  empty(): boolean {
    for (const s of this.slots.values()) if (s.since > 0 || s.held.length > 0) return false;
    return this.findings.length === 0;
  }

  /**
   * Commit everything waiting in memory; true when the store now holds every line added (the checkpoint may
   * be written), false when it failed or lines are still held back in their files (the checkpoint must
   * wait: `reread` them, then commit again). In a backoff it fails without trying.
   */
  async commit(force = false): Promise<boolean> {
    if (this.empty()) return true;
    if (!force && this.now() < this.retryAt) return false;
    const began = this.now();
    try {
      await this.loadKnown();
      const store = await this.acquire();
      if (this.recheck) await this.recheckStored(store);
      for (const slot of this.slots.values()) if (slot.since > 0) await this.commitSlot(store, slot);
      // Findings after the lines they came from (their evidence then points at stored inputs), with the
      // newest input touched, unchanged.
      const input = this.lastStored();
      if (this.findings.length > 0 && input) {
        const w = await store.begin();
        try {
          await w.appendFindings(this.storedFindings(this.findings));
          await w.commit(input);
        } catch (e) {
          await w.rollback().catch(() => undefined);
          throw e;
        }
      }
      this.counts.findingsWritten += input ? this.findings.length : 0;
      this.findings = [];
      for (const [key, slot] of [...this.slots])
        if (key.includes('#') && slot.held.length === 0) this.slots.delete(key);
      this.waiting = 0;
      this.oldestWaiting = undefined;
      this.lastCommit = this.now();
      this.lastCommitAt = this.lastCommit;
      this.lastCommitMs = this.now() - began;
      this.counts.commits++;
      if (this.failing !== undefined) this.opts.onProblem(undefined);
      this.failing = undefined;
      this.failures = 0;
      this.retryAt = 0;
      const holding = this.holding();
      if (this.wasHolding && !holding) {
        this.wasHolding = false;
        this.opts.onHoldBack?.(false, { bytes: 0, lines: this.rereadSinceHold });
      }
      await this.pruneIfDue(store, true);
      await this.noteEngineMemory(store);
      await this.releaseIfDue();
      return !holding;
    } catch (e) {
      await this.releaseStore();
      this.fail(e);
      return false;
    }
  }

  /**
   * Retention after a commit, when configured and due: by age from now, then by size, as `ingest --keep` /
   * `--max-size` do. A failure leaves what was committed and is tried again next round.
   */
  private async pruneIfDue(store: WritingStore, afterCommit = false): Promise<void> {
    const r = this.opts.retention;
    if (!r || (r.keepMs === undefined && r.maxBytes === undefined)) return;
    // The first commit of a run is followed by retention even right after an idle round: it may have written
    // a backlog of old lines.
    if (!this.pruneDue() && !(afterCommit && !this.prunedAfterCommit)) return;
    if (afterCommit) this.prunedAfterCommit = true;
    const now = this.now();
    this.lastPrune = now;
    try {
      const done: SinkPruned = {};
      if (r.keepMs !== undefined) done.age = await store.prune(now - r.keepMs);
      if (r.maxBytes !== undefined) done.size = await store.pruneToSize(r.maxBytes);
      for (const x of [done.age, done.size]) {
        this.pruned.events += x?.events ?? 0;
        this.pruned.findings += x?.findings ?? 0;
        this.pruned.unparsed += x?.unparsed ?? 0;
      }
      this.pruneFailing = undefined;
      this.opts.onPrune?.(done);
    } catch (e) {
      this.pruneFailing = (e as Error).message;
      this.opts.onPrune?.(undefined, e);
    }
  }

  /**
   * After a failed commit, what the store holds is read again before the next one: a commit can fail after the
   * store committed it (the thread writing the store stopped before its answer came back), and the lines it
   * stored are then skipped by the input's new offset, not stored twice.
   */
  private recheck = false;

  private async recheckStored(store: WritingStore): Promise<void> {
    this.known = await (store.ownInputs?.() ?? store.inputs());
    const byId = new Map(this.known.map((k) => [k.id, k]));
    for (const slot of this.slots.values())
      if (slot.stored) slot.stored = byId.get(slot.stored.id) ?? slot.stored;
    this.recheck = false;
  }

  private fail(e: unknown): void {
    this.recheck = true;
    this.failures++;
    this.retryAt =
      this.now() + Math.min(STORE_RETRY_MAX_MS, STORE_RETRY_FIRST_MS * 2 ** Math.min(16, this.failures - 1));
    if (this.failing === undefined) this.opts.onProblem(e);
    this.failing = (e as Error).message;
  }

  private lastStored(): StoredInput | undefined {
    let best: StoredInput | undefined;
    for (const s of this.slots.values()) if (s.stored && (!best || s.stored.id > best.id)) best = s.stored;
    return best;
  }

  private storedFindings(findings: Finding[]) {
    const ids = new Map<string, number>();
    for (const s of this.slots.values()) if (s.stored) ids.set(s.source.readPath, s.stored.id);
    return findings.map((f) => ({
      finding: f,
      evidenceInputs: f.evidence.map((e) => (e.file === undefined ? undefined : ids.get(e.file))),
    }));
  }

  /**
   * The stored input a slot continues (by file identity, or by name), when the store has one. Of the inputs
   * of one inode, the newest whose first bytes the file read can have grown from: an inode can hold several
   * contents over time (copied and truncated), and after a restart the rest of an older content may be read
   * again from its copy while the store already holds the newer one's first lines. Taking the newest input of
   * the inode there called the older content replaced and stored its rest, and then the newer content, again.
   */
  private storedFor(slot: Slot): StoredInput | undefined {
    const known = this.known ?? [];
    const src = slot.source;
    let sameInode: StoredInput | undefined;
    for (let i = known.length - 1; i >= 0; i--) {
      const k = known[i]!;
      if (src.byName || !src.file) {
        if (k.path === src.name && (src.file ? true : k.fingerprintBytes === 0)) return k;
      } else if (k.dev === src.file.dev && k.ino === src.file.ino && k.fingerprintBytes > 0) {
        if (!StoreSink.replaced(k, src.file)) return k;
        sameInode ??= k;
      }
    }
    return sameInode;
  }

  /** True when the file read now is not the one `stored` describes (same inode, other first bytes). */
  private static replaced(stored: StoredInput, file: NonNullable<SinkSource['file']>): boolean {
    if (stored.fingerprintBytes === 0) return false;
    return StoreSink.rewritten({ fp: stored.fingerprint, fpLen: stored.fingerprintBytes }, file);
  }

  /**
   * True when `now` cannot be the file `before` grew into: its fingerprint covers fewer bytes, or as many
   * with another hash (a growing file's fingerprint only gets longer).
   */
  private static rewritten(
    before: { fp: string; fpLen: number },
    now: { fp: string; fpLen: number },
  ): boolean {
    return now.fpLen < before.fpLen || (now.fpLen === before.fpLen && now.fp !== before.fp);
  }

  /** One transaction: the slot's waiting events, unparsed lines (and `findings`), and its input's new state. */
  private async commitSlot(store: WritingStore, slot: Slot): Promise<void> {
    const src = slot.source;
    // The input this slot wrote last, unless the file now holds another content (copied and truncated): then
    // the one of the store's inputs that content continues, if any.
    let stored =
      slot.stored && !(src.file && !src.byName && StoreSink.replaced(slot.stored, src.file))
        ? slot.stored
        : this.storedFor(slot);
    // Lines the store already holds (a restart re-reads from the checkpoint, which may lag the store).
    let skipBefore = 0;
    if (stored && src.file) {
      const sameFile = stored.dev === src.file.dev && stored.ino === src.file.ino;
      if (sameFile && StoreSink.replaced(stored, src.file)) stored = src.byName ? stored : undefined;
      else if (sameFile) skipBefore = stored.offset;
    }
    const byName = src.byName || !src.file;
    let skippedLines = 0;
    if (byName && skipBefore > 0) for (const st of slot.starts) if (st < skipBefore) skippedLines++;
    /** A named input numbers its lines on from what it holds, over every file and run that fed it. */
    const lineOf = (x: { rel: number; line: number }) =>
      byName ? base.lines + x.rel - skippedLines : x.line;
    const events = slot.events.filter((e) => e.start >= skipBefore);
    const problems = slot.problems.filter((p) => p.start >= skipBefore);
    this.counts.skippedLines += slot.events.length - events.length + slot.problems.length - problems.length;
    const id = stored?.id ?? (await store.nextInputId());
    const base: StoredInput = stored ?? unnamedInput(id, src.name);
    const stats = { ...base.stats, path: src.name, formats: { ...base.stats.formats } };
    let first = base.firstTime;
    let last = base.lastTime;
    const dict = new Dictionary();
    const batches: EventBatch[] = [];
    let batch = new EventBatch(dict);
    for (const e of events) {
      const ev = e.ev;
      appendEvent(batch, ev, 0, lineOf({ rel: e.rel, line: ev.line ?? 0 }));
      stats.formats[ev.format] = (stats.formats[ev.format] ?? 0) + 1;
      if (ev.timestamp !== undefined) {
        if (first === undefined || ev.timestamp < first) first = ev.timestamp;
        if (last === undefined || ev.timestamp > last) last = ev.timestamp;
      }
      if (batch.full) {
        batches.push(batch);
        batch = new EventBatch(dict);
      }
    }
    batches.push(batch);
    let malformed = 0;
    for (const p of problems) if (p.kind === 'malformed') malformed++;
    stats.events += events.length;
    stats.malformed += malformed;
    stats.unrecognized += problems.length - malformed;
    // A named input counts its lines over every file that held them; a file's line numbers are its own.
    const lines = byName ? base.lines + slot.since - skippedLines : Math.max(base.lines, slot.line);
    stats.lines = lines;
    const next: StoredInput = {
      ...base,
      path: src.name,
      ...(src.file
        ? { dev: src.file.dev, ino: src.file.ino, fingerprint: src.file.fp, fingerprintBytes: src.file.fpLen }
        : {}),
      size: Math.max(base.size, slot.offset),
      offset: src.file ? slot.offset : lines,
      lines,
      events: base.events + events.length,
      unparsed: base.unparsed + problems.length,
      ...(first === undefined ? {} : { firstTime: first }),
      ...(last === undefined ? {} : { lastTime: last }),
      stats,
    };
    const w = await store.begin();
    try {
      for (const b of batches) if (b.length > 0) await w.appendEvents(b, id);
      await w.appendProblems(
        problems.map((p) => ({ inputId: id, line: lineOf(p), kind: p.kind, reason: p.reason, text: p.text })),
      );
      await w.commit(next);
    } catch (e) {
      await w.rollback().catch(() => undefined);
      throw e;
    }
    slot.stored = next;
    // What the store holds now: `storedFor` must see this input's new offset, not the one it was loaded with.
    if (this.known) {
      const at = this.known.findIndex((k) => k.id === next.id);
      if (at >= 0) this.known[at] = next;
      else this.known.push(next);
    }
    this.counts.eventsWritten += events.length;
    this.counts.unparsedWritten += problems.length;
    slot.events = [];
    slot.problems = [];
    slot.starts = [];
    slot.since = 0;
    slot.bytes = 0;
  }

  /** The numbers `watch --status` shows. */
  status(): StoreSinkStatus {
    let waiting = 0;
    let heldBackBytes = 0;
    let heldBackFiles = 0;
    for (const s of this.slots.values()) {
      waiting += s.events.length;
      for (const r of s.held) {
        heldBackBytes += r.to.offset - r.from.offset;
        heldBackFiles++;
      }
    }
    return {
      location: this.opts.location,
      ...(this.lastCommitAt === undefined ? {} : { lastCommitAt: new Date(this.lastCommitAt).toISOString() }),
      ...(this.lastCommitMs === undefined ? {} : { lastCommitMs: this.lastCommitMs }),
      ...this.counts,
      waitingEvents: waiting,
      waitingFindings: this.findings.length,
      commitLagSeconds:
        this.oldestWaiting === undefined ? 0 : Math.round((this.now() - this.oldestWaiting) / 1000),
      ...(this.failing === undefined
        ? {}
        : { failing: this.failing, retryAt: new Date(this.retryAt).toISOString() }),
      waitingBytes: this.waitingBytes(),
      memoryLimitBytes: this.memoryBytes,
      ...(this.engineMemory === undefined
        ? {}
        : { engineMemoryBytes: this.engineMemory, engineMemoryPeakBytes: this.engineMemoryPeak }),
      heldBackBytes,
      heldBackFiles,
      ...(this.lastPrune === undefined
        ? {}
        : {
            lastPruneAt: new Date(this.lastPrune).toISOString(),
            prunedEvents: this.pruned.events,
            prunedFindings: this.pruned.findings,
            prunedUnparsed: this.pruned.unparsed,
          }),
      ...(this.pruneFailing === undefined ? {} : { pruneFailing: this.pruneFailing }),
    };
  }

  /** Close the store (the watcher's last checkpoint has just committed what waited, or said why not). */
  async close(): Promise<void> {
    // Lines still held back stay in their files; the checkpoint, held back with them, reads them again.
    for (const s of this.slots.values()) for (const r of s.held.splice(0)) closeSync(r.fd);
    await this.releaseStore();
    await this.opts.end?.();
  }
}
