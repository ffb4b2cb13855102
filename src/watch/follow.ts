// Follows files and globs like `tail -F`: rotation by rename or copytruncate, truncation, new files, exact positions.
import { type Dirent, type FSWatcher, watch } from 'node:fs';
import { type FileHandle, open, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { DEFAULT_MAX_LINE_BYTES, type LineFlaw, LineSplitter } from '../ingest/line-splitter.js';
import { looksBinary, sniffMagic } from '../ingest/lines.js';
import { rotation } from '../ingest/rotation-order.js';
import { FINGERPRINT_BYTES, fingerprintOf, headMatches } from '../store/identity.js';

/** Bytes at the start of a file that make its fingerprint (with dev+inode, its identity): the store's. */
export { FINGERPRINT_BYTES };
/** Default polling interval (ms): polling is the truth, fs.watch only a hint to look sooner. */
export const DEFAULT_POLL_MS = 1000;
/** Default quiet time (ms) after which a partial last line (no line break yet) is handed over as it is. */
export const DEFAULT_PARTIAL_FLUSH_MS = 5000;
/** How long (ms) a file renamed away or deleted is still read for late writes before it is let go. */
export const DEFAULT_DRAIN_MS = 2000;
/** Bytes read per file per round, so one busy file cannot starve the others or delay checkpoints. */
export const READ_BUDGET_BYTES = 4 << 20;
/** Size of one read. */
const READ_CHUNK = 1 << 20;
/** Rotated files compressed by logrotate (or named like it): never read as text. */
export const COMPRESSED_NAME = /\.(gz|xz|bz2|zst|lz4|lzma|lz|zip|Z|br)(\.\d+)?$/;
/**
 * Names of rotated copies (`fw.log.1`, `fw.log-20261205`, `fw.log.old`): skipped when a whole directory is
 * followed, as their lines were read under the name they had before (a glob names what it wants itself).
 */
export const ROTATED_NAME = /(\.\d+|[-_.]\d{8}(\d{2,6})?|\.old|\.bak)$/;
/** Directory levels `**` and a directory argument descend at most. */
export const MAX_GLOB_DEPTH = 16;
/** Most files followed at once (each holds a file descriptor); more are left out, said once. */
export const MAX_FOLLOWED_FILES = 1024;

/** A file's identity: device, inode and a hash of its first bytes (so a reused inode is noticed). */
export interface FileIdentity {
  dev: number;
  ino: number;
  /** Fingerprint of the first `fpLen` bytes (src/store/identity.ts, the same as the store's inputs). */
  fp: string;
  fpLen: number;
}

/** Where reading of one file stands: its identity, the offset after the last line handed over, and its line number. */
export interface FilePosition extends FileIdentity {
  /** Path the file was last seen under. */
  path: string;
  /**
   * The followed name a file rotated away while it was read had before (`path` being its new name): its lines
   * are that name's, a restart reads its rest before that name's new file. Absent in older checkpoints.
   */
  followed?: string;
  offset: number;
  line: number;
  /**
   * Size of the file when it was last read, where known (a store's input; not in checkpoints): a position at
   * its size was read to its end, so its file being gone loses nothing.
   */
  size?: number;
}

/** Lines read from one file, handed over in order. */
export interface LineChunk {
  /** The path under which the lines are reported: the followed name, or the name a file rotated away by rename has now. */
  path: string;
  lines: string[];
  /** Damaged lines (too long, NUL bytes) among `lines`, in index order, as the line splitter found them. */
  flaws: LineFlaw[] | undefined;
  /** Byte offset where each line starts. */
  starts: number[];
  /** Line number of the first line. */
  firstLine: number;
  /** Position after the last line: committed once the consumer resolves. */
  end: FilePosition;
  /** Lines already handled before a restart, re-read only to rebuild detection state. */
  replay: boolean;
  /** The follower's open descriptor of the file, valid while the chunk is handled. */
  fd?: number;
}

/** Something worth one sentence to the user (source gone, truncated, skipped). */
export interface FollowNotice {
  kind:
    | 'missing'
    | 'rotated'
    | 'renamed'
    | 'truncated'
    | 'copytruncate'
    | 'binary'
    | 'utf16'
    | 'error'
    | 'lost'
    | 'lostAmong'
    | 'compressed'
    | 'resumed'
    | 'replaced'
    | 'between'
    | 'unread';
  path: string;
  detail?: string;
}

/** Settings of a Follower. */
export interface FollowOptions {
  /** Where to start files present at start-up with no saved position (default `end`). */
  from?: 'start' | 'end';
  pollMs?: number;
  partialFlushMs?: number;
  drainMs?: number;
  maxLineBytes?: number;
  /**
   * Paths always read from their start, never from their end: the watcher's own spool files, whose writer
   * rotates them after its last write (so a rotated one is let go as soon as it is read to its end).
   */
  readWhole?: readonly string[];
  /** Saved positions (from the state directory) to resume from. */
  positions?: readonly FilePosition[];
  /**
   * When the saved positions were written (ms; the checkpoint's time): a file without a position that was
   * modified after it came while we were stopped, and is read from its start whatever `from` says.
   */
  since?: number;
  /** Where to re-read from for detection state (per replayKey), before the saved position. */
  replayFrom?: ReadonlyMap<string, { offset: number; line: number }>;
  /**
   * A file rotated away (or found rotated at start-up) was read to its end and let go; its position is no
   * longer among `positions()`. The watcher deletes its own spool segments then.
   */
  onReleased?(last: FilePosition): void;
  /** Receives lines in order; the next chunk of that file waits until it resolves. */
  onLines(chunk: LineChunk): Promise<void>;
  onNotice?(n: FollowNotice): void;
  /** Wall clock (ms), injectable for tests. */
  now?(): number;
}

/** Key of an identity in maps. */
export function identityKey(id: FileIdentity): string {
  return `${id.dev}:${id.ino}:${id.fp}:${id.fpLen}`;
}

/** Key of a file for replay points: dev and inode (the fingerprint grows with a young file). */
export function replayKey(id: Pick<FileIdentity, 'dev' | 'ino'>): string {
  return `${id.dev}:${id.ino}`;
}

/**
 * True when the pattern holds glob characters (in any path component; `**` matches any directories). A
 * backslash before `*`, `?`, `[`, `]` or `\\` makes that character plain (`escapeGlob`).
 */
export function isGlob(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length && GLOB_SPECIAL.includes(pattern[i + 1]!)) i++;
    else if (c === '*' || c === '?' || c === '[') return true;
  }
  return false;
}

/** Characters a backslash makes plain in a pattern. */
const GLOB_SPECIAL = '*?[]\\';

