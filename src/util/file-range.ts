// Reading a byte range of a file that is already open, by position, without ever closing it.
import { read } from 'node:fs';
import { Readable } from 'node:stream';

/** Bytes per read (what the ingest's ReadStreams used). */
const CHUNK_BYTES = 1 << 20;

function readAt(fd: number, buf: Buffer, position: number): Promise<number> {
  return new Promise((resolve, reject) =>
    read(fd, buf, 0, buf.length, position, (err, n) => (err ? reject(err) : resolve(n))),
  );
}

/**
 * Bytes [start, end) of the open file `fd` (up to its end when it is shorter) as a byte stream. The
 * descriptor stays open whatever the reader does: a ReadStream on a descriptor closes it when it is
 * destroyed (a reader that stops early), `autoClose: false` or not, and the next open reuses the number.
 */
export function fileRange(
  fd: number,
  start = 0,
  end = Number.POSITIVE_INFINITY,
  chunkBytes = CHUNK_BYTES,
): Readable & { bytesRead: number } {
  async function* chunks(): AsyncGenerator<Buffer> {
    let at = start;
    while (at < end) {
      const buf = Buffer.allocUnsafe(Math.min(chunkBytes, end - at));
      const n = await readAt(fd, buf, at);
      if (n === 0) return;
      at += n;
      stream.bytesRead += n;
      yield n === buf.length ? buf : buf.subarray(0, n);
    }
  }
  // Bytes handed on so far, as a ReadStream counts them (a file that ends before `end` gives fewer).
  const stream = Object.assign(Readable.from(chunks(), { objectMode: false }), { bytesRead: 0 });
  return stream;
}
