// The watcher: sources -> lines -> events -> live detection -> alerts, with checkpoints that make restarts exact.
import { statSync, unlinkSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DetectionConfig } from '../detect/index.js';
import { type Announcement, LiveDetector, longestWindowMs } from '../detect/live.js';
import type { FwEvent } from '../event.js';
import { LineSplitter } from '../ingest/line-splitter.js';
import type { KnowledgeBase } from '../knowledge/index.js';
import { processIdentity } from '../util/process-alive.js';
import type { Alerter } from './alerts/types.js';
import {
  type FilePosition,
  Follower,
  type FollowNotice,
  type FollowStats,
  followedName,
  type LineChunk,
  namedBy,
  replayKey,
} from './follow.js';
import { LoopStalls } from './loop-stalls.js';
import { type RecordOptions, RecordReader } from './records.js';
import { type ReplayPoint, ReplayTracker, type StateDir } from './state.js';
import { type RereadParser, type SinkProblem, STDIN_INPUT, type StoreSink } from './store-sink.js';

/** How often (ms) open groups are looked at for findings that qualify, at most. */
export const DEFAULT_DETECT_EVERY_MS = 250;
/**
 * How often (ms) the checkpoint is looked at when nothing was announced: written only when something in it
 * changed (positions, replay points, announced episodes, totals), so an idle watcher writes nothing.
 */
export const DEFAULT_CHECKPOINT_MS = 2000;
/** How often (ms) the status is looked at: written when something it shows changed. */
export const DEFAULT_STATUS_MS = 2000;
/**
 * Longest time (ms) between two writes of the status file while nothing it shows changes: a heartbeat, so
 * `--status` can tell a quiet watcher (its status at most this old) from a stuck one.
 */
export const DEFAULT_STATUS_HEARTBEAT_MS = 60_000;
/** Input quiet for this long (ms): event time is moved on by the wall clock, so idle groups close. */
export const QUIET_ADVANCE_MS = 1000;
/** How often (ms) paused standard input looks whether the store's memory has room again. */
export const STDIN_PAUSE_MS = 200;
/** Longest time (ms) one checkpoint spends reading held-back lines again, so alerts are not held up long. */
export const REREAD_SLICE_MS = 1000;

/** A source that receives lines itself (syslog, journal) and appends them to a spool file the watcher follows. */
export interface SpoolSource {
  /** Name shown in the status. */
  name: string;
  /** The spool file it appends to (followed like any file). */
  spoolPath: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  stats(): Record<string, number>;
}

/** Everything a watcher is made of. */
export interface WatcherOptions {
  /** Files and globs to follow. */
  files: string[];
  /** Read standard input as one more source (`-`). */
  stdin?: NodeJS.ReadableStream;
  spools?: SpoolSource[];
  from?: 'start' | 'end';
  pollMs?: number;
  partialFlushMs?: number;
  maxLineBytes?: number;
  records: RecordOptions;
  kb: KnowledgeBase;
  config?: DetectionConfig;
  state: StateDir;
  alerter: Alerter;
  /** One sentence about a source (already in the user's language is up to the caller). */
  onNotice(n: FollowNotice): void;
  detectEveryMs?: number;
  checkpointMs?: number;
  statusMs?: number;
  /** Status rewritten at least this often (ms) when nothing in it changed (default DEFAULT_STATUS_HEARTBEAT_MS). */
  statusHeartbeatMs?: number;
  /**
   * A file of the state directory (the checkpoint, the status) could not be written (`error`, with when it was
   * last written, if ever), or can be written again (no `error`): once each way. Without it, a failing
   * checkpoint goes to `onNotice` as before.
   */
  onStateWrite?(p: StateWriteProblem): void;
  /**
   * `--store`: what is read also goes into the store. The store is committed before every checkpoint (which
   * is held back while the store fails), so the checkpoint never runs ahead of the store.
   */
  store?: StoreSink;
}

/** A state file that cannot be written, or (no `error`) can be again. */
export interface StateWriteProblem {
  what: 'checkpoint' | 'status';
  file: string;
  /** Why, as the system says it without its code (`no space left on device`). */
  error?: string;
  /** When the file was last written (ms), if ever by this watcher. */
  lastWritten?: number;
}

/**
 * A file system error as words: `ENOSPC: no space left on device, write` -> `no space left on device`, and
 * `EACCES: permission denied, open '/x'` -> `permission denied`. Cut at the code's colon and the first comma,
 * not by a pattern (the message names a path, which may be long or hostile).
 */
