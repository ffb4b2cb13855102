// The bytes of a compiled range table (src/context/asn-table.ts), all in memory or read from the table's file a
// page at a time when a look-up needs them: `fwlens explain` looks up two addresses, and reading the whole
// 10 MB table for them took 8-10 ms of its start (the bisection of one address touches ~20 pages).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** The bytes of a table: 32-bit words in this machine's order (as the compiler wrote them), and UTF-8 text. */
export interface TableBytes {
  /** Bytes in all. */
  readonly length: number;
  /** The 32-bit word at byte offset `at` (a multiple of 4, inside the table). */
  word(at: number): number;
  /** Bytes [start, end) as UTF-8 text. */
  text(start: number, end: number): string;
  /** Read bytes [start, end) ahead in one go, where they are read a page at a time (a whole section about to be scanned). */
  prefetch?(start: number, end: number): void;
}

/** A table's bytes in one buffer. */
export class BufferBytes implements TableBytes {
  private readonly words: Uint32Array;
  private readonly buf: Buffer;

  constructor(input: Buffer) {
    // Typed arrays need a 4-byte aligned offset: copy the rare unaligned buffer once.
    this.buf = input.byteOffset % 4 === 0 ? input : Buffer.from(input);
    this.words = new Uint32Array(this.buf.buffer, this.buf.byteOffset, this.buf.length >>> 2);
  }

  get length(): number {
    return this.buf.length;
  }

  word(at: number): number {
    return this.words[at >>> 2]!;
  }

  text(start: number, end: number): string {
    return this.buf.toString('utf8', start, end);
  }

  /** The first `n` bytes (or fewer), for the header. */
  head(n: number): Buffer {
    return this.buf.subarray(0, Math.min(n, this.buf.length));
  }
}

/** Bytes per page read from a table's file (a power of two). */
export const PAGE_BYTES = 4096;

/** What a word outside the file reads as (a damaged table's offsets): zero. */
const EMPTY_PAGE = new Uint32Array(PAGE_BYTES / 4);

/**
 * A table's bytes read from its open file page by page, each page once (the file is never read more than
 * whole). The file stays open for the life of the process (the table is loaded once per process).
 */
export class FileBytes implements TableBytes {
  /** The pages read so far, by number (an array: a look-up reads ~20 words, each through this). */
  private readonly pages: (Uint32Array | undefined)[];
  private read_ = 0;
  readonly length: number;

  private constructor(private readonly fd: number) {
    this.length = fstatSync(fd).size;
    this.pages = new Array<Uint32Array | undefined>(Math.ceil(this.length / PAGE_BYTES)).fill(undefined);
  }

  /** Open a table's file; throws as `openSync` does when it cannot be read. */
  static open(path: string): FileBytes {
    const fd = openSync(path, 'r');
    try {
      return new FileBytes(fd);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Bytes [start, start + n) read from the file (fewer past its end). */
  read(start: number, n: number): Buffer {
    const out = Buffer.allocUnsafe(Math.max(0, Math.min(n, this.length - start)));
    let got = 0;
    while (got < out.length) {
      const r = readSync(this.fd, out, got, out.length - got, start + got);
      if (r === 0) break;
      got += r;
    }
    return out.subarray(0, got);
  }

  /** Pages read so far. */
  get pagesRead(): number {
    return this.read_;
  }

  word(at: number): number {
    const page = (at / PAGE_BYTES) | 0;
    const words = this.pages[page] ?? this.readPage(page);
    return words[(at & (PAGE_BYTES - 1)) >>> 2]!;
  }

  /** The pages holding bytes [start, end) not read yet, read with one system call into one aligned buffer. */
  prefetch(start: number, end: number): void {
    const first = Math.max(0, (start / PAGE_BYTES) | 0);
    const last = Math.min(this.pages.length - 1, ((end - 1) / PAGE_BYTES) | 0);
    if (last < first) return;
    const buf = Buffer.allocUnsafeSlow((last - first + 1) * PAGE_BYTES).fill(0);
    this.read(first * PAGE_BYTES, buf.length).copy(buf);
    for (let page = first; page <= last; page++) {
      if (this.pages[page]) continue;
      this.pages[page] = new Uint32Array(
        buf.buffer,
        buf.byteOffset + (page - first) * PAGE_BYTES,
        PAGE_BYTES / 4,
      );
      this.read_++;
    }
  }

  /** Read page `page` (a page of its own: aligned, not from the shared pool; zero past the end of the file). */
  private readPage(page: number): Uint32Array {
    if (!(page >= 0 && page < this.pages.length)) return EMPTY_PAGE;
    const buf = Buffer.allocUnsafeSlow(PAGE_BYTES).fill(0);
    this.read(page * PAGE_BYTES, PAGE_BYTES).copy(buf);
    const words = new Uint32Array(buf.buffer, buf.byteOffset, PAGE_BYTES / 4);
    this.pages[page] = words;
    this.read_++;
    return words;
  }

  text(start: number, end: number): string {
    const first = (start / PAGE_BYTES) | 0;
    if (end <= start || (((end - 1) / PAGE_BYTES) | 0) !== first)
      return this.read(start, end - start).toString('utf8');
    // Within one page (nearly every name): from the page, read once for all its names.
    const words = this.pages[first] ?? this.readPage(first);
    const from = start & (PAGE_BYTES - 1);
    return Buffer.from(words.buffer, words.byteOffset + from, end - start).toString('utf8');
  }
}

/**
 * Bisection over `count` sorted 32-bit range starts at byte `at` of a table: the index of the last start at or
 * below `n`, or -1 when `n` is below the first.
 */
export function lastStartV4(b: TableBytes, at: number, count: number, n: number): number {
  let lo = -1;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if (b.word(at + 4 * mid) <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * The same over 128-bit starts (four words each, most significant first) for an address given as four words:
 * the words compared in order, the first one nearly always decides.
 */
export function lastStartV6(
  b: TableBytes,
  at: number,
  count: number,
  w0: number,
  w1: number,
  w2: number,
  w3: number,
): number {
  let lo = -1;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    const x = at + 16 * mid;
    const a0 = b.word(x);
    let le: boolean;
    if (a0 !== w0) le = a0 < w0;
    else {
      const a1 = b.word(x + 4);
      if (a1 !== w1) le = a1 < w1;
      else {
        const a2 = b.word(x + 8);
        le = a2 !== w2 ? a2 < w2 : b.word(x + 12) <= w3;
      }
    }
    if (le) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
