// `watch --store`: what the watcher reads goes into the store's tables too, committed before each checkpoint.
import { appendEvent, Dictionary, EventBatch } from '../core/batch.js';
import type { Finding } from '../detect/index.js';
import type { FwEvent } from '../event.js';
import { unnamedInput } from '../store/ingest.js';
import type { Store, StoredInput, StoredProblem } from '../store/types.js';
import type { FilePosition } from './follow.js';

/** Commit to the store at least this often (ms) while lines come in (`--store-every`). */
export const DEFAULT_STORE_COMMIT_MS = 5000;
/** Commit to the store as soon as this many events wait (`--store-batch`). */
export const DEFAULT_STORE_COMMIT_EVENTS = 20_000;
/** First wait (ms) before the store is tried again after a failure; it doubles up to STORE_RETRY_MAX_MS. */
export const STORE_RETRY_FIRST_MS = 1000;
/** Longest wait (ms) between two tries of a failing store. */
export const STORE_RETRY_MAX_MS = 60_000;

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
}

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
}

/** How a sink reaches its store. */
export interface StoreSinkOptions {
  /** Where the store lives (status, sentences). */
  location: string;
  /** Open the store for writing (waiting for a DuckDB file's lock, announcing the writer). */
  open(): Promise<Store>;
  /** Close the store after each commit, so `serve` and `query` can open the DuckDB file in between. */
  release: boolean;
  commitMs?: number;
  commitEvents?: number;
  /** A commit failed (first failure of a streak) or works again (`undefined`). */
  onProblem(error: unknown | undefined): void;
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
  private store: Store | undefined;
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
  };
  private lastCommitAt: number | undefined;
  private lastCommitMs: number | undefined;
  private waiting = 0;
  private retired = 0;
  private readonly now: () => number;

  constructor(private readonly opts: StoreSinkOptions) {
    this.now = opts.now ?? Date.now;
    this.lastCommit = this.now();
  }

  /** Learn what the store holds (its inputs); a store that cannot be reached now is tried at each commit. */
  async start(): Promise<void> {
    await this.loadKnown().catch((e) => this.fail(e));
  }

  private async loadKnown(): Promise<void> {
    if (this.known) return;
    const store = await this.acquire();
    this.known = await (store.ownInputs?.() ?? store.inputs());
  }

  private async acquire(): Promise<Store> {
    this.store ??= await this.opts.open();
    return this.store;
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
      });
    }
    return [...out.values()];
  }

  /** Lines of one chunk: the events and unparsed lines they gave, and the position after them. */
  add(
    source: SinkSource,
    events: { ev: FwEvent; start: number }[],
    problems: SinkProblem[],
    end: { offset: number; line: number },
    lines: { first: number; starts: readonly number[] },
  ): void {
    const key =
      source.byName || !source.file ? `name:${source.name}` : fileKey(source.file.dev, source.file.ino);
    let slot = this.slots.get(key);
    if (
      slot?.source.file &&
      source.file &&
      slot.since > 0 &&
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
      slot = { key, source, events: [], problems: [], starts: [], offset: 0, line: 0, since: 0 };
      this.slots.set(key, slot);
    }
    slot.source = source;
    const rel = slot.since + 1 - lines.first;
    for (const e of events) slot.events.push({ ...e, rel: rel + (e.ev.line ?? lines.first) });
    for (const p of problems) slot.problems.push({ ...p, rel: rel + p.line });
    if (source.byName || !source.file) for (const st of lines.starts) slot.starts.push(st);
    slot.offset = end.offset;
    slot.line = end.line;
    slot.since += lines.starts.length;
    this.waiting += events.length;
    this.oldestWaiting ??= this.now();
  }

  /** An announced finding (its first announcement; updates stay in the alert stream). */
  addFinding(f: Finding): void {
    this.findings.push(f);
    this.oldestWaiting ??= this.now();
  }

  /** True when enough waits (events, or time since the last commit) and the store is not in its backoff. */
  due(): boolean {
    if (this.waiting === 0 && this.findings.length === 0) return false;
    if (this.now() < this.retryAt) return false;
    return (
      this.waiting >= (this.opts.commitEvents ?? DEFAULT_STORE_COMMIT_EVENTS) ||
      this.now() - this.lastCommit >= (this.opts.commitMs ?? DEFAULT_STORE_COMMIT_MS)
    );
  }

  /** True when nothing read is waiting for the store. */
  empty(): boolean {
    for (const s of this.slots.values()) if (s.since > 0) return false;
    return this.findings.length === 0;
  }

  /**
   * Commit everything waiting; true when the store now holds every line added (the checkpoint may be
   * written), false when it failed (the checkpoint must wait). In a backoff it fails without trying.
   */
  async commit(force = false): Promise<boolean> {
    if (this.empty()) return true;
    if (!force && this.now() < this.retryAt) return false;
    const began = this.now();
    try {
      await this.loadKnown();
      const store = await this.acquire();
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
      for (const key of [...this.slots.keys()]) if (key.includes('#')) this.slots.delete(key);
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
      if (this.opts.release) await this.releaseStore();
      return true;
    } catch (e) {
      await this.releaseStore();
      this.fail(e);
      return false;
    }
  }

  private fail(e: unknown): void {
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

  /** The stored input a slot continues (by file identity, or by name), when the store has one. */
  private storedFor(slot: Slot): StoredInput | undefined {
    const known = this.known ?? [];
    const src = slot.source;
    for (let i = known.length - 1; i >= 0; i--) {
      const k = known[i]!;
      if (src.byName || !src.file) {
        if (k.path === src.name && (src.file ? true : k.fingerprintBytes === 0)) return k;
      } else if (k.dev === src.file.dev && k.ino === src.file.ino && k.fingerprintBytes > 0) return k;
    }
    return undefined;
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
  private async commitSlot(store: Store, slot: Slot): Promise<void> {
    const src = slot.source;
    let stored = slot.stored ?? this.storedFor(slot);
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
    if (!stored && this.known) this.known.push(next);
    this.counts.eventsWritten += events.length;
    this.counts.unparsedWritten += problems.length;
    slot.events = [];
    slot.problems = [];
    slot.starts = [];
    slot.since = 0;
  }

  /** The numbers `watch --status` shows. */
  status(): StoreSinkStatus {
    let waiting = 0;
    for (const s of this.slots.values()) waiting += s.events.length;
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
    };
  }

  /** Close the store (the watcher's last checkpoint has just committed what waited, or said why not). */
  async close(): Promise<void> {
    await this.releaseStore();
  }
}