/** A path as a pattern that names exactly it: `*`, `?`, `[`, `]` and `\\` each behind a backslash. */
export function escapeGlob(path: string): string {
  return path.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** The path a pattern without glob characters names: its escapes taken away (`escapeGlob` undone). */
export function literalPath(pattern: string): string {
  return pattern.replace(/\\([*?[\]\\])/g, '$1');
}

/**
 * A path given to `watch` as the pattern to follow it by: a path that exists as it is names that file or
 * directory, even when it holds glob characters (`fw[1].log`, as the shell would leave it when no other name
 * matches) or backslashes before them; any other path is taken as a glob when it holds them.
 */
export function patternOf(path: string, exists: (p: string) => boolean): string {
  // Also a name whose backslashes a pattern would read as escapes (`a\*b`, a file named with a backslash).
  return (isGlob(path) || literalPath(path) !== path) && exists(path) ? escapeGlob(path) : path;
}

/** A glob as the directory to start from (its components before the first wildcard) and the components to match. */
export function splitGlob(pattern: string): { base: string; parts: string[] } {
  const all = pattern.split(sep);
  const first = all.findIndex((c) => isGlob(c));
  if (first < 0) return { base: dirname(pattern), parts: [all[all.length - 1]!] };
  const head = literalPath(all.slice(0, first).join(sep));
  return { base: head === '' ? (pattern.startsWith(sep) ? sep : '.') : head, parts: all.slice(first) };
}

/**
 * Regular files (or links to them) under `dir` matching `parts` one component each, `**` standing for
 * any number of directories. Directories are never followed through links (no loops) nor descended
 * into below MAX_GLOB_DEPTH, hidden ones (`.name`) only when named; compressed names are left out, and
 * with `whole` (a directory argument) the names of rotated copies too.
 */
async function walkGlob(dir: string, parts: readonly string[], whole: boolean, depth = 0): Promise<string[]> {
  const [part, ...rest] = parts;
  if (part === undefined) return [];
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  if (part === '**') {
    out.push(...(await walkGlob(dir, rest, whole, depth)));
    if (depth < MAX_GLOB_DEPTH)
      for (const e of entries)
        if (e.isDirectory() && !e.name.startsWith('.'))
          out.push(...(await walkGlob(join(dir, e.name), parts, whole, depth + 1)));
    return out;
  }
  for (const e of entries) {
    if (!globMatch(part, e.name) || (e.name.startsWith('.') && !part.startsWith('.'))) continue;
    const path = join(dir, e.name);
    if (rest.length > 0) {
      if (e.isDirectory() && depth < MAX_GLOB_DEPTH)
        out.push(...(await walkGlob(path, rest, whole, depth + 1)));
    } else if (
      (e.isFile() || e.isSymbolicLink()) &&
      !COMPRESSED_NAME.test(e.name) &&
      !(whole && ROTATED_NAME.test(e.name))
    )
      out.push(path);
  }
  return out;
}

/**
 * True when `pattern` (a path, a directory or a glob, as `watch` takes them) names `path`: the path itself, a
 * file anywhere under the directory, or a path whose components match the glob's (`**` standing for any
 * number of directories). Both are taken from the working directory when relative. By name only: the file
 * need not exist.
 */
export function namedBy(pattern: string, path: string): boolean {
  const p = resolve(path);
  if (!isGlob(pattern)) {
    const q = resolve(literalPath(pattern));
    return p === q || p.startsWith(q.endsWith(sep) ? q : q + sep);
  }
  const { base, parts } = splitGlob(resolve(pattern));
  const b = resolve(base);
  if (!p.startsWith(b.endsWith(sep) ? b : b + sep)) return false;
  const names = p
    .slice(b.length)
    .split(sep)
    .filter((c) => c !== '');
  // matched[i][j]: the first i glob parts match the first j names (no backtracking).
  let row = [true, ...names.map(() => false)];
  for (const part of parts) {
    const next = names.map(() => false);
    next.unshift(part === '**' && row[0]!);
    for (let j = 1; j <= names.length; j++)
      next[j] =
        part === '**'
          ? row[j]! || next[j - 1]!
          : row[j - 1]! &&
            globMatch(part, names[j - 1]!) &&
            !(names[j - 1]!.startsWith('.') && !part.startsWith('.'));
    row = next;
  }
  return row[names.length]!;
}

/**
 * The followed name a saved position's lines belong to: the name its file left while it was read (`followed`);
 * in a checkpoint written before that was kept, the name its rotated name comes from (`fw.log` for `fw.log.1`)
 * when the patterns name that one and not the rotated name; else its own path.
 */
export function followedName(
  p: Pick<FilePosition, 'path' | 'followed'>,
  patterns: readonly string[],
): string {
  if (p.followed !== undefined) return p.followed;
  const family = rotation(p.path)?.family;
  return family !== undefined &&
    !patterns.some((q) => namedBy(q, p.path)) &&
    patterns.some((q) => namedBy(q, family))
    ? family
    : p.path;
}

/**
 * True when a file name matches a glob (`*`, `?`, `[abc]`, `[!abc]`, `[a-z]`; a backslash makes the character
 * after it plain). Matched by dynamic programming over name and pattern, so no pattern can make it backtrack.
 */
export function globMatch(glob: string, name: string): boolean {
  // can[j]: the first i characters of the name match the first j items of the pattern.
  const items: ({ kind: 'star' } | { kind: 'one'; test: (c: string) => boolean })[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '\\' && i + 1 < glob.length && GLOB_SPECIAL.includes(glob[i + 1]!)) {
      const plain = glob[++i]!;
      items.push({ kind: 'one', test: (ch) => ch === plain });
    } else if (c === '*') items.push({ kind: 'star' });
    else if (c === '?') items.push({ kind: 'one', test: () => true });
    else if (c === '[' && glob.indexOf(']', i + 2) > 0) {
      const close = glob.indexOf(']', i + 2);
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      const set = body;
      items.push({
        kind: 'one',
        test: (ch) => {
          let hit = false;
          for (let k = 0; k < set.length; k++) {
            if (set[k + 1] === '-' && k + 2 < set.length) {
              if (ch >= set[k]! && ch <= set[k + 2]!) hit = true;
              k += 2;
            } else if (set[k] === ch) hit = true;
          }
          return hit !== negate;
        },
      });
      i = close;
    } else items.push({ kind: 'one', test: (ch) => ch === c });
  }
  let can = new Array<boolean>(items.length + 1).fill(false);
  can[0] = true;
  for (let j = 0; j < items.length && items[j]!.kind === 'star'; j++) can[j + 1] = true;
  for (const ch of name) {
    const next = new Array<boolean>(items.length + 1).fill(false);
    for (let j = 0; j < items.length; j++) {
      const item = items[j]!;
      if (item.kind === 'star') next[j + 1] = can[j + 1]! || next[j]! || can[j]!;
      else next[j + 1] = can[j]! && item.test(ch);
    }
    can = next;
  }
  return can[items.length]!;
}

async function fingerprint(fh: FileHandle, size: number): Promise<{ fp: string; fpLen: number }> {
  const len = Math.min(size, FINGERPRINT_BYTES);
  const buf = Buffer.alloc(len);
  const { bytesRead } = len > 0 ? await fh.read(buf, 0, len, 0) : { bytesRead: 0 };
  return { fp: fingerprintOf(buf.subarray(0, bytesRead)), fpLen: bytesRead };
}

