// Opens inputs (files, FIFOs, stdin, .gz detected by its magic bytes), sniffs what they hold and streams their text lines in batches.
import { createReadStream, type ReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { type Message, tBoth } from '../i18n.js';
import { GzipError, gunzipMembers } from './gunzip.js';
import { DEFAULT_MAX_LINE_BYTES, type LineBatch, LineSplitter } from './line-splitter.js';

/** An input the user named: a path, or `-` for standard input. */
export interface InputSource {
  /** Path as given, or `-`. */
  path: string;
  /** Stream to read instead of the path (tests, stdin). */
  stream?: NodeJS.ReadableStream;
  /** Modification time of the file a stream reads (anchors year-less stamps as the path's mtime would). */
  mtimeMs?: number;
}

/** A failure to read an input, with a sentence meant for the user (in both languages when `text` is set). */
export class InputError extends Error {
  /** The sentence in English and Chinese; `message` is its English text. */
  readonly text?: Message;
  constructor(
    message: string | Message,
    readonly path: string,
  ) {
    super(typeof message === 'string' ? message : message.en);
    if (typeof message !== 'string') this.text = message;
  }
}

/** Read-chunk size; large chunks keep the per-line cost of async iteration negligible. */
export const READ_CHUNK_BYTES = 1 << 20;

/** Bytes inspected to decide whether an input is binary. */
export const BINARY_SNIFF_BYTES = 4096;

/** What the first bytes of an input say it is. */
export type Magic = 'gzip' | 'pcap' | 'pcapng' | 'utf16le' | 'utf16be' | 'text';

/** Classify an input from its first bytes. */
export function sniffMagic(head: Uint8Array): Magic {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  // UTF-16 text with its byte-order mark, as Windows tools write it (PowerShell 5's `>` and Out-File, Notepad's
  // "Unicode"); FF FE 00 00 is UTF-32's mark, left to the binary check.
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe && !(head[2] === 0 && head[3] === 0))
    return 'utf16le';
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  if (head.length >= 4) {
    const m = (head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!;
    if (m === 0x0a0d0d0a) return 'pcapng';
    const u = m >>> 0;
    if (u === 0xa1b2c3d4 || u === 0xd4c3b2a1 || u === 0xa1b23c4d || u === 0x4d3cb2a1) return 'pcap';
  }
  return 'text';
}

/** A run of at least this many NUL bytes is a hole in a text file (logrotate copytruncate, a crash), not binary content. */
export const NUL_RUN_BYTES = 8;

/** Share of control bytes (isolated NULs included) above which the sniffed bytes are binary, not a text log. */
export const BINARY_CONTROL_SHARE = 0.05;

/**
 * True when the bytes are binary data, not a text log: judged on the whole sniffed window, where
 * control bytes (NUL outside NUL runs, and other C0 codes but tab, line ends and ESC) make up more
 * than BINARY_CONTROL_SHARE of the bytes outside NUL runs. Random or compressed data has about 10%,
 * executables far more; a text log has next to none, even with a NUL hole in it.
 */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  let counted = 0;
  let control = 0;
  for (let i = 0; i < n; ) {
    const b = bytes[i]!;
    if (b === 0) {
      let j = i + 1;
      while (j < n && bytes[j] === 0) j++;
      if (j - i < NUL_RUN_BYTES && j < n) {
        counted += j - i;
        control += j - i;
      }
      i = j;
      continue;
    }
    counted++;
    if (b < 9 || (b > 13 && b < 32 && b !== 27)) control++;
    i++;
  }
  return counted > 0 && control / counted > BINARY_CONTROL_SHARE;
}

/** The error code of a path that is neither a file nor a directory (a device, a FIFO, a socket) where a file is read whole. */
export const NOT_REGULAR = 'FWLENS_NOT_REGULAR';

/** Why a file cannot be read, as one sentence (no such file, permission denied, a directory ...). */
export function describeFsError(err: NodeJS.ErrnoException, path: string): Message {
  switch (err.code) {
    case 'ENOENT':
      return tBoth('cli.input.noSuchFile', { path });
    case 'EACCES':
    case 'EPERM':
      return tBoth('cli.input.permission', { path });
    case 'EISDIR':
      return tBoth('cli.input.directory', { path });
    case NOT_REGULAR:
      return tBoth('cli.input.notRegular', { path });
    default:
      return tBoth('cli.input.other', { path, error: err.message });
  }
}

