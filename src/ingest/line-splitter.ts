// Splits a byte stream into text lines: LF, CRLF and lone-CR endings, a cap on line length, NUL bytes flagged.
import { isAscii } from 'node:buffer';

/** Longest line kept, in bytes (`--max-line-bytes`); a longer one is counted as "line too long", never joined whole. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

/** Bytes kept from the start of a too-long line, to show it in the report. */
export const LONG_LINE_PREFIX_BYTES = 160;

/** A line that is not usable as text: longer than the cap, or holding NUL bytes. */
export interface LineFlaw {
  /** Index of the line in its batch. */
  index: number;
  kind: 'too-long' | 'nul';
  /** Length of the whole line in bytes (its end not included). */
  bytes: number;
}

/** Lines split from one chunk; a too-long line appears as its first LONG_LINE_PREFIX_BYTES only. */
export interface LineBatch {
  lines: string[];
  /** Flawed lines of this batch, in index order; undefined when there are none (the usual case). */
  flaws: LineFlaw[] | undefined;
  /** Byte offset in the input where each line starts (only when the splitter tracks offsets). */
  offsets?: number[];
  /**
   * Byte offset in the input just after the last line of the batch, its line end included (with `offsets`;
   * undefined when the chunk ended on a CR, which a LF in the next chunk may still complete).
   */
  end?: number;
  /**
   * Only when the splitter keeps bytes: the chunk split, and per line two numbers, its [start, end) in
   * `chunk`, or -1 -1 for a line not wholly in it (joined over chunks, or flawed). A line with a span has
   * no text of its own in `lines` (an empty string stands there): it is made only when needed (`lineText`),
   * so a reader of bytes pays for no string.
   */
  chunk?: Buffer;
  spans?: number[];
}

/** Text of line `i` of a batch, whether the splitter made it or left it as bytes. */
export function lineText(batch: LineBatch, i: number): string {
  const start = batch.spans?.[2 * i] ?? -1;
  // UTF-8 decoding: what the splitter gives (its latin1 shortcut is for all-ASCII chunks, where they agree).
  return start < 0 ? batch.lines[i]! : batch.chunk!.toString('utf8', start, batch.spans![2 * i + 1]);
}

const LF = 10;
const CR = 13;

/**
 * Byte-level line splitter. The common chunk (LF endings, no NUL, lines under the cap) costs one
 * `indexOf` per line; a line spread over chunks is joined once when it ends (linear in its length),
 * and a line over the cap keeps only a short prefix while the rest is counted and skipped.
 */
export class LineSplitter {
  /** Pieces of the line that the last chunk left unfinished (copied, at most the cap in total). */
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private carryNul = false;
  /** Set while skipping the rest of a too-long line: its prefix, and its length so far. */
  private longPrefix: Buffer | undefined;
  private longBytes = 0;
  /** The last chunk ended with CR: a LF opening the next chunk completes that CRLF. */
  private afterCr = false;
  /** Bytes copied to join lines spread over chunks (lets a test check that joining stays linear). */
  copiedBytes = 0;
  /** Bytes of the input before the next chunk, and where the line being read started. */
  private consumed = 0;
  private lineStart = 0;

  /**
   * @param maxLineBytes longest line kept whole
   * @param trackOffsets also give each line's start offset in the input (`LineBatch.offsets`)
   * @param keepBytes leave plain lines as spans of the chunk (`LineBatch.spans`) instead of making their text
   */
  constructor(
    readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    private readonly trackOffsets = false,
    private readonly keepBytes = false,
  ) {}