/** One open file being read. */
class Tracked {
  splitter: LineSplitter;
  /** File offset where the splitter started. */
  base: number;
  readPos: number;
  /** Offset after the last line handed over and committed. */
  committed: number;
  line: number;
  lastGrowth: number;
  /** Set when the path no longer names this file: read late writes until `drainUntil`, then let go. */
  drainUntil = 0;
  /** Lines starting before this offset are a replay (already handled before a restart). */
  replayBefore = 0;
  /** A read failed and was said; quiet until one succeeds. */
  failing = false;
  /** Set on a file that moved from this name while we were stopped: that name waits until this is read. */
  olderThan: string | undefined;
  /** The followed name a file rotated away left (`path` is its new name): that name waits until this is read. */
  leftName: string | undefined;
  /** File size at the last look (check). */
  size = 0;
  /** Lines handed over (not replayed) from this file, for its rate in the status. */
  delivered = 0;
  constructor(
    public path: string,
    public fh: FileHandle,
    public id: FileIdentity,
    offset: number,
    line: number,
    maxLineBytes: number,
    now: number,
  ) {
    this.splitter = new LineSplitter(maxLineBytes, true);
    this.base = offset;
    this.readPos = offset;
    this.committed = offset;
    this.line = line;
    this.lastGrowth = now;
  }
  position(): FilePosition {
    return {
      path: this.path,
      ...(this.leftName === undefined ? {} : { followed: this.leftName }),
      ...this.id,
      offset: this.committed,
      line: this.line,
    };
  }
}

/** Counters of a follower, for `--status`. */
export interface FollowStats {
  /** Per file: `delivered` lines handed over by this run; `rotated` while a file renamed away is read to its end. */
  files: {
    path: string;
    offset: number;
    size: number;
    line: number;
    delivered: number;
    rotated?: boolean;
  }[];
  bytesRead: number;
  /** Lines handed over and committed (replayed lines not included). */
  linesRead: number;
}

/**
 * Follows paths and globs: every line of every matching file is handed to `onLines` exactly once, in
 * order per file, across rotation by rename, copytruncate and truncation; compressed rotations are
 * skipped. Call `start`, then `stop` (which waits for the round in progress).
 */
export class Follower {
  private readonly files = new Map<string, Tracked>();
  private readonly draining: Tracked[] = [];
  /**
   * Copies a truncated file was finished from (copytruncate) that a pattern also names, by dev and inode, with
   * the offset read to and their first bytes: a glob that matches the copy too then follows it from there, not
   * from its start. A copy is forgotten once it is gone (its inode may be reused by a new file, which is read
   * from its start); at most MAX_COPIES_READ kept.
   */
  private readonly copiesRead = new Map<string, CopyRead>();
  /**
   * At start-up: rotations of a followed name that are newer than the file its saved position is found in
   * (rotated more than once while we were stopped), never read: by path, the name they were rotated from and
   * their age (larger: older). Each is read whole, oldest first, after that file and before the name's new file.
   */
  private readonly generations = new Map<string, { family: string; age: number }>();
  /** At start-up: copies (copytruncate while stopped) a saved position is finished from by resumeLeftovers. */
  private readonly copyAnchors = new Set<string>();
  private readonly watchers: FSWatcher[] = [];
  private readonly saved: Map<string, FilePosition>;
  private readonly savedPaths: Set<string>;
  /**
   * When reading last stopped: the checkpoint's time at start-up (`since`), the reload's after a SIGHUP. A rotation
   * modified after it was written (or rotated on) since: its lines were never read.
   */
  private stoppedAt: number | undefined;
  private readonly skipped = new Set<string>();
  private readonly announcedMissing = new Set<string>();
  /** Said that more files match than are followed. */
  private tooMany = false;
  /** Names whose file went away while followed: said once more when a file is there again. */
  private readonly gone = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private firstRound = true;
  private bytesRead = 0;
  private linesRead = 0;
  private readonly now: () => number;
  private readonly pollMs: number;
  private readonly maxLineBytes: number;
  /** Where to re-read files from for detection state (the options' points; new ones after a reload). */
  private replayFrom: ReadonlyMap<string, { offset: number; line: number }> | undefined;
  /** Set while `reopen` has the files closed: no round runs. */
  private holding = false;

  constructor(
    private readonly patterns: readonly string[],
    private readonly opts: FollowOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.pollMs = opts.pollMs ?? DEFAULT_POLL_MS;
    this.maxLineBytes = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.saved = new Map((opts.positions ?? []).map((p) => [identityKey(p), p]));
    // A followed name a saved file rotated away from holds a newer file by now: read whole, as its own would be.
    this.savedPaths = new Set([
      ...(opts.positions ?? []).flatMap((p) => [p.path, followedName(p, patterns)]),
      ...(opts.readWhole ?? []),
    ]);
    this.stoppedAt = opts.since;
    this.replayFrom = opts.replayFrom;
  }

  /** Start following: one round now, then every poll interval and whenever fs.watch hints at a change. */
  async start(): Promise<void> {
    // The directory a glob starts from, or a file's directory, or a directory argument itself (new
    // subdirectories are found by polling).
    const dirs = this.patterns.flatMap((p) =>
      isGlob(p) ? [splitGlob(p).base] : [dirname(literalPath(p)), literalPath(p)],
    );
    for (const dir of new Set(dirs)) {
      try {
        const w = watch(dir, { persistent: false }, () => this.soon());
        w.on('error', () => {});
        this.watchers.push(w);
      } catch {
        // No watch on this directory (absent, no inotify): polling alone still finds everything.
      }
    }
    await this.round();
  }

