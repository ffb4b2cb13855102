// Syslog receiver (UDP, TCP with RFC 6587 octet-counting or newline framing, optional TLS per RFC 5425) into a spool file.
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdirSync, readFileSync } from 'node:fs';
import { type FileHandle, open, rename, stat } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import type { SpoolSource } from './watcher.js';

/** Longest syslog message kept, in bytes; a longer one is counted as oversize and skipped (the connection stays). */
export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;
/** Most TCP (and TLS) connections at once; more are refused and counted. */
export const DEFAULT_MAX_CONNECTIONS = 256;
/** Received bytes waiting for the spool above which TCP readers are paused and UDP datagrams dropped (counted). */
export const DEFAULT_MAX_QUEUE_BYTES = 32 << 20;
/** Spool size at which it is rotated to `<spool>.1` (the follower finishes the old one). */
export const DEFAULT_MAX_SPOOL_BYTES = 256 << 20;
/** Receive buffer asked for the UDP socket. */
export const UDP_RECEIVE_BUFFER_BYTES = 8 << 20;
/** How often (ms) received messages are appended to the spool at the latest. */
export const SPOOL_FLUSH_MS = 20;
/** Digits an octet count may have (RFC 6587 allows up to 9 for messages under 1 GB). */
const MAX_COUNT_DIGITS = 9;

/** Where to listen. */
export interface ListenTarget {
  transport: 'udp' | 'tcp';
  host: string;
  port: number;
}

/** Parse `udp://HOST:PORT`, `tcp://HOST:PORT`, `tcp://:PORT` or `tcp://[::1]:PORT` (host defaults to 127.0.0.1). */
export function parseListen(url: string): ListenTarget | undefined {
  const m = /^(udp|tcp):\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*)?:(\d{1,5})$/.exec(url);
  if (!m) return undefined;
  const port = Number(m[3]);
  if (port > 65535) return undefined;
  const host = m[2] ? m[2].replace(/^\[|\]$/g, '') : '127.0.0.1';
  return { transport: m[1] as 'udp' | 'tcp', host, port };
}

/** Settings of a receiver. */
export interface SyslogOptions extends ListenTarget {
  spoolPath: string;
  tls?: { cert: string; key: string };
  maxMessageBytes?: number;
  maxConnections?: number;
  maxQueueBytes?: number;
  maxSpoolBytes?: number;
  /** One sentence about a problem (a refused connection, a spool write failure). */
  onProblem?(sentence: string): void;
}

/** Counters of a receiver. */
export interface SyslogStats {
  received: number;
  bytes: number;
  connections: number;
  openConnections: number;
  refusedConnections: number;
  oversize: number;
  badFraming: number;
  droppedQueueFull: number;
  spoolErrors: number;
  queuedBytes: number;
}

/** Splits a TCP byte stream into syslog messages: octet counting (`LEN SP MSG`) or LF-terminated, decided per message. */
export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  /** Bytes still to skip of an oversize octet-counted message, or -1 to skip to the next LF. */
  private skip = 0;
  constructor(
    private readonly maxMessageBytes: number,
    private readonly onMessage: (m: Buffer) => void,
    private readonly onOversize: () => void,
    private readonly onBadFraming: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    const b = this.buf;
    while (pos < b.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, b.length - pos);
        this.skip -= n;
        pos += n;
        continue;
      }
      if (this.skip < 0) {
        const lf = b.indexOf(10, pos);
        if (lf < 0) {
          pos = b.length;
          break;
        }
        this.skip = 0;
        pos = lf + 1;
        continue;
      }
      const c = b[pos]!;
      if (c === 10 || c === 13 || c === 0) {
        pos++; // empty lines and NUL trailers between frames
        continue;
      }
      if (c >= 0x31 && c <= 0x39) {
        // Octet counting: digits, one space, then exactly that many bytes.
        let i = pos;
        while (i < b.length && i - pos <= MAX_COUNT_DIGITS && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
        if (i === b.length && i - pos <= MAX_COUNT_DIGITS) break; // wait for the rest of the count
        if (b[i] === 0x20 && i - pos <= MAX_COUNT_DIGITS) {
          const len = Number(b.toString('latin1', pos, i));
          const start = i + 1;
          if (len > this.maxMessageBytes) {
            this.onOversize();
            this.skip = len;
            pos = start;
            continue;
          }
          if (b.length - start < len) break; // wait for the whole message
          this.onMessage(b.subarray(start, start + len));
          pos = start + len;
          continue;
        }
        // Digits not followed by a space: not a count, so a newline-framed message that starts with digits.
      }
      const lf = b.indexOf(10, pos);
      if (lf < 0) {
        if (b.length - pos > this.maxMessageBytes) {
          this.onOversize();
          this.skip = -1;
          pos = b.length;
        }
        break;
      }
      const end = lf > pos && b[lf - 1] === 13 ? lf - 1 : lf;
      if (end - pos > this.maxMessageBytes) this.onOversize();
      else if (c === 0x3c || (c >= 0x30 && c <= 0x39) || isPrintableStart(c))
        this.onMessage(b.subarray(pos, end));
      else this.onBadFraming();
      pos = lf + 1;
    }
    this.buf = pos >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(pos));
  }
}

