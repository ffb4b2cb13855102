// A spool file that a receiver (syslog, journal) appends whole lines to and the watcher follows: rotated to `.1`, never over an unread `.1`, bounded.
import { mkdirSync } from 'node:fs';
import { type FileHandle, open, rename, stat } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Spool size at which it is rotated to `<spool>.1` (the watcher reads the old one to its end, then deletes it). */
export const DEFAULT_MAX_SPOOL_BYTES = 256 << 20;
/**
 * Bytes the spool may hold in all (`<spool>` and a `<spool>.1` the watcher has not finished): a spool is
 * never rotated over an unread `.1`; it grows instead, up to this bound, above which the writer is told
 * the spool is full (the syslog receiver drops and counts, the journal source pauses journalctl).
 */
export const DEFAULT_SPOOL_LIMIT_BYTES = 1 << 30;

/** Size bounds of a spool. */
export interface SpoolLimits {
  /** Size at which the spool is rotated to `.1` (default DEFAULT_MAX_SPOOL_BYTES). */
  maxSpoolBytes?: number;
  /** Both segments together (default DEFAULT_SPOOL_LIMIT_BYTES, at least maxSpoolBytes). */
  spoolLimitBytes?: number;
}

/**
 * The writing end of a spool. Whole lines only are appended (`append` is given complete lines), so a
 * rotation never cuts a line in two. The spool is renamed to `<spool>.1` once it reaches
 * `maxSpoolBytes` and `.1` is gone: the watcher deletes `.1` once it has read it to its end and a
 * checkpoint no longer names it, so nothing unread is ever renamed over. While `.1` is still there the
 * spool grows instead, up to `spoolLimitBytes` for both; above that `append` writes nothing and says so.
 * Once full it stays full until the watcher has deleted `.1`, so writes that would still fit do not make
 * it flap between taking and refusing.
 */
export class SpoolFile {
  /** Bytes in `<spool>`. */
  size = 0;
  /** Bytes in `<spool>.1` while it exists (not yet read to its end and deleted by the watcher). */
  olderSize = 0;
  /** Rotations done by this writer. */
  rotations = 0;
  /** True from a refused append until one is taken again. */
  full = false;
  private fh: FileHandle | undefined;
  readonly maxSpoolBytes: number;
  readonly spoolLimitBytes: number;

  constructor(
    readonly path: string,
    limits: SpoolLimits = {},
  ) {
    this.maxSpoolBytes = limits.maxSpoolBytes ?? DEFAULT_MAX_SPOOL_BYTES;
    this.spoolLimitBytes = Math.max(limits.spoolLimitBytes ?? DEFAULT_SPOOL_LIMIT_BYTES, this.maxSpoolBytes);
  }

  /** Bytes held by both segments. */
  bytes(): number {
    return this.size + this.olderSize;
  }

  /** Open (create) the spool; a line cut by a crash is closed, so the next line starts on a line of its own. */
  async open(): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    this.fh = await open(this.path, 'a+', 0o600);
    this.size = (await this.fh.stat()).size;
    this.olderSize = await sizeOf(`${this.path}.1`);
    if (this.size > 0) {
      const last = Buffer.alloc(1);
      await this.fh.read(last, 0, 1, this.size - 1);
      if (last[0] !== 10) {
        await this.fh.write('\n');
        this.size++;
      }
    }
  }

  /**
   * Append complete lines (rotating first when the spool is big enough and `.1` is gone). False when they
   * would take the spool over its limit: nothing was written, the caller drops or waits. A failed write
   * throws with the spool cut back to where it was.
   */
  async append(data: Buffer): Promise<boolean> {
    if (!this.fh) throw new Error(`the spool ${this.path} is not open`);
    if (this.size >= this.maxSpoolBytes) await this.rotate();
    if (await this.wouldOverflow(data.length)) {
      this.full = true;
      return false;
    }
    try {
      await this.fh.write(data);
    } catch (e) {
      // Part of it may have been written (a full disk): cut it off, so the spool holds whole lines only
      // and the same lines can be written again without a torn one before them.
      await this.fh.truncate(this.size).catch(() => {});
      throw e;
    }
    this.size += data.length;
    this.full = false;
    return true;
  }

  /** Move the spool to `.1` and start a new one, unless `.1` is still there (not read to its end yet). */
  private async rotate(): Promise<void> {
    this.olderSize = await sizeOf(`${this.path}.1`);
    if (this.olderSize > 0) return;
    await this.fh!.close();
    this.fh = undefined;
    try {
      await rename(this.path, `${this.path}.1`);
      this.olderSize = this.size;
      this.rotations++;
    } finally {
      this.fh = await open(this.path, 'a', 0o600);
      this.size = (await stat(this.path)).size;
    }
  }

  /** True when `bytes` more would take both segments over the limit (the size of `.1` looked at again first). */
  private async wouldOverflow(bytes: number): Promise<boolean> {
    if (!this.full && this.size + this.olderSize + bytes <= this.spoolLimitBytes) return false;
    this.olderSize = await sizeOf(`${this.path}.1`);
    if (this.full && this.olderSize > 0) return true;
    return this.size + this.olderSize + bytes > this.spoolLimitBytes;
  }

  async close(): Promise<void> {
    await this.fh?.close();
    this.fh = undefined;
  }
}

/** Size of a file, 0 when there is none. */
export async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}