  /** Run a round soon (fs.watch hint, or more to read). */
  soon(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.round(), 0);
  }

  /** One round: discover files, check every file for rotation or truncation, read what is new. */
  round(): Promise<void> {
    if (this.holding) {
      this.again = true;
      return Promise.resolve();
    }
    if (this.running) {
      this.again = true;
      return this.running;
    }
    if (this.timer) clearTimeout(this.timer);
    this.running = this.roundBody()
      .catch((e: Error) => this.opts.onNotice?.({ kind: 'error', path: '', detail: e.message }))
      .finally(() => {
        this.running = undefined;
        if (this.stopped) return;
        const more = this.again;
        this.again = false;
        this.timer = setTimeout(() => void this.round(), more ? 0 : this.pollMs);
      });
    return this.running;
  }

  private async roundBody(): Promise<void> {
    const startup = this.firstRound;
    this.firstRound = false;
    const present = new Set<string>();
    await this.forgetGoneCopies();
    if (startup) await this.planGenerations();
    for (const pattern of this.patterns) {
      for (const path of await this.expand(pattern)) {
        present.add(path);
        if (this.files.has(path) || this.skipped.has(path)) continue;
        if (this.files.size >= MAX_FOLLOWED_FILES) {
          if (!this.tooMany) {
            this.tooMany = true;
            this.opts.onNotice?.({
              kind: 'error',
              path: pattern,
              detail: `more than ${MAX_FOLLOWED_FILES} files match: the others are not followed`,
            });
          }
          continue;
        }
        await this.discover(path, startup);
      }
    }
    // Names no pattern matches any more (a glob's dated files deleted one a day for a year) are forgotten once
    // a set holds more of them than files are followed at once: each set stays bounded, and a name still
    // there keeps what was said of it (a forgotten one that comes back is only said anew).
    for (const names of [this.skipped, this.announcedMissing, this.gone])
      if (names.size > MAX_FOLLOWED_FILES)
        for (const name of names) if (!present.has(name)) names.delete(name);
    if (startup) await this.resumeLeftovers();
    // Files rotated away are read first, to their end, before they are let go: their lines are older than
    // those of the new file under their name, which waits until they are done.
    const now = this.now();
    const busy = new Set<string>();
    for (const tf of [...this.draining]) {
      if (this.stopped) return;
      // Generations of one name are read one after the other, oldest first (the order of the list).
      if (busy.has(tf.leftName ?? tf.path)) continue;
      if (await this.readAvailable(tf)) {
        busy.add(tf.leftName ?? tf.path);
        this.again = true;
        continue;
      }
      if (now >= tf.drainUntil) {
        await this.flushPartial(tf);
        await tf.fh.close().catch(() => {});
        this.draining.splice(this.draining.indexOf(tf), 1);
        this.opts.onReleased?.(tf.position());
      }
    }
    // A file found under another name than it was read under (rotated while we were stopped, a glob
    // matching both names) is read first: the name it left holds newer lines, which wait for it.
    // Oldest first along the chain of names each waits for (fw.log.2, then fw.log.1, then fw.log).
    const depth = (tf: Tracked): number => {
      let d = 0;
      for (let t: Tracked | undefined = tf; t?.olderThan !== undefined && d <= this.files.size; d++)
        t = this.files.get(t.olderThan);
      return d;
    };
    const entries = [...this.files].sort(([, a], [, b]) => depth(b) - depth(a));
    for (const [path, tf] of entries) {
      if (this.stopped) return;
      if (busy.has(path)) {
        // Waiting: what waits for it waits too.
        if (tf.olderThan !== undefined) busy.add(tf.olderThan);
        continue;
      }
      await this.check(path, tf);
      if (tf.olderThan === undefined) continue;
      if (tf.readPos < tf.size) busy.add(tf.olderThan);
      else tf.olderThan = undefined;
    }
  }

  /**
   * Paths a pattern names now: the path itself; for a directory, the files under it (as `DIR/**` without
   * rotated copies); for a glob, the matching regular, uncompressed files.
   */
  private async expand(pattern: string): Promise<string[]> {
    if (!isGlob(pattern)) {
      const path = literalPath(pattern);
      let isDir = false;
      try {
        isDir = (await stat(path)).isDirectory();
      } catch {
        // not there (yet): followed by its name
      }
      return isDir ? [...new Set(await walkGlob(path, ['**', '*'], true))].sort() : [path];
    }
    const { base, parts } = splitGlob(pattern);
    return [...new Set(await walkGlob(base, parts, false))].sort();
  }

  /** Open a path seen for the first time (or again after it vanished). */
  private async discover(path: string, startup: boolean): Promise<void> {
    if (await this.sameFileAs(path)) return;
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      // Said once until the file can be read; it is tried again at every look.
      if (!this.announcedMissing.has(path)) {
        this.announcedMissing.add(path);
        this.opts.onNotice?.({
          kind: err.code === 'ENOENT' ? 'missing' : 'error',
          path,
          detail: openProblem(err),
        });
      }
      return;
    }
    this.announcedMissing.delete(path);
    if (this.gone.delete(path)) this.opts.onNotice?.({ kind: 'replaced', path });
    try {
      const st = await fh.stat();
      if (!st.isFile()) {
        await fh.close();
        this.skipped.add(path);
        this.opts.onNotice?.({ kind: 'error', path, detail: 'not a regular file' });
        return;
      }
      const head = Buffer.alloc(Math.min(st.size, 4096));
      if (head.length > 0) await fh.read(head, 0, head.length, 0);
      const magic = sniffMagic(head);
      if (magic === 'utf16le' || magic === 'utf16be' || looksBinary(head) || isCompressedMagic(head)) {
        await fh.close();
        this.skipped.add(path);
        // UTF-16 is followed as little as compressed data (its positions are not UTF-8 line ends), but said apart:
        // analyze and ingest read it, and it converts in one command.
        this.opts.onNotice?.({ kind: magic === 'utf16le' || magic === 'utf16be' ? 'utf16' : 'binary', path });
        return;
      }
      const fp = await fingerprint(fh, st.size);
      const id: FileIdentity = { dev: st.dev, ino: st.ino, ...fp };
      let offset = 0;
      let line = 0;
      let olderThan: string | undefined;
      let saved = await this.findSaved(id, fh);
      if (saved === 'rewritten') {
        // Same inode, other first bytes: copied and truncated (or rewritten) while we were away.
        const old = [...this.saved.values()].find((p) => p.dev === id.dev && p.ino === id.ino)!;
        this.saved.delete(identityKey(old));
        await this.finishFromCopy(path, old, startup);
        saved = undefined;
      } else if (saved) {
        this.saved.delete(identityKey(saved));
        offset = Math.min(saved.offset, st.size);
        line = saved.line;
        if (saved.path !== path) this.opts.onNotice?.({ kind: 'resumed', path, detail: saved.path });
        const name = followedName(saved, this.patterns);
        if (name !== path && offset < st.size) olderThan = this.nextGeneration(path, name);
      } else if (startup && this.generations.has(path)) {
        // Rotated from a followed name while we were stopped, after the file we had read: never read.
        olderThan = this.nextGeneration(path, this.generations.get(path)!.family);
        this.opts.onNotice?.({ kind: 'between', path: olderThan, detail: path });
      } else if (startup && this.copyAnchors.has(path)) {
        // The copy a saved position's rest is read from (resumeLeftovers): what it holds is read there.
        offset = st.size;
      } else if (
        startup &&
        (this.opts.from ?? 'end') === 'end' &&
        !this.savedPaths.has(path) &&
        !(this.opts.since !== undefined && st.mtimeMs > this.opts.since)
      ) {
        // A name we followed before the restart holds a new file: it came since, so it is read whole; so is a
        // file modified after the checkpoint (it came while we were stopped). Any other is read from its end.
        // Lines are numbered from where reading began: what came before is not counted.
        offset = await lastLineEnd(fh, st.size);
      } else if (await this.copyRead(st.dev, st.ino, fh)) {
        // The copy a truncated file was finished from: what it held was read then.
        offset = Math.min(this.copiesRead.get(`${st.dev}:${st.ino}`)!.offset, st.size);
        this.copiesRead.delete(`${st.dev}:${st.ino}`);
      } else if (!startup && (await this.copyOfFollowed(fh, st.size))) {
        // A copy of a file we read (copytruncate's `fw.log.1` under a glob that matches it too): what it holds
        // was read from the file, and what the file lost to the truncation is read from the copy when the
        // truncation is seen (finishFromCopy). Read from the start, it was every line again.
        offset = st.size;
      }
      const now = this.now();
      const replay = saved ? this.replayFrom?.get(replayKey(saved)) : undefined;
      const tf =
        replay && replay.offset < offset
          ? new Tracked(path, fh, id, replay.offset, replay.line, this.maxLineBytes, now)
          : new Tracked(path, fh, id, await skipLfAfterCr(fh, offset), line, this.maxLineBytes, now);
      tf.replayBefore = offset;
      tf.olderThan = olderThan;
      this.files.set(path, tf);
    } catch (e) {
      await fh.close().catch(() => {});
      this.opts.onNotice?.({ kind: 'error', path, detail: (e as Error).message });
    }
  }

  /**
   * True when the file opened as `fh` is a copy a truncated file was finished from: the same device and inode
   * and the same first bytes (an inode is reused by a new file once the copy is deleted). An entry that does
   * not match is of a copy that is gone: forgotten.
   */
  private async copyRead(dev: number, ino: number, fh: FileHandle): Promise<boolean> {
    const key = `${dev}:${ino}`;
    const c = this.copiesRead.get(key);
    if (!c) return false;
    const head = Buffer.alloc(c.fpLen);
    const { bytesRead } = c.fpLen > 0 ? await fh.read(head, 0, head.length, 0) : { bytesRead: 0 };
    if (bytesRead === c.fpLen && headMatches(head.subarray(0, bytesRead), c.fp)) return true;
    this.copiesRead.delete(key);
    return false;
  }

  /** Forget the copies finished from that are gone from their name (deleted, compressed, renamed over). */
  private async forgetGoneCopies(): Promise<void> {
    for (const [key, c] of [...this.copiesRead]) {
      const st = await stat(c.path).catch(() => undefined);
      if (!st || `${st.dev}:${st.ino}` !== key) this.copiesRead.delete(key);
    }
  }

  /**
   * True when a new file starts with the bytes a followed file started with when we read it, and holds at least
   * as much as we read of that one: a copy of it (logrotate's copytruncate), not a file of its own.
   */
  private async copyOfFollowed(fh: FileHandle, size: number): Promise<boolean> {
    for (const tf of [...this.files.values(), ...this.draining]) {
      if (tf.id.fpLen === 0 || size < tf.id.fpLen || size < tf.readPos) continue;
      if ((await fingerprint(fh, tf.id.fpLen)).fp === tf.id.fp) return true;
    }
    return false;
  }

  /**
   * True when `path` is a file already being read under another name (a glob that also matches the rotated
   * name, a hard link): a file renamed away is followed on under its new name, from where it was, so it is
   * neither read twice nor let go while it still grows.
   */
  private async sameFileAs(path: string): Promise<boolean> {
    let st: Awaited<ReturnType<typeof stat>>;
    try {
      st = await stat(path);
    } catch {
      return false;
    }
    const same = (tf: Tracked) => tf.id.dev === st.dev && tf.id.ino === st.ino;
    const renamed = this.draining.find(same);
    if (renamed) {
      this.draining.splice(this.draining.indexOf(renamed), 1);
      if (renamed.path !== path) this.opts.onNotice?.({ kind: 'resumed', path, detail: renamed.path });
      renamed.path = path;
      renamed.leftName = undefined;
      renamed.drainUntil = 0;
      this.files.set(path, renamed);
      return true;
    }
    for (const tf of this.files.values()) if (same(tf)) return true;
    return false;
  }

  /** A saved position for this identity: same dev+inode, and its fingerprint matches our first bytes. */
  private async findSaved(id: FileIdentity, fh: FileHandle): Promise<FilePosition | 'rewritten' | undefined> {
    for (const p of this.saved.values()) {
      if (p.dev !== id.dev || p.ino !== id.ino) continue;
      if (p.fpLen === id.fpLen && p.fp === id.fp) return p;
      if (p.fpLen <= id.fpLen) {
        // The file was shorter when saved (its fingerprint covered fewer bytes), or the checkpoint predates
        // the shared fingerprint (src/store/identity.ts).
        const head = Buffer.alloc(p.fpLen);
        const { bytesRead } = await fh.read(head, 0, head.length, 0);
        if (bytesRead === p.fpLen && headMatches(head, p.fp)) return p;
      }
      return 'rewritten';
    }
    return undefined;
  }

  /**
   * Read the rest of a file we had read up to `pos` from its copy (copytruncate), if one is next to it.
   * After a restart (`replay`) the copy is read from the file's replay point, so detection state of the
   * lines before the checkpoint is rebuilt from the copy as it would have been from the file.
   */
  private async finishFromCopy(path: string, pos: FilePosition, replay = false): Promise<void> {
    const copy = await findCopy(dirname(path), pos);
    if (!copy) {
      this.opts.onNotice?.({ kind: 'truncated', path });
      return;
    }
    const from = this.resumeAt(path, copy.fh, pos, replay);
    await this.readAvailable(from, Number.POSITIVE_INFINITY);
    await this.flushPartial(from);
    const cst = await copy.fh.stat().catch(() => undefined);
    // Kept only for a copy a pattern names: no other is ever discovered.
    if (cst && this.patterns.some((p) => namedBy(p, copy.path))) {
      this.copiesRead.set(`${cst.dev}:${cst.ino}`, {
        path: copy.path,
        offset: from.readPos,
        fp: pos.fp,
        fpLen: pos.fpLen,
      });
      if (this.copiesRead.size > MAX_COPIES_READ)
        this.copiesRead.delete(this.copiesRead.keys().next().value!);
    }
    await copy.fh.close().catch(() => {});
    this.opts.onNotice?.({ kind: 'copytruncate', path, detail: copy.path });
  }

  /**
   * Saved positions whose files are no longer under a followed name (rotated by rename while we were
   * away): find them next to their old path by identity and read what is left, or, copied and truncated
   * meanwhile, read the rest from the copy; the rest is reported lost. Then the generations rotated from that
   * name after them that no pattern follows (planGenerations), from their start: all of one name oldest first.
   */
  private async resumeLeftovers(): Promise<void> {
    const items: { tf: Tracked; age: number }[] = [];
    const ageOf = (path: string, family: string) => {
      const r = rotation(path);
      return r?.family === family ? r.age : Number.POSITIVE_INFINITY;
    };
    for (const p of [...this.saved.values()]) {
      this.saved.delete(identityKey(p));
      const found = await findByIdentity(dirname(p.path), p);
      if (found) {
        // From its replay point: the detection state of its last lines before the restart is rebuilt.
        const tf = this.resumeAt(p.path, found.fh, p, true);
        // Rotated away while it was read: the name it left waits for its rest, and keeps waiting after a restart.
        const name = followedName(p, this.patterns);
        if (name !== p.path) tf.leftName = name;
        if (found.path !== p.path)
          this.opts.onNotice?.({ kind: 'resumed', path: found.path, detail: p.path });
        items.push({ tf, age: ageOf(found.path, name) });
        continue;
      }
      // Copied and truncated, then rotated on (or deleted): the rest is in the copy.
      const copy = await findCopy(dirname(p.path), p);
      if (copy) {
        await copy.fh.close().catch(() => {});
        await this.finishFromCopy(p.path, p, true);
        continue;
      }
      // Only a file that had bytes after its position, or may have grown since (a checkpoint's: it was
      // followed when we stopped), lost lines; a store's input read to its end (an old rotation) did not.
      if (p.size === undefined || p.size > p.offset) this.opts.onNotice?.({ kind: 'lost', path: p.path });
    }
    // Said oldest first, as they are read.
    for (const [path, g] of [...this.generations].sort(([, a], [, b]) => b.age - a.age)) {
      // Followed under its own name (a glob naming it): read there (discover).
      if (this.files.has(path)) continue;
      try {
        const fh = await open(path, 'r');
        const st = await fh.stat();
        const id: FileIdentity = { dev: st.dev, ino: st.ino, ...(await fingerprint(fh, st.size)) };
        // Named by the name it was written under, as the file it was rotated after is.
        items.push({ tf: new Tracked(g.family, fh, id, 0, 0, this.maxLineBytes, this.now()), age: g.age });
        this.opts.onNotice?.({ kind: 'between', path: g.family, detail: path });
      } catch (e) {
        this.opts.onNotice?.({
          kind: 'error',
          path,
          detail: openProblem(e as NodeJS.ErrnoException),
        });
      }
    }
    this.generations.clear();
    this.copyAnchors.clear();
    // Read to their end (a budget per round, like any file), then let go; oldest first.
    for (const { tf } of items.sort((a, b) => b.age - a.age)) {
      tf.drainUntil = this.now();
      this.draining.push(tf);
    }
  }

  /**
   * At start-up, for each saved position whose content is now under a rotated name of the name it was read
   * under (or in a copy of it): the rotations of that name newer than it were written while we were stopped
   * and never read (rotated more than once). Those that can be read are planned (`generations`), the
   * compressed ones said in one sentence, with their sizes. Saved files found nowhere: planAfterGone.
   */
  private async planGenerations(): Promise<void> {
    const oldest = new Map<string, number>();
    const located = new Set<string>();
    const gone: FilePosition[] = [];
    for (const p of this.saved.values()) {
      const dir = dirname(p.path);
      let at: string | undefined;
      const found = await findByIdentity(dir, p);
      if (found) {
        await found.fh.close().catch(() => {});
        at = found.path;
      } else {
        const copy = await findCopy(dir, p);
        if (copy) {
          await copy.fh.close().catch(() => {});
          at = copy.path;
          // A copy of the file still under its name (rewritten): finished from when that name is discovered.
          const live = await stat(p.path).catch(() => undefined);
          if (!(live && live.dev === p.dev && live.ino === p.ino)) this.copyAnchors.add(at);
        }
      }
      if (at === undefined) {
        // Only a file that may have had lines after its position (resumeLeftovers' rule for saying it lost).
        if (p.size === undefined || p.size > p.offset) gone.push(p);
        continue;
      }
      located.add(at);
      const family = followedName(p, this.patterns);
      const r = rotation(at);
      if (at === family || r?.family !== family) continue;
      oldest.set(family, Math.max(oldest.get(family) ?? 0, r.age));
    }
    for (const [family, age] of oldest) {
      const compressed: Rotated[] = [];
      for (const g of await rotationsOf(family)) {
        if (g.age >= age || located.has(g.path)) continue;
        if (g.compressed) compressed.push(g);
        else this.generations.set(g.path, { family, age: g.age });
      }
      this.sayUnread(family, compressed);
    }
    // A newer saved file of the same name that is still there places the generations exactly (above).
    for (const p of gone)
      if (!oldest.has(followedName(p, this.patterns))) await this.planAfterGone(p, located);
  }

  /**
   * A saved file found nowhere at start-up (rotated, then compressed or deleted while we were stopped): the
   * plain rotations of its name written after it are planned as generations, read whole before the name's new
   * file, and its unread lines are said once. Newer than it: younger than the gzip rotation that starts with its
   * first bytes, when there is one; else modified after we stopped (`stoppedAt`; an older rotation was read to
   * its end before). A rotation with its first bytes is that file and never read again. A file still under its
   * name with other first bytes and no rotation since was truncated or rewritten in place: said by discover.
   */
  private async planAfterGone(p: FilePosition, located: ReadonlySet<string>): Promise<void> {
    const family = followedName(p, this.patterns);
    const rotations = (await rotationsOf(family)).filter((g) => !located.has(g.path));
    let holder: Rotated | undefined;
    for (const g of rotations) if (g.compressed && (await gzipStartsWith(g.path, p))) holder = g;
    const since = this.stoppedAt;
    const compressed: Rotated[] = [];
    let newer = 0;
    for (const g of rotations) {
      if (g === holder) continue;
      if (holder ? g.age >= holder.age : since === undefined || g.mtimeMs <= since) continue;
      newer++;
      if (g.compressed) compressed.push(g);
      else if (!(await startsWith(g.path, p))) this.generations.set(g.path, { family, age: g.age });
    }
    const live = await stat(p.path).catch(() => undefined);
    if (!holder && newer === 0 && live?.dev === p.dev && live.ino === p.ino) return;
    this.saved.delete(identityKey(p));
    if (holder) {
      this.opts.onNotice?.({ kind: 'compressed', path: p.path, detail: listRotations([holder]) });
      this.sayUnread(family, compressed);
    } else if (compressed.length > 0)
      // Which of them holds its lines is not known (not gzip, or its start not found): all are named.
      this.opts.onNotice?.({ kind: 'lostAmong', path: p.path, detail: listRotations(compressed) });
    else this.opts.onNotice?.({ kind: 'lost', path: p.path });
  }

  /** One sentence naming the compressed rotations of `family`, written after the file last read, that are not read. */
  private sayUnread(family: string, compressed: Rotated[]): void {
    if (compressed.length > 0)
      this.opts.onNotice?.({ kind: 'unread', path: family, detail: listRotations(compressed) });
  }

  /** The name a planned generation (or the file a saved position resumes in) waits for: the next newer one. */
  private nextGeneration(path: string, family: string): string {
    const r = rotation(path);
    const age = r?.family === family ? r.age : Number.POSITIVE_INFINITY;
    let next = family;
    let nextAge = -1;
    for (const [p, g] of this.generations)
      if (g.family === family && g.age < age && g.age > nextAge) {
        next = p;
        nextAge = g.age;
      }
    return next;
  }

  /**
   * A file (or its copy) to read on from saved position `pos`: lines before it are a replay; with `replay`
   * reading starts at the file's replay point when there is one before `pos`.
   */
  private resumeAt(path: string, fh: FileHandle, pos: FilePosition, replay: boolean): Tracked {
    const point = replay ? this.replayFrom?.get(replayKey(pos)) : undefined;
    const start = point && point.offset < pos.offset ? point : pos;
    const tf = new Tracked(path, fh, pos, start.offset, start.line, this.maxLineBytes, this.now());
    tf.replayBefore = pos.offset;
    return tf;
  }

  /** Look at one followed path: replaced, gone, truncated, or grown. */
  private async check(path: string, tf: Tracked): Promise<void> {
    let st: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      st = await stat(path);
    } catch {
      st = undefined;
    }
    if (!st || st.ino !== tf.id.ino || st.dev !== tf.id.dev) {
      // Renamed away, deleted or replaced: keep reading the old file a little, follow the name anew.
      // Our own spools are rotated by their writer after its last write: no late writes to wait for.
      const own = this.opts.readWhole?.includes(path) === true;
      // Renamed next to its name (`fw.log` -> `fw.log.1`): its lines are named by where they are now, so a
      // line number points into the file that holds it (the name it left is a new file by now). The name it
      // left still waits for it (its newer lines come after this file's). Looked up before the file moves to
      // the draining list, so a status read meanwhile never shows it rotated under the name it left.
      const moved = own ? undefined : await findByIdentity(dirname(path), tf.id);
      await moved?.fh.close().catch(() => {});
      this.files.delete(path);
      tf.drainUntil = this.now() + (own ? 0 : (this.opts.drainMs ?? DEFAULT_DRAIN_MS));
      if (moved && moved.path !== path) {
        tf.leftName = path;
        tf.path = moved.path;
      }
      this.draining.push(tf);
      await this.readAvailable(tf);
      if (moved && moved.path !== path) this.opts.onNotice?.({ kind: 'renamed', path, detail: moved.path });
      else this.opts.onNotice?.({ kind: st ? 'rotated' : 'missing', path });
      if (st) await this.discover(path, false);
      else {
        // Said here once: not again by the looks that find nothing, once more when it is back (not after a
        // rename: the sentence said a new file would come).
        this.announcedMissing.add(path);
        if (!moved) this.gone.add(path);
      }
      return;
    }
    const fst = await tf.fh.stat();
    tf.size = fst.size;
    let rewritten = fst.size < tf.readPos;
    if (!rewritten && tf.id.fpLen > 0) {
      const head = Buffer.alloc(tf.id.fpLen);
      const { bytesRead } = await tf.fh.read(head, 0, head.length, 0);
      rewritten = bytesRead < tf.id.fpLen || !headMatches(head, tf.id.fp);
    }
    if (rewritten) {
      // Truncated (copytruncate, `> file`) or rewritten in place: finish from the copy if there is one.
      await this.finishFromCopy(path, tf.position());
      const fp = await fingerprint(tf.fh, fst.size);
      const fresh = new Tracked(path, tf.fh, { ...tf.id, ...fp }, 0, 0, this.maxLineBytes, this.now());
      this.files.set(path, fresh);
      tf = fresh;
    }
    const more = await this.readAvailable(tf);
    if (more) this.soon();
    else if (
      tf.readPos > tf.committed &&
      this.now() - tf.lastGrowth >= (this.opts.partialFlushMs ?? DEFAULT_PARTIAL_FLUSH_MS)
    )
      await this.flushPartial(tf);
  }

  /** Read what is new, up to the budget; true when more is waiting. */
  private async readAvailable(tf: Tracked, budget = READ_BUDGET_BYTES): Promise<boolean> {
    let read = 0;
    while (read < budget && !this.stopped) {
      const buf = Buffer.allocUnsafe(READ_CHUNK);
      let n: number;
      try {
        ({ bytesRead: n } = await tf.fh.read(buf, 0, buf.length, tf.readPos));
      } catch (e) {
        // An I/O error is said once, not at every look, until a read succeeds again.
        if (!tf.failing) this.opts.onNotice?.({ kind: 'error', path: tf.path, detail: (e as Error).message });
        tf.failing = true;
        return false;
      }
      tf.failing = false;
      if (n === 0) return false;
      read += n;
      tf.readPos += n;
      tf.lastGrowth = this.now();
      // A file shorter than the fingerprint when first seen (new, or just truncated) grows, and so does its
      // fingerprint, before any position is handed over: one look can read a lot while its consumer waits,
      // and a position that names its file by fewer bytes than it has cannot be matched after a restart.
      if (tf.id.fpLen < FINGERPRINT_BYTES && tf.readPos > tf.id.fpLen)
        tf.id = { ...tf.id, ...(await fingerprint(tf.fh, tf.readPos)) };
      this.bytesRead += n;
      const batch = tf.splitter.push(buf.subarray(0, n));
      if (batch.lines.length > 0)
        await this.deliver(tf, batch.lines, batch.flaws, batch.offsets!, tf.base + tf.splitter.nextLineStart);
    }
    return true;
  }

  /** Hand over a partial last line as it is (quiet for long enough, or its file rotated away). */
  private async flushPartial(tf: Tracked): Promise<void> {
    if (tf.readPos <= tf.committed && !tf.splitter.holdsPartial) return;
    const batch = tf.splitter.end();
    const end = tf.readPos;
    if (batch.lines.length > 0) await this.deliver(tf, batch.lines, batch.flaws, batch.offsets!, end);
    tf.splitter = new LineSplitter(this.maxLineBytes, true);
    tf.base = end;
    tf.committed = end;
  }

  /** Hand lines over, split where replayed lines end, and commit the position once the consumer is done. */
  private async deliver(
    tf: Tracked,
    lines: string[],
    flaws: LineFlaw[] | undefined,
    offsets: number[],
    end: number,
  ): Promise<void> {
    const starts = offsets.map((o) => tf.base + o);
    let cut = 0;
    while (cut < starts.length && starts[cut]! < tf.replayBefore) cut++;
    const parts: [number, number, boolean][] = [];
    if (cut > 0) parts.push([0, cut, true]);
    if (cut < starts.length) parts.push([cut, starts.length, false]);
    for (const [from, to, replay] of parts) {
      const partEnd = to < starts.length ? starts[to]! : end;
      const firstLine = tf.line + 1;
      const chunk: LineChunk = {
        path: tf.path,
        lines: from === 0 && to === lines.length ? lines : lines.slice(from, to),
        flaws: flaws
          ?.filter((f) => f.index >= from && f.index < to)
          .map((f) => ({ ...f, index: f.index - from })),
        starts: starts.slice(from, to),
        firstLine,
        end: { path: tf.path, ...tf.id, offset: partEnd, line: tf.line + (to - from) },
        replay,
        fd: tf.fh.fd,
      };
      if (chunk.flaws?.length === 0) chunk.flaws = undefined;
      await this.opts.onLines(chunk);
      tf.line += to - from;
      tf.committed = partEnd;
      if (!replay) {
        this.linesRead += to - from;
        tf.delivered += to - from;
      }
    }
  }

  /** True while a file is read under this path (followed, or rotated away and still being read). */
  follows(path: string): boolean {
    return this.files.has(path) || this.draining.some((tf) => tf.path === path);
  }

  /** Lines handed over and committed so far, replayed ones not included (consistent with `positions`). */
  committedLines(): number {
    return this.linesRead;
  }

  /** Positions of every file being read (the followed ones and those still draining). */
  positions(): FilePosition[] {
    return [...this.files.values(), ...this.draining].map((tf) => tf.position());
  }

  /** Names remembered without a file followed under them: skipped, said to be missing, gone (memory checks). */
  namesRemembered(): number {
    return this.skipped.size + this.announcedMissing.size + this.gone.size;
  }

  /** Counters for the status file. */
  async stats(): Promise<FollowStats> {
    const files: FollowStats['files'] = [];
    const rotated = new Set(this.draining);
    for (const tf of [...this.files.values(), ...this.draining]) {
      let size = tf.readPos;
      try {
        size = (await tf.fh.stat()).size;
      } catch {
        // closed meanwhile
      }
      files.push({
        path: tf.path,
        offset: tf.committed,
        size,
        line: tf.line,
        delivered: tf.delivered,
        ...(rotated.has(tf) ? { rotated: true } : {}),
      });
    }
    return { files, bytesRead: this.bytesRead, linesRead: this.linesRead };
  }

  /**
   * Close every file and open the names again from the committed positions (SIGHUP). `prepare` runs while
   * no round can run (the files are closed); when it returns replay points, each file is re-read from its
   * point up to its committed position as a replay, as after a restart (a detection config reload).
   */
  async reopen(
    prepare?: (
      positions: readonly FilePosition[],
    ) => Promise<ReadonlyMap<string, { offset: number; line: number }> | undefined>,
  ) {
    this.holding = true;
    try {
      await this.running;
      const keep = this.positions();
      for (const tf of [...this.files.values(), ...this.draining]) await tf.fh.close().catch(() => {});
      this.files.clear();
      this.draining.length = 0;
      this.skipped.clear();
      for (const p of keep) this.saved.set(identityKey(p), p);
      this.stoppedAt = this.now();
      this.firstRound = true;
      // Without new points nothing is re-read: the detector already holds those lines (the start-up
      // points would feed them twice).
      this.replayFrom = await prepare?.(keep);
    } finally {
      this.holding = false;
    }
    await this.round();
  }

  /** Stop: no new round, wait for the current one, close every file. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watchers) w.close();
    await this.running;
    for (const tf of [...this.files.values(), ...this.draining]) await tf.fh.close().catch(() => {});
  }
}

/** One sentence for a file that cannot be opened (the system's own words for anything uncommon). */
export function openProblem(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: the user fwlens runs as may not read it (it is tried again at every look)';
    case 'ENOENT':
      return 'not there';
    case 'EMFILE':
    case 'ENFILE':
      return 'too many open files: raise the limit (ulimit -n, LimitNOFILE=) or follow fewer files';
    case 'ELOOP':
      return 'too many symbolic links in its path';
    default:
      return err.message;
  }
}

