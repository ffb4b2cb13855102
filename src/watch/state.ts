// The watcher's state directory: positions, replay points and announced findings, written atomically with a schema version.
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { AnnouncedEpisode } from '../detect/live.js';
import { processIdentity, sameProcessAlive } from '../util/process-alive.js';
import type { FilePosition } from './follow.js';

/** Version of the checkpoint file; a file of another version is set aside, not misread. */
export const STATE_SCHEMA_VERSION = 1;
/**
 * Name of the file inside the state directory that holds the pid of the watcher using it (first line) and
 * what tells that process apart from a later one with the same pid (second line, `processIdentity`).
 */
export const LOCK_FILE = 'lock';
/** Name of the checkpoint file inside the state directory. */
export const CHECKPOINT_FILE = 'checkpoint.json';
/** Name of the status file the running watcher rewrites (read by `fwlens watch --status`). */
export const STATUS_FILE = 'status.json';

/** Where to re-read a file from on restart to rebuild detection windows. */
export interface ReplayPoint {
  /** identityKey of the file. */
  identity: string;
  offset: number;
  line: number;
}

/** Everything a restart needs. */
export interface Checkpoint {
  version: typeof STATE_SCHEMA_VERSION;
  /** Wall-clock time of the write (ms). */
  writtenAt: number;
  /** Files, each at the offset after its last fully handled line. */
  positions: FilePosition[];
  replay: ReplayPoint[];
  /** Findings already announced, so a restart neither repeats nor forgets them. */
  announced: AnnouncedEpisode[];
  /** Lines handled and announcements made over the watcher's life. */
  totals: Record<string, number>;
}

/** The default state directory: $XDG_STATE_HOME/fwlens, else ~/.local/state/fwlens. */
export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(base, 'fwlens');
}

/**
 * Write a file atomically: a temporary file in the same directory, fsync, rename over the target,
 * fsync the directory; a crash leaves either the old or the new content, never a mix.
 */
export function writeAtomic(path: string, dir: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeFileSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    // A full disk: the part written would take the space a later try needs.
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const dfd = openSync(dir, 'r');
  try {
    fsyncSync(dfd);
  } finally {
    closeSync(dfd);
  }
}

/** A state directory: create it, load and save the checkpoint. */
export class StateDir {
  constructor(readonly dir: string) {}