/** Read the first chunk of a stream without losing it: returns that chunk and a stream of the whole input. */
async function peekHead(
  raw: NodeJS.ReadableStream,
): Promise<{ stream: NodeJS.ReadableStream; head: Buffer }> {
  const it = (raw as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const first = await it.next();
  const head = first.done
    ? Buffer.alloc(0)
    : typeof first.value === 'string'
      ? Buffer.from(first.value)
      : first.value;
  async function* rest() {
    if (!first.done) yield head;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  return { stream: Readable.from(rest()), head };
}

/**
 * Decompress a gzip input and classify what it holds from its decompressed head, so a `.pcap.gz` is
 * read as a capture. A gzip damaged before its first block yields a stream that fails when read
 * (textLines turns that into a sentence for the user).
 */
export async function gunzipInput(stream: NodeJS.ReadableStream): Promise<{
  stream: NodeJS.ReadableStream;
  head: Buffer;
  magic: Magic;
}> {
  // Member by member: bytes after the last member cost nothing decompressed before them (src/ingest/gunzip.ts).
  const gunzip = Readable.from(gunzipMembers(stream as AsyncIterable<Buffer>), { objectMode: false });
  try {
    const { stream: inner, head } = await peekHead(gunzip);
    return { stream: inner, head, magic: sniffMagic(head) };
  } catch (e) {
    const failing = new Readable({
      read() {
        this.destroy(e as Error);
      },
    });
    return { stream: failing, head: Buffer.alloc(0), magic: 'text' };
  }
}

/**
 * UTF-16 text as UTF-8 bytes, chunk by chunk (a character cut between chunks is joined; the byte-order mark
 * dropped; an unpaired surrogate or a last odd byte becomes U+FFFD, as any UTF-16 decoder makes it).
 */
export async function* utf16ToUtf8(
  stream: AsyncIterable<Buffer | string>,
  littleEndian: boolean,
): AsyncGenerator<Buffer> {
  const decoder = new TextDecoder(littleEndian ? 'utf-16le' : 'utf-16be');
  for await (const chunk of stream) {
    const text = decoder.decode(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, { stream: true });
    if (text.length > 0) yield Buffer.from(text, 'utf8');
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield Buffer.from(rest, 'utf8');
}

/**
 * What an opened input holds, ready to be split into lines: a .gz decompressed (see gunzipInput) and UTF-16
 * text (plain or inside the .gz) turned into UTF-8, so a log saved by a Windows tool reads as any other, with the
 * same line numbers. `magic` is then what the content is: text, or a packet capture.
 */
export async function inputContent(opened: {
  stream: NodeJS.ReadableStream;
  head: Buffer;
  magic: Magic;
}): Promise<{ stream: NodeJS.ReadableStream; head: Buffer; magic: Magic }> {
  const inner = opened.magic === 'gzip' ? await gunzipInput(opened.stream) : opened;
  if (inner.magic !== 'utf16le' && inner.magic !== 'utf16be') return inner;
  const utf8 = Readable.from(utf16ToUtf8(inner.stream as AsyncIterable<Buffer>, inner.magic === 'utf16le'), {
    objectMode: false,
  });
  const { stream, head } = await peekHead(utf8);
  return { stream, head, magic: 'text' };
}

/**
 * Open an input and return its raw byte stream plus its mtime (ms, regular files only) and first bytes.
 * A regular file's head is read at offset 0; anything else (a FIFO, `<(...)`, /dev/stdin, a socket)
 * cannot seek, so its head is peeked from the stream itself.
 */
export async function openInput(
  src: InputSource,
): Promise<{ stream: NodeJS.ReadableStream; mtimeMs?: number; head: Buffer; magic: Magic }> {
  if (src.stream || src.path === '-') {
    const { stream, head } = await peekHead(src.stream ?? process.stdin);
    return { stream, head, magic: sniffMagic(head), mtimeMs: src.mtimeMs };
  }
  let mtimeMs: number | undefined;
  let head: Buffer | undefined;
  try {
    const st = statSync(src.path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (st.isFile()) {
      mtimeMs = st.mtimeMs;
      const fh = await open(src.path, 'r');
      try {
        const buf = Buffer.alloc(BINARY_SNIFF_BYTES);
        const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
        head = buf.subarray(0, bytesRead);
      } finally {
        await fh.close();
      }
    }
  } catch (e) {
    throw new InputError(describeFsError(e as NodeJS.ErrnoException, src.path), src.path);
  }
  const raw: ReadStream = createReadStream(src.path, { highWaterMark: READ_CHUNK_BYTES });
  if (head) return { stream: raw, mtimeMs, head, magic: sniffMagic(head) };
  try {
    const peeked = await peekHead(raw);
    return { stream: peeked.stream, head: peeked.head, magic: sniffMagic(peeked.head) };
  } catch (e) {
    throw new InputError(describeFsError(e as NodeJS.ErrnoException, src.path), src.path);
  }
}

/** The InputError for a read that failed part-way (truncated or damaged .gz, I/O error). */
export function readStoppedError(err: NodeJS.ErrnoException, path: string): InputError {
  if (err instanceof GzipError && err.code === 'GZ_TRAILING')
    return new InputError(tBoth('cli.input.gzTrailing', { path, bytes: err.trailingBytes }), path);
  const what =
    err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)
      ? tBoth('cli.input.truncatedGz')
      : err.code === 'Z_DATA_ERROR'
        ? tBoth('cli.input.damagedGz')
        : err.message;
  return new InputError(tBoth('cli.input.stoppedEarly', { path, what }), path);
}

/**
 * Yield batches of lines (without their line ends) of a text stream, split by a LineSplitter capped at
 * `maxLineBytes`; with `keepBytes`, plain lines stay spans of the chunk (`lineText` makes their text);
 * with `trackOffsets`, each batch says where its lines start and end in the stream.
 * A damaged or truncated .gz yields what it could read, then throws an InputError.
 */
export async function* textLines(
  stream: NodeJS.ReadableStream,
  path: string,
  maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
  keepBytes = false,
  trackOffsets = false,
): AsyncGenerator<LineBatch> {
  const splitter = new LineSplitter(maxLineBytes, trackOffsets, keepBytes);
  try {
    for await (const raw of stream as AsyncIterable<Buffer | string>) {
      const batch = splitter.push(typeof raw === 'string' ? Buffer.from(raw) : raw);
      if (batch.lines.length > 0) yield batch;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const last = splitter.end();
    if (last.lines.length > 0) yield last;
    throw readStoppedError(e as NodeJS.ErrnoException, path);
  }
  const last = splitter.end();
  if (last.lines.length > 0) yield last;
}