export function ioErrorText(e: unknown): string {
  const message = (e as Error).message ?? String(e);
  const colon = message.indexOf(': ');
  if (colon <= 0 || !/^[A-Z0-9]+$/.test(message.slice(0, colon))) return message;
  const words = message.slice(colon + 2);
  const comma = words.indexOf(', ');
  return comma > 0 ? words.slice(0, comma) : words;
}

/** A source that could not be opened (missing, not readable, skipped), as `--status` lists it. */
interface SourceProblem {
  problem: string;
  since: number;
}

/** Runs one watch: `start`, then `stop` (checkpoints) or `reopen` (SIGHUP). */
/**
 * The process's memory for the status file: resident set, and the JavaScript heap's live part and its
 * committed size (what the process keeps beyond the heap's size is native: DuckDB, buffers, code).
 */
function memoryFigures(): { rssBytes: number; heapUsedBytes: number; heapTotalBytes: number } {
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed, heapTotalBytes: m.heapTotal };
}

export class Watcher {
  /** The detector; replaced (its announced episodes kept) when the detection config is reloaded. */
  detector: LiveDetector;
  readonly records: RecordReader;
  private replay: ReplayTracker;
  /** The detection config file in use, when it was loaded, and why the last reload failed (status). */
  private configState: { path?: string; loadedAt: string; reloads: number; problem?: string } = {
    loadedAt: new Date().toISOString(),
    reloads: 0,
  };
  private follower: Follower | undefined;
  private chain: Promise<void> = Promise.resolve();
  private timers: NodeJS.Timeout[] = [];
  private lastDetect = 0;
  private lastInput = Date.now();
  private lastEventTime: number | undefined;
  private lastEventWall = 0;
  /** Time of the newest event read from any source (the status). */
  private newestEventTime: number | undefined;
  private announcedSinceSave = false;
  private lastAlert: { at: number; kind: string; title: string } | undefined;
  private readonly totals: Record<string, number> = { announcements: 0 };
  private readonly startedAt = Date.now();
  /** How long the event loop was held (the status): the watcher's reading and alerts wait meanwhile. */
  private readonly stalls = new LoopStalls();
  private readonly identity = processIdentity(process.pid);
  private stdinDone: Promise<void> | undefined;
  private restoredLines = 0;
  private saveFailing = false;
  /** When the checkpoint was last written (ms), and why writing it fails now. */
  private savedAt: number | undefined;
  private saveError: string | undefined;
  /** Why the status file cannot be written now. */
  private statusError: string | undefined;
  /** Followed names that could not be opened, by path: listed by `--status` until they are read. */
  private readonly sourceProblems = new Map<string, SourceProblem>();
  /** Standard input (`-`): lines and bytes read, whether it ended. */
  private stdinStats: { lines: number; bytes: number; ended: boolean } | undefined;
  /** Lines reached the detector since its last poll: a checkpoint polls first, so it never runs ahead of it. */
  private unpolled = false;
  /** What the last checkpoint written held (bar the episodes, counted by the detector's revision). */
  private savedMark: string | undefined;
  /** Detectors made so far (a config reload makes a new one). */
  private detectorGeneration = 0;
  /** What the last status written showed (bar the clock and memory), and when it was written. */
  private statusMark: string | undefined;
  private statusWrittenAt = 0;
  private stopped = false;
  private rate = { at: Date.now(), lines: 0, perSecond: 0 };
  /**
   * Set by a config reload: lines re-read from then on feed a detector under another config, so what they
   * make qualify is announced (unless it was announced before); a restart's re-read stays quiet.
   */
  private replayAnnounces = false;
  /** Re-read lines reached the detector since its last quiet poll (see `settleReplay`). */
  private replayUnpolled = false;
  private lastReplayPoll = 0;
  /** Per source path: lines handed over at the last rate sample, and the rate then (status). */
  private readonly sourceRates = new Map<string, { at: number; delivered: number; perSecond: number }>();
  /** Rotated spool segments read to their end: deleted once a checkpoint no longer names them. */
  private finishedSegments: FilePosition[] = [];
  /** Unparsed lines of the chunk being read, for the store. */
  private chunkProblems: { line: number; kind: SinkProblem['kind']; reason: string; text: string }[] = [];
  /** Store input names of the spool files (syslog receivers, the journal). */
  private readonly spoolNames = new Map<string, string>();

