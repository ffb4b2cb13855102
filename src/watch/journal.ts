// The systemd journal as a source: `journalctl -f -o json` resumed after the last spooled cursor, into a spool file.
import { type ChildProcess, spawn } from 'node:child_process';
import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Lang, t } from '../i18n.js';
import { SpoolFile, type SpoolLimits } from './spool.js';
import type { SpoolSource } from './watcher.js';

/** Journal matches: kernel messages (netfilter LOG/NFLOG prints there) or firewalld; `+` is journalctl's OR. */
export const JOURNAL_MATCHES = ['_TRANSPORT=kernel', '+', '_SYSTEMD_UNIT=firewalld.service'];
/** Longest pause (ms) between restarts of a journalctl that exited. */
export const MAX_RESTART_DELAY_MS = 30_000;
/** Bytes read back from the end of the spool to find the last cursor. */
const TAIL_BYTES = 1 << 20;
/** How often (ms) a full spool is looked at again while journalctl is paused. */
export const FULL_RETRY_MS = 250;
/**
 * Longest journal record held in memory while its line end has not come: a longer one is written as it
 * is (the line splitter then cuts it as too long), so a record without a line break cannot grow memory.
 */
export const MAX_RECORD_BYTES = 8 << 20;

/** Settings of the journal source. */
export interface JournalOptions extends SpoolLimits {
  spoolPath: string;
  /** Program to run (default `journalctl`, found in PATH). */
  command?: string;
  /** On the very first run (no cursor yet): the whole journal instead of only what comes next. */
  fromStart?: boolean;
  /** Language of the sentences given to `onProblem` (default English). */
  lang?: Lang;
  onProblem?(sentence: string): void;
}

/** The `__CURSOR` of the last complete JSON line of a spool's tail, if any. */
export function lastCursor(tail: string): string | undefined {
  const lines = tail.split('\n');
  // The last element follows the last line break: an unfinished line, never trusted.
  for (let i = lines.length - 2; i >= 0; i--) {
    const m = /"__CURSOR"\s*:\s*"((?:[^"\\]|\\.)*)"/.exec(lines[i]!);
    if (m) return JSON.parse(`"${m[1]}"`) as string;
  }
  return undefined;
}

/**
 * Runs `journalctl -f -o json` and appends its output to a spool file the watcher follows (read by the
 * journald JSON envelope reader like any journal export). The cursor to resume after is the one of the
 * last complete line in the spool, so what reached the spool is never asked for twice and nothing after
 * it is skipped. The spool is rotated like the syslog receiver's (`SpoolFile`): whole records only, to
 * `.1` once big, never over an unread `.1`. When both segments reach their limit nothing is dropped:
 * journalctl's output is paused (the journal keeps the records) until the watcher has read `.1`.
 */
export class JournalSource implements SpoolSource {
  readonly name = 'journal';
  readonly spoolPath: string;
  private child: ChildProcess | undefined;
  private readonly spool: SpoolFile;
  private stopped = false;
  private restartDelay = 1000;
  private restartTimer: NodeJS.Timeout | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  /** The start of a record whose line end has not come yet. */
  private partial: Buffer = Buffer.alloc(0);
  /** Set while journalctl's output is paused because the spool is full. */
  private paused = false;
  private pausedAt = 0;
  /** `__CURSOR` of the last record written to the spool by this process. */
  private written: string | undefined;
  private readonly counts = {
    starts: 0,
    bytes: 0,
    exits: 0,
    spoolBytes: 0,
    rotations: 0,
    /** Times journalctl was paused because the spool was full (nothing is dropped). */
    pausedSpoolFull: 0,
    /** Milliseconds spent paused, in all. */
    pausedMs: 0,
    /** Writes to the spool that failed (each tried again: nothing is dropped). */
    spoolErrors: 0,
  };
  /** Arguments of the last journalctl started (tests). */
  lastArgs: string[] = [];

  constructor(private readonly opts: JournalOptions) {
    this.spoolPath = opts.spoolPath;
    this.spool = new SpoolFile(opts.spoolPath, opts);
  }

  async start(): Promise<void> {
    // A spool grown without bound by an older version is rotated at the first write, then deleted once read.
    await this.spool.open();
    this.counts.spoolBytes = this.spool.bytes();
    await this.spawn();
  }

  /** Records from journalctl: whole lines go to the spool in arrival order, the unfinished rest waits. */
  private take(d: Buffer): void {
    const lf = d.lastIndexOf(10);
    if (lf < 0) {
      this.partial = this.partial.length === 0 ? Buffer.from(d) : Buffer.concat([this.partial, d]);
      if (this.partial.length > MAX_RECORD_BYTES) this.queue(this.takePartial());
      return;
    }
    const whole =
      this.partial.length === 0
        ? d.subarray(0, lf + 1)
        : Buffer.concat([this.partial, d.subarray(0, lf + 1)]);
    this.partial = lf + 1 < d.length ? Buffer.from(d.subarray(lf + 1)) : Buffer.alloc(0);
    this.queue(whole);
  }