/** True for gzip, xz, bzip2 and zstd magic bytes. */
function isCompressedMagic(h: Buffer): boolean {
  if (h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b) return true;
  if (h.length >= 6 && h.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])))
    return true;
  if (h.length >= 3 && h.toString('latin1', 0, 3) === 'BZh') return true;
  return h.length >= 4 && h.readUInt32LE(0) === 0xfd2fb528;
}

/** True when the file starts with compressed data (gzip, xz, bzip2, zstd magic bytes). */
async function compressedFile(path: string): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      const head = Buffer.alloc(8);
      const { bytesRead } = await fh.read(head, 0, head.length, 0);
      return isCompressedMagic(head.subarray(0, bytesRead));
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/** Offset after the last complete line (start from `end` without cutting a line in two). */
async function lastLineEnd(fh: FileHandle, size: number): Promise<number> {
  if (size === 0) return 0;
  const back = Math.min(size, 1 << 16);
  const buf = Buffer.alloc(back);
  await fh.read(buf, 0, back, size - back);
  for (let i = back - 1; i >= 0; i--) if (buf[i] === 10 || buf[i] === 13) return size - back + i + 1;
  return size - back === 0 ? 0 : size;
}

/** A position right after a CR whose LF follows: start after the LF, so the CRLF is not read as an empty line. */
async function skipLfAfterCr(fh: FileHandle, offset: number): Promise<number> {
  if (offset === 0) return 0;
  const b = Buffer.alloc(2);
  const { bytesRead } = await fh.read(b, 0, 2, offset - 1);
  return bytesRead === 2 && b[0] === 13 && b[1] === 10 ? offset + 1 : offset;
}