  constructor(private readonly opts: WatcherOptions) {
    this.detector = new LiveDetector(opts.kb, opts.config);
    this.records = new RecordReader({ ...opts.records, maxLineBytes: opts.maxLineBytes });
    this.replay = new ReplayTracker(longestWindowMs(opts.config));
    if (opts.store) this.records.onUnparsed = (u, kind) => this.chunkProblems.push({ ...u, kind });
    for (const s of opts.spools ?? [])
      this.spoolNames.set(s.spoolPath, s.name === 'journal' ? 'journal' : `syslog:${s.name}`);
  }

  /** Load the checkpoint, start the sources and the timers. Throws when the state directory cannot be used. */
  async start(): Promise<void> {
    const { state } = this.opts;
    state.ensure();
    const loaded = state.load();
    if (loaded.problem) this.opts.onNotice({ kind: 'error', path: state.dir, detail: loaded.problem });
    const cp = loaded.checkpoint;
    if (cp) {
      this.detector.restore(cp.announced);
      Object.assign(this.totals, cp.totals);
      this.restoredLines = cp.totals['lines'] ?? 0;
    }
    // Told to stop while waiting for a store another process holds: nothing was read, nothing is to be saved.
    if ((await this.opts.store?.start()) === false) {
      this.stoppedBeforeReading = true;
      return;
    }
    for (const s of this.opts.spools ?? []) await s.start();
    const patterns = [...this.opts.files, ...(this.opts.spools ?? []).map((s) => s.spoolPath)];
    const spoolPaths = new Set((this.opts.spools ?? []).map((s) => s.spoolPath));
    this.follower = new Follower(patterns, {
      from: this.opts.from,
      pollMs: this.opts.pollMs,
      partialFlushMs: this.opts.partialFlushMs,
      maxLineBytes: this.opts.maxLineBytes,
      positions: this.startPositions(cp?.positions ?? []),
      // Files that came while the watcher was stopped (modified after its last checkpoint) are read whole.
      ...(cp && cp.writtenAt > 0 ? { since: cp.writtenAt } : {}),
      // Spools are read from their start: what was received before is never skipped.
      readWhole: [...spoolPaths],
      replayFrom: new Map((cp?.replay ?? []).map((r) => [r.identity, r])),
      onLines: (c) => this.serial(() => this.take(c)),
      onReleased: (last) => {
        if (spoolPaths.has(last.path)) this.finishedSegments.push(last);
        // A name no longer read (deleted, or a glob's file rotated away): its envelope reader and router go
        // too, so a glob over dated file names does not keep one per name ever seen.
        else if (!this.follower?.follows(last.path)) this.records.drop(last.path);
      },
      onNotice: (n) => {
        // A spool is ours: everything in it is read from its start.
        if (n.kind === 'missing' && spoolPaths.has(n.path)) return;
        this.noteSourceProblem(n);
        this.opts.onNotice(n);
      },
    });
    await this.follower.start();
    this.stalls.start();
    if (this.opts.stdin) this.stdinDone = this.readStdin(this.opts.stdin);
    const every = (ms: number, fn: () => Promise<void> | void) => {
      const t = setInterval(() => void this.serial(async () => fn()), ms);
      this.timers.push(t);
    };
    every(this.opts.detectEveryMs ?? DEFAULT_DETECT_EVERY_MS, () => this.tick());
    // With a store the checkpoint follows the store's commits (src/watch/store-sink.ts).
    every(this.opts.checkpointMs ?? DEFAULT_CHECKPOINT_MS, () =>
      this.opts.store && !this.opts.store.empty() ? undefined : this.save(),
    );
    // With a store: commit when due; else let go of a store kept open when another process wants it.
    if (this.opts.store)
      every(250, async () => {
        const sink = this.opts.store;
        if (!sink) return;
        if (sink.due()) return this.save();
        await sink.pruneIdle();
        await sink.letGoIfAsked();
      });
    every(this.opts.statusMs ?? DEFAULT_STATUS_MS, () => this.writeStatus());
    await this.serial(() => this.writeStatus(true));
  }