  /** Create the directory (mode 700); throws the file system's error when it cannot. */
  ensure(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  /**
   * Take the directory for this process (`lock` holds its pid and identity): two watchers on one directory
   * would announce everything twice and overwrite each other's checkpoint. Returns `holder`, the pid of the
   * watcher that has it, or nothing once it is ours; a lock whose process is gone (killed, the machine
   * restarted) or whose pid now names another process (its start time or boot differs, or, for a lock without
   * them, it is no `watch`) is taken over, and its pid returned as `tookOver`. Throws the file system's error
   * when the lock cannot be written.
   */
  claim(): { holder?: number; tookOver?: number } {
    const path = join(this.dir, LOCK_FILE);
    let tookOver: number | undefined;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o600);
        try {
          const identity = processIdentity(process.pid);
          writeFileSync(fd, `${process.pid}\n${identity === undefined ? '' : `${identity}\n`}`);
        } finally {
          closeSync(fd);
        }
        return tookOver === undefined ? {} : { tookOver };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const lock = this.lock();
      if (lock && lock.pid !== process.pid && sameProcessAlive(lock.pid, lock.identity, 'watch'))
        return { holder: lock.pid };
      if (lock && lock.pid !== process.pid) tookOver = lock.pid;
      rmSync(path, { force: true });
    }
    const holder = this.lock()?.pid;
    return holder === undefined ? {} : { holder };
  }

  /** Give the directory back (only a lock this process holds). */
  release(): void {
    if (this.lock()?.pid === process.pid) rmSync(join(this.dir, LOCK_FILE), { force: true });
  }

  /** The lock's pid and the identity of its process (none in a lock of an older version). */
  private lock(): { pid: number; identity?: string } | undefined {
    try {
      const [first, second] = readFileSync(join(this.dir, LOCK_FILE), 'utf8').split('\n');
      const pid = Number(first?.trim());
      if (!Number.isInteger(pid) || pid <= 0) return undefined;
      const identity = second?.trim();
      return identity ? { pid, identity } : { pid };
    } catch {
      return undefined;
    }
  }

  /** The saved checkpoint, or undefined when there is none; an unreadable or foreign one is reported, not used. */
  load(): { checkpoint?: Checkpoint; problem?: string } {
    let text: string;
    try {
      text = readFileSync(join(this.dir, CHECKPOINT_FILE), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return {};
      return { problem: (e as Error).message };
    }
    try {
      const parsed = JSON.parse(text) as Partial<Checkpoint>;
      if (parsed.version !== STATE_SCHEMA_VERSION)
        return {
          problem: `checkpoint schema version ${String(parsed.version)} is not ${STATE_SCHEMA_VERSION}`,
        };
      return {
        checkpoint: {
          version: STATE_SCHEMA_VERSION,
          writtenAt: Number(parsed.writtenAt) || 0,
          positions: Array.isArray(parsed.positions) ? parsed.positions : [],
          replay: Array.isArray(parsed.replay) ? parsed.replay : [],
          announced: Array.isArray(parsed.announced) ? parsed.announced : [],
          totals: parsed.totals ?? {},
        },
      };
    } catch (e) {
      return { problem: `checkpoint is not JSON (${(e as Error).message})` };
    }
  }

  /** Path of the checkpoint file. */
  checkpointPath(): string {
    return join(this.dir, CHECKPOINT_FILE);
  }

  /** Path of the status file. */
  statusPath(): string {
    return join(this.dir, STATUS_FILE);
  }

  /** Save the checkpoint atomically. */
  save(cp: Checkpoint): void {
    writeAtomic(join(this.dir, CHECKPOINT_FILE), this.dir, JSON.stringify(cp));
  }

  /** Rewrite the status file (atomically, without fsync of the data: it is only informative). */
  writeStatus(status: unknown): void {
    const path = join(this.dir, STATUS_FILE);
    const tmp = `${path}.tmp-${process.pid}`;
    try {
      writeFileSync(tmp, `${JSON.stringify(status, null, 2)}\n`, { mode: 0o600 });
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    renameSync(tmp, path);
  }

  /** The status file as the running watcher last wrote it, or undefined. */
  readStatus(): unknown {
    try {
      return JSON.parse(readFileSync(join(this.dir, STATUS_FILE), 'utf8'));
    } catch {
      return undefined;
    }
  }
}

/**
 * Per file, sampled (event time, line start) pairs, so a restart can re-read from the oldest line that
 * may still sit in an open detection window: at most one sample per 1/64 of the longest window.
 */
export class ReplayTracker {
  private readonly samples = new Map<string, { time: number; offset: number; line: number }[]>();
  constructor(private readonly windowMs: number) {}

  /** Note a line of file `identity` with its event time. */
  note(identity: string, time: number, offset: number, line: number): void {
    let list = this.samples.get(identity);
    if (!list) {
      list = [];
      this.samples.set(identity, list);
    }
    // Offsets only grow within a file; a smaller one means it was truncated (copytruncate) and written
    // anew under the same inode: samples of its old content point into nothing now.
    if (list.length > 0 && offset < list[list.length - 1]!.offset) list.length = 0;
    const last = list[list.length - 1];
    if (last && time - last.time < this.windowMs / 64) return;
    list.push({ time, offset, line });
    // Keep one sample older than the window: re-reading from it covers every line inside the window.
    while (list.length > 2 && time - list[1]!.time > this.windowMs) list.shift();
  }

  /** Replay points of the files still followed. */
  points(live: ReadonlySet<string>): ReplayPoint[] {
    const out: ReplayPoint[] = [];
    for (const [identity, list] of this.samples) {
      if (!live.has(identity)) {
        this.samples.delete(identity);
        continue;
      }
      const first = list[0];
      if (first) out.push({ identity, offset: first.offset, line: first.line - 1 });
    }
    return out;
  }
}