  /** One sentence from the catalog to `onProblem`, in the configured language. */
  private say(key: Parameters<typeof t>[0], vars?: Record<string, string | number>): void {
    this.opts.onProblem?.(t(key, this.opts.lang ?? 'en', vars));
  }

  private takePartial(): Buffer {
    const p = this.partial;
    this.partial = Buffer.alloc(0);
    return p;
  }

  private queue(data: Buffer): void {
    this.writes = this.writes
      .then(() => this.write(data))
      .catch((e: Error) => this.say('watch.spool.writeError', { path: this.spoolPath, error: e.message }));
  }

  /**
   * Append to the spool; while it is full, pause journalctl and look again every FULL_RETRY_MS. On stop
   * what is not written is left to the journal: the next journalctl starts after the spool's last cursor.
   */
  private async write(data: Buffer): Promise<void> {
    for (;;) {
      const rotations = this.spool.rotations;
      let taken: boolean;
      let failure: string | undefined;
      try {
        taken = await this.spool.append(data);
      } catch (e) {
        // A failed write (disk full ...) left the spool as it was: wait and write the same records again.
        taken = false;
        failure = (e as Error).message;
        this.counts.spoolErrors++;
      }
      this.counts.rotations += this.spool.rotations - rotations;
      this.counts.spoolBytes = this.spool.bytes();
      if (taken) {
        // The cursor to resume after, kept also while a rotated spool is empty and its `.1` deleted.
        this.written =
          lastCursor(data.toString('utf8', Math.max(0, data.length - TAIL_BYTES))) ?? this.written;
        break;
      }
      if (!this.paused) {
        this.paused = true;
        this.pausedAt = Date.now();
        this.counts.pausedSpoolFull += failure === undefined ? 1 : 0;
        this.child?.stdout?.pause();
        if (failure === undefined)
          this.say('watch.journal.paused', { path: this.spoolPath, bytes: this.spool.bytes() });
        else this.say('watch.journal.writePaused', { path: this.spoolPath, error: failure });
      }
      if (this.stopped) return;
      await sleep(FULL_RETRY_MS);
      if (this.stopped) return;
    }
    if (this.paused) {
      this.paused = false;
      this.counts.pausedMs += Date.now() - this.pausedAt;
      this.child?.stdout?.resume();
      this.say('watch.journal.resumed', { path: this.spoolPath });
    }
  }

  private async cursor(): Promise<string | undefined> {
    if (this.written) return this.written;
    for (const path of [this.spoolPath, `${this.spoolPath}.1`]) {
      let fh: FileHandle | undefined;
      try {
        fh = await open(path, 'r');
        const size = (await fh.stat()).size;
        const n = Math.min(size, TAIL_BYTES);
        const buf = Buffer.alloc(n);
        await fh.read(buf, 0, n, size - n);
        const c = lastCursor(buf.toString('utf8'));
        if (c) return c;
      } catch {
        // no such spool yet
      } finally {
        await fh?.close();
      }
    }
    return undefined;
  }

  private async spawn(): Promise<void> {
    if (this.stopped) return;
    const cursor = await this.cursor();
    const args = ['-f', '-o', 'json', '--no-pager'];
    if (cursor) args.push(`--after-cursor=${cursor}`);
    else if (!this.opts.fromStart) args.push('-n', '0');
    args.push(...JOURNAL_MATCHES);
    this.lastArgs = args;
    this.counts.starts++;
    const child = spawn(this.opts.command ?? 'journalctl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    let told = false;
    // A record cut by the last journalctl's end is asked for again: this one starts after the last whole line.
    this.partial = Buffer.alloc(0);
    child.stdout!.on('data', (d: Buffer) => {
      this.counts.bytes += d.length;
      this.restartDelay = 1000;
      // A journalctl started while the spool is full waits too.
      if (this.paused) child.stdout!.pause();
      this.take(d);
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (!told) this.say('watch.journal.said', { text: d.toString('utf8').trim().split('\n')[0] ?? '' });
      told = true;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') this.say('watch.journal.missing');
      else this.say('watch.journal.said', { text: e.message });
      this.stopped = true;
    });
    child.on('exit', () => {
      this.counts.exits++;
      if (this.child === child) this.child = undefined;
      if (this.stopped) return;
      // journalctl ended (journal rotated away, a crash): start it again after what reached the spool.
      this.restartTimer = setTimeout(() => void this.writes.then(() => this.spawn()), this.restartDelay);
      this.restartDelay = Math.min(this.restartDelay * 2, MAX_RESTART_DELAY_MS);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      await exited;
    }
    await this.writes;
    await this.spool.close();
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }
}
