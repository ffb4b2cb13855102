// Gzip decompression member by member (RFC 1952), so bytes after the last member (a log shipper's
// trailer, a partial write, junk) cost nothing of what was decompressed before them.
//
// Node's own gunzip checks whatever follows a member for another gzip header and, when it is not one,
// fails the whole write in which the member ended: the output of that last step (up to 256 KB of log lines)
// is lost with the error. Here each member is inflated raw, its header and trailer (CRC-32, length) are read
// and checked here, and what follows the last member is told apart: another member, zero padding (as gzip
// allows), or bytes that are not gzip, reported after every line before them was handed on.
//
// A member that is small and whole in the bytes at hand (a shipper that compresses every line or every
// batch on its own) is inflated at once into a buffer of its size: a stream inflater per member (its 256 KB
// output buffers, its events and promises) made such a file 14 times slower to read than one member.
import { crc32, createInflateRaw, type InflateRaw, inflateRawSync } from 'node:zlib';

/** Longest member header taken (its extra field, file name and comment): real ones are tens of bytes. */
export const MAX_HEADER_BYTES = 1 << 20;

/** Output chunk size of the inflater (as the line splitter likes them: large). */
const CHUNK = 256 * 1024;

/** Compressed bytes a member may have to be inflated at once (more, and it is inflated as a stream). */
const WHOLE_IN = 64 * 1024;
/** Output bound of a member inflated at once: past it the member is read as a stream, whose output is
 *  made only as it is taken (a gzip bomb's 64 KB make 64 MB, none of which is held whole). */
const WHOLE_OUT = 1024 * 1024;

/**
 * The member whose deflate stream starts `b`, inflated at once when it ends within the first `WHOLE_IN`
 * bytes and makes at most `WHOLE_OUT`: its data and the bytes its deflate stream took. Undefined when it
 * does not (longer, cut by the end of the bytes at hand, damaged): the stream inflater reads it then, and
 * says any damage after handing on what came before it.
 */
function inflateWhole(b: Buffer): { data: Buffer; used: number } | undefined {
  try {
    const r = inflateRawSync(b.subarray(0, WHOLE_IN), {
      info: true,
      maxOutputLength: WHOLE_OUT,
    }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    return { data: r.buffer, used: r.engine.bytesWritten };
  } catch {
    return undefined;
  }
}

/** Pieces of member data handed on together at most. */
const HELD_PIECES = 64;

/** A failure of the compressed data, with zlib's codes so the reader words it as it words zlib's own. */
export class GzipError extends Error {
  constructor(
    message: string,
    readonly code: 'Z_DATA_ERROR' | 'Z_BUF_ERROR' | 'GZ_TRAILING',
    /** For GZ_TRAILING: how many bytes followed the last member. */
    readonly trailingBytes = 0,
  ) {
    super(message);
  }
}

const FHCRC = 0x02;
const FEXTRA = 0x04;
const FNAME = 0x08;
const FCOMMENT = 0x10;

/** Length of the member header at the start of `b`, or -1 when more bytes are needed; throws when it is none. */
function headerLength(b: Buffer): number {
  if (b.length < 10) return -1;
  if (b[0] !== 0x1f || b[1] !== 0x8b || b[2] !== 8)
    throw new GzipError('incorrect header check', 'Z_DATA_ERROR');
  const flags = b[3]!;
  if (flags & 0xe0) throw new GzipError('reserved header flags set', 'Z_DATA_ERROR');
  let at = 10;
  if (flags & FEXTRA) {
    if (b.length < at + 2) return -1;
    at += 2 + b.readUInt16LE(at);
  }
  for (const flag of [FNAME, FCOMMENT]) {
    if (!(flags & flag)) continue;
    const zero = b.indexOf(0, at);
    if (zero < 0) return -1;
    at = zero + 1;
  }
  if (flags & FHCRC) at += 2;
  return b.length < at ? -1 : at;
}

/** Pulls input chunks on demand and keeps what is not consumed yet. */
class Input {
  private readonly it: AsyncIterator<Buffer | string>;
  pending: Buffer = Buffer.alloc(0);
  done = false;
  constructor(source: AsyncIterable<Buffer | string>) {
    this.it = source[Symbol.asyncIterator]();
  }
  /** Read one more chunk into `pending`; false at the end of the input. */
  async more(): Promise<boolean> {
    if (this.done) return false;
    const r = await this.it.next();
    if (r.done) {
      this.done = true;
      return false;
    }
    const chunk = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    return true;
  }
  /** Let the source go (its stream closed) when it was not read to its end. */
  async close(): Promise<void> {
    if (!this.done) await this.it.return?.();
    this.done = true;
  }
  /** Take the pending bytes out. */
  take(): Buffer {
    const b = this.pending;
    this.pending = Buffer.alloc(0);
    return b;
  }
}

/** Write one chunk and wait until the inflater has processed it. */
function write(inflater: InflateRaw, chunk: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    inflater.write(chunk, (e) => (e ? reject(e) : resolve()));
  });
}

/**
 * The decompressed bytes of a gzip stream of one or more members. Throws a GzipError (after yielding
 * everything before it) for damaged or truncated data, and for bytes after the last member that are
 * neither another member nor zero padding (`GZ_TRAILING`).
 */
export async function* gunzipMembers(source: AsyncIterable<Buffer | string>): AsyncGenerator<Buffer> {
  const input = new Input(source);
  try {
    yield* members(input);
  } finally {
    // Stopped early (a reader that had enough) or failed: the source is let go too.
    await input.close();
  }
}