/** A message may start with `<PRI>`, a digit, or printable text; control bytes at its start mean broken framing. */
function isPrintableStart(c: number): boolean {
  return c >= 0x20 && c !== 0x7f;
}

/**
 * A syslog receiver: every message received is appended as one line to its spool file (line breaks
 * inside a message become spaces), which the watcher follows like any log file; so what was received
 * survives a restart, and detection replays the same way for every source.
 */
export class SyslogReceiver implements SpoolSource {
  readonly name: string;
  readonly spoolPath: string;
  private tcp: Server | undefined;
  private udp: UdpSocket | undefined;
  private fh: FileHandle | undefined;
  private spoolSize = 0;
  private queue: Buffer[] = [];
  private queued = 0;
  private flushing: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly sockets = new Set<Socket>();
  private paused = false;
  private readonly counts: SyslogStats = {
    received: 0,
    bytes: 0,
    connections: 0,
    openConnections: 0,
    refusedConnections: 0,
    oversize: 0,
    badFraming: 0,
    droppedQueueFull: 0,
    spoolErrors: 0,
    queuedBytes: 0,
  };
  private readonly maxMessageBytes: number;
  private readonly maxQueueBytes: number;

  constructor(private readonly opts: SyslogOptions) {
    this.spoolPath = opts.spoolPath;
    this.name = `${opts.tls ? 'tls' : opts.transport}://${opts.host}:${opts.port}`;
    this.maxMessageBytes = opts.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxQueueBytes = opts.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
  }

  /** The port actually bound (when 0 was asked for). */
  port(): number {
    const a = this.tcp?.address() ?? this.udp?.address();
    return typeof a === 'object' && a ? a.port : this.opts.port;
  }