/** Open the file in `dir` with this identity (a rotated file under its new name). */
async function findByIdentity(
  dir: string,
  id: FileIdentity,
): Promise<{ fh: FileHandle; path: string } | undefined> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    const path = join(dir, name);
    try {
      const st = await stat(path);
      if (!st.isFile() || st.ino !== id.ino || st.dev !== id.dev) continue;
      const fh = await openIfHead(path, id.fpLen, id.fp);
      if (fh) return { fh, path };
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}

/** The file opened when its first `length` bytes hash to `fp` (closed again and undefined otherwise). */
async function openIfHead(path: string, length: number, fp: string): Promise<FileHandle | undefined> {
  const fh = await open(path, 'r');
  const head = Buffer.alloc(length);
  const { bytesRead } = await fh.read(head, 0, head.length, 0);
  if (bytesRead === length && headMatches(head, fp)) return fh;
  await fh.close();
  return undefined;
}

/** A rotation of a followed name as found next to it. */
interface Rotated {
  path: string;
  /** Its age among the name's rotations (larger: older; src/ingest/rotation-order.ts). */
  age: number;
  /** Compressed by name or by magic bytes: never read as text. */
  compressed: boolean;
  size: number;
  mtimeMs: number;
}

/** The regular files next to `family` that are rotations of it (`fw.log.1`, `fw.log.2.gz`, `fw.log-20261205`). */
async function rotationsOf(family: string): Promise<Rotated[]> {
  let names: string[];
  try {
    names = await readdir(dirname(family));
  } catch {
    return [];
  }
  const out: Rotated[] = [];
  for (const name of names) {
    const path = join(dirname(family), name);
    const r = rotation(path);
    if (r?.family !== family) continue;
    const st = await stat(path).catch(() => undefined);
    if (!st?.isFile()) continue;
    const compressed = COMPRESSED_NAME.test(name) || (await compressedFile(path));
    out.push({ path, age: r.age, compressed, size: st.size, mtimeMs: st.mtimeMs });
  }
  return out;
}

