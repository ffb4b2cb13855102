// The systemd journal as a source: `journalctl -f -o json` resumed after the last spooled cursor, into a spool file.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { SpoolSource } from './watcher.js';

/** Journal matches: kernel messages (netfilter LOG/NFLOG prints there) or firewalld; `+` is journalctl's OR. */
export const JOURNAL_MATCHES = ['_TRANSPORT=kernel', '+', '_SYSTEMD_UNIT=firewalld.service'];
/** Longest pause (ms) between restarts of a journalctl that exited. */
export const MAX_RESTART_DELAY_MS = 30_000;
/** Bytes read back from the end of the spool to find the last cursor. */
const TAIL_BYTES = 1 << 20;

/** Settings of the journal source. */
export interface JournalOptions {
  spoolPath: string;
  /** Program to run (default `journalctl`, found in PATH). */
  command?: string;
  /** On the very first run (no cursor yet): the whole journal instead of only what comes next. */
  fromStart?: boolean;
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
 * it is skipped.
 */
export class JournalSource implements SpoolSource {
  readonly name = 'journal';
  readonly spoolPath: string;
  private child: ChildProcess | undefined;
  private fh: FileHandle | undefined;
  private stopped = false;
  private restartDelay = 1000;
  private restartTimer: NodeJS.Timeout | undefined;
  private writes: Promise<unknown> = Promise.resolve();
  private readonly counts = { starts: 0, bytes: 0, exits: 0 };
  /** Arguments of the last journalctl started (tests). */
  lastArgs: string[] = [];

  constructor(private readonly opts: JournalOptions) {
    this.spoolPath = opts.spoolPath;
  }

  async start(): Promise<void> {
    mkdirSync(dirname(this.spoolPath), { recursive: true, mode: 0o700 });
    this.fh = await open(this.spoolPath, 'a+', 0o600);
    // A line cut by a crash is closed, so the next record starts on a line of its own.
    const size = (await this.fh.stat()).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      await this.fh.read(last, 0, 1, size - 1);
      if (last[0] !== 10) await this.fh.write('\n');
    }
    await this.spawn();
  }

  private async cursor(): Promise<string | undefined> {
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
    child.stdout!.on('data', (d: Buffer) => {
      this.counts.bytes += d.length;
      this.restartDelay = 1000;
      // Written in arrival order; a record cut between chunks is completed by the next chunk.
      this.writes = this.writes
        .then(() => this.fh?.write(d))
        .catch((e: Error) => this.opts.onProblem?.(e.message));
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (!told) this.opts.onProblem?.(`journalctl: ${d.toString('utf8').trim().split('\n')[0]}`);
      told = true;
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      this.opts.onProblem?.(
        e.code === 'ENOENT'
          ? 'journalctl was not found: the journal cannot be followed'
          : `journalctl: ${e.message}`,
      );
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
    await this.fh?.close();
    this.fh = undefined;
  }

  stats(): Record<string, number> {
    return { ...this.counts };
  }
}
