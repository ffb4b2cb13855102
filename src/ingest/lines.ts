// Streams text lines out of a file, a .gz file (detected by its magic bytes) or stdin, in batches; sniffs what a .gz holds.
import { isAscii } from 'node:buffer';
import { createReadStream, type ReadStream, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { type Message, tBoth } from '../i18n.js';

/** An input the user named: a path, or `-` for standard input. */
export interface InputSource {
  /** Path as given, or `-`. */
  path: string;
  /** Stream to read instead of the path (tests, stdin). */
  stream?: NodeJS.ReadableStream;
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
export type Magic = 'gzip' | 'pcap' | 'pcapng' | 'text';

/** Classify an input from its first bytes. */
export function sniffMagic(head: Uint8Array): Magic {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.length >= 4) {
    const m = (head[0]! << 24) | (head[1]! << 16) | (head[2]! << 8) | head[3]!;
    if (m === 0x0a0d0d0a) return 'pcapng';
    const u = m >>> 0;
    if (u === 0xa1b2c3d4 || u === 0xd4c3b2a1 || u === 0xa1b23c4d || u === 0x4d3cb2a1) return 'pcap';
  }
  return 'text';
}

/** True when the bytes contain NUL or mostly non-text control bytes: not a text log. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, BINARY_SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b === 0) return true;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}

function describeFsError(err: NodeJS.ErrnoException, path: string): Message {
  switch (err.code) {
    case 'ENOENT':
      return tBoth('cli.input.noSuchFile', { path });
    case 'EACCES':
    case 'EPERM':
      return tBoth('cli.input.permission', { path });
    case 'EISDIR':
      return tBoth('cli.input.directory', { path });
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
  const gunzip = createGunzip();
  (stream as Readable).on('error', (e) => gunzip.destroy(e));
  (stream as Readable).pipe(gunzip);
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

/** Open an input and return its raw byte stream plus its mtime (ms) and first bytes. */
export async function openInput(
  src: InputSource,
): Promise<{ stream: NodeJS.ReadableStream; mtimeMs?: number; head: Buffer; magic: Magic }> {
  if (src.stream || src.path === '-') {
    const { stream, head } = await peekHead(src.stream ?? process.stdin);
    return { stream, head, magic: sniffMagic(head) };
  }
  let mtimeMs: number;
  let head: Buffer;
  try {
    const st = statSync(src.path);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    mtimeMs = st.mtimeMs;
    const fh = await open(src.path, 'r');
    try {
      const buf = Buffer.alloc(BINARY_SNIFF_BYTES);
      const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw new InputError(describeFsError(e as NodeJS.ErrnoException, src.path), src.path);
  }
  const stream: ReadStream = createReadStream(src.path, { highWaterMark: READ_CHUNK_BYTES });
  return { stream, mtimeMs, head, magic: sniffMagic(head) };
}

/** The InputError for a read that failed part-way (truncated or damaged .gz, I/O error). */
export function readStoppedError(err: NodeJS.ErrnoException, path: string): InputError {
  const what =
    err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)
      ? tBoth('cli.input.truncatedGz')
      : err.code === 'Z_DATA_ERROR'
        ? tBoth('cli.input.damagedGz')
        : err.message;
  return new InputError(tBoth('cli.input.stoppedEarly', { path, what }), path);
}

/**
 * Split a chunk of bytes into lines, each its own flat string (decoded line by line, so a line kept for the
 * report or a field sliced out of it never pins the whole 1 MiB chunk in memory). `\r\n` endings lose
 * their `\r`. Returns the bytes after the last newline.
 */
function splitChunk(chunk: Buffer, out: string[]): Buffer {
  const ascii = isAscii(chunk);
  let start = 0;
  for (let nl = chunk.indexOf(10, 0); nl !== -1; nl = chunk.indexOf(10, start)) {
    const end = nl > start && chunk[nl - 1] === 13 ? nl - 1 : nl;
    out.push(chunk.toString(ascii ? 'latin1' : 'utf8', start, end));
    start = nl + 1;
  }
  return chunk.subarray(start);
}

/**
 * Decompress when needed and yield batches of lines (without `\n` / `\r\n`).
 * A damaged or truncated .gz yields what it could read, then throws an InputError.
 */
export async function* textLines(
  stream: NodeJS.ReadableStream,
  magic: Magic,
  path: string,
): AsyncGenerator<string[]> {
  let source: AsyncIterable<Buffer> = stream as AsyncIterable<Buffer>;
  if (magic === 'gzip') {
    const gunzip = createGunzip();
    (stream as Readable).on('error', (e) => gunzip.destroy(e));
    source = (stream as Readable).pipe(gunzip);
  }
  let carry: Buffer = Buffer.alloc(0);
  let checked = magic !== 'gzip'; // plain inputs were checked from their head bytes already
  const lastLine = (): string => {
    const end = carry.length > 0 && carry[carry.length - 1] === 13 ? carry.length - 1 : carry.length;
    return carry.toString('utf8', 0, end);
  };
  try {
    for await (const raw of source) {
      const chunk = typeof raw === 'string' ? Buffer.from(raw) : raw;
      if (!checked) {
        checked = true;
        if (looksBinary(chunk)) throw new InputError(tBoth('cli.input.gzBinary', { path }), path);
      }
      const lines: string[] = [];
      // A line split over two chunks: finish it from the head of this chunk first.
      let body = chunk;
      if (carry.length > 0) {
        const nl = chunk.indexOf(10);
        if (nl === -1) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        carry = Buffer.concat([carry, chunk.subarray(0, nl)]);
        lines.push(lastLine());
        body = chunk.subarray(nl + 1);
      }
      carry = Buffer.from(splitChunk(body, lines));
      if (lines.length) yield lines;
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (carry.length > 0) yield [lastLine()];
    throw readStoppedError(err, path);
  }
  if (carry.length > 0) yield [lastLine()];
}