/** Rotations named in a sentence, oldest first, each with its size. */
function listRotations(list: Rotated[]): string {
  return [...list]
    .sort((a, b) => b.age - a.age)
    .map((c) => `${c.path} (${c.size.toLocaleString('en-US')} bytes)`)
    .join(', ');
}

/** True when the file at `path` starts with the bytes of `id` (its fingerprint): a copy of that file. */
async function startsWith(path: string, id: Pick<FileIdentity, 'fp' | 'fpLen'>): Promise<boolean> {
  if (id.fpLen === 0) return false;
  const fh = await openIfHead(path, id.fpLen, id.fp).catch(() => undefined);
  await fh?.close().catch(() => {});
  return fh !== undefined;
}

/** Compressed bytes of a gzip file inflated to find its first bytes. */
const GZIP_HEAD_BYTES = 8192;
/** What those bytes may inflate to: a bomb of zeros (up to 1,032 times the input) is cut here, not held. */
const GZIP_HEAD_OUT = 1 << 20;

/**
 * True when `path` is gzip data whose first inflated bytes are those of `id`: the file compressed. Other
 * compressions (xz, bzip2, zstd) are not looked into: Node reads gzip only.
 */
async function gzipStartsWith(path: string, id: Pick<FileIdentity, 'fp' | 'fpLen'>): Promise<boolean> {
  if (id.fpLen === 0) return false;
  try {
    const fh = await open(path, 'r');
    try {
      const buf = Buffer.alloc(GZIP_HEAD_BYTES);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      if (bytesRead < 2 || buf[0] !== 0x1f || buf[1] !== 0x8b) return false;
      // A cut-off stream: what inflates from the part read, without an error for the rest.
      const head = gunzipSync(buf.subarray(0, bytesRead), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
        maxOutputLength: GZIP_HEAD_OUT,
      });
      return head.length >= id.fpLen && headMatches(head.subarray(0, id.fpLen), id.fp);
    } finally {
      await fh.close();
    }
  } catch {
    return false;
  }
}

/** Copies finished from that are remembered for a glob that may match them (a copytruncate every minute for a day). */
const MAX_COPIES_READ = 1024;

/** A copy a truncated file was finished from: where it is, how far it was read, its first bytes' fingerprint. */
interface CopyRead {
  path: string;
  offset: number;
  fp: string;
  fpLen: number;
}

/** The copy logrotate's copytruncate left: another file in `dir` with the same first bytes, at least as long as what we read. */
async function findCopy(
  dir: string,
  pos: FilePosition,
): Promise<{ fh: FileHandle; path: string } | undefined> {
  if (pos.fpLen === 0) return undefined;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return undefined;
  }
  for (const name of names) {
    if (COMPRESSED_NAME.test(name)) continue;
    const path = join(dir, name);
    try {
      const st = await stat(path);
      if (!st.isFile() || st.ino === pos.ino || st.size < pos.offset) continue;
      const fh = await openIfHead(path, pos.fpLen, pos.fp);
      if (fh) return { fh, path };
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