  /** Open the spool and bind; rejects with the socket's error (EADDRINUSE ...). */
  async start(): Promise<void> {
    mkdirSync(dirname(this.spoolPath), { recursive: true, mode: 0o700 });
    this.fh = await open(this.spoolPath, 'a+', 0o600);
    this.spoolSize = (await this.fh.stat()).size;
    if (this.spoolSize > 0) {
      // A line cut by a crash is closed, so the next message starts on a line of its own.
      const last = Buffer.alloc(1);
      await this.fh.read(last, 0, 1, this.spoolSize - 1);
      if (last[0] !== 10) {
        await this.fh.write('\n');
        this.spoolSize++;
      }
    }
    if (this.opts.transport === 'udp') {
      // A large socket buffer rides out bursts while the one thread parses (the kernel caps it at net.core.rmem_max).
      const udp = createSocket({
        type: this.opts.host.includes(':') ? 'udp6' : 'udp4',
        recvBufferSize: UDP_RECEIVE_BUFFER_BYTES,
      });
      this.udp = udp;
      udp.on('message', (msg) => {
        if (msg.length > this.maxMessageBytes) this.counts.oversize++;
        else if (this.queued > this.maxQueueBytes) this.counts.droppedQueueFull++;
        else this.accept(trimEnd(msg));
      });
      await new Promise<void>((resolve, reject) => {
        udp.once('error', reject);
        udp.bind(this.opts.port, this.opts.host, () => {
          udp.off('error', reject);
          udp.on('error', (e) => this.opts.onProblem?.(`${this.name}: ${e.message}`));
          resolve();
        });
      });
      return;
    }
    const onConnection = (socket: Socket) => {
      this.counts.connections++;
      this.counts.openConnections++;
      this.sockets.add(socket);
      if (this.paused) socket.pause();
      const frames = new FrameReader(
        this.maxMessageBytes,
        (m) => this.accept(m),
        () => this.counts.oversize++,
        () => this.counts.badFraming++,
      );
      socket.on('data', (d: Buffer) => frames.push(d));
      socket.on('error', () => {});
      socket.on('close', () => {
        this.counts.openConnections--;
        this.sockets.delete(socket);
      });
    };
    const server = this.opts.tls
      ? createTlsServer(
          { cert: readFileSync(this.opts.tls.cert), key: readFileSync(this.opts.tls.key) },
          onConnection,
        )
      : createServer(onConnection);
    server.maxConnections = this.opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    server.on('drop', () => this.counts.refusedConnections++);
    server.on('tlsClientError', () => this.counts.badFraming++);
    this.tcp = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  /** Queue one message for the spool. */
  private accept(m: Buffer): void {
    this.counts.received++;
    this.counts.bytes += m.length;
    // One message, one line: line breaks inside it become spaces (a copy, so the socket buffer is not pinned).
    const line = Buffer.allocUnsafe(m.length + 1);
    m.copy(line);
    for (let i = 0; i < m.length; i++) if (line[i] === 10 || line[i] === 13) line[i] = 0x20;
    line[m.length] = 10;
    this.queue.push(line);
    this.queued += line.length;
    if (!this.paused && this.queued > this.maxQueueBytes) {
      this.paused = true;
      for (const s of this.sockets) s.pause();
    }
    if (this.queued >= 1 << 20) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), SPOOL_FLUSH_MS);
  }

  /** Append what is queued to the spool (one write at a time), rotating it when it grows too big. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.flushing) return this.flushing.then(() => (this.queue.length > 0 ? this.flush() : undefined));
    if (this.queue.length === 0 || !this.fh) return Promise.resolve();
    const data = Buffer.concat(this.queue);
    this.queue = [];
    this.flushing = (async () => {
      try {
        await this.fh!.write(data);
        this.spoolSize += data.length;
        if (this.spoolSize >= (this.opts.maxSpoolBytes ?? DEFAULT_MAX_SPOOL_BYTES)) await this.rotate();
      } catch (e) {
        this.counts.spoolErrors++;
        this.opts.onProblem?.(`${this.spoolPath}: ${(e as Error).message}`);
      } finally {
        this.queued -= data.length;
        this.flushing = undefined;
        if (this.paused && this.queued < this.maxQueueBytes / 2) {
          this.paused = false;
          for (const s of this.sockets) s.resume();
        }
      }
    })();
    return this.flushing;
  }

  private async rotate(): Promise<void> {
    await this.fh!.close();
    await rename(this.spoolPath, `${this.spoolPath}.1`);
    this.fh = await open(this.spoolPath, 'a', 0o600);
    this.spoolSize = (await stat(this.spoolPath)).size;
  }

  /** Stop listening, close connections, write what is queued. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    if (this.tcp) await new Promise<void>((r) => this.tcp!.close(() => r()));
    if (this.udp) await new Promise<void>((r) => this.udp!.close(() => r()));
    this.tcp = undefined;
    this.udp = undefined;
    await this.flush();
    await this.fh?.close();
    this.fh = undefined;
  }

  stats(): Record<string, number> {
    return { ...this.counts, queuedBytes: this.queued };
  }
}

function trimEnd(b: Buffer): Buffer {
  let end = b.length;
  while (end > 0 && (b[end - 1] === 10 || b[end - 1] === 13 || b[end - 1] === 0)) end--;
  return b.subarray(0, end);
}