  /**
   * The checkpoint's positions, and with a store, where the store's files end for files the checkpoint
   * does not name (ingested before, or a lost state directory): they are read on from there. Only the files
   * this watcher follows by name (a file rotated away while it was stopped is found by the name it had): the
   * store also holds files ingested once (archives, other logs), which are not this watcher's to read on.
   */
  private startPositions(saved: FilePosition[]): FilePosition[] {
    // A checkpoint of a watcher that followed other files with this state directory (another command line,
    // a test run before the real one) names files that are not this watcher's: they are neither read on nor
    // said to be lost. Spools are named by their paths.
    const named = (path: string) =>
      this.opts.files.some((f) => namedBy(f, path)) ||
      (this.opts.spools ?? []).some((s) => path === s.spoolPath || path === `${s.spoolPath}.1`);
    // A checkpoint written before names were kept absolute holds them as given: resolved here, as they were.
    const ours = saved
      .map((p) => (isAbsolute(p.path) ? p : { ...p, path: resolve(p.path) }))
      // A file rotated away while it was read is saved under its new name: it is the name's it left.
      .filter((p) => named(p.path) || named(followedName(p, this.opts.files)));
    const known = new Set(ours.map((p) => replayKey(p)));
    const fromStore = (this.opts.store?.filePositions() ?? []).filter(
      (p) => !known.has(replayKey(p)) && this.opts.files.some((f) => namedBy(f, p.path)),
    );
    return [...ours, ...fromStore];
  }