async function* members(input: Input): AsyncGenerator<Buffer> {
  // Members are tried whole while they are small: a file of large ones tries only its first.
  let tryWhole = true;
  // The data of small members, handed on together (a member per line is not a chunk per line downstream),
  // and always before waiting for input or failing: a slow source's lines are not held back.
  let held: Buffer[] = [];
  let heldBytes = 0;
  const release = function* (): Generator<Buffer> {
    if (held.length === 0) return;
    const out = held.length === 1 ? held[0]! : Buffer.concat(held, heldBytes);
    held = [];
    heldBytes = 0;
    yield out;
  };
  const more = async function* (): AsyncGenerator<Buffer, boolean> {
    yield* release();
    return await input.more();
  };
  const fail = function* (e: GzipError): Generator<Buffer, never> {
    yield* release();
    throw e;
  };
  for (let member = 0; ; member++) {
    // The header.
    if (member > 0) {
      while (input.pending.length < 2 && (yield* more()));
      if (input.pending.length === 0) return yield* release();
      const p = input.pending;
      if (p[0] !== 0x1f || p[1] !== 0x8b) {
        // Not another member: zero padding is allowed, anything else is trailing garbage (counted, not kept).
        let bytes = 0;
        let zeros = true;
        do {
          const rest = input.take();
          bytes += rest.length;
          if (zeros && !rest.every((x) => x === 0)) zeros = false;
        } while (yield* more());
        if (zeros) return;
        throw new GzipError('trailing data after the compressed data', 'GZ_TRAILING', bytes);
      }
    }
    let header = -1;
    for (;;) {
      try {
        header = headerLength(input.pending);
      } catch (e) {
        yield* fail(e as GzipError);
      }
      if (header >= 0) break;
      // A name or comment that never ends would be gathered whole (and scanned again per chunk): bounded.
      if (input.pending.length > MAX_HEADER_BYTES)
        yield* fail(new GzipError('header too long', 'Z_DATA_ERROR'));
      if (!(yield* more())) yield* fail(new GzipError('unexpected end of file', 'Z_BUF_ERROR'));
    }
    input.pending = input.pending.subarray(header);

    // The deflate body: at once when it is small, else as a stream.
    let crc = 0;
    let size = 0;
    if (input.pending.length === 0) yield* more();
    const whole = tryWhole && input.pending.length > 0 ? inflateWhole(input.pending) : undefined;
    if (whole) {
      if (whole.data.length > 0) {
        crc = crc32(whole.data);
        size = whole.data.length >>> 0;
        held.push(whole.data);
        heldBytes += whole.data.length;
        // Each piece sits in zlib's 16 KB output buffer: a few dozen of them at most are held.
        if (heldBytes >= CHUNK || held.length >= HELD_PIECES) yield* release();
      }
      input.pending = input.pending.subarray(whole.used);
    } else {
      yield* release();
      const used = yield* inflateStream(input, (d) => {
        crc = crc32(d, crc);
        size = (size + d.length) >>> 0;
      });
      tryWhole = used <= WHOLE_IN && size <= WHOLE_OUT;
    }
    // The trailer: CRC-32 and length of the member's data.
    while (input.pending.length < 8) {
      if (!(yield* more())) yield* fail(new GzipError('unexpected end of file', 'Z_BUF_ERROR'));
    }
    const t = input.pending;
    if (t.readUInt32LE(0) !== crc >>> 0 || t.readUInt32LE(4) !== size)
      yield* fail(new GzipError('incorrect data check', 'Z_DATA_ERROR'));
    input.pending = t.subarray(8);
    if (input.pending.length === 0 && !(yield* more())) return;
  }
}

/**
 * The deflate body at the start of `input.pending`, inflated as a stream: fed one chunk at a time, so the
 * bytes after its end are known exactly (left in `input.pending`). Each output chunk is shown to `seen`
 * before it is handed on; returns the compressed bytes the body took.
 */
async function* inflateStream(input: Input, seen: (d: Buffer) => void): AsyncGenerator<Buffer, number> {
  const inflater = createInflateRaw({ chunkSize: CHUNK });
  try {
    // Read, not flowing: the inflater makes more only as its output is taken (a 1 MB chunk of a gzip bomb
    // is not a gigabyte in memory), and a chunk counts as processed only once its output is taken.
    let ended = false;
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    inflater.on('readable', () => wake?.());
    inflater.on('end', () => {
      ended = true;
      wake?.();
    });
    inflater.on('error', (e) => {
      failure = e;
      wake?.();
    });
    let inputEnded = false;
    /** Hand on what the inflater made; wait for it while `until` is false. */
    const drain = async function* (until: () => boolean): AsyncGenerator<Buffer> {
      for (;;) {
        for (let d = inflater.read() as Buffer | null; d !== null; d = inflater.read() as Buffer | null) {
          seen(d);
          yield d;
        }
        if (failure) throw failure;
        if (until()) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (inflater.readableLength > 0 || failure || until()) resolve();
        });
        wake = undefined;
      }
    };
    while (!ended) {
      if (input.pending.length === 0 && !(await input.more())) {
        if (!inputEnded) {
          inputEnded = true;
          inflater.end(); // a deflate stream cut short fails here: "unexpected end of file"
        }
        yield* drain(() => ended);
        break;
      }
      const chunk = input.take();
      const before = inflater.bytesWritten;
      const processed = write(inflater, chunk);
      let done = false;
      void processed.then(
        () => {
          done = true;
          wake?.();
        },
        (e: Error) => {
          failure = e;
          wake?.();
        },
      );
      yield* drain(() => done);
      const used = inflater.bytesWritten - before;
      if (used < chunk.length) {
        // The deflate stream ended inside this chunk: the rest is the trailer and whatever follows.
        input.pending = chunk.subarray(used);
        yield* drain(() => ended);
        break;
      }
    }
    if (failure) throw failure;
    return inflater.bytesWritten;
  } finally {
    inflater.destroy();
  }
}