  /** Split one chunk; lines it does not finish wait for the next chunk (or `end`). */
  push(chunk: Buffer): LineBatch {
    const out: LineBatch = { lines: [], flaws: undefined };
    const offsets: number[] | undefined = this.trackOffsets ? [] : undefined;
    if (offsets) out.offsets = offsets;
    if (this.keepBytes) {
      out.chunk = chunk;
      out.spans = [];
    }
    const base = this.consumed;
    this.consumed += chunk.length;
    let pos = 0;
    if (this.afterCr) {
      this.afterCr = false;
      if (chunk[0] === LF) {
        pos = 1;
        this.lineStart = base + 1;
      }
    }
    const latin1 = isAscii(chunk);
    let nul = chunk.indexOf(0, pos);
    let cr = chunk.indexOf(CR, pos);
    let lf = chunk.indexOf(LF, pos);
    while (lf !== -1 || cr !== -1) {
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        // A lone CR or the CR of a CRLF ends the line; the CRLF counts as one ending.
        end = cr;
        next = cr + 1;
        if (lf === next) next++;
        else if (next === chunk.length) this.afterCr = true;
        cr = chunk.indexOf(CR, next);
      } else {
        end = lf;
        next = lf + 1;
      }
      if (lf !== -1 && lf < next) lf = chunk.indexOf(LF, next);
      if (nul !== -1 && nul < pos) nul = chunk.indexOf(0, pos);
      this.finishLine(chunk, pos, end, nul !== -1 && nul < end, latin1, out);
      if (offsets) offsets.push(this.lineStart);
      this.lineStart = base + next;
      pos = next;
    }
    if (nul !== -1 && nul < pos) nul = chunk.indexOf(0, pos);
    this.keepRest(chunk, pos, nul !== -1);
    // After a CR that ends the chunk, a LF may still follow: the end of the batch is not known yet.
    if (offsets && !this.afterCr) out.end = this.lineStart;
    return out;
  }

  /** Offset (from this splitter's start) where the next line begins: the end of the last line returned. */
  get nextLineStart(): number {
    return this.lineStart;
  }

  /** True while bytes of an unfinished line are held (a partial last line). */
  get holdsPartial(): boolean {
    return this.carryBytes > 0 || this.longPrefix !== undefined || this.consumed > this.lineStart;
  }

  /** The unfinished last line, if the input did not end with a line break. */
  end(): LineBatch {
    const out: LineBatch = { lines: [], flaws: undefined };
    if (this.trackOffsets) out.offsets = [];
    if (this.keepBytes) out.spans = [];
    if (this.carryBytes > 0 || this.longPrefix) {
      this.finishLine(Buffer.alloc(0), 0, 0, false, true, out);
      out.offsets?.push(this.lineStart);
    }
    if (this.trackOffsets) out.end = this.consumed;
    return out;
  }

  private finishLine(
    chunk: Buffer,
    start: number,
    end: number,
    hasNul: boolean,
    latin1: boolean,
    out: LineBatch,
  ): void {
    const length = end - start;
    if (this.longPrefix) {
      this.pushFlaw(out, 'too-long', this.longBytes + length, this.longPrefix);
      this.longPrefix = undefined;
      this.longBytes = 0;
      return;
    }
    if (this.carryBytes === 0) {
      if (length > this.maxLineBytes) {
        this.pushFlaw(out, 'too-long', length, chunk.subarray(start, start + LONG_LINE_PREFIX_BYTES));
        return;
      }
      if (hasNul) this.pushFlaw(out, 'nul', length, chunk.subarray(start, end));
      else if (out.spans) {
        out.spans.push(start, end);
        out.lines.push('');
      } else out.lines.push(chunk.toString(latin1 ? 'latin1' : 'utf8', start, end));
      return;
    }
    const total = this.carryBytes + length;
    const tooLong = total > this.maxLineBytes;
    // Joined once, when the line ends; a too-long one only as far as its prefix.
    this.carry.push(chunk.subarray(start, tooLong ? Math.min(end, start + LONG_LINE_PREFIX_BYTES) : end));
    const joined = Buffer.concat(this.carry);
    this.copiedBytes += joined.length;
    const nulInLine = hasNul || this.carryNul;
    this.carry = [];
    this.carryBytes = 0;
    this.carryNul = false;
    if (tooLong) this.pushFlaw(out, 'too-long', total, joined);
    else if (nulInLine) this.pushFlaw(out, 'nul', total, joined);
    else {
      out.spans?.push(-1, -1);
      out.lines.push(joined.toString('utf8'));
    }
  }

  /** Keep the bytes after the last line break for the next chunk, or count them when the line is already too long. */
  private keepRest(chunk: Buffer, pos: number, hasNul: boolean): void {
    const rest = chunk.length - pos;
    if (rest === 0) return;
    if (this.longPrefix) {
      this.longBytes += rest;
      return;
    }
    if (this.carryBytes + rest > this.maxLineBytes) {
      this.carry.push(chunk.subarray(pos, pos + LONG_LINE_PREFIX_BYTES));
      this.longPrefix = Buffer.from(Buffer.concat(this.carry).subarray(0, LONG_LINE_PREFIX_BYTES));
      this.longBytes = this.carryBytes + rest;
      this.carry = [];
      this.carryBytes = 0;
      this.carryNul = false;
      return;
    }
    // A copy, so a short unfinished line does not pin the whole read chunk.
    this.carry.push(Buffer.from(chunk.subarray(pos)));
    this.copiedBytes += rest;
    this.carryBytes += rest;
    if (hasNul) this.carryNul = true;
  }

  private pushFlaw(out: LineBatch, kind: LineFlaw['kind'], bytes: number, text: Buffer): void {
    if (out.flaws === undefined) out.flaws = [];
    out.flaws.push({ index: out.lines.length, kind, bytes });
    out.spans?.push(-1, -1);
    const shown = kind === 'too-long' ? text.subarray(0, LONG_LINE_PREFIX_BYTES) : text;
    out.lines.push(shown.toString('utf8'));
  }
}