  /** Run work one at a time: lines, detection polls and checkpoints never interleave. */
  private serial(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn, fn);
    this.chain = next.catch(() => {});
    return next;
  }

  /**
   * Poll quietly for what re-read lines made since the last such poll: findings announced before the restart
   * are remembered, not said again. Called before a line read anew reaches the detector and before any other
   * poll, so a quiet poll never sees what new lines made.
   */
  private settleReplay(): void {
    if (!this.replayUnpolled) return;
    this.detector.quiet = true;
    this.detector.poll();
    this.detector.quiet = false;
    this.replayUnpolled = false;
    this.lastReplayPoll = Date.now();
  }

  /** Parse one chunk of lines into the detector. */
  private async take(c: LineChunk): Promise<void> {
    const key = replayKey(c.end);
    const quietReplay = c.replay && !this.replayAnnounces;
    if (!quietReplay) this.settleReplay();
    // Replayed lines are before the checkpoint, so the store holds them already.
    const sink = c.replay ? undefined : this.opts.store;
    const stored: { ev: FwEvent; start: number }[] = [];
    this.chunkProblems.length = 0;
    this.records.read(
      c.path,
      c.lines,
      c.flaws,
      c.firstLine,
      (ev, raw, index) => {
        this.detector.push(ev, raw);
        if (sink) stored.push({ ev, start: c.starts[index]! });
        if (ev.timestamp !== undefined) {
          this.lastEventTime = ev.timestamp;
          this.newestEventTime = ev.timestamp;
          this.lastEventWall = Date.now();
          this.replay.note(key, ev.timestamp, c.starts[index]!, c.firstLine + index);
        }
      },
      c.replay === true,
    );
    if (sink) {
      const { dev, ino, fp, fpLen } = c.end;
      const spool = this.spoolNames.get(c.path);
      sink.add(
        {
          readPath: c.path,
          name: spool ?? c.path,
          file: { dev, ino, fp, fpLen },
          byName: spool !== undefined,
          ...(c.fd === undefined ? {} : { fd: c.fd }),
        },
        stored,
        this.chunkProblems.map((p) => ({ ...p, start: c.starts[p.line - c.firstLine] ?? c.end.offset })),
        c.end,
        { first: c.firstLine, starts: c.starts },
      );
    }
    this.chunkProblems.length = 0;
    this.lastInput = Date.now();
    if (quietReplay) {
      // Polled quietly at most every detectEveryMs (a poll looks at the groups that changed), and before
      // anything else polls or reads on.
      this.replayUnpolled = true;
      if (Date.now() - this.lastReplayPoll >= (this.opts.detectEveryMs ?? DEFAULT_DETECT_EVERY_MS))
        this.settleReplay();
      return;
    }
    if (!c.replay) this.rate.lines += c.lines.length;
    this.unpolled = true;
    if (Date.now() - this.lastDetect >= (this.opts.detectEveryMs ?? DEFAULT_DETECT_EVERY_MS))
      await this.detect();
    if (this.opts.store?.due()) await this.save();
  }

  private async readStdin(stream: NodeJS.ReadableStream): Promise<void> {
    const splitter = new LineSplitter(this.opts.maxLineBytes);
    let line = 0;
    const stats = { lines: 0, bytes: 0, ended: false };
    this.stdinStats = stats;
    const feed = async (lines: string[], flaws: LineChunk['flaws']) => {
      if (lines.length === 0) return;
      const first = line + 1;
      line += lines.length;
      stats.lines = line;
      await this.serial(async () => {
        const sink = this.opts.store;
        const stored: { ev: FwEvent; start: number }[] = [];
        this.chunkProblems.length = 0;
        this.records.read('(stdin)', lines, flaws, first, (ev, raw, index) => {
          this.detector.push(ev, raw);
          if (sink) stored.push({ ev, start: first + index });
          // For the status only: stdin does not move detection time on when it is quiet, as before.
          if (ev.timestamp !== undefined) this.newestEventTime = ev.timestamp;
        });
        sink?.add(
          { readPath: '(stdin)', name: STDIN_INPUT, byName: true },
          stored,
          this.chunkProblems.map((p) => ({ ...p, start: p.line })),
          { offset: line, line },
          {
            first,
            starts: lines.map((_, i) => first + i),
            bytes: lines.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0),
          },
        );
        this.chunkProblems.length = 0;
        this.lastInput = Date.now();
        this.rate.lines += lines.length;
        this.unpolled = true;
        // As for files: a poll looks at every open group, so not after every chunk of a fast pipe (the timer
        // polls within detectEveryMs when the input pauses).
        if (Date.now() - this.lastDetect >= (this.opts.detectEveryMs ?? DEFAULT_DETECT_EVERY_MS))
          await this.detect();
        if (sink?.due()) await this.save();
      });
    };
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      // Standard input has no file to read again: while the store's memory is full, it is not read on
      // (the writer of the pipe waits), until commits make room.
      while (this.opts.store?.full() && !this.stopped) await sleep(STDIN_PAUSE_MS);
      const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      stats.bytes += bytes.length;
      const b = splitter.push(bytes);
      await feed(b.lines, b.flaws);
    }
    const last = splitter.end();
    await feed(last.lines, last.flaws);
    stats.ended = true;
  }

  /** A followed name that cannot be opened is listed by `--status` with why, until it is read. */
  private noteSourceProblem(n: FollowNotice): void {
    if (n.path === '' || n.path === this.opts.state.dir) return;
    const problem =
      n.kind === 'missing'
        ? 'not there (yet)'
        : n.kind === 'binary'
          ? 'binary or compressed: skipped'
          : n.kind === 'utf16'
            ? 'UTF-16 text: skipped'
            : n.kind === 'error' && !this.follower?.follows(n.path)
              ? (n.detail ?? 'cannot be read')
              : undefined;
    if (problem !== undefined) this.sourceProblems.set(n.path, { problem, since: Date.now() });
    else if (n.kind === 'replaced') this.sourceProblems.delete(n.path);
  }

  /** True once standard input (when read) has ended. */
  stdinEnded(): Promise<void> | undefined {
    return this.stdinDone;
  }

  /** Poll the detector and hand every announcement to the alerter; checkpoint right after an announcement. */
  private async detect(): Promise<void> {
    this.settleReplay();
    this.lastDetect = Date.now();
    this.unpolled = false;
    const out: Announcement[] = this.detector.poll();
    for (const a of out) {
      try {
        await this.opts.alerter.announce(a);
      } catch (e) {
        // The alerter keeps its own queue and retries; a failure here must not make lines read twice.
        this.opts.onNotice({ kind: 'error', path: 'alerts', detail: (e as Error).message });
      }
      this.totals['announcements'] = (this.totals['announcements'] ?? 0) + 1;
      if (a.kind === 'new') this.opts.store?.addFinding(a.finding);
      this.lastAlert = { at: Date.now(), kind: a.kind, title: a.finding.title.en };
    }
    if (out.length > 0) {
      // The alerts are written or durably queued (announce); what the repeat rules remember is written before the
      // checkpoint. Deliveries go on in the background: waiting for them here held reading, the terminal and
      // checkpoints up to a webhook's timeout per try.
      const alerter = this.opts.alerter;
      await (alerter.persist ? alerter.persist() : alerter.flush()).catch((e: Error) =>
        this.opts.onNotice({ kind: 'error', path: 'alerts', detail: e.message }),
      );
      this.announcedSinceSave = true;
      await this.save();
    }
  }

  /** Timer: look for findings; when the input is quiet, move event time on so idle windows close. */
  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    // What re-read lines made is polled quietly before event time moves on and closes their groups.
    this.settleReplay();
    if (now - this.lastInput >= QUIET_ADVANCE_MS && this.lastEventTime !== undefined)
      this.detector.advance(this.lastEventTime + (now - this.lastEventWall));
    await this.detect();
    if (now - this.rate.at >= 1000) {
      this.rate.perSecond = Math.round((this.rate.lines * 1000) / (now - this.rate.at));
      this.rate = { at: now, lines: 0, perSecond: this.rate.perSecond };
    }
  }

  /**
   * Write the checkpoint: positions (of lines fully handled and polled), replay points and announced
   * findings. With a store, the store is committed first; while it fails the checkpoint is held back (the
   * lines after it are still in the files, and a restart reads them again).
   */
  private async save(force = false): Promise<void> {
    if (!this.follower) return;
    // The episodes saved include what re-read lines made.
    this.settleReplay();
    // What the lines up to the positions saved made qualify is announced first: a checkpoint of lines read
    // but not yet polled (within detectEveryMs of the last poll) made a restart read them again quietly, as
    // handled, and their findings were never announced.
    if (this.unpolled) await this.detect();
    if (this.opts.store && !(await this.commitStore(force))) return;
    const positions = this.follower.positions();
    const live = new Set(positions.map((p) => replayKey(p)));
    const replay = this.replay.points(live);
    // Lines up to the positions saved, over every run: a restart that lost or re-read lines shows here.
    const totals = { ...this.totals, lines: this.restoredLines + this.follower.committedLines() };
    // Written only when something in it changed: an idle watcher rewrote (and fsynced) the whole checkpoint,
    // megabytes with many announced episodes, every 2 s, wearing out the flash of a small machine.
    const mark = JSON.stringify([positions, replay, totals, this.detectorGeneration, this.detector.revision]);
    if (mark === this.savedMark && this.finishedSegments.length === 0) {
      this.announcedSinceSave = false;
      return;
    }
    try {
      this.opts.state.save({
        version: 1,
        writtenAt: Date.now(),
        positions,
        replay,
        announced: this.detector.episodes(),
        totals,
      });
      this.savedMark = mark;
      this.deleteFinishedSegments();
      this.announcedSinceSave = false;
      if (this.saveFailing)
        this.opts.onStateWrite?.({ what: 'checkpoint', file: this.opts.state.checkpointPath() });
      this.saveFailing = false;
      this.saveError = undefined;
      this.savedAt = Date.now();
    } catch (e) {
      // A full or read-only state disk: said once until a checkpoint succeeds again; the watch goes on.
      this.saveError = ioErrorText(e);
      if (!this.saveFailing) {
        const file = this.opts.state.checkpointPath();
        if (this.opts.onStateWrite)
          this.opts.onStateWrite({
            what: 'checkpoint',
            file,
            error: this.saveError,
            ...(this.savedAt === undefined ? {} : { lastWritten: this.savedAt }),
          });
        else this.opts.onNotice({ kind: 'error', path: this.opts.state.dir, detail: (e as Error).message });
      }
      this.saveFailing = true;
    }
  }

  /**
   * Commit the store; once it takes writes, lines held back in their files are read again, a piece and a
   * commit at a time, for at most `REREAD_SLICE_MS` (the next checkpoint goes on). True when the store holds
   * every line read. Not at stop: what is still held back is read again after a restart, from the checkpoint.
   */
  private async commitStore(force: boolean): Promise<boolean> {
    const sink = this.opts.store!;
    let ok = await sink.commit(force);
    const until = Date.now() + REREAD_SLICE_MS;
    while (
      !ok &&
      !this.stopped &&
      sink.holding() &&
      sink.status().failing === undefined &&
      Date.now() < until
    ) {
      sink.reread(this.rereadParser);
      ok = await sink.commit(true);
    }
    return ok;
  }

  /** Parses lines read again for the store: a reader of its own, so the live reader's state is untouched. */
  private readonly rereadParser: RereadParser = (path, lines, flaws, firstLine) => {
    this.rereader ??= new RecordReader({ ...this.opts.records, maxLineBytes: this.opts.maxLineBytes });
    const reader = this.rereader;
    const events: { ev: FwEvent; index: number }[] = [];
    const problems: { line: number; kind: SinkProblem['kind']; reason: string; text: string }[] = [];
    reader.onUnparsed = (u, kind) => problems.push({ ...u, kind });
    reader.read(path, lines, flaws, firstLine, (ev, _raw, index) => events.push({ ev, index }));
    return { events, problems };
  };
  private rereader: RecordReader | undefined;

  /**
   * Delete the rotated spool segments (`<spool>.1`) read to their end, now that the checkpoint just written
   * no longer names them: the receiver rotates its spool again only once `.1` is gone, so nothing unread is
   * ever renamed over. A segment is deleted only when it still is the file that was read (device and inode).
   */
  private deleteFinishedSegments(): void {
    for (const seg of this.finishedSegments.splice(0)) {
      const path = `${seg.path}.1`;
      try {
        const st = statSync(path);
        if (st.dev === seg.dev && st.ino === seg.ino) unlinkSync(path);
      } catch {
        // Already gone.
      }
    }
  }

  /** What `--status` shows. */
  async status(): Promise<Record<string, unknown>> {
    const follow = this.follower ? await this.follower.stats() : undefined;
    const sources = this.sourcesStatus(follow?.files ?? []);
    return {
      pid: process.pid,
      // Tells this process from a later one given the same pid (after a reboot): `--status` compares it.
      ...(this.identity === undefined ? {} : { processIdentity: this.identity }),
      startedAt: new Date(this.startedAt).toISOString(),
      writtenAt: new Date().toISOString(),
      // Written at least this often: a status older than three of these is stale (`--status`).
      statusHeartbeatSeconds: Math.round((this.opts.statusHeartbeatMs ?? DEFAULT_STATUS_HEARTBEAT_MS) / 1000),
      sources,
      spools: Object.fromEntries((this.opts.spools ?? []).map((s) => [s.name, s.stats()])),
      linesPerSecond: this.rate.perSecond,
      // Input not yet handled: bytes of the followed files not yet read (a pipe's are not known).
      lagBytes: sources.reduce((n, f) => n + (typeof f['lag'] === 'number' ? f['lag'] : 0), 0),
      // The time of the newest event read (its age is shown by `--status`; a quiet firewall's grows).
      ...(this.newestEventTime === undefined
        ? {}
        : { newestEventAt: new Date(this.newestEventTime).toISOString() }),
      ...(this.saveError === undefined
        ? {}
        : {
            checkpointFailing: {
              file: this.opts.state.checkpointPath(),
              error: this.saveError,
              ...(this.savedAt === undefined ? {} : { lastWrittenAt: new Date(this.savedAt).toISOString() }),
            },
          }),
      counts: this.records.counts,
      unparsed: this.records.unparsed,
      detection: this.detector.engine.stateSizes(),
      detectionClosedEarly: this.detector.engine.closedEarly(),
      config: this.configState,
      alerts: this.opts.alerter.stats(),
      lastAlert: this.lastAlert,
      ...(this.opts.store ? { store: this.opts.store.status() } : {}),
      eventLoop: this.stalls.status(),
      ...memoryFigures(),
    };
  }

  /**
   * The files in the status: each with its bytes not yet handled (`lag`) and lines per second since the
   * last status (over at least one second), from its count of lines handed over.
   */
  private sourcesStatus(files: FollowStats['files']): Record<string, unknown>[] {
    const now = Date.now();
    const seen = new Set<string>();
    const out = files.map((f) => {
      const key = f.rotated ? `${f.path}\0rotated` : f.path;
      seen.add(key);
      const before = this.sourceRates.get(key);
      let perSecond = before?.perSecond ?? 0;
      if (!before || f.delivered < before.delivered)
        this.sourceRates.set(key, { at: now, delivered: f.delivered, perSecond: 0 });
      else if (now - before.at >= 1000) {
        perSecond = Math.round(((f.delivered - before.delivered) * 1000) / (now - before.at));
        this.sourceRates.set(key, { at: now, delivered: f.delivered, perSecond });
      }
      const { delivered: _, ...shown } = f;
      return { ...shown, lag: Math.max(0, f.size - f.offset), linesPerSecond: perSecond } as Record<
        string,
        unknown
      >;
    });
    // Names that could not be opened: missing, not readable, skipped, with why (until they are read).
    const followed = new Set(files.map((f) => f.path));
    for (const [path, p] of this.sourceProblems) {
      if (followed.has(path)) this.sourceProblems.delete(path);
      else out.push({ path, problem: p.problem, since: new Date(p.since).toISOString() });
    }
    const stdin = this.stdinStats;
    if (stdin) {
      seen.add('-');
      const before = this.sourceRates.get('-');
      let perSecond = before?.perSecond ?? 0;
      if (!before) this.sourceRates.set('-', { at: now, delivered: stdin.lines, perSecond: 0 });
      else if (now - before.at >= 1000) {
        perSecond = stdin.ended
          ? 0
          : Math.round(((stdin.lines - before.delivered) * 1000) / (now - before.at));
        this.sourceRates.set('-', { at: now, delivered: stdin.lines, perSecond });
      }
      out.push({
        path: '-',
        stdin: true,
        line: stdin.lines,
        bytesRead: stdin.bytes,
        ended: stdin.ended,
        linesPerSecond: perSecond,
      });
    }
    for (const key of this.sourceRates.keys()) if (!seen.has(key)) this.sourceRates.delete(key);
    return out;
  }

  /**
   * Write the status file when something it shows changed, else at least every `statusHeartbeatMs` (the
   * clock, lag in time, memory and the event loop's stalls alone do not make a write). `force`: write anyway (start and stop).
   */
  private async writeStatus(force = false): Promise<void> {
    try {
      const status = await this.status();
      const {
        writtenAt: _w,
        rssBytes: _r,
        heapUsedBytes: _h,
        heapTotalBytes: _t,
        eventLoop: _l,
        ...shown
      } = status;
      const mark = JSON.stringify(shown);
      const now = Date.now();
      const heartbeat = this.opts.statusHeartbeatMs ?? DEFAULT_STATUS_HEARTBEAT_MS;
      if (!force && mark === this.statusMark && now - this.statusWrittenAt < heartbeat) return;
      this.opts.state.writeStatus(status);
      if (this.statusError !== undefined)
        this.opts.onStateWrite?.({ what: 'status', file: this.opts.state.statusPath() });
      this.statusError = undefined;
      this.statusMark = mark;
      this.statusWrittenAt = now;
    } catch (e) {
      // The status file is informative: a failure here must not stop the watch (said once; `--status` calls a
      // status that is not rewritten stale).
      if (this.statusError === undefined)
        this.opts.onStateWrite?.({
          what: 'status',
          file: this.opts.state.statusPath(),
          error: ioErrorText(e),
          ...(this.statusWrittenAt === 0 ? {} : { lastWritten: this.statusWrittenAt }),
        });
      this.statusError = ioErrorText(e);
    }
  }

  /** SIGHUP: reopen every file from its committed position. */
  async reopen(): Promise<void> {
    await this.serial(async () => {});
    await this.follower?.reopen();
  }

  /** Name the detection config file (for the status). */
  configFrom(path: string | undefined): void {
    this.configState.path = path;
  }

  /** A reload of the config failed: the one loaded before stays in use; the sentence shows in the status. */
  configKept(problem: string): void {
    this.configState.problem = problem;
  }

  /**
   * SIGHUP with a detection config: findings decided under the old config are handed over first, then a
   * new detector under `config` (remembering what was announced) rebuilds its windows by re-reading each
   * file from its replay point up to its committed position, as after a restart; reading goes on from there.
   * Lines of stdin already read cannot be re-read: their detection state starts anew.
   */
  async reload(config: DetectionConfig): Promise<void> {
    if (!this.follower) return;
    await this.follower.reopen(async (positions) => {
      let points: ReplayPoint[] = [];
      await this.serial(async () => {
        await this.detect();
        const episodes = this.detector.episodes();
        const live = new Set(positions.map((p) => replayKey(p)));
        points = this.replay.points(live);
        this.detector = new LiveDetector(this.opts.kb, config);
        this.detectorGeneration++;
        this.detector.restore(episodes);
        this.replay = new ReplayTracker(longestWindowMs(config));
        this.replayAnnounces = true;
        this.configState = {
          path: this.configState.path,
          loadedAt: new Date().toISOString(),
          reloads: this.configState.reloads + 1,
        };
      });
      return new Map(points.map((r) => [r.identity, r]));
    });
  }

  /** Stop the sources, hand over what is decided, checkpoint, close the alerter. */
  /** True when a stop came while the start waited for the store: no file was opened, no position is to be saved. */
  private stoppedBeforeReading = false;

  async stop(): Promise<void> {
    this.stopped = true;
    this.stalls.stop();
    if (this.stoppedBeforeReading) {
      await this.opts.store?.close();
      await this.opts.alerter.close();
      return;
    }
    for (const t of this.timers) clearInterval(t);
    for (const s of this.opts.spools ?? []) await s.stop();
    await this.follower?.stop();
    await this.serial(async () => {
      await this.detect();
      await this.save(true);
      await this.writeStatus(true);
      await this.opts.store?.close();
    });
    await this.opts.alerter.close();
  }

  /** True when something was announced since the last checkpoint (tests). */
  unsaved(): boolean {
    return this.announcedSinceSave;
  }
}
